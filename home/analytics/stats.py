"""Statistics for analytics, kept free of Django so they are easy to test."""

from collections import Counter
from collections.abc import Iterable, Mapping


def krippendorff_alpha(
    units: Mapping[object, Iterable[float | None]], *, metric: str = "interval"
) -> float | None:
    """Krippendorff's alpha for ratings of ``units`` by several coders (missing values allowed).

    ``units`` maps each rated item to the values its coders gave (None for "not rated").
    Uses the interval metric (squared difference) or the nominal one. Returns None when there
    are too few pairable values to say anything (fewer than two coders on any unit, or no
    variation at all).

    Linear in the number of ratings: the disagreement summed over every pair of values is
    computed from sums of values and squares (interval) or value counts (nominal) instead of
    by visiting the pairs, which took minutes at company scale.
    """

    def pair_disagreement(values: list[float]) -> float:
        """The metric summed over all ordered pairs of two different positions in ``values``."""
        m = len(values)
        if metric == "nominal":
            return float(m * m - sum(c * c for c in Counter(values).values()))
        total = sum(values)
        return 2.0 * (m * sum(v * v for v in values) - total * total)

    pairable = []
    for values in units.values():
        present = [v for v in values if v is not None]
        if len(present) >= 2:
            pairable.append(present)
    n = sum(len(values) for values in pairable)
    if n < 2:
        return None
    observed = sum(pair_disagreement(values) / (len(values) - 1) for values in pairable) / n
    everything = [v for values in pairable for v in values]
    expected = pair_disagreement(everything) / (n * (n - 1))
    if expected <= 1e-12 * max(1.0, observed):
        return None if observed == 0 and len(set(everything)) == 1 else 1.0
    return 1.0 - observed / expected

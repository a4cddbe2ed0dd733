"""Statistics for analytics, kept free of Django so they are easy to test."""

from collections.abc import Iterable, Mapping
from itertools import combinations


def krippendorff_alpha(
    units: Mapping[object, Iterable[float | None]], *, metric: str = "interval"
) -> float | None:
    """Krippendorff's alpha for ratings of ``units`` by several coders (missing values allowed).

    ``units`` maps each rated item to the values its coders gave (None for "not rated").
    Uses the interval metric (squared difference) or the nominal one. Returns None when there
    are too few pairable values to say anything (fewer than two coders on any unit, or no
    variation at all).
    """

    def delta(a: float, b: float) -> float:
        if metric == "nominal":
            return 0.0 if a == b else 1.0
        return (a - b) ** 2

    pairable = []
    for values in units.values():
        present = [v for v in values if v is not None]
        if len(present) >= 2:
            pairable.append(present)
    n = sum(len(values) for values in pairable)
    if n < 2:
        return None
    observed = 0.0
    for values in pairable:
        m = len(values)
        observed += sum(2 * delta(a, b) for a, b in combinations(values, 2)) / (m - 1)
    observed /= n
    everything = [v for values in pairable for v in values]
    expected = sum(2 * delta(a, b) for a, b in combinations(everything, 2)) / (n * (n - 1))
    if expected == 0:
        return None if observed == 0 and len(set(everything)) == 1 else 1.0
    return 1.0 - observed / expected

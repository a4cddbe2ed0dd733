"""Analytics of the mentoring loop's records: flaws missed, AI failures found, review load and
reviewer agreement. Each table is a handful of aggregate queries, whatever the head count.
"""

from django.db.models import Count, Q

from accounts.models import User
from challenges.models import Flag, FlagSubmission, Flaw, Review, TestCase
from home.analytics.filters import Filters, challenge_records
from home.analytics.stats import krippendorff_alpha
from home.analytics.tables import Table


def flaw_categories_missed(filters: Filters) -> Table:
    """Per flaw category: how often employees' flag submissions missed a known flaw of it."""

    submissions = challenge_records(FlagSubmission.objects.all(), filters)
    per_challenge = dict(
        submissions.values_list("challenge").annotate(n=Count("id", distinct=True))
    )
    opportunities: dict[str, int] = {}
    names: dict[str, str] = {}
    flaws = Flaw.objects.filter(page__in=per_challenge).values_list(
        "pk", "page", "category__slug", "category__name"
    )
    flaw_category = {}
    for flaw_id, page_id, slug, name in flaws:
        opportunities[slug] = opportunities.get(slug, 0) + per_challenge[page_id]
        names[slug] = name
        flaw_category[flaw_id] = slug
    found: dict[str, int] = {}
    for flaw_id, n in (
        Flag.objects.filter(submission__in=submissions, matched_flaw__isnull=False)
        .values_list("matched_flaw")
        .annotate(n=Count("submission", distinct=True))
    ):
        slug = flaw_category.get(flaw_id)
        if slug:
            found[slug] = found.get(slug, 0) + n
    rows = []
    for slug, total in opportunities.items():
        missed = max(total - found.get(slug, 0), 0)
        rows.append([names[slug], total, missed, round(100 * missed / total, 1) if total else 0.0])
    rows.sort(key=lambda row: -row[3])
    return Table(
        slug="flaws-missed",
        title="Flaw categories most often missed",
        sheet_title="Flaws most often missed",
        columns=["Category", "Chances to spot", "Missed", "Missed %"],
        rows=rows,
        description="Each known flaw in a challenge's answer key, once per flag submission.",
        chart_value=3,
    )


def ai_failures_found(filters: Filters) -> Table:
    """Where test cases found the AI failing: blind spots per challenge and scripted weakness."""

    cases = challenge_records(TestCase.objects.all(), filters)
    rows = [
        [
            row["challenge__title"],
            row["behaviour__note"] or row["behaviour__probe"] or "Unscripted input",
            row["cases"],
            row["blind"],
        ]
        for row in cases.values("challenge__title", "behaviour__note", "behaviour__probe")
        .annotate(cases=Count("id"), blind=Count("id", filter=Q(status=TestCase.BLIND_SPOT)))
        .order_by("-blind", "-cases")[:50]
    ]
    return Table(
        slug="ai-failures",
        title="AI failures found by test cases",
        sheet_title="AI failures found",
        columns=["Challenge", "Weakness probed", "Test cases", "Blind spots confirmed"],
        rows=rows,
        chart_value=3,
    )


def review_load(filters: Filters) -> Table:
    """Reviews given per reviewer, agreement with consensus, and Krippendorff's alpha overall."""

    reviews = challenge_records(Review.objects.all(), filters)
    per_reviewer = list(
        reviews.values("reviewer")
        .annotate(
            n=Count("id"),
            agreed=Count("id", filter=Q(agrees=True)),
            judged=Count("id", filter=Q(agrees__isnull=False)),
        )
        .order_by("-n")[:100]
    )

    people = User.objects.in_bulk([r["reviewer"] for r in per_reviewer])
    rows = [
        [
            people[r["reviewer"]].public_name if r["reviewer"] in people else "?",
            r["n"],
            round(100 * r["agreed"] / r["judged"], 1) if r["judged"] else None,
        ]
        for r in per_reviewer
    ]
    units: dict[tuple[int, str], list[float]] = {}
    for values in reviews.values_list(
        "correction", "accuracy", "tone", "completeness", "policy_fit"
    ).iterator(chunk_size=5000):
        for criterion, score in zip(Review.CRITERIA, values[1:], strict=True):
            units.setdefault((values[0], criterion), []).append(score)
    alpha = krippendorff_alpha(units)
    description = (
        f"Krippendorff's alpha (interval) on rubric scores: {alpha:.3f}."
        if alpha is not None
        else "Krippendorff's alpha needs at least two reviews of the same correction."
    )
    return Table(
        slug="review-load",
        title="Review load and reviewer agreement",
        sheet_title="Review load and agreement",
        columns=["Reviewer", "Reviews given", "Agrees with consensus %"],
        rows=rows,
        description=description,
        chart_value=1,
    )

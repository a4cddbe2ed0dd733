"""A person's standings and ranks on several boards at once (the dashboard's figures).

``selectors.standing_rank`` answers for one board in one query; the dashboard wants all time,
this month, the running week and every skill, so this reads them all in one query with the
same rank arithmetic (buckets above the score plus the ties reached earlier) per row.
"""

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from leaderboard.models import ScoreBucket, Standing

SKILL_PREFIX = "skill-"


def _count(qs, field="*", function=Count):
    return Coalesce(
        Subquery(qs.order_by().values("scope").annotate(n=function(field)).values("n")), Value(0)
    )


def standings_of(*, user, scopes, skills: bool = False) -> dict[str, tuple[int, int]]:
    """{scope: (points, rank)} of ``user`` on each of ``scopes`` they are on (and every skill
    board, when ``skills``): one query."""
    outer = {"scope": OuterRef("scope")}
    higher = ScoreBucket.objects.filter(**outer, points__gt=OuterRef("points"))
    tied = Standing.objects.filter(
        **outer, points=OuterRef("points"), reached_at__lte=OuterRef("reached_at")
    ).exclude(reached_at=OuterRef("reached_at"), user_id__gte=OuterRef("user_id"))
    wanted = Q(scope__in=[s for s in scopes if s])
    if skills:
        wanted |= Q(scope__startswith=SKILL_PREFIX)
    rows = (
        Standing.objects.filter(wanted, user=user)
        .annotate(higher=_count(higher, "count", Sum), tied=_count(tied))
        .values_list("scope", "points", "higher", "tied")
    )
    return {scope: (points, higher + tied + 1) for scope, points, higher, tied in rows}

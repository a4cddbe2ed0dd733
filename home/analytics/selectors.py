"""Analytics reads. Every table is a handful of aggregate queries, whatever the head count."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Membership, Team
from home.analytics.tables import Table
from leaderboard.models import PointsAward


@dataclass(frozen=True)
class Filters:
    """What the L&D Manager narrowed the analytics to."""

    team: Team | None = None
    skill: str = ""
    start: date | None = None
    end: date | None = None

    @property
    def start_at(self) -> datetime | None:
        if self.start is None:
            return None
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime | None:
        if self.end is None:
            return None
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def awards(self):
        awards = PointsAward.objects.all()
        if self.team is not None:
            awards = awards.filter(team=self.team)
        if self.skill:
            awards = awards.filter(skill=self.skill)
        if self.start_at:
            awards = awards.filter(created_at__gte=self.start_at)
        if self.end_before:
            awards = awards.filter(created_at__lt=self.end_before)
        return awards


def participation_by_team(filters: Filters) -> Table:
    """Per team: current members, members active in the period, participation rate, points."""
    teams = Team.objects.filter(is_active=True).order_by("name")
    if filters.team is not None:
        teams = teams.filter(pk=filters.team.pk)
    members = dict(
        Membership.objects.filter(ended_at__isnull=True)
        .values_list("team")
        .annotate(n=Count("user", distinct=True))
    )
    activity = {
        row["team"]: row
        for row in filters.awards()
        .filter(team__isnull=False)
        .values("team")
        .annotate(active=Count("user", distinct=True), points=Sum("amount"))
    }
    rows = []
    for team in teams:
        n = members.get(team.pk, 0)
        active = activity.get(team.pk, {}).get("active", 0)
        points = activity.get(team.pk, {}).get("points", 0) or 0
        rate = round(100 * active / n, 1) if n else 0.0
        rows.append([team.name, team.department, n, active, rate, points])
    return Table(
        slug="participation-team",
        title="Participation by team",
        columns=["Team", "Department", "Members", "Active members", "Participation %", "Points"],
        rows=rows,
        description="Members active in the period earned at least one award there.",
        chart_label=0,
        chart_value=4,
    )


def participation_by_week(filters: Filters) -> Table:
    """Per ISO week: people active, awards and points earned."""
    rows = [
        [row["week"].date().isoformat(), row["active"], row["awards"], row["points"] or 0]
        for row in filters.awards()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(active=Count("user", distinct=True), awards=Count("id"), points=Sum("amount"))
        .order_by("week")
    ]
    return Table(
        slug="participation-week",
        title="Participation by week",
        columns=["Week starting", "Active people", "Awards", "Points"],
        rows=rows,
        chart_label=0,
        chart_value=1,
        chart_kind="line",
    )


def points_by_kind(filters: Filters) -> Table:
    """What people earn points for: a view of which parts of the programme are used."""
    rows = [
        [row["kind"], row["awards"], row["people"], row["points"] or 0]
        for row in filters.awards()
        .values("kind")
        .annotate(
            awards=Count("id"),
            people=Count("user", distinct=True),
            points=Sum("amount", filter=Q(amount__gt=0)),
        )
        .order_by("-points")
    ]
    return Table(
        slug="points-kind",
        title="Activity by kind",
        columns=["Kind", "Awards", "People", "Points"],
        rows=rows,
        chart_label=0,
        chart_value=3,
    )


# The tables on the analytics page, in order. Apps' tables are appended as they exist.
TABLES = [participation_by_team, participation_by_week, points_by_kind]


def analytics_tables(filters: Filters) -> list[Table]:
    return [build(filters) for build in TABLES]

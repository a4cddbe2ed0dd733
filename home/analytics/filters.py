"""What the L&D Manager narrows the analytics to, and how each kind of row is narrowed by it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Team
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


def window(qs, filters: Filters, field: str = "created_at"):
    """``qs`` narrowed to the period by its ``field`` timestamp."""
    if filters.start_at:
        qs = qs.filter(**{f"{field}__gte": filters.start_at})
    if filters.end_before:
        qs = qs.filter(**{f"{field}__lt": filters.end_before})
    return qs


def challenge_records(qs, filters: Filters):
    """A loop-record queryset narrowed by period, the author's team and the challenge's skill."""
    qs = window(qs, filters)
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    if filters.skill:
        qs = qs.filter(challenge__skills__slug=filters.skill)
    return qs

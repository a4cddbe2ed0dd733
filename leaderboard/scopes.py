"""Scope keys: which boards an award counts on, and what a scope in a URL means.

A scope key is ``all``, ``month-YYYY-MM`` (in the site's time zone), ``week-<id>`` (a challenge
week, owned by ``challenges``) or ``skill-<slug>``. In URLs ``month`` means the current month.
"""

import re
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

ALL = "all"
_SCOPE_RE = re.compile(
    r"^(all|month|month-\d{4}-(0[1-9]|1[0-2])|week-[1-9]\d{0,9}|skill-[a-z0-9-]{1,80})$"
)


class UnknownScope(ValueError):
    """A scope in a URL or an API call that names no board."""

    def __init__(self, raw: str):
        super().__init__(
            f"“{raw[:60]}” is not a leaderboard. Use all, month, month-YYYY-MM, week-<id> or "
            "skill-<slug>."
        )


def month_key(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"month-{local.year:04d}-{local.month:02d}"


def resolve(raw: str) -> str:
    """The canonical scope key for a scope named in a URL, or UnknownScope."""
    if not isinstance(raw, str) or not _SCOPE_RE.match(raw):
        raise UnknownScope(str(raw))
    if raw == "month":
        return month_key(timezone.now())
    return raw


def scopes_for(*, created_at: datetime, week_id: int | None, skill: str) -> list[str]:
    """Every scope an award with these attributes counts in."""
    keys = [ALL, month_key(created_at)]
    if week_id:
        keys.append(f"week-{week_id}")
    if skill:
        keys.append(f"skill-{skill}")
    return keys


def award_filter(scope: str, *, frozen_at: datetime | None = None) -> Q:
    """A filter on PointsAward selecting the awards that count in ``scope``."""
    if scope == ALL:
        return Q()
    kind, _, rest = scope.partition("-")
    if kind == "month":
        year, month = (int(part) for part in rest.split("-"))
        start = timezone.make_aware(datetime(year, month, 1))
        end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
        return Q(created_at__gte=start, created_at__lt=end)
    if kind == "week":
        q = Q(week_id=int(rest))
        if frozen_at is not None:
            q &= Q(created_at__lte=frozen_at)
        return q
    if kind == "skill":
        return Q(skill=rest)
    raise UnknownScope(scope)


def label(scope: str, title: str = "") -> str:
    """A human name for a scope."""
    if title:
        return title
    if scope == ALL:
        return "All time"
    kind, _, rest = scope.partition("-")
    if kind == "month":
        year, month = (int(part) for part in rest.split("-"))
        return datetime(year, month, 1).strftime("%B %Y")
    if kind == "week":
        return f"Challenge week {rest}"
    return rest.replace("-", " ").capitalize()


def month_key_now() -> str:
    return month_key(timezone.now())

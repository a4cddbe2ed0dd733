"""Recognition reads: levels, a person's profile and who may see it, kudos left this week."""

from django.conf import settings
from django.core.cache import cache

from leaderboard import scopes
from leaderboard.models import (
    BadgeAward,
    Kudos,
    Level,
    PointsAward,
    Standing,
)

LEVELS_CACHE_KEY = "leaderboard:levels"


def level_progress(points: int) -> dict:
    """The level for ``points``, the next one, and the percentage of the way to it."""
    levels = cache.get(LEVELS_CACHE_KEY)
    if levels is None:  # the same for everyone; a level L&D adds shows within a minute
        levels = list(Level.objects.order_by("xp_threshold"))
        cache.set(LEVELS_CACHE_KEY, levels, 60)
    return level_progress_in(points, levels)


def level_progress_in(points: int, levels: list) -> dict:
    """``level_progress`` over ``levels`` (ordered by threshold) read by the caller, e.g. with
    its other cache entries in one round trip (under ``LEVELS_CACHE_KEY``)."""
    current = None
    following = None
    for level in levels:
        if level.xp_threshold <= points:
            current = level
        elif following is None:
            following = level
    if following is None:
        percent = 100
    else:
        floor = current.xp_threshold if current else 0
        percent = int(100 * (points - floor) / max(1, following.xp_threshold - floor))
    return {
        "level": current,
        "next": following,
        "points": points,
        "percent": max(0, min(100, percent)),
        "to_go": following.xp_threshold - points if following else 0,
    }


def person_profile(*, person, viewer) -> dict:
    """What the recognition page shows about ``person``."""
    points = (
        Standing.objects.filter(scope=scopes.ALL, user=person)
        .values_list("points", flat=True)
        .first()
        or 0
    )
    return {
        "progress": level_progress(points),
        "badges": list(
            BadgeAward.objects.filter(user=person).select_related("badge", "badge__image")
        ),
        "kudos": list(
            Kudos.objects.filter(recipient=person)
            .select_related("giver")
            .order_by("-created_at")[:20]
        ),
        "recent": list(PointsAward.objects.filter(user=person).order_by("-created_at", "-pk")[:10])
        if viewer.pk == person.pk
        else [],
    }


def profile_visible(*, person, viewer, viewer_is_ld: bool) -> bool:
    """Someone who opted out of public boards has no public profile (L&D still see it)."""
    return person.is_active and (
        person.show_on_leaderboards or person.pk == viewer.pk or viewer_is_ld
    )


def kudos_left(*, user) -> int:
    from leaderboard.services import kudos_week_start

    given = Kudos.objects.filter(giver=user, created_at__gte=kudos_week_start()).count()
    return max(0, settings.LEADERBOARD_KUDOS_WEEKLY_BUDGET - given)

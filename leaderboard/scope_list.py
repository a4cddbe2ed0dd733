"""The list of boards for the board navigation: cached, and cheap to rebuild.

The cold path never scans the standings: a "loose index scan" (a recursive query that jumps
from one scope to the next along the standings' rank index, which starts with the scope) reads
one index entry per board, whatever the number of standings, and the scope settings add the
challenge weeks saved before their first award.
"""

from django.core.cache import cache
from django.db import connection

from leaderboard import scopes
from leaderboard.models import ScopeSettings, Standing

# The navigation and every scope's settings together (``scopes_and_settings``).
SCOPES_CACHE_KEY = "leaderboard:scopes-and-settings"
# A new month or skill board appears at its first award, which the award path does not
# announce; the navigation shows it within this long. Saving a week's settings clears the key
# at once (``services.week_configure`` and the ScopeSettings signals below).
SCOPES_CACHE_SECONDS = 300


def scope_keys() -> set[str]:
    """Every scope that has standings: one index seek per scope (a loose index scan)."""
    table = connection.ops.quote_name(Standing._meta.db_table)
    sql = (
        f"WITH RECURSIVE boards(scope) AS ("  # noqa: S608 - table name from the model
        f" SELECT MIN(scope) FROM {table}"
        f" UNION ALL"
        f" SELECT (SELECT MIN(scope) FROM {table} WHERE scope > boards.scope)"
        f" FROM boards WHERE boards.scope IS NOT NULL"
        f") SELECT scope FROM boards WHERE scope IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def available_scopes() -> list[tuple[str, str]]:
    """(scope, label) of every board with standings or settings (a challenge week is on the
    list from the moment it is saved), for the board navigation; "all" is always shown."""
    return scopes_and_settings()[0]


def scopes_and_settings(
    request=None,
) -> tuple[list[tuple[str, str]], dict[str, ScopeSettings]]:
    """``available_scopes()`` and every scope's settings by scope, cached together: a board page
    reads its navigation and its own settings (title, ranking, freeze time) in one round trip,
    the viewer's own when the view asked for ``SCOPES_CACHE_KEY`` before the user was read
    (``request.prefetch_keys``, accounts.middleware). Settings change only by saving them, which
    forgets both at once and again after the commit (the signals below,
    ``services.week_configure``)."""
    from accounts.person_cache import prefetched

    found = prefetched(request, SCOPES_CACHE_KEY) if request is not None else None
    if found is None:
        found = cache.get(SCOPES_CACHE_KEY)
    if not (isinstance(found, tuple) and len(found) == 2):
        settings = {config.scope: config for config in ScopeSettings.objects.all()}
        keys = scope_keys() | set(settings)
        nav = [
            (k, scopes.label(k, settings[k].title if k in settings else ""))
            for k in sorted(keys)
            if k != scopes.ALL
        ]
        found = (nav, settings)
        cache.set(SCOPES_CACHE_KEY, found, SCOPES_CACHE_SECONDS)
    return found


def forget_scopes(**kwargs) -> None:
    """Signal receiver: a scope's settings changed (a week created, renamed or removed)."""
    cache.delete(SCOPES_CACHE_KEY)

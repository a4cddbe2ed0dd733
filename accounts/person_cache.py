"""What every signed-in page reads about its viewer, cached per person under a version.

Each page used to read the user row, their role names and their unread notification count
before its own queries. They change rarely, so they are kept in the shared cache under keys that
carry the person's *version* (``person:<pk>:version``, a random token). Anything that changes
what the header shows about a person gives them a new version after its transaction commits
(:func:`person_changed`): their user row or role groups (signals connected in ``accounts.apps``),
a notification written or read (``notifications.services``, the one writer, bulk writes
included). The version changes at once and again when the transaction commits: a reader that
fetched the old state from the database before the commit wrote it under a version nobody
reads any more, so no stale value outlives the change.

Keys are per person and checked against the session (see :mod:`accounts.middleware`), so one
person's values are never served to another. The cache is never the only copy: while Redis is
unreachable every read is a miss (``config.cache``) and the page reads the database as before.
Values also expire after ``TIMEOUT`` seconds, which bounds staleness after a bulk update that
sends no signal (``QuerySet.update`` on users).
"""

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300
# Values every signed-in page shows, read with the user in one round trip (accounts.middleware).
PREFETCHED = ("unread",)
# Other keys the header reads on every signed-in page, read in that same round trip: functions
# of the viewer's pk giving a cache key (other apps register theirs in ``AppConfig.ready``, so
# accounts imports none of them; ``home.page_cache`` adds the page-tree version). Readers take
# the value with ``prefetched``.
HEADER_KEYS: list[Callable[[object], str]] = []


def prefetched(request, key: str):
    """The value ``key`` had at the start of this request, if the middleware read it with the
    viewer's user (None: not read or not cached; read it as usual)."""
    return getattr(request, "person_prefetched", {}).get(key)


def prefetched_many(request, keys) -> dict:
    """``cache.get_many(keys)``, but the keys the middleware already read with the viewer's user
    (those a page asked for beforehand in ``request.prefetch_keys``) come from that read: only
    the others cost a round trip, and none when all were read."""
    read = getattr(request, "person_prefetched_keys", frozenset())
    found = getattr(request, "person_prefetched", {})
    result = {key: found[key] for key in keys if key in read and key in found}
    missing = [key for key in keys if key not in read]
    if missing:
        result.update(cache.get_many(missing))
    return result


# The values the middleware reads with the person's version (the user, ``PREFETCHED``) are kept
# under keys without the version, each beside the version it was computed under: the version and
# the values then come back in one round trip. A value whose version is not the one read in the
# same round trip is a miss, exactly as a value under an old versioned key would be.


def current_key(pk, name: str) -> str:
    return f"person:{pk}:current:{name}"


def current_value(found: dict, pk, name: str, version: str):
    """The value of ``name`` in ``found`` (a ``get_many`` of ``current_key``) if it was stored
    under ``version``, else None."""
    entry = found.get(current_key(pk, name))
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    return None


def current_store(pk, name: str, version: str, value, timeout: int = TIMEOUT) -> None:
    """Store ``value`` as computed under the person's ``version`` (read before computing it)."""
    cache.set(current_key(pk, name), (version, value), timeout)


# A version is forgotten after a day without change; a new one then misses every old value.
VERSION_TIMEOUT = 24 * 3600


def version_key(pk) -> str:
    return f"person:{pk}:version"


def person_version(pk) -> str:
    """The person's current version (made on first use); "down" while the cache is unreachable,
    where every read misses anyway."""
    key = version_key(pk)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex[:12], VERSION_TIMEOUT)
        version = cache.get(key) or "down"
    return version


def person_key(pk, name: str, version: str | None = None) -> str:
    return f"person:{pk}:{version or person_version(pk)}:{name}"


def person_cached(
    pk,
    name: str,
    compute: Callable[[], object],
    *,
    version: str | None = None,
    timeout: int = TIMEOUT,
):
    """``compute()``'s value for this person, from the cache while their version stands (and
    for at most ``timeout`` seconds)."""
    key = person_key(pk, name, version)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def viewer_cached(request, name: str, compute: Callable[[], object], *, timeout: int = TIMEOUT):
    """``person_cached`` for the signed-in viewer of ``request``, under the version their
    request started with (read once by ``accounts.middleware``)."""
    pk = request.user.pk
    version = getattr(request, "person_version", None)
    if version is None or getattr(request, "person_version_pk", None) != pk:
        version = person_version(pk)
    elif name in PREFETCHED:
        value = current_value(getattr(request, "person_prefetched", {}), pk, name, version)
        if value is None:
            value = compute()
            current_store(pk, name, version, value, timeout)
        return value
    return person_cached(pk, name, compute, version=version, timeout=timeout)


def _bump(pks: list) -> None:
    cache.set_many({version_key(pk): uuid.uuid4().hex[:12] for pk in pks}, VERSION_TIMEOUT)


def person_changed(pks: Iterable) -> None:
    """What the header shows about these people changed: new versions at once (so the rest of
    this transaction reads afresh) and again once it commits (so nothing read by others before
    the commit is served after it)."""
    pks = sorted({pk for pk in pks if pk is not None})
    if pks:
        _bump(pks)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(pks))


# Signal receivers (connected in accounts.apps).


def user_saved(sender, instance, **kwargs) -> None:
    """A user row saved or deleted: name, activity, password (the session hash), flags."""
    person_changed([instance.pk])


def user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Roles are groups: ``user.groups.add(...)`` or ``group.user_set.add(...)`` and the like."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        person_changed([instance.pk])
    elif action == "pre_clear":  # group.user_set.clear(): its members, read before removal
        person_changed(list(instance.user_set.values_list("pk", flat=True)))
    else:
        person_changed(pk_set or ())


def group_changed(sender, instance, **kwargs) -> None:
    """A role group renamed or deleted: its members' roles changed."""
    if instance.pk is not None:
        person_changed(list(instance.user_set.values_list("pk", flat=True)))

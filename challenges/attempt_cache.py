"""A person's records of one challenge (drafts, flags, correction, notes, test cases,
reflection), kept in the shared cache for the challenge page.

The value is stored with the *attempt version* it was read under (``challenges:attempt:v:<user>:
<challenge>``, a random token, read in the page's one cache round trip with the value). Every
write that changes what the page shows of someone's records gives that person a new version for
that challenge, at once and again when its transaction commits (as ``accounts.person_cache``
does): saving or deleting any of the record models (signal receivers connected in
``challenges.apps``; a review, judgement, endorsement or upvote changes its owner's record) and
the services' bulk ``update()`` calls (``attempt_changed``). The value also holds the person's
current team (whether their points count on a challenge week): a membership saved or deleted
gives them new versions for every challenge. A page that read the records before
a commit stored them under a version nobody reads any more, so the next request reads afresh.

Keys are per person and challenge; a person is only ever shown values stored under their own
key. While the cache is unreachable every read misses and the page reads the database.
"""

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

# What a record shows that is edited elsewhere (a skill or category renamed) shows within this.
TTL = 60
VERSION_TIMEOUT = 24 * 3600


def version_key(user_pk, challenge_pk) -> str:
    return f"challenges:attempt:v:{user_pk}:{challenge_pk}"


def data_key(user_pk, challenge_pk) -> str:
    return f"challenges:attempt:v2:{user_pk}:{challenge_pk}"


def keys(user_pk, challenge_pk) -> list[str]:
    """The keys ``cached`` reads: for the caller's one ``get_many``."""
    return [version_key(user_pk, challenge_pk), data_key(user_pk, challenge_pk)]


def cached(user_pk, challenge_pk, found: dict, compute: Callable[[], dict]) -> dict:
    """``compute()``'s records for this person and challenge, from ``found`` (the cache entries
    read with ``keys``) while their attempt version stands."""
    version = found.get(version_key(user_pk, challenge_pk))
    stored = found.get(data_key(user_pk, challenge_pk))
    if version is not None and isinstance(stored, tuple) and stored[0] == version:
        return stored[1]
    if version is None:
        version = uuid.uuid4().hex[:12]
        if not cache.add(version_key(user_pk, challenge_pk), version, VERSION_TIMEOUT):
            return compute()  # another request made one (or the cache is down): store nothing
    value = compute()
    cache.set(data_key(user_pk, challenge_pk), (version, value), TTL)
    return value


def _bump(pairs: list[tuple]) -> None:
    cache.set_many({version_key(u, c): uuid.uuid4().hex[:12] for u, c in pairs}, VERSION_TIMEOUT)


def attempt_changed(pairs: Iterable[tuple]) -> None:
    """These (user pk, challenge pk) records changed: new versions at once and again after the
    transaction commits (nothing read by others before the commit is served after it)."""
    pairs = sorted({(u, c) for u, c in pairs if u is not None and c is not None})
    if pairs:
        _bump(pairs)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(pairs))


# Signal receivers (connected in challenges.apps): each model's owner and challenge.


def _owner(instance) -> tuple | None:
    from challenges.models import (
        ContextNote,
        Correction,
        Draft,
        Flag,
        FlagSubmission,
        Reflection,
        Review,
        TestCase,
        TestJudgement,
    )

    if isinstance(instance, (Draft, FlagSubmission, Flag, Correction, ContextNote, TestCase)):
        return instance.user_id, instance.challenge_id
    if isinstance(instance, Reflection):
        return instance.user_id, instance.challenge_id
    if isinstance(instance, Review):
        correction = Correction.objects.filter(pk=instance.correction_id).first()
        return (correction.user_id, correction.challenge_id) if correction else None
    if isinstance(instance, TestJudgement):
        case = TestCase.objects.filter(pk=instance.test_case_id).first()
        return (case.user_id, case.challenge_id) if case else None
    return None


def record_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a record the challenge page shows."""
    owner = _owner(instance)
    if owner is not None:
        attempt_changed([owner])


def note_skills_changed(sender, instance, action, reverse, **kwargs) -> None:
    """A context note's skills (m2m) changed."""
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        attempt_changed([(instance.user_id, instance.challenge_id)])


def endorsement_changed(sender, instance, **kwargs) -> None:
    from challenges.models import ContextNote

    note = ContextNote.objects.filter(pk=instance.note_id).first()
    if note is not None:
        attempt_changed([(note.user_id, note.challenge_id)])


def upvote_changed(sender, instance, **kwargs) -> None:
    from challenges.models import Reflection

    reflection = Reflection.objects.filter(pk=instance.reflection_id).first()
    if reflection is not None:
        attempt_changed([(reflection.user_id, reflection.challenge_id)])


def membership_changed(sender, instance, **kwargs) -> None:
    """A person joined or left a team: their records of every challenge carry their team."""
    from challenges.models import ChallengePage

    pks = ChallengePage.objects.values_list("pk", flat=True)
    attempt_changed([(instance.user_id, pk) for pk in pks])

"""Audit of every badge criterion against what the real services write (issue 10, item 8).

No hand-made ledger rows: one person earns every badge of the demo set (``leaderboard.demo``)
through the real services — flags, judgements, blind spots, a challenge week closed by its job,
kudos, upvotes, approved context — and every kind those services wrote must be one the site
knows (``leaderboard.kinds.AWARD_KINDS``), the only kinds a badge may count.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import roles
from challenges import services
from challenges.models import ChallengeWeek
from courses.models import Skill
from leaderboard.demo import BADGES
from leaderboard.kinds import AWARD_KINDS
from leaderboard.models import Badge, BadgeAward, PointsAward
from leaderboard.services import kudos_give
from tests.accounts.factories import UserFactory
from tests.challenges.factories import REFUND_QUOTE, TONE_QUOTE, category, make_challenge

pytestmark = pytest.mark.django_db

PROBE = "I lost my receipt, can I still return my kettle?"


def flag_all(challenge, user):
    flags = []
    for quote, slug in ((REFUND_QUOTE, "hallucination"), (TONE_QUOTE, "tone-empathy")):
        start = challenge.output.index(quote)
        flags.append(services.FlagInput(start, start + len(quote), category(slug).pk, ""))
    return services.flags_submit(user=user, challenge=challenge, flags=flags)


def run_test(user, challenge, text=PROBE):
    return services.testcase_run(
        user=user,
        challenge=challenge,
        input_text=text,
        must="Say a proof of purchase is needed",
        must_not="Promise a refund with no receipt",
        client_token=uuid.uuid4(),
    )


REAL_NOW = timezone.now


def on_day(monkeypatch, days_ago: int):
    """The services' clock ``days_ago`` days back (a streak needs activity on several days)."""
    moment = REAL_NOW() - timedelta(days=days_ago)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_every_demo_badge_is_earned_through_the_real_services(
    monkeypatch, django_capture_on_commit_callbacks
):
    for slug, name, description, criteria, threshold, kind, skill in BADGES:
        Badge.objects.create(
            slug=slug,
            name=name,
            description=description,
            criteria=criteria,
            threshold=threshold,
            kind=kind,
            skill=skill,
        ).full_clean()
    ana = UserFactory()
    peers = [UserFactory() for _ in range(6)]
    data, ethics = (Skill.objects.get(slug=s) for s in ("data-literacy", "ethical-awareness"))
    challenges = [make_challenge(title=f"Data {i}", skills=[data]) for i in range(3)]
    challenges += [make_challenge(title=f"Ethics {i}", skills=[ethics]) for i in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        # Flags on five challenges over three days: points, skills, a streak, "sharp eye".
        for days_ago, challenge in zip((2, 1, 0, 0, 0), challenges, strict=True):
            on_day(monkeypatch, days_ago)
            flag_all(challenge, ana)
        monkeypatch.setattr(timezone, "now", REAL_NOW)
        # Five judgements of colleagues' test cases: "peer reviewer".
        for peer in peers[:5]:
            theirs = run_test(peer, challenges[0], "What colour is the sky on Mars at noon?")
            services.testcase_judge(judge=ana, test_case=theirs, verdict="pass")
        # The first blind spot on a challenge, confirmed by peers: "blind-spot pioneer".
        mine = run_test(ana, challenges[1])
        for peer in peers[:2]:
            services.testcase_judge(judge=peer, test_case=mine, verdict="fail")
        # A week: Ana tops it; it ends and the weeks_close job finalises it: "podium".
        week_challenge = make_challenge(title="Week challenge")
        week = services.week_save(
            week=ChallengeWeek(
                title="Audit week",
                starts_at=timezone.now() - timedelta(hours=1),
                ends_at=timezone.now() + timedelta(days=1),
            ),
            challenges=[week_challenge],
        )
        flag_all(week_challenge, ana)
        ChallengeWeek.objects.filter(pk=week.pk).update(ends_at=timezone.now())
        services.weeks_close()
        # Other recognition Ana receives, so their kinds are audited too.
        kudos_give(giver=peers[0], recipient=ana, message="Thanks for the sharp flags!")
        reflection = services.reflection_submit(
            user=ana,
            challenge=challenges[0],
            what_changed="I check every policy claim now.",
            what_remains="The AI still guesses numbers.",
            tip="Search the handbook first.",
            shared=True,
        )
        services.reflection_upvote(user=peers[1], reflection=reflection)
        note = services.context_note_submit(
            user=ana,
            challenge=challenges[0],
            kind="policy",
            title="Refunds need proof of purchase",
            text="Refunds are possible within 30 days with a receipt or a card statement.",
            client_token=uuid.uuid4(),
        )
        services.context_note_review(
            by=UserFactory(roles=[roles.LD_MANAGER]), note=note, approve=True
        )
    held = set(BadgeAward.objects.filter(user=ana).values_list("badge__slug", flat=True))
    assert held == {slug for slug, *_ in BADGES}
    written = set(PointsAward.objects.values_list("kind", flat=True))
    assert written <= set(AWARD_KINDS), written - set(AWARD_KINDS)
    counted = {kind for *_, criteria, _, kind, _ in BADGES if criteria == Badge.KIND_COUNT}
    assert counted <= written  # every counted kind is one the services really write


def test_a_badge_counting_a_kind_no_service_writes_is_refused():
    badge = Badge(
        name="Typo", slug="typo", description="x", criteria=Badge.KIND_COUNT, kind="flags.given"
    )
    with pytest.raises(ValidationError, match=r"No award of the kind “flags\.given” is ever given"):
        badge.full_clean()

"""Learning events from other apps become xAPI statements (at a loopback LRS) and notifications."""

import pytest
from django.core import mail

from challenges.models import FlawCategory
from challenges.services.correct import correction_submit, review_submit
from challenges.services.observe import FlagInput, flags_submit
from courses.services import quiz_submit
from home.xapi import VERBS, xapi_flush
from leaderboard.badges import badge_grant
from notifications.models import Notification, NotificationPreference
from tests.accounts.factories import UserFactory
from tests.challenges.factories import REFUND_QUOTE, make_challenge
from tests.courses.factories import QUIZ_ID, lesson_page, module_page, quiz_block
from tests.leaderboard.factories import BadgeFactory
from tests.support.lrs import LRS


@pytest.fixture
def lrs(settings):
    with LRS() as server:
        settings.XAPI_ENDPOINT = server.endpoint
        settings.XAPI_USERNAME = server.username
        settings.XAPI_PASSWORD = server.password
        yield server


def verbs(lrs) -> list[str]:
    return sorted(s["verb"]["id"] for s in lrs.statements.values())


@pytest.mark.django_db
def test_quiz_module_challenge_step_and_badge_send_statements_with_the_right_verbs(lrs):
    user = UserFactory()
    module = module_page()
    lesson = lesson_page(module, body=[quiz_block()])
    quiz_submit(user=user, lesson=lesson, block_id=QUIZ_ID, answers={"0": ["1"], "1": ["0", "2"]})
    challenge = make_challenge()
    start = challenge.output.index(REFUND_QUOTE)
    flags_submit(
        user=user,
        challenge=challenge,
        flags=[
            FlagInput(
                start=start,
                end=start + len(REFUND_QUOTE),
                category_id=FlawCategory.objects.get(slug="hallucination").pk,
            )
        ],
    )
    badge_grant(badge=BadgeFactory(name="Scout"), user=user)
    assert xapi_flush()["sent"] >= 4
    assert lrs.errors == []
    sent = verbs(lrs)
    for verb in ("answered", "completed", "responded", "earned"):
        assert VERBS[verb] in sent, verb
    answered = next(s for s in lrs.statements.values() if s["verb"]["id"] == VERBS["answered"])
    assert answered["result"]["success"] is True
    assert answered["result"]["score"]["scaled"] == 1.0
    assert all(s["actor"]["account"]["name"] == f"user-{user.pk}" for s in lrs.statements.values())


@pytest.mark.django_db
def test_no_statements_are_queued_without_an_lrs(settings):
    from home.models import XapiStatement

    settings.XAPI_ENDPOINT = ""
    badge_grant(badge=BadgeFactory(), user=UserFactory())
    assert XapiStatement.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_review_notifies_the_correction_author_and_emails_if_opted_in():
    author, reviewer = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=author, email_review=True)
    challenge = make_challenge(title="Kettle refund reply")
    correction = correction_submit(
        user=author,
        challenge=challenge,
        text="You can return the kettle within 30 days with proof of purchase.",
        rationale="The AI invented a 90-day, no-receipt policy.",
    )
    review_submit(
        reviewer=reviewer,
        correction=correction,
        scores={"accuracy": 5, "tone": 4, "completeness": 4, "policy_fit": 5},
        comment="Clear and correct.",
    )
    [notification] = Notification.objects.filter(user=author, kind="correction.reviewed")
    assert "Kettle refund reply" in notification.message
    assert [m.to for m in mail.outbox] == [[author.email]]


@pytest.mark.django_db
def test_a_field_report_on_an_ai_system_reaches_the_lrs(lrs):
    from mentoring.services.feedback import report_create
    from tests.mentoring.factories import LOST_RECEIPT, NO_RECEIPT_NEEDED, care_system

    user = UserFactory()
    report = report_create(
        reporter=user, system=care_system(), asked=LOST_RECEIPT, answer=NO_RECEIPT_NEEDED
    )
    assert xapi_flush()["sent"] == 1
    (statement,) = lrs.statements.values()
    assert statement["verb"]["id"] == VERBS["responded"]
    assert statement["object"]["id"].endswith(f"/mentoring/reports/{report.pk}/")
    assert statement["object"]["definition"]["type"].endswith("/interaction")
    assert statement["actor"]["account"]["name"] == f"user-{user.pk}"

"""The cross-team insights feed (filters, upvotes) and the weekly digest e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from challenges.models import ContextNote
from courses.models import Skill
from home.insights import digest_send
from home.models import DigestSent
from notifications.models import NotificationPreference
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import (
    ContextNoteFactory,
    CorrectionFactory,
    ReflectionFactory,
    make_challenge,
)


@pytest.fixture
def feed(db):
    """A shared and a private reflection, a gold correction, an approved and a pending note."""
    claims, payroll = TeamFactory(name="Claims"), TeamFactory(name="Payroll")
    ethics = Skill.objects.get(slug="ethical-awareness")
    ethical = make_challenge(title="Screening summary", skills=[ethics])
    plain = make_challenge(title="Kettle refund")
    ana, ben = UserFactory(team=claims), UserFactory(team=payroll)
    ReflectionFactory(
        user=ana, team=claims, challenge=ethical, shared=True, what_changed="Shared insight"
    )
    ReflectionFactory(
        user=ben, team=payroll, challenge=plain, shared=False, what_changed="Private diary"
    )
    CorrectionFactory(
        user=ben,
        team=payroll,
        challenge=plain,
        is_gold=True,
        gold_at=timezone.now(),
        rationale="Gold rationale",
    )
    ContextNoteFactory(
        user=ben,
        team=payroll,
        challenge=plain,
        title="Approved note",
        status=ContextNote.APPROVED,
        reviewed_at=timezone.now(),
    )
    ContextNoteFactory(user=ana, team=claims, challenge=plain, title="Pending note")
    return {"claims": claims, "payroll": payroll, "ana": ana, "ben": ben}


def test_feed_shows_shared_and_approved_material_only(client, feed):
    client.force_login(UserFactory())
    body = client.get("/insights/").content.decode()
    assert "Shared insight" in body
    assert "Gold rationale" in body
    assert "Approved note" in body
    assert "Private diary" not in body
    assert "Pending note" not in body


def test_feed_filters_by_skill_and_team(client, feed):
    client.force_login(UserFactory())
    body = client.get("/insights/", {"skill": "ethical-awareness"}).content.decode()
    assert "Shared insight" in body
    assert "Gold rationale" not in body
    body = client.get("/insights/", {"team": feed["payroll"].pk}).content.decode()
    assert "Shared insight" not in body
    assert "Gold rationale" in body and "Approved note" in body
    response = client.get("/insights/", {"team": "not-a-team"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_colleague_can_upvote_from_the_feed_once_and_the_author_cannot(client, feed):
    reflection = feed["ana"].reflections.get()
    colleague = UserFactory()
    client.force_login(colleague)
    assert "Upvote</button>" in client.get("/insights/").content.decode()
    client.post(f"/challenge/reflections/{reflection.pk}/upvote/")
    client.post(f"/challenge/reflections/{reflection.pk}/upvote/")
    reflection.refresh_from_db()
    assert reflection.upvote_count == 1
    body = client.get("/insights/").content.decode()
    assert "You upvoted this" in body
    client.force_login(feed["ana"])
    assert "Upvote</button>" not in client.get("/insights/").content.decode()


def test_weekly_digest_goes_once_and_only_to_those_who_opted_in(feed, settings):
    opted = UserFactory()
    NotificationPreference.objects.create(user=opted, email_digest=True)
    NotificationPreference.objects.create(user=UserFactory(), email_digest=False)
    call_command("send_insights_digest")
    [message] = mail.outbox
    assert message.to == [opted.email]
    assert "Shared insight" in message.body
    assert "Private diary" not in message.body
    call_command("send_insights_digest")
    assert len(mail.outbox) == 1
    assert DigestSent.objects.filter(user=opted).count() == 1


@pytest.mark.django_db
def test_no_digest_when_nothing_happened_this_week():
    user = UserFactory()
    assert digest_send(user=user, now=timezone.now() + timedelta(days=30)) is False
    assert mail.outbox == []

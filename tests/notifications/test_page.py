"""The notifications page over HTTP: the viewer's own list, mark-all-read, e-mail choices."""

import pytest
from django.core import mail
from django.urls import reverse

from leaderboard.services import kudos_give
from notifications.models import Notification, NotificationPreference
from tests.accounts.factories import UserFactory

PAGE = "/me/notifications/"


def header_count(client) -> str:
    body = client.get("/accounts/profile/").content.decode()
    marker = 'class="count-badge"'
    if marker not in body:
        return "0"
    return body.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_page_keeps_its_address():
    assert reverse("notifications:index") == PAGE


@pytest.mark.django_db(transaction=True)
def test_kudos_notifies_in_app_and_by_email_only_when_opted_in(client):
    giver, recipient = UserFactory(), UserFactory()
    kudos_give(giver=giver, recipient=recipient, message="Great catch on the refund policy")
    assert Notification.objects.filter(user=recipient, kind="kudos").count() == 1
    assert mail.outbox == []  # not opted in

    NotificationPreference.objects.create(user=recipient, email_kudos=True)
    kudos_give(giver=UserFactory(), recipient=recipient, message="Thanks for the review")
    [message] = mail.outbox
    assert message.to == [recipient.email]
    assert "Thanks for the review" in message.body
    assert message.body.rstrip().endswith(PAGE)  # where to change e-mail choices

    client.force_login(recipient)
    assert header_count(client) == "2"
    response = client.post(PAGE, {"mark_read": "1"}, follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert header_count(client) == "0"


@pytest.mark.django_db
def test_notifications_page_lists_only_the_viewers_own(client, django_assert_max_num_queries):
    me, other = UserFactory(), UserFactory()
    Notification.objects.create(user=me, kind="badge", message="You earned the Scout badge.")
    Notification.objects.create(user=other, kind="badge", message="Someone else's badge.")
    client.force_login(me)
    with django_assert_max_num_queries(12):
        body = client.get(PAGE).content.decode()
    assert "You earned the Scout badge." in body
    assert "Someone else&#x27;s badge." not in body and "Someone else's badge." not in body


@pytest.mark.django_db
def test_mark_all_read_touches_only_the_viewers_own(client):
    me, other = UserFactory(), UserFactory()
    Notification.objects.create(user=me, kind="badge", message="Mine")
    Notification.objects.create(user=other, kind="badge", message="Theirs")
    client.force_login(me)
    response = client.post(PAGE, {"mark_read": "1"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert Notification.objects.get(user=me).read_at is not None
    assert Notification.objects.get(user=other).read_at is None


@pytest.mark.django_db
def test_email_choices_are_saved(client):
    me = UserFactory()
    client.force_login(me)
    assert "Save e-mail choices" in client.get(PAGE).content.decode()
    assert not NotificationPreference.objects.filter(user=me).exists()  # a visit writes nothing
    response = client.post(PAGE, {"email_badge": "on", "email_digest": "on"}, follow=True)
    assert "Your e-mail choices have been saved." in response.content.decode()
    preference = NotificationPreference.objects.get(user=me)
    assert preference.email_badge and preference.email_digest
    assert not preference.email_kudos


def test_notifications_need_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

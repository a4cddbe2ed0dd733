"""Wagtail admin: every week and invitation change leaves a history entry (issue 14 item 8), and
week windows and assignment due dates are pickers that name the time zone (issue 13)."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import roles
from accounts.models import Invitation
from challenges.models import ChallengeWeek
from courses.models import Assignment
from tests.accounts.factories import TeamFactory, UserFactory
from tests.courses.factories import module_page

pytestmark = pytest.mark.django_db

PICKER = "%Y-%m-%dT%H:%M"  # what a browser's datetime-local input posts


@pytest.fixture
def manager(client):
    roles.sync_role_permissions()  # as after migrate, once every app's permissions exist
    user = UserFactory(roles=[roles.LD_MANAGER])
    client.force_login(user)
    return user


def week_data(challenge, start, end, **extra):
    return {
        "title": "Picker week",
        "theme": "",
        "starts_at": start.strftime(PICKER),
        "ends_at": end.strftime(PICKER),
        "freeze_at": "",
        "challenges": [challenge.pk],
        "team_ranking": "total",
        **extra,
    }


def entries(instance, action):
    return ModelLogEntry.objects.for_instance(instance).filter(action=action)


def test_week_create_and_edit_are_logged_in_wagtail_history(client, manager, challenge):
    start = timezone.localtime().replace(second=0, microsecond=0) + timedelta(hours=1)
    response = client.post(
        reverse("challenge_weeks:add"), week_data(challenge, start, start + timedelta(days=7))
    )
    assert response.status_code == 302
    week = ChallengeWeek.objects.get()
    [created] = entries(week, "wagtail.create")
    assert created.user_id == manager.pk

    data = week_data(challenge, start, start + timedelta(days=5), title="Picker week, shorter")
    response = client.post(reverse("challenge_weeks:edit", args=[week.pk]), data)
    assert response.status_code == 302
    week.refresh_from_db()
    assert week.title == "Picker week, shorter"
    assert entries(week, "wagtail.edit").filter(user=manager).count() == 1
    history = client.get(reverse("challenge_weeks:history", args=[week.pk]))
    assert history.status_code == 200
    assert "Picker week, shorter" in history.content.decode()


def test_a_refused_week_is_not_logged(client, manager, challenge):
    start = timezone.localtime() + timedelta(hours=1)
    first = client.post(
        reverse("challenge_weeks:add"), week_data(challenge, start, start + timedelta(days=7))
    )
    assert first.status_code == 302
    clash = week_data(challenge, start + timedelta(days=1), start + timedelta(days=3), title="B")
    refused = client.post(reverse("challenge_weeks:add"), clash)
    assert refused.status_code == 200
    assert "overlaps these dates" in refused.content.decode()
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 1


def test_a_week_only_the_service_refuses_shows_its_reason_and_is_not_logged(
    client, manager, challenge, monkeypatch
):
    """Two managers saving clashing weeks at once: the form's check passes for both, the
    service's check under the lock refuses the second; the form shows why, nothing is logged."""
    start = timezone.localtime() + timedelta(hours=1)
    client.post(
        reverse("challenge_weeks:add"), week_data(challenge, start, start + timedelta(days=7))
    )
    monkeypatch.setattr("challenges.wagtail_hooks.overlap_errors", lambda **kwargs: [])
    clash = week_data(challenge, start + timedelta(days=1), start + timedelta(days=3), title="B")
    refused = client.post(reverse("challenge_weeks:add"), clash)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "overlaps these dates" in body and 'value="B"' in body
    assert ChallengeWeek.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 1


def test_week_picker_is_datetime_local_in_the_site_zone_and_keeps_what_was_typed(
    client, manager, challenge, settings
):
    settings.TIME_ZONE = "Europe/London"
    page = client.get(reverse("challenge_weeks:add")).content.decode()
    assert page.count('type="datetime-local"') == 3
    assert "Times are in Europe/London." in page
    assert (
        'id="id_starts_at_tz"' in page
        and "id_starts_at_tz" in page.split('type="datetime-local"')[1]
    )

    # A summer time in London is one hour ahead of UTC: the picker's value is London time.
    data = week_data(challenge, timezone.now(), timezone.now())
    data |= {"starts_at": "2031-07-01T09:30", "ends_at": "2031-07-08T17:00"}
    response = client.post(reverse("challenge_weeks:add"), data)
    assert response.status_code == 302
    week = ChallengeWeek.objects.get()
    assert week.starts_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == "2031-07-01 08:30"
    edit = client.get(reverse("challenge_weeks:edit", args=[week.pk])).content.decode()
    assert 'value="2031-07-01T09:30"' in edit

    # Nonsense comes back as typed with the field's message; nothing saved.
    data |= {"title": "Typo week", "ends_at": "next tuesday"}
    refused = client.post(reverse("challenge_weeks:add"), data)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert 'value="next tuesday"' in body and 'value="Typo week"' in body
    assert "Enter a valid date/time." in body
    assert ChallengeWeek.objects.count() == 1


def test_invitation_create_and_edit_are_logged_in_wagtail_history(
    client, manager, django_capture_on_commit_callbacks
):
    team = TeamFactory(name="Claims")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations:add"), {"email": "new@example.com", "team": team.pk}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert entries(invitation, "wagtail.create").filter(user=manager).count() == 1

    expires = timezone.localtime() + timedelta(days=30)
    response = client.post(
        reverse("invitations:edit", args=[invitation.pk]),
        {"team": "", "expires_at": expires.strftime("%Y-%m-%d %H:%M")},
    )
    assert response.status_code == 302
    assert entries(invitation, "wagtail.edit").filter(user=manager).count() == 1

    # Refused by the service: shown on the form, and no history entry.
    UserFactory(email="ana@example.com")
    refused = client.post(reverse("invitations:add"), {"email": "ana@example.com"})
    assert "ana@example.com already has an account." in refused.content.decode()
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 1


def test_assignment_due_date_is_a_date_picker_naming_the_zone(client, manager, settings):
    settings.TIME_ZONE = "Europe/London"
    module = module_page()
    page = client.get(reverse("courses:assignments")).content.decode()
    assert 'type="date"' in page
    assert "Due by the end of that day, Europe/London time." in page
    team = TeamFactory(name="Claims")
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {"module": module.pk, "team": team.pk, "email": "", "due_date": "31/02/2031"}
    refused = client.post(reverse("courses:assignments"), data)
    assert 'value="31/02/2031"' in refused.content.decode()
    assert "Enter the due date as YYYY-MM-DD." in refused.content.decode()
    data["due_date"] = due
    assert client.post(reverse("courses:assignments"), data).status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.due_date.isoformat() == due
    edit = client.get(reverse("courses:assignment_edit", args=[assignment.pk])).content.decode()
    assert f'value="{due}"' in edit and "Europe/London time" in edit

"""L&D Managers: the navigation links their tools; assignments can be moved and withdrawn; the
people overdue are listed with a "Remind them" action that notifies each at most once a day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Assignment, ModuleCompletion
from notifications.models import Notification
from tests.accounts.factories import TeamFactory, UserFactory
from tests.courses.factories import lesson_page, module_page

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def manager():
    return UserFactory(roles=["L&D Manager"])


def test_the_navigation_links_assignments_and_weeks_for_managers_only(client, manager):
    client.force_login(manager)
    html = client.get("/challenges/").content.decode()
    assert 'href="/learn/assignments/"' in html and 'href="/challenge/weeks/"' in html
    client.force_login(UserFactory())
    html = client.get("/challenges/").content.decode()
    assert 'href="/learn/assignments/"' not in html


def test_a_manager_moves_a_due_date_and_withdraws_an_assignment(client, manager):
    employee = UserFactory()
    module = module_page(title="Prompting for recruiters")
    lesson_page(module)
    assignment = Assignment.objects.create(
        module=module, user=employee, due_date=days(3), assigned_by=manager
    )
    client.force_login(manager)
    edit = reverse("courses:assignment_edit", args=[assignment.pk])
    assert client.get(edit).status_code == 200
    past = client.post(edit, {"due_date": days(-1).isoformat()})
    assert past.status_code == 400 and "in the past" in past.content.decode()
    moved = client.post(edit, {"due_date": days(10).isoformat()}, follow=True)
    assert f"now due {days(10):%d %b %Y}" in moved.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_date == days(10)

    withdraw = reverse("courses:assignment_withdraw", args=[assignment.pk])
    assert client.get(withdraw).status_code == 405
    client.force_login(employee)
    assert client.post(withdraw).status_code == 403
    client.force_login(manager)
    assert "is withdrawn" in client.post(withdraw, follow=True).content.decode()
    assert not Assignment.objects.exists()
    client.force_login(employee)
    assert (
        "Prompting for recruiters"
        not in client.get(reverse("courses:my_learning")).content.decode()
    )


def test_the_overdue_list_and_remind_them_notify_each_person_once_a_day(client, manager):
    team = TeamFactory()
    late, finished = UserFactory(team=team), UserFactory(team=team)
    module = module_page(title="Fair hiring")
    lesson_page(module)
    other = module_page(title="Data basics")
    lesson_page(other)
    ModuleCompletion.objects.create(user=finished, module=module)
    first = Assignment.objects.create(module=module, team=team, due_date=days(-2))
    second = Assignment.objects.create(module=other, user=late, due_date=days(-1))
    Assignment.objects.create(module=other, team=TeamFactory(), due_date=days(5))
    client.force_login(manager)
    html = client.get(reverse("courses:assignments")).content.decode()
    overdue = html[html.index('data-testid="overdue"') :]
    assert late.public_name in overdue and finished.public_name not in overdue
    assert overdue.count("Remind them") == 2

    remind = reverse("courses:assignment_remind", args=[first.pk])
    assert client.get(remind).status_code == 405
    assert "Reminded 1 person" in client.post(remind, follow=True).content.decode()
    # Again, or for their other overdue assignment, the same day: no second notification.
    assert "Nobody to remind" in client.post(remind, follow=True).content.decode()
    client.post(reverse("courses:assignment_remind", args=[second.pk]))
    reminders = Notification.objects.filter(kind="assignment.due")
    assert [n.user_id for n in reminders] == [late.pk]
    assert "Fair hiring" in reminders[0].message
    client.force_login(late)
    assert "A reminder from L&amp;D" in client.get("/me/notifications/").content.decode()

"""Assignments: L&D Managers assign modules; employees see what is assigned and when it is due."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Assignment
from courses.selectors import assignments_for_user
from tests.accounts.factories import TeamFactory, UserFactory
from tests.courses.factories import lesson_page, module_page

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def manager():
    return UserFactory(roles=["L&D Manager"])


def test_manager_assigns_a_module_to_a_team_and_members_see_it(client, manager):
    team = TeamFactory()
    member = UserFactory(team=team)
    module = module_page(title="Prompting for recruiters")
    lesson_page(module)
    client.force_login(manager)
    response = client.post(
        reverse("courses:assignments"),
        {"module": module.pk, "team": team.pk, "due_date": days(7).isoformat()},
        follow=True,
    )
    assert "is assigned to" in response.content.decode()
    client.force_login(member)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Prompting for recruiters" in html
    assert f"Due {days(7):%-d %b %Y}" in html


def test_overdue_assignment_is_marked_and_completed_one_is_not(client, manager):
    employee = UserFactory()
    late, done = module_page(title="Late module"), module_page(title="Done module")
    lesson_page(late)
    finished = lesson_page(done)
    Assignment.objects.create(module=late, user=employee, due_date=days(-2), assigned_by=manager)
    Assignment.objects.create(module=done, user=employee, due_date=days(-2), assigned_by=manager)
    client.force_login(employee)
    client.post(reverse("courses:lesson_complete", args=[finished.pk]))
    items = {a.module.title: a for a in assignments_for_user(employee)}
    assert items["Late module"].is_overdue
    assert not items["Done module"].is_overdue
    assert items["Done module"].percent == 100
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Overdue since" in html
    assert "Completed" in html


def test_team_and_personal_assignment_of_one_module_show_once_with_the_earlier_date(manager):
    team = TeamFactory()
    employee = UserFactory(team=team)
    module = module_page()
    Assignment.objects.create(module=module, team=team, due_date=days(10), assigned_by=manager)
    Assignment.objects.create(module=module, user=employee, due_date=days(3), assigned_by=manager)
    items = assignments_for_user(employee)
    assert len(items) == 1
    assert items[0].due_date == days(3)


def test_others_assignments_are_not_shown(manager):
    module = module_page()
    Assignment.objects.create(module=module, user=UserFactory(), due_date=days(3))
    assert assignments_for_user(UserFactory()) == []


def test_assigning_to_a_deleted_team_gets_a_clear_message(client, manager):
    module = module_page()
    team = TeamFactory()
    team_pk = team.pk
    team.delete()
    client.force_login(manager)
    response = client.post(
        reverse("courses:assignments"),
        {"module": module.pk, "team": team_pk, "due_date": days(5).isoformat()},
    )
    assert response.status_code == 400
    assert "That team no longer exists or is inactive." in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_date": "2099-01-01"}, "Choose a team, or enter a person"),
        ({"email": "nobody@example.com", "due_date": "2099-01-01"}, "No active account uses"),
        ({"email": "x@example.com", "due_date": "yesterday"}, "Enter the due date as YYYY-MM-DD."),
        ({"due_date": "2001-01-01", "team": "TEAM"}, "The due date is in the past"),
    ],
)
def test_bad_assignment_input_gets_specific_messages(client, manager, data, message):
    module = module_page()
    team = TeamFactory()
    data = {**data, "module": module.pk}
    if data.get("team") == "TEAM":
        data["team"] = team.pk
    client.force_login(manager)
    response = client.post(reverse("courses:assignments"), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_reassigning_moves_the_due_date_instead_of_duplicating(manager):
    from courses.services import assignment_create

    team, module = TeamFactory(), module_page()
    assignment_create(module=module, team=team, due_date=days(3), assigned_by=manager)
    assignment_create(module=module, team=team, due_date=days(9), assigned_by=manager)
    assert Assignment.objects.get().due_date == days(9)


def test_managers_see_completion_per_team_and_employees_are_refused(client, manager):
    team = TeamFactory(name="Customer Care")
    done_member, _other = UserFactory(team=team), UserFactory(team=team)
    module = module_page(title="Tone with customers")
    lesson = lesson_page(module)
    Assignment.objects.create(module=module, team=team, due_date=days(4), assigned_by=manager)
    client.force_login(done_member)
    client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert client.get(reverse("courses:assignments")).status_code == 403
    client.force_login(manager)
    html = client.get(reverse("courses:assignments")).content.decode()
    assert "Customer Care (team)" in html
    assert "1 of 2 (50%)" in html


def test_certificate_is_printable_for_completers_only(client):
    module = module_page(title="Ethics in screening")
    lesson = lesson_page(module)
    employee, colleague = UserFactory(first_name="Eli", last_name="Brennan"), UserFactory()
    url = reverse("courses:certificate", args=[module.pk])
    client.force_login(employee)
    assert client.get(url).status_code == 404
    client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    html = client.get(url).content.decode()
    assert "Certificate of completion" in html
    assert "Eli Brennan" in html
    assert "Ethics in screening" in html
    client.force_login(colleague)
    assert client.get(url).status_code == 404


def test_search_finds_modules_and_lessons_by_their_text(client):
    module = module_page(title="Writing with empathy", summary="Customer service tone.")
    lesson_page(module, title="Apologising without admitting liability")
    lesson_page(module, title="Unrelated lesson")
    html = client.get(reverse("courses:search"), {"q": "liability"}).content.decode()
    assert "Apologising without admitting liability" in html
    assert "Unrelated lesson" not in html
    html = client.get(reverse("courses:search"), {"q": "empathy"}).content.decode()
    assert "Writing with empathy" in html

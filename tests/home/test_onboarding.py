"""Bulk onboarding from CSV, driven through the admin as an L&D Manager would."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from accounts.models import Membership, Team, User
from tests.accounts.factories import TeamFactory, UserFactory

URL = "/admin/programme/onboarding/"

GOOD = (
    "email,first_name,last_name,display_name,team,department,roles\n"
    "nia@example.com,Nia,Okoro,,Claims,Operations,\n"
    "Raj@Example.com,Raj,Patel,RP,Claims,Operations,Reviewer\n"
    "li@example.com,Li,Wei,,Payroll,Finance,L&D Author;Reviewer\n"
)


def upload(client, text: str, name: str = "people.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


@pytest.fixture
def manager_client(client, db):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    return client


def test_employees_cannot_open_onboarding(client, db):
    client.force_login(UserFactory(roles=[roles.EMPLOYEE, roles.LD_AUTHOR]))
    assert client.get(URL).status_code in {302, 403}
    assert client.get(URL + "export.csv").status_code in {302, 403}


def test_preview_writes_nothing_and_names_each_bad_row(manager_client):
    text = (
        "email,first_name,team,roles\n"
        "good@example.com,Good,Claims,\n"
        "not-an-email,Bad,Claims,\n"
        "good@example.com,Dup,Claims,\n"
        "noteam@example.com,No,,\n"
        "role@example.com,Role,Claims,Wizard\n"
    )
    users_before = User.objects.count()
    response = upload(manager_client, text)
    assert response.status_code == 200
    body = response.content.decode()
    assert "“not-an-email” is not a valid e-mail address." in body
    assert "This e-mail address is also on line 2." in body
    assert "The team is missing" in body
    assert "Unknown role “Wizard”" in body
    assert "must be fixed before anything can be imported" in body
    assert 'name="confirm"' not in body
    assert User.objects.count() == users_before
    assert not Team.objects.filter(name="Claims").exists()


def test_unknown_and_missing_columns_are_reported(manager_client):
    body = upload(manager_client, "mail,team,shoe_size\nx@example.com,A,9\n").content.decode()
    assert "Missing column(s): email." in body
    assert "Unknown column(s): mail, shoe_size." in body


def test_clean_file_imports_and_reimport_changes_nothing(manager_client):
    preview = upload(manager_client, GOOD)
    body = preview.content.decode()
    assert "3 to create" in body
    assert "New teams: Claims, Payroll." in body
    content = preview.context["content"]
    response = manager_client.post(URL, {"confirm": "1", "content": content})
    assert response.status_code == 302
    raj = User.objects.get(email__iexact="raj@example.com")
    assert raj.display_name == "RP"
    assert raj.current_team.name == "Claims"
    assert set(raj.groups.values_list("name", flat=True)) == {roles.EMPLOYEE, roles.REVIEWER}
    assert not raj.has_usable_password()
    li = User.objects.get(email="li@example.com")
    assert Group.objects.get(name=roles.LD_AUTHOR) in li.groups.all()

    counts = (User.objects.count(), Membership.objects.count(), Team.objects.count())
    again = upload(manager_client, GOOD)
    assert "0 to create, 0 to update, 3 unchanged" in again.content.decode()
    manager_client.post(URL, {"confirm": "1", "content": again.context["content"]})
    assert (User.objects.count(), Membership.objects.count(), Team.objects.count()) == counts


def test_moving_an_employee_keeps_team_history(manager_client):
    old = TeamFactory(name="Old team")
    user = UserFactory(email="mover@example.com", team=old)
    text = "email,team\nmover@example.com,New team\n"
    preview = upload(manager_client, text)
    assert "update (team)" in preview.content.decode()
    manager_client.post(URL, {"confirm": "1", "content": preview.context["content"]})
    user.refresh_from_db()
    assert user.current_team.name == "New team"
    assert Membership.objects.filter(user=user).count() == 2


def test_a_tampered_confirmation_imports_nothing(manager_client):
    response = manager_client.post(
        URL, {"confirm": "1", "content": "email,team\nbroken,Claims\n"}, follow=True
    )
    assert "nothing was imported" in response.content.decode()
    assert not User.objects.filter(email="broken").exists()


def test_export_round_trips_through_import(manager_client):
    team = TeamFactory(name="Tax", department="Finance")
    UserFactory(email="exp@example.com", first_name="Ex", last_name="Port", team=team)
    response = manager_client.get(URL + "export.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.splitlines()[0] == "email,first_name,last_name,display_name,team,department,roles"
    assert "exp@example.com,Ex,Port,,Tax,Finance," in text
    preview = upload(manager_client, text)
    assert "0 to create, 0 to update" in preview.content.decode()


def test_import_bound_on_queries_for_preview(manager_client, django_assert_max_num_queries):
    rows = "".join(f"p{i}@example.com,P{i},Team {i % 5}\n" for i in range(300))
    with django_assert_max_num_queries(20):
        upload(manager_client, "email,first_name,team\n" + rows)

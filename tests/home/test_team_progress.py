"""A line manager sees their own team's progress (and one learner's), exports it as CSV/XLSX,
and cannot see other teams."""

import csv
import io

import pytest
from openpyxl import load_workbook

from accounts import roles
from accounts.models import Team
from courses.models import ModuleCompletion
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory
from tests.courses.factories import lesson_page, module_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    lead = UserFactory()
    team = TeamFactory(name="Claims")
    Team.objects.filter(pk=team.pk).update(line_manager=lead)
    ada = UserFactory(team=team, first_name="Ada", last_name="Byron", email="ada@example.com")
    UserFactory(team=team, first_name="=cmd", last_name="Evil")
    other = TeamFactory(name="Payroll")
    outsider = UserFactory(team=other, first_name="Olga")
    module = module_page(title="Fair hiring")
    lesson_page(module)
    ModuleCompletion.objects.create(user=ada, module=module)
    points_award(user=ada, amount=12, kind="lesson.completed", source_key="t:1")
    return lead, team, ada, other, outsider


def test_a_line_manager_sees_and_exports_their_team_only(client, setup):
    lead, team, ada, other, outsider = setup
    client.force_login(lead)
    page = client.get("/me/team/")
    body = page.content.decode()
    assert page.status_code == 200 and "Progress of Claims" in body
    assert "Ada Byron" in body and "Olga" not in body
    assert f"/me/team/{team.pk}/people/{ada.pk}/" in body

    rows = list(
        csv.reader(io.StringIO(client.get("/me/team/", {"format": "csv"}).content.decode()))
    )
    assert rows[0][:4] == ["Name", "E-mail", "Lessons completed", "Modules completed"]
    by_email = {r[1]: r for r in rows[1:]}
    assert by_email["ada@example.com"][3] == "1" and by_email["ada@example.com"][-1] == "12"
    assert all(not r[0].startswith("=") for r in rows[1:])  # formula cells are escaped

    xlsx = client.get(f"/me/team/{team.pk}/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Team progress" and sheet.max_row == 3

    learner = client.get(f"/me/team/{team.pk}/people/{ada.pk}/").content.decode()
    assert "Ada Byron" in learner and "Evil" not in learner
    assert client.get(f"/me/team/{team.pk}/people/{outsider.pk}/").status_code == 404
    assert client.get(f"/me/team/{other.pk}/").status_code == 404


def test_people_without_a_team_to_manage_are_refused_and_ld_managers_see_all(client, setup):
    _lead, team, _ada, other, _outsider = setup
    client.force_login(UserFactory())
    assert client.get("/me/team/").status_code == 403
    client.force_login(UserFactory(roles=[roles.LD_MANAGER], team=False))
    assert client.get(f"/me/team/{other.pk}/").status_code == 200
    assert client.get(f"/me/team/{team.pk}/", {"format": "pdf"}).status_code == 404

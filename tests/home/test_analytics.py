"""L&D analytics: figures from the database, filters, CSV/XLSX, access, bounded queries."""

import csv
import io
from datetime import timedelta

import hypothesis
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts import roles
from home.analytics.stats import krippendorff_alpha
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory

URL = "/admin/programme/analytics/"


@pytest.fixture
def manager_client(client, db):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    return client


@pytest.fixture
def programme(db):
    """Two teams: Claims has 3 members (2 active), Payroll has 1 member (active)."""
    claims = TeamFactory(name="Claims", department="Operations")
    payroll = TeamFactory(name="Payroll", department="Finance")
    a, b, _idle = (UserFactory(team=claims) for _ in range(3))
    c = UserFactory(team=payroll)
    points_award(
        user=a, amount=10, kind="lesson.completed", source_key="t:1", skill="data-literacy"
    )
    points_award(
        user=a, amount=5, kind="challenge.flags", source_key="t:2", skill="critical-thinking"
    )
    points_award(user=b, amount=7, kind="lesson.completed", source_key="t:3", skill="data-literacy")
    points_award(
        user=c, amount=20, kind="lesson.completed", source_key="t:4", skill="data-literacy"
    )
    return claims, payroll


def download(client, table, fmt="csv", **params):
    return client.get(URL, {**params, "download": table, "format": fmt})


def test_only_ld_managers_see_analytics(client, db):
    client.force_login(UserFactory(roles=[roles.LD_AUTHOR]))
    assert client.get(URL).status_code in {302, 403}
    assert download(client, "participation-team").status_code in {302, 403}


def test_participation_csv_matches_the_database(manager_client, programme):
    response = download(manager_client, "participation-team")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Team",
        "Department",
        "Members",
        "Active members",
        "Participation %",
        "Points",
    ]
    by_team = {r[0]: r for r in rows[1:]}
    assert by_team["Claims"][2:] == ["3", "2", "66.7", "22"]
    assert by_team["Payroll"][2:] == ["1", "1", "100.0", "20"]


def test_filters_narrow_the_figures(manager_client, programme):
    claims, _ = programme
    rows = list(
        csv.reader(
            io.StringIO(
                download(
                    manager_client, "participation-team", team=claims.pk, skill="data-literacy"
                ).content.decode()
            )
        )
    )
    assert [r[0] for r in rows[1:]] == ["Claims"]
    assert rows[1][3:] == ["2", "66.7", "17"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = manager_client.get(URL, {"start": tomorrow}).content.decode()
    assert body.count("No data for these filters.") >= 2


def test_end_before_start_is_explained_not_a_500(manager_client, programme):
    response = manager_client.get(URL, {"start": "2026-05-02", "end": "2026-05-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    response = manager_client.get(URL, {"start": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_xlsx_download_has_the_same_figures(manager_client, programme):
    response = download(manager_client, "participation-team", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Team"
    assert ["Claims", "Operations", 3, 2, 66.7, 22] in values


def test_unknown_download_is_a_404(manager_client, programme):
    assert download(manager_client, "nope").status_code == 404
    assert download(manager_client, "participation-team", fmt="pdf").status_code == 404


def test_page_shows_accessible_charts_with_escaped_labels(manager_client, programme):
    TeamFactory(name="<script>alert(1)</script>")
    body = manager_client.get(URL).content.decode()
    assert 'role="img"' in body
    assert "<desc" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_analytics_queries_do_not_grow_with_people(
    manager_client, programme, django_assert_max_num_queries
):
    team = TeamFactory()
    for i in range(40):
        user = UserFactory(team=team)
        points_award(user=user, amount=1, kind="lesson.completed", source_key=f"bulk:{i}")
    with django_assert_max_num_queries(30):
        assert manager_client.get(URL).status_code == 200


def test_krippendorff_alpha_known_values():
    # Perfect agreement.
    assert krippendorff_alpha({1: [3, 3], 2: [5, 5], 3: [1, 1]}) == pytest.approx(1.0)
    # Krippendorff (2011) interval example, coders A-D over 12 units with missing values:
    # published alpha (interval) = 0.849.
    data = {
        1: [1, 1, None, 1],
        2: [2, 2, 3, 2],
        3: [3, 3, 3, 3],
        4: [3, 3, 3, 3],
        5: [2, 2, 2, 2],
        6: [1, 2, 3, 4],
        7: [4, 4, 4, 4],
        8: [1, 1, 2, 1],
        9: [2, 2, 2, 2],
        10: [None, 5, 5, 5],
        11: [None, None, 1, 1],
        12: [None, None, 3, None],
    }
    assert krippendorff_alpha(data) == pytest.approx(0.849, abs=0.001)
    assert krippendorff_alpha(data, metric="nominal") == pytest.approx(0.743, abs=0.001)
    assert krippendorff_alpha({1: [2], 2: [None, 4]}) is None


def _alpha_by_pairs(units, metric):
    """Krippendorff's alpha by its definition, visiting every pair (quadratic; reference only)."""
    from itertools import combinations

    def delta(a, b):
        return (0.0 if a == b else 1.0) if metric == "nominal" else (a - b) ** 2

    pairable = [[v for v in vs if v is not None] for vs in units.values()]
    pairable = [vs for vs in pairable if len(vs) >= 2]
    n = sum(len(vs) for vs in pairable)
    if n < 2:
        return None
    observed = sum(
        sum(2 * delta(a, b) for a, b in combinations(vs, 2)) / (len(vs) - 1) for vs in pairable
    )
    observed /= n
    everything = [v for vs in pairable for v in vs]
    expected = sum(2 * delta(a, b) for a, b in combinations(everything, 2)) / (n * (n - 1))
    if expected == 0:
        return None if observed == 0 and len(set(everything)) == 1 else 1.0
    return 1.0 - observed / expected


@hypothesis.settings(max_examples=150, deadline=None)
@given(
    units=st.dictionaries(
        st.integers(0, 50),
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=5),
        max_size=25,
    ),
    metric=st.sampled_from(["interval", "nominal"]),
)
def test_linear_time_alpha_equals_the_pairwise_definition(units, metric):
    expected = _alpha_by_pairs(units, metric)
    actual = krippendorff_alpha(units, metric=metric)
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected, abs=1e-9)


def test_learning_and_mentoring_tables_match_what_people_did(manager_client):
    from challenges.models import FlawCategory
    from challenges.services.correct import correction_submit, review_submit
    from challenges.services.observe import FlagInput, flags_submit
    from courses.services import quiz_submit
    from tests.challenges.factories import REFUND_QUOTE, make_challenge
    from tests.courses.factories import QUIZ_ID, lesson_page, module_page, quiz_block

    learner, author, r1, r2 = (UserFactory() for _ in range(4))
    lesson = lesson_page(module_page(), title="Checking sources", body=[quiz_block()])
    # First question wrong, second right.
    quiz_submit(
        user=learner, lesson=lesson, block_id=QUIZ_ID, answers={"0": ["0"], "1": ["0", "2"]}
    )
    challenge = make_challenge()
    start = challenge.output.index(REFUND_QUOTE)
    flags_submit(
        user=learner,
        challenge=challenge,
        flags=[
            FlagInput(
                start=start,
                end=start + len(REFUND_QUOTE),
                category_id=FlawCategory.objects.get(slug="hallucination").pk,
            )
        ],
    )
    correction = correction_submit(
        user=author,
        challenge=challenge,
        text="You can return the kettle within 30 days with proof of purchase.",
        rationale="The AI invented the refund policy.",
    )
    for reviewer, score in ((r1, 5), (r2, 4)):
        review_submit(
            reviewer=reviewer,
            correction=correction,
            scores={"accuracy": score, "tone": score, "completeness": score, "policy_fit": score},
            comment="Fine.",
        )

    quiz = list(csv.reader(io.StringIO(download(manager_client, "quiz-failed").content.decode())))
    assert quiz[1] == [
        "Checking sources",
        "An AI cites a policy number you cannot find. What do you do?",
        "1",
        "1",
        "100.0",
    ]
    missed = {
        r[0]: r[1:]
        for r in csv.reader(io.StringIO(download(manager_client, "flaws-missed").content.decode()))
    }
    assert missed["Factual error / hallucination"] == ["1", "0", "0.0"]
    assert missed["Tone and empathy"] == ["1", "1", "100.0"]
    body = manager_client.get(URL).content.decode()
    assert "Krippendorff&#x27;s alpha (interval) on rubric scores" in body or (
        "Krippendorff's alpha (interval) on rubric scores" in body
    )
    reviews = list(
        csv.reader(io.StringIO(download(manager_client, "review-load").content.decode()))
    )
    assert sorted(int(r[1]) for r in reviews[1:]) == [1, 1]

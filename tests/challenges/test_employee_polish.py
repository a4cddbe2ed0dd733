"""What an employee meets on the challenge pages: unique ids per step, the challenge list's
state, filters and solver counts (in a bounded number of queries), their own verdict."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges import services
from challenges.models import FlagSubmission, TestCase
from courses.models import Skill
from tests.accounts.factories import UserFactory
from tests.challenges.factories import (
    ContextNoteFactory,
    CorrectionFactory,
    ReflectionFactory,
    TestCaseFactory,
    make_challenge,
)

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    """Every id on a page, and which id each <label for> points at."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])


def _ids(html: str) -> _Ids:
    parser = _Ids()
    # <template> content is a copy for the script, not part of the document.
    start = html.find("<template")
    if start >= 0:
        html = html[:start] + html[html.find("</template>", start) :]
    parser.feed(html)
    return parser


def test_every_id_on_the_challenge_page_is_unique_and_labels_find_their_own_step(
    client, challenge, employee
):
    client.force_login(employee)
    html = client.get(challenge.url).content.decode()
    found = _ids(html)
    duplicates = [i for i, n in Counter(found.ids).items() if n > 1]
    assert duplicates == []
    assert set(found.label_targets) <= set(found.ids)
    # The Context step's note box and the Correct step's rewrite box are different fields.
    assert 'for="id_context-text"' in html and 'id="id_context-text" ' in html.replace(">", " ")
    assert 'for="id_correct-text"' in html
    assert html.count('name="client_token"') == 2
    assert 'id="id_context-client_token"' in html and 'id="id_test-client_token"' in html


def test_a_step_posts_its_fields_under_the_names_it_always_had(client, challenge, employee):
    client.force_login(employee)
    response = client.post(
        f"/challenge/{challenge.pk}/context/",
        {
            "client_token": "5f0c8a52-2f1e-4d57-9a55-0f1e2d3c4b5a",
            "kind": "policy",
            "title": "Refunds need proof",
            "text": "Returns within 30 days with a receipt.",
        },
    )
    assert response.status_code == 302
    response = client.get(challenge.url)
    assert b"Refunds need proof" in response.content


def _list(client):
    return client.get("/challenges/")


def test_the_list_shows_solved_and_in_progress_and_how_many_colleagues_solved(client, employee):
    solved = make_challenge(title="Solved one")
    started = make_challenge(title="Started one")
    make_challenge(title="Untouched one")
    for user in (employee, UserFactory()):  # the viewer and one colleague finish "Solved one"
        FlagSubmission.objects.create(user=user, challenge=solved, score=1, points=10)
        CorrectionFactory(user=user, challenge=solved)
        ContextNoteFactory(user=user, challenge=solved)
        ContextNoteFactory(user=user, challenge=solved)  # two notes count as one step
        TestCaseFactory(user=user, challenge=solved)
        ReflectionFactory(user=user, challenge=solved)
    CorrectionFactory(user=employee, challenge=started)
    client.force_login(employee)
    html = _list(client).content.decode()

    def card(title):
        start = html.index(f">{title}</a>")
        return html[html.rfind("<li", 0, start) : html.index("</li>", start)]

    assert 'data-challenge-state="solved"' in card("Solved one")
    assert "Solved" in card("Solved one")
    assert "1 colleague solved it" in card("Solved one")
    assert 'data-challenge-state="in_progress"' in card("Started one")
    assert "1 of 5 steps done" in card("Started one")
    assert 'role="progressbar"' in card("Started one")
    assert 'data-challenge-state="not_started"' in card("Untouched one")
    assert "progress" not in card("Untouched one")  # no empty, unlabelled bar
    assert "No colleague has solved it yet" in card("Untouched one")


def test_a_closed_step_is_not_needed_to_solve_a_challenge(client, employee):
    challenge = make_challenge(title="Observe only")
    challenge.open_correct = challenge.open_context = False
    challenge.open_test = challenge.open_reflect = False
    challenge.save_revision().publish()
    FlagSubmission.objects.create(user=employee, challenge=challenge, score=1, points=10)
    client.force_login(employee)
    assert b'data-challenge-state="solved"' in _list(client).content


def test_the_list_filters_by_skill_and_difficulty_without_javascript(client, employee):
    easy = make_challenge(title="Easy critical")
    hard = make_challenge(title="Hard ethics")
    hard.difficulty = 3
    hard.skills.set([Skill.objects.get(slug="ethical-awareness")])
    hard.save_revision().publish()
    easy.skills.set([Skill.objects.get(slug="critical-thinking")])
    easy.save_revision().publish()
    client.force_login(employee)

    body = client.get("/challenges/?skill=ethical-awareness").content.decode()
    assert "Hard ethics" in body and "Easy critical" not in body
    assert '<option value="ethical-awareness" selected>' in body
    body = client.get("/challenges/?difficulty=1").content.decode()
    assert "Easy critical" in body and "Hard ethics" not in body
    body = client.get("/challenges/?difficulty=3&skill=critical-thinking").content.decode()
    assert "No challenge matches these filters" in body
    # Unknown values are ignored, not an error.
    body = client.get("/challenges/?difficulty=9&skill=%3Cscript%3E").content.decode()
    assert "Easy critical" in body and "Hard ethics" in body


def test_the_list_costs_the_same_queries_for_many_challenges_and_people(client, employee):
    def queries() -> int:
        client.force_login(employee)
        with CaptureQueriesContext(connection) as captured:
            assert _list(client).status_code == 200
        return len(captured)

    first = make_challenge(title="First")
    FlagSubmission.objects.create(user=employee, challenge=first, score=1, points=10)
    queries()  # warms the per-process caches (site root, banner)
    few = queries()
    for i in range(6):
        challenge = make_challenge(title=f"More {i}")
        for _ in range(3):
            user = UserFactory()
            FlagSubmission.objects.create(user=user, challenge=challenge, score=1, points=10)
            CorrectionFactory(user=user, challenge=challenge)
            ReflectionFactory(user=user, challenge=challenge)
    queries()  # publishing pages cleared the page-route cache: warm it again
    assert queries() == few
    assert few <= 18


def test_judging_your_own_test_fail_shows_your_verdict(client, challenge, employee):
    case = TestCaseFactory(user=employee, challenge=challenge)
    client.force_login(employee)
    response = client.post(
        f"/challenge/testcases/{case.pk}/judge/", {"verdict": "fail"}, follow=True
    )
    assert response.status_code == 200
    html = client.get(challenge.url).content.decode()
    assert 'data-my-verdict="fail"' in html
    assert "Your verdict:" in html
    assert TestCase.objects.get(pk=case.pk).judgements.filter(verdict="fail").exists()


def test_a_client_token_the_server_holds_is_listed_for_the_page_script(client, challenge, employee):
    note = services.context_note_submit(
        user=employee,
        challenge=challenge,
        kind="policy",
        title="Proof of purchase",
        text="Returns need proof of purchase within 30 days.",
        skill_ids=[],
        client_token="0b8f7f1c-6c55-4c1b-9d0c-5b5a7d6e2f10",
    )
    client.force_login(employee)
    html = client.get(challenge.url).content.decode()
    assert f'data-draft-recorded="{note.client_token} "' in html

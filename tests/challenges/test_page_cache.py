"""What the challenge page caches (``challenges.attempt_cache``: a person's records of the
challenge; ``challenge_steps.observe_rows``: the Observe rows nobody's draft fills): each person
sees only their own records, and whatever changes them, by the person or by colleagues, shows
on the next request."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import LD_MANAGER
from accounts.services import membership_set
from challenges import services
from challenges.models import FlawCategory
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import (
    ContextNoteFactory,
    CorrectionFactory,
    ReflectionFactory,
    TestCaseFactory,
    make_week,
)

pytestmark = pytest.mark.django_db

GOOD_SCORES = {"accuracy": 4, "tone": 4, "completeness": 4, "policy_fit": 4}


def page(client, user, challenge) -> str:
    client.force_login(user)
    response = client.get(challenge.url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, step: str) -> str:
    return html.split(f'id="step-{step}"', 1)[1].split("</section>", 1)[0]


def test_two_people_on_one_challenge_each_see_only_their_own_records(client, challenge):
    ana, ben = UserFactory(), UserFactory()
    CorrectionFactory(
        user=ana, challenge=challenge, rationale="Ana's reason: the policy is 30 days."
    )
    ContextNoteFactory(user=ana, challenge=challenge, title="Ana's note on receipts")
    TestCaseFactory(user=ben, challenge=challenge, input="Ben asks about a lost receipt")
    ReflectionFactory(user=ben, challenge=challenge, what_changed="Ben reads dates twice now.")
    for _ in range(2):  # the second time from the cache
        ana_html, ben_html = page(client, ana, challenge), page(client, ben, challenge)
        assert "Ana&#x27;s reason" in ana_html and "Ana&#x27;s note" in ana_html
        assert "Ana&#x27;s" not in ben_html
        assert "Ben asks about a lost receipt" in ben_html and "Ben reads dates" in ben_html
        assert "Ben asks" not in ana_html and "Ben reads" not in ana_html
        assert 'id="correct-form"' in ben_html and 'id="correct-form"' not in ana_html


def test_a_step_saved_shows_on_the_next_request(client, challenge):
    ana = UserFactory()
    assert 'id="correct-form"' in page(client, ana, challenge)
    response = client.post(
        reverse("challenges:correct", args=[challenge.pk]),
        {
            "text": "Thanks for getting in touch: returns need a receipt within 30 days.",
            "rationale": "The AI invented a refund policy that does not exist.",
        },
    )
    assert response.status_code == 302
    html = page(client, ana, challenge)
    assert "The AI invented a refund policy that does not exist." in html
    assert 'id="correct-form"' not in html


def test_what_colleagues_and_ld_do_to_a_record_shows_on_its_owners_next_request(client, challenge):
    ana = UserFactory()
    peers = [UserFactory() for _ in range(2)]
    ld = UserFactory(roles=[LD_MANAGER])
    correction = CorrectionFactory(user=ana, challenge=challenge)
    note = ContextNoteFactory(user=ana, challenge=challenge)
    case = TestCaseFactory(user=ana, challenge=challenge)
    reflection = ReflectionFactory(user=ana, challenge=challenge, shared=True)
    html = page(client, ana, challenge)  # cached from here on
    assert "0 reviews so far" in section(html, "correct")
    assert "0 endorsements" in section(html, "context")
    assert "0 peer verdicts" in section(html, "test")
    assert "0 upvotes" in section(html, "reflect")

    services.review_submit(reviewer=peers[0], correction=correction, scores=GOOD_SCORES)
    assert "1 review so far" in section(page(client, ana, challenge), "correct")
    services.review_submit(reviewer=peers[1], correction=correction, scores=GOOD_SCORES)
    assert "points</strong>" in section(page(client, ana, challenge), "correct")
    services.correction_mark_gold(by=ld, correction=correction)
    assert "Gold</span>" in section(page(client, ana, challenge), "correct")

    services.context_note_endorse(user=peers[0], note=note)
    assert "1 endorsement" in section(page(client, ana, challenge), "context")
    services.context_note_review(by=ld, note=note, approve=True)
    assert "tag--success" in section(page(client, ana, challenge), "context")

    services.testcase_judge(judge=peers[0], test_case=case, verdict="fail")
    assert "1 peer verdict" in section(page(client, ana, challenge), "test")
    services.testcase_judge(judge=ana, test_case=case, verdict="pass")
    assert 'data-my-verdict="pass"' in section(page(client, ana, challenge), "test")

    services.reflection_upvote(user=peers[0], reflection=reflection)
    assert "1 upvote" in section(page(client, ana, challenge), "reflect")


def test_an_observe_draft_shows_only_to_its_author_and_at_once(client, challenge):
    ana, ben = UserFactory(), UserFactory()
    for user in (ana, ben):
        assert " checked" not in section(page(client, user, challenge), "observe")
    client.force_login(ana)
    client.post(
        reverse("challenges:draft", args=[challenge.pk, "observe"]),
        json.dumps({"data": {"s1": "1", "s1-note": "Ana doubts this sentence"}}),
        content_type="application/json",
    )
    ana_html, ben_html = page(client, ana, challenge), page(client, ben, challenge)
    assert 'name="s1" value="1" checked' in ana_html and "Ana doubts this sentence" in ana_html
    assert " checked" not in section(ben_html, "observe") and "Ana doubts" not in ben_html


def test_a_renamed_or_new_flaw_category_shows_in_the_observe_rows_at_once(client, challenge):
    ana = UserFactory()
    page(client, ana, challenge)  # the rows are cached from here on
    category = FlawCategory.objects.filter(is_active=True).first()
    category.name = "Made-up fact"
    category.save()
    assert "Made-up fact</option>" in section(page(client, ana, challenge), "observe")


def test_the_page_reads_the_database_when_the_cache_holds_nothing(client, challenge):
    ana = UserFactory()
    CorrectionFactory(user=ana, challenge=challenge, rationale="Ana's reason: receipts count.")
    page(client, ana, challenge)
    cache.clear()  # as after a Redis restart: every value and version gone
    assert "Ana&#x27;s reason" in page(client, ana, challenge)


def test_joining_a_team_of_the_running_week_shows_on_the_next_request(client, challenge):
    care, risk = TeamFactory(), TeamFactory()
    make_week(challenges=[challenge], teams=[care], hours=48)
    ana = UserFactory(team=risk)
    assert 'data-week-status="not-in-week"' in page(client, ana, challenge)
    assert 'data-week-status="not-in-week"' in page(client, ana, challenge)  # from the cache
    membership_set(user=ana, team=care)
    assert 'data-week-status="running"' in page(client, ana, challenge)

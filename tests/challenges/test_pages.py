"""What employees and L&D see: answer-key secrecy, the no-JavaScript loop, bad input, bounds."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from challenges.models import ChallengePage, ContextNote, Correction, Draft, FlagSubmission
from tests.accounts.factories import UserFactory
from tests.challenges.factories import (
    REFUND_QUOTE,
    SECRET_EXPLANATION,
    TONE_EXPLANATION,
    ContextNoteFactory,
    CorrectionFactory,
    ReflectionFactory,
    category,
    challenge_index,
)

pytestmark = pytest.mark.django_db


def sentence_index(challenge, quote):
    from challenges import scoring

    start = challenge.output.index(quote)
    for i, span in enumerate(scoring.sentences(challenge.output)):
        if span.start <= start < span.end:
            return i
    raise AssertionError("quote not in any sentence")


def test_challenge_page_needs_sign_in(client, challenge):
    response = client.get(challenge.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_answer_key_is_absent_from_everything_an_employee_reaches_before_submitting(
    client, challenge, employee
):
    client.force_login(employee)
    secrets = [SECRET_EXPLANATION, TONE_EXPLANATION, "Receipts are never needed"]
    urls = [
        challenge.url,
        "/challenges/",
        reverse("challenges:review_queue"),
        reverse("challenges:library"),
        reverse("challenges:insights"),
        reverse("challenges:evaluation", args=[challenge.pk]),
        f"/admin/pages/{challenge.pk}/edit/",
        "/api/v1/",
    ]
    for url in urls:
        body = client.get(url, follow=True).content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
        assert "answer-flaw" not in body, url
    draft = client.post(
        reverse("challenges:draft", args=[challenge.pk, "observe"]),
        data=json.dumps({"data": {"s1": "1"}}),
        content_type="application/json",
    ).content.decode()
    assert SECRET_EXPLANATION not in draft


def test_an_employee_flags_sentences_without_javascript_and_sees_the_key_beside_them(
    client, challenge, employee
):
    client.force_login(employee)
    refund = sentence_index(challenge, REFUND_QUOTE)
    response = client.post(
        reverse("challenges:observe", args=[challenge.pk]),
        {
            f"s{refund}": "1",
            f"s{refund}-category": category("hallucination").pk,
            f"s{refund}-note": "Made-up policy",
        },
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your score:" in body and "matches a known flaw" in body
    assert SECRET_EXPLANATION in body and TONE_EXPLANATION in body
    assert "missed" in body  # the tone flaw they did not flag
    assert FlagSubmission.objects.get(user=employee).points == 75


def test_bad_flags_show_a_reason_and_keep_what_was_typed(client, challenge, employee):
    client.force_login(employee)
    refund = sentence_index(challenge, REFUND_QUOTE)
    response = client.post(
        reverse("challenges:observe", args=[challenge.pk]),
        {f"s{refund}": "1", f"s{refund}-note": "My careful note about the policy"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "needs a flaw category" in body
    assert "My careful note about the policy" in body
    assert re.search(rf'id="s{refund}" name="s{refund}" value="1"\s+checked', body)
    assert Draft.objects.get(user=employee, step="observe").data[f"s{refund}-note"]
    assert not FlagSubmission.objects.exists()


def test_an_empty_correction_is_refused_and_the_rationale_is_kept(client, challenge, employee):
    client.force_login(employee)
    response = client.post(
        reverse("challenges:correct", args=[challenge.pk]),
        {"text": "", "rationale": "My reasons, typed with care."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "My reasons, typed with care." in body
    assert "Please write both your rewrite" in body
    assert not Correction.objects.exists()


def test_a_double_clicked_correction_is_one_submission(client, challenge, employee):
    client.force_login(employee)
    data = {
        "text": "A better, honest answer to the customer.",
        "rationale": "The policy was invented.",
    }
    url = reverse("challenges:correct", args=[challenge.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Correction.objects.count() == 1


def test_an_unreachable_ai_keeps_the_test_input(client, challenge, employee, settings):
    settings.AI_PROVIDER = "openai"
    settings.AI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.AI_MODEL = "tiny"
    settings.AI_MAX_RETRIES = 0
    client.force_login(employee)
    response = client.post(
        reverse("challenges:test", args=[challenge.pk]),
        {
            "client_token": "0b5ad2b8-8a7e-4a3c-9c55-5f1f0c6d1f1e",
            "input_text": "My receipt got wet, can I still return the kettle?",
            "must": "Ask for another proof",
            "must_not": "Promise cash back",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "not answering right now" in body
    assert "My receipt got wet" in body


def test_an_employee_cannot_review_their_own_correction(client, challenge, employee):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    client.force_login(employee)
    response = client.post(
        reverse("challenges:review", args=[correction.pk]),
        {"accuracy": 5, "tone": 5, "completeness": 5, "policy_fit": 5},
    )
    assert response.status_code == 403
    assert "cannot review your own correction" in response.content.decode()


def test_a_peer_reviews_through_the_queue(client, challenge, employee, colleague):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    client.force_login(colleague)
    queue = client.get(reverse("challenges:review_queue")).content.decode()
    assert reverse("challenges:review", args=[correction.pk]) in queue
    missing_comment = client.post(
        reverse("challenges:review", args=[correction.pk]),
        {"accuracy": 2, "tone": 4, "completeness": 4, "policy_fit": 4},
    )
    assert missing_comment.status_code == 400
    assert "needs a sentence" in missing_comment.content.decode()
    done = client.post(
        reverse("challenges:review", args=[correction.pk]),
        {"accuracy": 4, "tone": 4, "completeness": 4, "policy_fit": 4, "comment": ""},
    )
    assert done.status_code == 302
    queue = client.get(reverse("challenges:review_queue")).content.decode()
    assert reverse("challenges:review", args=[correction.pk]) not in queue


def test_the_queue_serves_other_teams_then_the_least_reviewed_first(challenge, employee):
    from challenges.selectors import review_queue

    same_team = UserFactory(team=employee.current_team)
    busy = CorrectionFactory(challenge=challenge)
    quiet = CorrectionFactory(challenge=challenge)
    mine_team = CorrectionFactory(challenge=challenge, user=same_team)
    Correction.objects.filter(pk=busy.pk).update(review_count=3)
    # Past the Reviewers' first look at fresh work (tests/challenges/test_reviewer_tools.py).
    later = timezone.now() + timedelta(hours=1)
    assert [c.pk for c in review_queue(user=employee, at=later)] == [
        quiet.pk,
        busy.pk,
        mine_team.pk,
    ]


def test_the_draft_endpoint_saves_json_and_refuses_an_expired_session(client, challenge, employee):
    url = reverse("challenges:draft", args=[challenge.pk, "reflect"])
    payload = json.dumps({"data": {"what_changed": "half a thought"}})
    assert client.post(url, payload, content_type="application/json").status_code == 401
    client.force_login(employee)
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 200 and "saved_at" in response.json()
    page = client.get(challenge.url).content.decode()
    assert "half a thought" in page


def test_the_context_library_searches_approved_notes_and_ld_approves(client, challenge, employee):
    approved = ContextNoteFactory(
        challenge=challenge, status=ContextNote.APPROVED, title="Receipts policy"
    )
    ContextNoteFactory(
        challenge=challenge,
        status=ContextNote.APPROVED,
        title="Holiday rota",
        text="Rota rules for the summer.",
    )
    pending = ContextNoteFactory(challenge=challenge, title="Loyalty card counts as proof")
    client.force_login(employee)
    body = client.get(reverse("challenges:library"), {"q": "receipt"}).content.decode()
    assert approved.title in body and "Holiday rota" not in body
    assert (
        client.post(
            reverse("challenges:context_review", args=[pending.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    client.post(reverse("challenges:context_review", args=[pending.pk]), {"decision": "approve"})
    assert ContextNote.objects.get(pk=pending.pk).status == ContextNote.APPROVED


def test_the_insights_feed_shows_shared_reflections_only(client, challenge, employee, colleague):
    shared = ReflectionFactory(challenge=challenge, user=colleague, tip="Check the handbook first")
    ReflectionFactory(challenge=challenge, shared=False, tip="A private thought")
    client.force_login(employee)
    response = client.get(reverse("challenges:insights"), follow=True)
    assert response.redirect_chain[-1][0] == "/insights/"
    body = response.content.decode()
    assert "Check the handbook first" in body and "A private thought" not in body
    client.post(reverse("challenges:upvote", args=[shared.pk]))
    shared.refresh_from_db()
    assert shared.upvote_count == 1


def test_the_challenge_page_query_count_is_bounded(
    client, challenge, employee, django_assert_max_num_queries
):
    client.force_login(employee)
    client.get(challenge.url)
    with django_assert_max_num_queries(30):
        assert client.get(challenge.url).status_code == 200


def test_the_review_queue_query_count_does_not_grow_with_the_queue(
    client, challenge, employee, django_assert_max_num_queries
):
    for _ in range(15):
        CorrectionFactory(challenge=challenge)
    client.force_login(employee)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("challenges:review_queue")).status_code == 200


def test_admin_refuses_a_quote_that_is_not_in_the_output(client):
    index = challenge_index()
    author = UserFactory(roles=[roles.LD_AUTHOR])
    from accounts.roles import sync_role_permissions

    sync_role_permissions()
    client.force_login(author)
    data = {
        "title": "New challenge",
        "slug": "new-challenge",
        "scenario": "A chatbot.",
        "prompt": "A question.",
        "output": "The sky is green.\r\nWater is dry.",
        "model_name": "m",
        "prompt_version": "1",
        "difficulty": "1",
        "points": "100",
        "open_observe": "on",
        "flaws-TOTAL_FORMS": "1",
        "flaws-INITIAL_FORMS": "0",
        "flaws-MIN_NUM_FORMS": "0",
        "flaws-MAX_NUM_FORMS": "1000",
        "flaws-0-category": str(category("hallucination").pk),
        "flaws-0-quote": "The sky is blue.",
        "flaws-0-explanation": "Wrong colour.",
        "flaws-0-severity": "2",
        "flaws-0-ORDER": "1",
        "behaviours-TOTAL_FORMS": "0",
        "behaviours-INITIAL_FORMS": "0",
        "behaviours-MIN_NUM_FORMS": "0",
        "behaviours-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    url = f"/admin/pages/add/challenges/challengepage/{index.pk}/"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "This passage does not occur in the AI output" in refused.content.decode()
    assert not ChallengePage.objects.filter(slug="new-challenge").exists()
    data["flaws-0-quote"] = "The sky is green."
    accepted = client.post(url, data)
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    page = ChallengePage.objects.get(slug="new-challenge")
    assert page.flaws.get().span == (0, len("The sky is green."))
    assert page.output == "The sky is green.\nWater is dry."  # offsets as the browser counts

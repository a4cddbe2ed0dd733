"""Rate limits on AI test runs, drafts and kudos, over HTTP (issue 10, item 6).

Each limit is set low for the test; past it the answer is a 429 that says what was limited and
when to try again, nothing is stored, and another person is not affected.
"""

import json
import uuid

import pytest
from django.urls import reverse

from challenges.models import Draft, TestCase
from leaderboard.models import Kudos
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(db):
    return make_challenge()


def run_test(client, challenge):
    return client.post(
        reverse("challenges:test", args=[challenge.pk]),
        {
            "client_token": str(uuid.uuid4()),
            "input_text": "I lost my receipt, can I still return my kettle?",
            "must": "Ask for another proof of purchase",
            "must_not": "Promise cash back",
        },
    )


def test_ai_test_runs_past_the_limit_get_a_429_and_ask_nothing(client, challenge, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ai_test": "2/m"}
    employee = UserFactory()
    client.force_login(employee)
    assert [run_test(client, challenge).status_code for _ in range(2)] == [302, 302]
    refused = run_test(client, challenge)
    body = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many AI test runs: the limit is 2 a minute." in body
    assert "try again" in body and int(refused["Retry-After"]) >= 1
    assert TestCase.objects.filter(user=employee).count() == 2
    client.force_login(UserFactory())  # a colleague has their own allowance
    assert run_test(client, challenge).status_code == 302


def test_draft_saves_past_the_limit_get_a_json_429(client, challenge, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "draft": "3/m"}
    employee = UserFactory()
    client.force_login(employee)
    url = reverse("challenges:draft", args=[challenge.pk, "reflect"])

    def save(text):
        payload = json.dumps({"data": {"what_changed": text}})
        return client.post(url, payload, content_type="application/json")

    assert [save(f"thought {i}").status_code for i in range(3)] == [200, 200, 200]
    refused = save("one thought too many")
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("Too many draft saves: the limit is 3 a minute.")
    assert Draft.objects.get(user=employee).data == {"what_changed": "thought 2"}


def test_kudos_past_the_limit_get_a_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kudos": "2/m"}
    settings.LEADERBOARD_KUDOS_WEEKLY_BUDGET = 10
    giver, recipient = UserFactory(), UserFactory()
    client.force_login(giver)
    url = reverse("leaderboard:kudos_give", args=[recipient.pk])
    for i in range(2):
        assert client.post(url, {"message": f"Thanks {i}"}).status_code == 302
    refused = client.post(url, {"message": "Thanks again"})
    assert refused.status_code == 429
    assert "Too many kudos: the limit is 2 a minute." in refused.content.decode()
    assert Kudos.objects.filter(giver=giver).count() == 2


def test_a_malformed_limit_is_refused_loudly():
    from config.ratelimit import parse_rates

    assert [(r.count, r.seconds) for r in parse_rates("10/m, 100/d,5/30s")] == [
        (10, 60),
        (100, 86400),
        (5, 30),
    ]
    with pytest.raises(ValueError, match="Bad rate limit"):
        parse_rates("ten per minute")

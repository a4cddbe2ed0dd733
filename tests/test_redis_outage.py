"""The site keeps serving while Redis is down (a real redis-server that the test kills).

The cache and the channel layer point at a ``redis-server`` child process with the settings
base.py builds for ``REDIS_URL``. After the server is killed, pages answer 200, an award's
request gets its normal success response with the award stored once, sign-in still works (rate
limits fail open) and ``/healthz`` answers 503 naming the cache and the channel layer. Runs in
both CI passes: it starts its own server (skipped only where ``redis-server`` is missing).
"""

import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from challenges.models import FlagSubmission
from courses.models import LessonProgress
from leaderboard.models import PointsAward
from tests.accounts.factories import PASSWORD, UserFactory
from tests.challenges.factories import REFUND_QUOTE, category, make_challenge
from tests.challenges.test_pages import sentence_index
from tests.courses.factories import lesson_page, module_page, skill_index
from tests.support.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(client):
    """An employee signed in, a module with two lessons and a challenge; warm Redis pools."""
    employee = UserFactory(email="ana@example.com")
    module = module_page(points=50)
    lessons = [lesson_page(module, title="One"), lesson_page(module, title="Two")]
    challenge = make_challenge()
    client.force_login(employee)
    return {"employee": employee, "module": module, "lessons": lessons, "challenge": challenge}


def page_urls(site) -> dict[str, str]:
    return {
        "home": "/",
        "skills": skill_index().url,
        "lesson": site["lessons"][0].url,
        "challenge": site["challenge"].url,
        "leaderboard": reverse("leaderboard:board_default"),
        "profile": reverse("accounts:profile"),
        "person": reverse("leaderboard:person", args=[site["employee"].pk]),
    }


def test_every_page_answers_while_redis_is_down(client, site, redis_server):  # noqa: F811
    urls = page_urls(site)
    # With Redis up first, so the cache has pooled connections that the kill leaves dead.
    assert {name: client.get(url).status_code for name, url in urls.items()} == dict.fromkeys(
        urls, 200
    )
    redis_server.kill()
    assert {name: client.get(url).status_code for name, url in urls.items()} == dict.fromkeys(
        urls, 200
    )
    client.logout()
    assert client.get(reverse("account_login")).status_code == 200


def test_sign_in_works_while_redis_is_down(client, redis_server):  # noqa: F811
    UserFactory(email="ana@example.com")
    redis_server.kill()
    response = client.post(
        reverse("account_login"), {"login": "ana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_lesson_completion_succeeds_once_while_redis_is_down(client, site, redis_server):  # noqa: F811
    first, second = site["lessons"]
    client.post(reverse("courses:lesson_complete", args=[first.pk]))
    redis_server.kill()
    response = client.post(reverse("courses:lesson_complete", args=[second.pk]), follow=True)
    assert response.status_code == 200
    assert "Module complete: +50 points" in response.content.decode()
    assert LessonProgress.objects.filter(user=site["employee"]).count() == 2
    keys = list(
        PointsAward.objects.filter(user=site["employee"]).values_list("source_key", flat=True)
    )
    assert len(keys) == len(set(keys)) == 3


def test_a_flag_submission_succeeds_once_while_redis_is_down(client, site, redis_server):  # noqa: F811
    challenge = site["challenge"]
    redis_server.kill()
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
    assert response.status_code == 200
    assert "Your score:" in response.content.decode()
    assert FlagSubmission.objects.get(user=site["employee"]).points == 75
    assert PointsAward.objects.filter(user=site["employee"]).count() == 1


def test_healthz_names_cache_and_channel_layer_while_redis_is_down(client, redis_server):  # noqa: F811
    assert client.get("/healthz").status_code == 200
    redis_server.kill()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"].startswith("error")
    assert body["channel_layer"].startswith("error")


def get_in_thread(url: str, client: Client) -> list:
    """GET ``url`` in a thread; the response (or the exception) lands in the returned list."""
    outcome = []

    def run():
        try:
            outcome.append(client.get(url))
        except Exception as error:
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    # A hang guard, not a speed check: a request stuck on a frozen Redis never returns.
    thread.join(timeout=60)
    return outcome


@pytest.mark.django_db(transaction=True)  # the request threads see the signed-in user
def test_healthz_and_pages_answer_while_redis_is_frozen(redis_server):  # noqa: F811
    client = Client()
    client.force_login(UserFactory())
    # SIGSTOP: connections are accepted but nothing is answered, as with a hung Redis or a
    # network that drops packets. Without socket timeouts every request would wait forever.
    redis_server.freeze()
    try:
        health = get_in_thread("/healthz", client)
        # The dashboard reads the week banner and Wagtail's site roots from the cache.
        home = get_in_thread("/", client)
    finally:
        redis_server.thaw()
    assert len(health) == len(home) == 1, "a request did not return"
    assert not isinstance(health[0], Exception) and not isinstance(home[0], Exception)
    assert health[0].status_code == 503
    assert health[0].json()["cache"] == "error: TimeoutError"
    assert health[0].json()["channel_layer"].startswith("error")
    assert home[0].status_code == 200


def test_the_cache_works_again_once_redis_is_back(client, site, redis_server):  # noqa: F811
    redis_server.kill()
    assert client.get("/").status_code == 200
    redis_server.start()
    # The circuit breaker lets a probe through after its short pause; the cache answers again.
    assert client.get("/healthz").status_code == 200
    cache.set("after-the-outage", "yes")
    assert cache.get("after-the-outage") == "yes"

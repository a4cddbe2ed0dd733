"""The challenge page's cache keys are read with the viewer's user (``home.page_cache`` guesses
them from the page last served at the path and the page-tree version last read): a warm page
costs one ``get_many``; a guess that proves wrong (another viewer, a publish) is never served."""

import json

import pytest
from django.urls import reverse

from challenges import attempt_cache
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, user, challenge) -> str:
    client.force_login(user)
    response = client.get(challenge.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_challenge_page_reads_the_cache_once_with_the_viewer(client, challenge, reads):
    ana = UserFactory()
    for _ in range(3):
        page(client, ana, challenge)
    reads.clear()
    assert 'id="correct-form"' in page(client, ana, challenge)
    assert len(reads) == 1
    assert set(attempt_cache.keys(ana.pk, challenge.pk)) <= set(reads[0])


def test_a_draft_read_with_the_user_is_its_authors_alone_and_escaped(client, challenge):
    ana, ben = UserFactory(), UserFactory()
    for user in (ana, ben, ana, ben):  # warm: each read guesses the keys of the viewer before
        page(client, user, challenge)
    client.force_login(ana)
    client.post(
        reverse("challenges:draft", args=[challenge.pk, "reflect"]),
        json.dumps({"data": {"what_changed": "<b>Ana</b> reads dates twice"}}),
        content_type="application/json",
    )
    for _ in range(2):
        ana_html, ben_html = page(client, ana, challenge), page(client, ben, challenge)
        assert "&lt;b&gt;Ana&lt;/b&gt; reads dates twice" in ana_html
        assert "<b>Ana</b>" not in ana_html
        assert "reads dates twice" not in ben_html


def test_a_publish_shows_on_the_next_request_although_the_keys_were_guessed(client, challenge):
    ana = UserFactory()
    for _ in range(3):
        page(client, ana, challenge)
    challenge.title = "Refund reply, revised"
    challenge.save_revision().publish()
    assert "<h1>Refund reply, revised</h1>" in page(client, ana, challenge)

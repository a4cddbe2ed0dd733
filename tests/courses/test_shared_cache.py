"""What lesson and challenge pages cache for everyone (``courses.selectors.lesson_shared``,
``challenges.selectors.challenge_shared``): never a person's own state, and never a stale page
after an editor publishes."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import (
    REFLECTION_ID,
    lesson_page,
    module_page,
    reflection_block,
    text_block,
)

pytestmark = pytest.mark.django_db


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_two_people_on_one_lesson_each_see_only_their_own_reflection_and_progress(client):
    module = module_page()
    body = [text_block("<p>Read it as a draft.</p>"), reflection_block()]
    lesson = lesson_page(module, body=body)
    plain = lesson_page(module, title="Second lesson")
    ana, ben = UserFactory(), UserFactory()
    save = reverse("courses:reflection_save", args=[lesson.pk, REFLECTION_ID])
    for user, text in ((ana, "Ana would have trusted the date."), (ben, "Ben checks totals.")):
        page(client, user, lesson.url)  # the shared parts are cached from here on
        client.post(save, {"text": text})
    client.force_login(ana)
    client.post(reverse("courses:lesson_complete", args=[plain.pk]))
    for _ in range(2):
        ana_html, ben_html = page(client, ana, lesson.url), page(client, ben, lesson.url)
        assert "Read it as a draft." in ana_html and "Read it as a draft." in ben_html
        assert "Ana would have trusted the date." in ana_html
        assert "Ben checks totals." not in ana_html
        assert "Ben checks totals." in ben_html
        assert "Ana would have trusted the date." not in ben_html
        assert '<strong data-testid="points-total">10</strong>' in ana_html
        assert '<strong data-testid="points-total">0</strong>' in ben_html
        assert "50% complete" in ana_html and "0% complete" in ben_html


def test_a_published_revision_of_a_lesson_shows_at_once(client):
    module = module_page()
    lesson = lesson_page(module, body=[text_block("<p>The old wording.</p>")])
    following = lesson_page(module, title="Checking sources")
    user = UserFactory()
    html = page(client, user, lesson.url)
    assert "The old wording." in html and "Checking sources" in html
    lesson.body = [text_block("<p>The new wording.</p>")]
    lesson.save_revision().publish()
    following.title = "Checking every source"
    following.save_revision().publish()
    html = page(client, user, lesson.url)
    assert "The new wording." in html and "The old wording." not in html
    assert "Checking every source" in html


def test_a_published_revision_of_a_challenge_shows_its_new_skills_at_once(client):
    from courses.models import Skill

    challenge = make_challenge()
    skill = Skill.objects.get_or_create(slug="data-literacy", defaults={"name": "Data literacy"})[0]
    user = UserFactory()
    assert f'<span class="tag">{skill.name}</span>' not in page(client, user, challenge.url)
    challenge.skills.set([skill])
    challenge.save_revision().publish()
    assert f'<span class="tag">{skill.name}</span>' in page(client, user, challenge.url)


def test_two_people_on_one_challenge_each_see_only_their_own_draft_and_a_fresh_token(client):
    import json
    import re

    challenge = make_challenge()
    ana, ben = UserFactory(), UserFactory()
    for user in (ana, ben):
        page(client, user, challenge.url)  # the step forms' shared HTML is cached from here on
    client.force_login(ana)
    client.post(
        reverse("challenges:draft", args=[challenge.pk, "reflect"]),
        json.dumps({"data": {"what_changed": "Ana now reads every date twice."}}),
        content_type="application/json",
    )
    tokens = []
    for _ in range(2):
        ana_html, ben_html = page(client, ana, challenge.url), page(client, ben, challenge.url)
        assert "Ana now reads every date twice." in ana_html
        assert "Ana now reads every date twice." not in ben_html
        for html in (ana_html, ben_html):
            tokens += re.findall(r'name="client_token" value="([0-9a-f-]{36})"', html)
    assert len(tokens) >= 4 * 2  # the context and test steps' tokens in each of four pages
    assert len(set(tokens)) == len(tokens)  # never one token twice, so never one post for two

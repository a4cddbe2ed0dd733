"""Page-type rules, routing and rendering of the learning pages (WagtailPageTestCase helpers)."""

import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage, SkillIndexPage, SkillModulePage
from home.models import HomePage
from tests.accounts.factories import UserFactory
from tests.courses.factories import (
    lesson_page,
    module_page,
    quiz_block,
    reflection_block,
    skill_index,
)


class LearningPageTests(WagtailPageTestCase):
    def setUp(self):
        self.user = UserFactory()
        self.module = module_page()
        self.lesson = lesson_page(self.module, body=[quiz_block(), reflection_block()])

    def test_pages_can_only_be_created_where_they_belong(self):
        self.assertCanCreateAt(HomePage, SkillIndexPage)
        self.assertCanCreateAt(SkillIndexPage, SkillModulePage)
        self.assertCanCreateAt(SkillModulePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, SkillModulePage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(SkillIndexPage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)
        self.assertAllowedSubpageTypes(SkillModulePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {SkillModulePage})

    def test_index_module_and_lesson_are_routable_and_renderable(self):
        self.client.force_login(self.user)
        for page in (skill_index(), self.module, self.lesson):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page, user=self.user)

    def test_lesson_is_previewable_in_the_admin(self):
        admin = UserFactory(is_superuser=True, is_staff=True)
        # The StreamField editor builds its form data in JavaScript, so the post data is given.
        post_data = nested_form_data(
            {
                "title": "Checking citations",
                "slug": "checking-citations",
                "summary": "Why sources matter.",
                "estimated_minutes": 10,
                "completion_points": 10,
                "body": streamfield([("text", rich_text("<p>Check every source.</p>"))]),
            }
        )
        self.assertPageIsPreviewable(self.lesson, user=admin, post_data=post_data)

    def test_skill_index_lives_at_skills(self):
        assert skill_index().url == "/skills/"


@pytest.mark.django_db
def test_visitor_opening_a_lesson_is_sent_to_sign_in_and_back(client):
    lesson = lesson_page(module_page())
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert f"next={lesson.url}" in response.url.replace("%2F", "/")


@pytest.mark.django_db
def test_unpublished_lesson_url_is_a_404(client):
    module = module_page()
    lesson = lesson_page(module, title="Draft lesson")
    lesson.unpublish()
    client.force_login(UserFactory())
    assert client.get(lesson.url).status_code == 404


@pytest.mark.django_db
def test_visitors_see_the_catalogue_and_module_outline(client):
    module = module_page(title="Asking AI well")
    lesson_page(module, title="Give it context")
    response = client.get("/skills/")
    assert response.status_code == 200
    assert "Asking AI well" in response.content.decode()
    outline = client.get(module.url).content.decode()
    assert "Give it context" in outline
    assert "Sign in" in outline

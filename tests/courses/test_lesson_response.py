"""A lesson is rendered in its view (courses.models.pages.rendered): under ASGI a template
response left to Django is rendered in a thread hop of its own, one more per page."""

import pytest
from django.template.response import SimpleTemplateResponse

from tests.accounts.factories import UserFactory
from tests.courses.factories import lesson_page, module_page

pytestmark = pytest.mark.django_db


def test_a_lesson_answers_with_a_rendered_response(client):
    lesson = lesson_page(module_page(), title="Read every answer as a draft")
    client.force_login(UserFactory())
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert not isinstance(response, SimpleTemplateResponse)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "Read every answer as a draft" in html
    assert 'name="csrfmiddlewaretoken" value="' in html  # the header's sign-out form
    assert response.context["page"].pk == lesson.pk  # templates' signals still seen by tests


def test_a_signed_out_visitor_is_still_sent_to_sign_in(client):
    lesson = lesson_page(module_page())
    response = client.get(lesson.url)
    assert response.status_code == 302

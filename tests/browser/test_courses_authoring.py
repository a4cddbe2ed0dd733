"""Browser: an L&D Author writes a lesson with a quiz in Wagtail and submits it to L&D review;
an L&D Manager approves it, which publishes it."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.courses.factories import module_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Q = "body-0-value-questions-0-value"


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def test_author_submits_a_quiz_lesson_for_review_and_a_manager_publishes_it(
    page, new_page, live_server
):
    author = UserFactory(email="arjun@example.com", roles=["L&D Author"])
    manager = UserFactory(email="maya@example.com", roles=["L&D Manager"])
    module = module_page(title="Prompt engineering at work")

    sign_in(page, live_server, author.email)
    page.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{module.pk}/")
    page.fill("#id_title", "Asking for a refund reply")
    page.fill("#id_summary", "Give the AI the policy it cannot guess.")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Quiz").click()
    page.fill("#body-0-value-title", "Refund reply check")
    page.fill(f"#{Q}-question", "What must the prompt for a refund reply include?")
    page.fill(f"#{Q}-options-0-value-text", "The refund policy that applies")
    page.check(f"#{Q}-options-0-value-correct")
    page.fill(f"#{Q}-options-0-value-feedback", "Right: the AI cannot guess our policy.")
    # Add a second option after the first.
    add_buttons = page.locator("[data-streamfield-list-add]")
    add_buttons.nth(2).click()
    expect(page.locator(f"#{Q}-options-1-value-text")).to_be_visible()
    page.fill(f"#{Q}-options-1-value-text", "The customer's card number")
    page.fill(f"#{Q}-options-1-value-feedback", "Never: it is not needed.")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Submit to L&D review").click()
    expect(page.get_by_role("status")).to_contain_text(
        "'Asking for a refund reply' created and submitted for moderation"
    )

    lesson = LessonPage.objects.get(title="Asking for a refund reply")
    assert not lesson.live
    assert lesson.current_workflow_state.status == "in_progress"

    reviewer = new_page()
    sign_in(reviewer, live_server, manager.email)
    reviewer.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    reviewer.locator("footer .w-dropdown__toggle").first.click()
    reviewer.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(reviewer.get_by_role("status")).to_contain_text("has been updated")

    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.current_workflow_state is None
    # The published lesson shows the quiz to employees, without its answer key.
    reviewer.goto(f"{live_server.url}{lesson.url}")
    expect(reviewer.get_by_role("heading", name="Refund reply check")).to_be_visible()
    expect(reviewer.get_by_label("The refund policy that applies")).to_be_visible()
    assert "the AI cannot guess our policy" not in reviewer.content()

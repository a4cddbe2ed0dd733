"""Browser: an employee opens an assigned module, passes a quiz, sees progress and points move."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Assignment, LessonProgress
from tests.accounts.factories import PASSWORD, TeamFactory, UserFactory
from tests.courses.factories import (
    lesson_page,
    module_page,
    quiz_block,
    text_block,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def test_employee_passes_the_quiz_of_an_assigned_module_and_sees_progress_and_points(
    page, live_server
):
    team = TeamFactory(name="Customer Care")
    employee = UserFactory(team=team, email="eli@example.com")
    module = module_page(title="Spotting made-up citations", points=50)
    lesson_page(module, title="Fluent is not true", body=[text_block(), quiz_block()], points=10)
    lesson_page(module, title="Checking claims", body=[text_block()])
    Assignment.objects.create(
        module=module, team=team, due_date=timezone.localdate() + datetime.timedelta(days=5)
    )

    sign_in(page, live_server, employee.email)
    page.goto(f"{live_server.url}/learn/")
    assigned = page.get_by_role("region", name="Assigned to you")
    expect(assigned).to_contain_text("Spotting made-up citations")
    expect(assigned).to_contain_text("Due ")
    assigned.get_by_role("link", name="Spotting made-up citations").click()

    progress = page.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_test_id("points-total")).to_have_text("0")
    page.get_by_role("link", name="Start the first lesson").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fluent is not true")
    # A wrong answer first: feedback on the chosen option, no completion.
    page.get_by_label("Trust it; the AI read the handbook").check()
    page.get_by_label("A polite greeting").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_test_id("quiz-result")).to_contain_text("0 of 2 right")
    expect(page.get_by_text("FEEDBACK-TRUST")).to_be_visible()
    expect(page.get_by_test_id("points-total")).to_have_text("0")

    page.get_by_label("Check the source before using it").check()
    page.get_by_label("A polite greeting").uncheck()
    page.get_by_label("Precise figures with no source").check()
    page.get_by_label("A named person nobody has heard of").check()
    page.get_by_role("button", name="Try again").click()

    expect(page.get_by_text("Lesson complete: +10 points.")).to_be_visible()
    expect(page.get_by_test_id("points-total")).to_have_text("10")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    assert LessonProgress.objects.filter(user=employee).count() == 1

    page.get_by_role("link", name=re.compile("Spotting made-up citations")).first.click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    expect(page.get_by_role("link", name="Continue where you left off")).to_be_visible()

"""An employee does a lesson and a challenge, then their dashboard shows the real progress,
points, skill chart and mentoring signals."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Skill
from tests.accounts.factories import PASSWORD, TeamFactory, UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import lesson_page, module_page, quiz_block, text_block

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_reflects_a_lesson_and_a_challenge(page, live_server):
    employee = UserFactory(team=TeamFactory(name="Care"), email="eli@example.com")
    module = module_page(title="Spotting made-up citations", skill="critical-thinking", points=50)
    lesson_page(module, title="Fluent is not true", body=[text_block(), quiz_block()], points=10)
    lesson_page(module, title="Checking claims", body=[text_block()])
    challenge = make_challenge(
        title="Kettle refund reply", skills=[Skill.objects.get(slug="communication")]
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", employee.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))

    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("dash-points")).to_have_text("0")
    open_challenges = page.get_by_role("region", name="Open challenges")
    expect(open_challenges).to_contain_text("Kettle refund reply")

    # A lesson: pass its quiz.
    page.goto(f"{live_server.url}{module.get_children().first().url}")
    page.get_by_label("Check the source before using it").check()
    page.get_by_label("Precise figures with no source").check()
    page.get_by_label("A named person nobody has heard of").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("Lesson complete: +10 points.")).to_be_visible()

    # A challenge: flag the tone sentence only (one of two flaws; the severe one is missed).
    page.goto(f"{live_server.url}{challenge.url}")
    page.get_by_label("Customers like you usually forget the receipt anyway.").check()
    page.get_by_label("Flaw category for sentence 4").select_option(label="Tone and empathy")
    page.get_by_role("button", name="Submit flags").click()
    expect(page.locator(".observe-score")).to_be_visible()

    page.get_by_role("banner").get_by_role("link", name="My dashboard").click()
    points = int(page.get_by_test_id("dash-points").inner_text())
    assert points > 10  # the lesson's 10 and the challenge's flag points
    expect(page.get_by_test_id("dash-rank")).to_have_text("#1")
    skills = page.get_by_role("img", name="Your points per skill")
    expect(skills).to_be_visible()
    # The chart's text equivalent names the skills the points came from.
    description = page.locator("#chart-skills-desc").text_content()
    assert "Critical thinking: 10" in description
    assert "Communication: 0" not in description
    signals = page.get_by_role("region", name="Is your teaching working?")
    expect(signals.get_by_role("img", name=re.compile("flag precision and recall"))).to_be_visible()
    # Precision 100 % (no false flag), recall 25 % (severity 1 of 4 found).
    expect(signals.locator("table")).to_contain_text("100%")
    expect(signals.locator("table")).to_contain_text("25%")
    page.get_by_text("Precision and recall as a table").click()
    expect(signals.get_by_role("cell", name="25%")).to_be_visible()
    expect(page.get_by_role("region", name="Open challenges")).not_to_contain_text(
        "Kettle refund reply"
    )

"""Browser: the site on a phone (390 by 844). Every page fits the width, its key control is on
screen and usable, and the step can be completed one-handed (taps, not a mouse)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from challenges.models import TestJudgement
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import (
    TONE_QUOTE,
    CorrectionFactory,
    make_challenge,
    make_week,
)
from tests.courses.factories import lesson_page, module_page, quiz_block, text_block

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """Factory of signed-in pages in a phone-sized, touch browser context."""
    contexts = []

    def make(base_url, user, *, javascript=True):
        context = browser.new_context(
            viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": str(base_url),
                }
            ]
        )
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def assert_fits_the_width(page):
    """Nothing makes the page scroll sideways."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px window"
    assert widths[2] <= widths[1]


def assert_within_the_width(locator):
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box


def test_dashboard_on_a_phone_has_a_menu_button_and_little_chrome(phone, live_server):
    user = UserFactory(team=TeamFactory(name="Care", slug="care"))
    make_week(challenges=[make_challenge()], title="Refund week", theme="Refunds " * 30)
    page = phone(live_server.url, user)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_fits_the_width(page)

    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    # Header and the running week's banner together leave most of the screen to the content.
    assert page.locator("#main").bounding_box()["y"] < 160
    expect(page.locator("[data-week-banner]")).to_be_visible()

    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Challenges")).to_be_visible()
    assert_fits_the_width(page)
    nav.get_by_role("link", name="Challenges").tap()
    expect(page).to_have_url(re.compile(r"/challenges/$"))


def test_without_javascript_the_navigation_is_one_visible_row(phone, live_server):
    user = UserFactory()
    page = phone(live_server.url, user, javascript=False)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links.first).to_be_visible()
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, "the navigation wraps"
    assert_fits_the_width(page)


def test_a_lesson_quiz_can_be_answered_on_a_phone(phone, live_server):
    user = UserFactory()
    module = module_page(title="Spotting made-up citations")
    lesson_page(module, title="Fluent is not true", body=[text_block(), quiz_block()])
    page = phone(live_server.url, user)
    page.goto(f"{live_server.url}{module.url}")
    page.get_by_role("link", name="Start the first lesson").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fluent is not true")
    assert_fits_the_width(page)
    answer = page.get_by_label("Check the source before using it")
    assert_within_the_width(answer)
    answer.tap()
    page.get_by_label("Precise figures with no source").tap()
    page.get_by_label("A named person nobody has heard of").tap()
    page.get_by_role("button", name="Check my answers").tap()
    expect(page.get_by_text("Lesson complete: +10 points.")).to_be_visible()
    assert_fits_the_width(page)


def test_all_five_challenge_steps_on_a_phone(phone, live_server):
    challenge = make_challenge()
    user = UserFactory(team=TeamFactory(name="Care", slug="care"))
    page = phone(live_server.url, user)
    page.goto(f"{live_server.url}{challenge.url}")
    expect(page.get_by_role("heading", name=challenge.title)).to_be_visible()
    assert_fits_the_width(page)

    # 1 Observe: the AI's answer uses the width; tap a sentence to flag it.
    output = page.locator("#ai-output").bounding_box()
    assert output["width"] > PHONE["width"] * 0.7
    sentence = page.get_by_text(TONE_QUOTE, exact=True)
    sentence.scroll_into_view_if_needed()
    sentence.tap()
    expect(page.get_by_label(TONE_QUOTE)).to_be_checked()
    category = page.get_by_label("Flaw category for sentence 4")
    why = page.get_by_label("Note for sentence 4")
    for control in (category, why):
        expect(control).to_be_visible()
        assert_within_the_width(control)
    assert why.bounding_box()["width"] > PHONE["width"] * 0.6, "the Why? box is squeezed"
    category.select_option(label="Tone and empathy")
    why.fill("Blames the customer.")
    assert_fits_the_width(page)
    page.get_by_role("button", name="Submit flags").tap()
    expect(page.locator(".observe-score")).to_contain_text("Your score")
    assert_fits_the_width(page)

    # 2 Correct
    rewrite = page.get_by_label("Your rewrite of the response")
    assert_within_the_width(rewrite)
    rewrite.fill("I'm sorry your kettle broke. Bring it with proof of purchase within 30 days.")
    page.get_by_label("Why: what was wrong").fill("The AI invented a 90-day no-receipt refund.")
    page.get_by_role("button", name="Submit correction").tap()
    expect(page.locator(".correction-status")).to_contain_text("0 reviews so far")
    assert_fits_the_width(page)

    # 3 Context
    page.get_by_label("Kind").select_option(label="Policy")
    page.get_by_label("Title").fill("Refunds need proof of purchase")
    page.get_by_label("What the AI did not know").fill(
        "Returns are accepted within 30 days with a receipt or card statement."
    )
    page.get_by_role("button", name="Add context note").tap()
    expect(page.locator(".note-list")).to_contain_text("Refunds need proof of purchase")

    # 4 Test, and the author's own verdict
    page.get_by_label("Your tricky input").fill("I lost my receipt. Can I still return my kettle?")
    page.get_by_label("A good answer must…").fill("Ask for another proof of purchase")
    page.get_by_label("A good answer must not…").fill("Promise a refund without proof")
    page.get_by_role("button", name="Run the test").tap()
    case = page.locator(".test-case").first
    expect(case).to_contain_text("Receipts are never needed")
    assert_within_the_width(case.locator(".ai-output"))
    case.get_by_role("button", name="Fail").tap()
    expect(page.locator(".test-case").first.locator("[data-my-verdict]")).to_contain_text("Fail")
    assert_fits_the_width(page)

    # 5 Reflect
    page.get_by_label("What changed in how you see").fill("I check every policy claim now.")
    page.get_by_label("What remains unsolved").fill("It still invents rules when unsure.")
    page.get_by_role("button", name="Save reflection").tap()
    expect(page.locator("#step-reflect")).to_contain_text("What changed")
    expect(page.locator(".steps-nav .tag--success")).to_have_count(5)
    assert_fits_the_width(page)
    assert TestJudgement.objects.filter(judge=user, verdict="fail").count() == 1


def test_the_leaderboard_scope_is_one_compact_picker_on_a_phone(phone, live_server):
    user = UserFactory(team=TeamFactory(name="Care", slug="care"))
    points_award(user=user, amount=30, kind="manual", source_key="t:1", skill="critical-thinking")
    week = make_week(challenges=[make_challenge()], title="Refund week")
    page = phone(live_server.url, user)
    page.goto(f"{live_server.url}/leaderboard/")
    assert_fits_the_width(page)
    expect(page.locator(".lb-tabs")).to_be_hidden()
    picker = page.get_by_label("Board", exact=True)
    expect(picker).to_be_visible()
    assert_within_the_width(picker)
    expect(page.get_by_role("button", name="Show")).to_be_hidden()  # JS navigates on change
    picker.select_option(label="Refund week")
    expect(page).to_have_url(re.compile(rf"/leaderboard/week-{week.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refund week")
    expect(page.get_by_label("Board", exact=True)).to_have_value(f"week-{week.pk}")
    assert_fits_the_width(page)


def test_the_leaderboard_picker_works_without_javascript(phone, live_server):
    user = UserFactory()
    points_award(user=user, amount=30, kind="manual", source_key="t:1", skill="critical-thinking")
    page = phone(live_server.url, user, javascript=False)
    page.goto(f"{live_server.url}/leaderboard/")
    page.get_by_label("Board", exact=True).select_option(label="Critical thinking")
    page.get_by_role("button", name="Show").tap()
    expect(page).to_have_url(re.compile(r"/leaderboard/skill-critical-thinking/$"))
    assert_fits_the_width(page)


def test_the_review_form_on_a_phone(phone, live_server):
    challenge = make_challenge()
    correction = CorrectionFactory(challenge=challenge)
    reviewer = UserFactory(team=TeamFactory(name="Risk", slug="risk"))
    page = phone(live_server.url, reviewer)
    page.goto(f"{live_server.url}/challenge/reviews/{correction.pk}/")
    expect(page.locator(".correction-text")).to_be_visible()
    assert_fits_the_width(page)
    for criterion in ["Accuracy", "Tone", "Completeness", "Policy fit"]:
        choice = page.get_by_role("group", name=re.compile(criterion)).get_by_label("4")
        assert_within_the_width(choice)
        choice.tap()
    page.get_by_role("button", name="Submit review").tap()
    expect(page.locator(".messages")).to_contain_text("Review submitted")
    assert_fits_the_width(page)

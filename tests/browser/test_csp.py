"""Browser: the main pages and the Wagtail page editor run under the Content-Security-Policy
with no violation, and their JavaScript still works (live board, drafts, preview)."""

import contextlib

import pytest
from playwright.sync_api import expect

from accounts.models import User
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import lesson_page, module_page, quiz_block, text_block
from tests.support.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reported from every frame (Wagtail's preview is an iframe) through an exposed function.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.documentURI}`);
});
"""


def watched_page(new_page, base_url, user):
    """A signed-in page that records CSP violations and console errors, frames included."""
    page = signed_in_page(new_page, base_url, user)
    page.violations = []
    page.console_errors = []
    page.context.expose_function("reportViolation", lambda text: page.violations.append(text))
    page.context.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    return page


def assert_clean(page):
    policy_errors = [
        e for e in page.console_errors if "Security Policy" in e or "Permissions-Policy" in e
    ]
    assert page.violations == [], page.violations
    assert policy_errors == [], policy_errors


def test_main_pages_run_their_scripts_without_a_policy_violation(asgi_live_server, new_page):
    base = asgi_live_server.url
    module = module_page(title="Spotting made-up citations")
    lesson = lesson_page(module, title="Fluent is not true", body=[text_block(), quiz_block()])
    challenge = make_challenge()
    user = UserFactory(first_name="Blake", last_name="Watcher")
    points_award(user=user, amount=3, kind="x", source_key="seed")
    page = watched_page(new_page, base, user)

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_clean(page)

    page.goto(f"{base}{lesson.url}")
    expect(page.get_by_role("button", name="Check my answers")).to_be_visible()
    page.get_by_label("Check the source before using it").check()
    page.get_by_label("Precise figures with no source").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_test_id("quiz-result")).to_be_visible()
    assert_clean(page)

    # challenge.js saves a draft as the person types (a fetch to the same origin).
    page.goto(f"{base}{challenge.url}")
    page.get_by_label("Why: what was wrong").fill("The refund policy is invented.")
    expect(page.locator("#correct-form [data-draft-status]")).to_contain_text("Draft saved")
    assert_clean(page)

    # board.js connects its websocket and draws the snapshot it receives.
    page.goto(f"{base}/leaderboard/")
    page.wait_for_selector("[data-lb-board][data-lb-updates='1']")
    expect(page.locator("[data-lb-rows]")).to_contain_text("Blake Watcher")
    assert_clean(page)

    # The control: the policy is enforced and the listener hears it. An injected inline
    # script (what an XSS would add) is refused and reported.
    with contextlib.suppress(Exception):  # Playwright may raise when the script is refused
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("window.injected === undefined")
    for _ in range(50):  # the report crosses from the page to the test asynchronously
        if page.violations:
            break
        page.wait_for_timeout(100)
    assert [v for v in page.violations if v.startswith("script-src")], page.violations


def test_wagtail_page_editor_and_preview_work_under_the_policy(asgi_live_server, new_page):
    base = asgi_live_server.url
    module = module_page(title="Spotting made-up citations")
    lesson = lesson_page(module, title="Fluent is not true", body=[text_block(), quiz_block()])
    challenge = make_challenge()
    admin = User.objects.create_superuser(email="root@example.com", password="x-secret-1234")
    page = watched_page(new_page, base, admin)

    page.goto(f"{base}/admin/")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    assert_clean(page)

    # The lesson editor: StreamField (quiz block) and the live preview panel.
    page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value("Fluent is not true")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Fluent is not true")
    # (Wagtail's automatic preview refresh after typing is not driven here: in headless
    # Chromium it sends no update request, with or without the policy.)
    assert_clean(page)

    # The challenge editor: its InlinePanels (answer key, behaviours) run inline scripts of
    # Wagtail's own, allowed under /admin/ only; adding a behaviour is done by that script.
    page.goto(f"{base}/admin/pages/{challenge.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(challenge.title)
    probes = page.locator("textarea[id^='id_behaviours-'][id$='-probe']:visible")
    before = probes.count()
    page.get_by_role("button", name="Add Behaviour").click()
    expect(probes).to_have_count(before + 1)
    assert_clean(page)

"""Browser: a step's form comes back empty once the server has the record (the browser's own
copy of the draft is dropped), and each label focuses its own step's field."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge
from tests.support.browser import signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_context_and_test_forms_come_back_empty_after_a_submit(new_page, live_server):
    challenge = make_challenge()
    user = UserFactory(team=TeamFactory(name="Care", slug="care"))
    page = signed_in_page(new_page, live_server.url, user)
    # Draft saves do not reach the server, so the browser keeps its own copy of what is typed
    # (as on a slow or flaky connection) right up to the submit.
    page.route("**/draft/**", lambda route: route.abort())
    page.goto(f"{live_server.url}{challenge.url}")

    page.get_by_label("Kind").select_option(label="Policy")
    page.get_by_label("Title").fill("Refunds need proof of purchase")
    page.get_by_label("What the AI did not know").fill("Returns need a receipt within 30 days.")
    expect(page.locator("#context-form [data-draft-status]")).to_contain_text("Offline")
    page.get_by_role("button", name="Add context note").click()
    expect(page.locator(".messages")).to_contain_text("Context note added")
    expect(page.locator(".note-list")).to_contain_text("Refunds need proof of purchase")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_label("What the AI did not know")).to_have_value("")
    expect(page.locator("#context-form [data-draft-status]")).not_to_contain_text("Restored")

    page.get_by_label("Your tricky input").fill("I lost my receipt. Can I still return it?")
    page.get_by_label("A good answer must…").fill("Ask for another proof of purchase")
    page.get_by_label("A good answer must not…").fill("Promise a refund without proof")
    expect(page.locator("#test-form [data-draft-status]")).to_contain_text("Offline")
    page.get_by_role("button", name="Run the test").click()
    expect(page.locator(".messages")).to_contain_text("The AI answered your test")
    expect(page.get_by_label("Your tricky input")).to_have_value("")
    expect(page.locator("#test-form [data-draft-status]")).not_to_contain_text("Restored")
    # Nothing is restored on a later visit either.
    page.reload()
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_label("Your tricky input")).to_have_value("")


def test_a_copy_that_never_reached_the_server_is_still_restored(new_page, live_server):
    challenge = make_challenge()
    user = UserFactory()
    page = signed_in_page(new_page, live_server.url, user)
    page.route("**/draft/**", lambda route: route.abort())
    page.goto(f"{live_server.url}{challenge.url}")
    page.get_by_label("Title").fill("Typed but never sent")
    expect(page.locator("#context-form [data-draft-status]")).to_contain_text("Offline")
    page.reload()
    expect(page.get_by_label("Title")).to_have_value("Typed but never sent")
    expect(page.locator("#context-form [data-draft-status]")).to_contain_text("Restored")


def test_each_label_focuses_its_own_steps_field(new_page, live_server):
    challenge = make_challenge()
    page = signed_in_page(new_page, live_server.url, UserFactory())
    page.goto(f"{live_server.url}{challenge.url}")
    page.locator("#context-form label", has_text="What the AI did not know").click()
    assert page.evaluate("document.activeElement.closest('form').id") == "context-form"
    page.locator("#correct-form label", has_text="Your rewrite").click()
    assert page.evaluate("document.activeElement.closest('form').id") == "correct-form"

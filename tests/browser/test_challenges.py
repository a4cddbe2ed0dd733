"""Browser tests of the mentoring loop: one employee walks all five steps, a peer reviews.

Driven through a real Chromium; the JavaScript enhancements (text selection, drafts) are used
where a person would use them.
"""

import re

import pytest
from playwright.sync_api import expect

from leaderboard.models import PointsAward
from tests.accounts.factories import PASSWORD, TeamFactory, UserFactory
from tests.challenges.factories import (
    REFUND_QUOTE,
    SECRET_EXPLANATION,
    make_challenge,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()


def points_of(user) -> int:
    return sum(PointsAward.objects.filter(user=user).values_list("amount", flat=True))


def select_in_output(page, text):
    """Select ``text`` inside the AI output as a mouse user would."""
    page.evaluate(
        """(text) => {
            const node = document.getElementById('ai-output').firstChild;
            const start = node.textContent.indexOf(text);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + text.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        text,
    )


def test_an_employee_walks_all_five_steps_and_a_peer_reviews_the_correction(
    page, new_page, live_server
):
    challenge = make_challenge()
    author = UserFactory(team=TeamFactory(name="Care", slug="care"))
    reviewers = [UserFactory(team=TeamFactory(name=f"R{i}", slug=f"r{i}")) for i in range(2)]
    sign_in(page, live_server, author)
    page.goto(f"{live_server.url}{challenge.url}")
    expect(page.get_by_role("heading", name=challenge.title)).to_be_visible()
    assert SECRET_EXPLANATION not in page.content()

    # 1 Observe: a precise passage by text selection, and a whole sentence by checkbox.
    select_in_output(page, REFUND_QUOTE)
    page.get_by_role("button", name="Flag the selected text").click()
    page.get_by_label("Flaw category for the selected passage").select_option(
        label="Factual error / hallucination"
    )
    page.get_by_label("Customers like you usually forget the receipt anyway.").check()
    page.get_by_label("Flaw category for sentence 4").select_option(label="Tone and empathy")
    page.get_by_role("button", name="Submit flags").click()
    expect(page.locator(".observe-score")).to_contain_text("Your score: 100%")
    expect(page.locator(".answer-key")).to_contain_text(SECRET_EXPLANATION)
    expect(page.locator(".flag--hit")).to_have_count(2)

    # 2 Correct
    page.get_by_label("Your rewrite of the response").fill(
        "I'm sorry your kettle broke. It is under warranty: bring it with proof of purchase."
    )
    page.get_by_label("Why: what was wrong").fill("The AI invented a 90-day no-receipt refund.")
    page.get_by_role("button", name="Submit correction").click()
    expect(page.locator(".correction-status")).to_contain_text("0 reviews so far")

    # 3 Context
    page.get_by_label("Kind").select_option(label="Policy")
    page.get_by_label("Title").fill("Refunds need proof of purchase")
    page.get_by_label("What the AI did not know").fill(
        "Returns are accepted within 30 days with a receipt or card statement."
    )
    page.get_by_role("button", name="Add context note").click()
    expect(page.locator(".note-list")).to_contain_text("Waiting for L&D")

    # 4 Test: the sample AI's planted blind spot answers.
    expect(page.locator(".provider-info")).to_contain_text("sample")
    page.get_by_label("Your tricky input").fill("I lost my receipt. Can I still return my kettle?")
    page.get_by_label("A good answer must…").fill("Ask for another proof of purchase")
    page.get_by_label("A good answer must not…").fill("Promise a refund without proof")
    page.get_by_role("button", name="Run the test").click()
    expect(page.locator(".test-case").first).to_contain_text("Receipts are never needed")
    page.locator(".test-case").first.get_by_role("button", name="Fail").click()
    expect(page.locator(".messages")).to_contain_text("verdict is recorded")

    # 5 Reflect
    page.get_by_label("What changed in how you see").fill("I check every policy claim now.")
    page.get_by_label("What remains unsolved").fill("It still invents rules when unsure.")
    page.get_by_label("Share in the cross-team insights feed").check()
    page.get_by_role("button", name="Save reflection").click()
    expect(page.locator("#step-reflect")).to_contain_text("Shared in the")
    expect(page.locator(".steps-nav .tag--success")).to_have_count(5)
    flags_points = points_of(author)
    assert flags_points == 100
    page.goto(f"{live_server.url}/leaderboard/")
    expect(page.locator("[data-lb-me]")).to_contain_text(f"with {flags_points} points")

    # Two peers review the correction from the queue; the author's points follow.
    for reviewer in reviewers:
        peer = new_page()
        sign_in(peer, live_server, reviewer)
        peer.goto(f"{live_server.url}/challenge/reviews/")
        peer.get_by_role("link", name=re.compile(f"Correction on “{challenge.title}”")).click()
        expect(peer.locator(".correction-text")).to_contain_text("under warranty")
        for criterion in ["Accuracy", "Tone", "Completeness", "Policy fit"]:
            peer.get_by_role("group", name=re.compile(criterion)).get_by_label("4").check()
        peer.get_by_role("button", name="Submit review").click()
        expect(peer.locator(".messages")).to_contain_text("Review submitted")
    assert points_of(author) == flags_points + 75
    # The author's leaderboard standing moved with the reviews.
    page.goto(f"{live_server.url}/leaderboard/")
    expect(page.locator("[data-lb-me]")).to_contain_text(f"with {flags_points + 75} points")
    page.goto(f"{live_server.url}{challenge.url}")
    expect(page.locator(".correction-status")).to_contain_text("75 points")


def test_a_draft_survives_a_closed_tab(page, new_page, live_server):
    challenge = make_challenge()
    user = UserFactory()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{challenge.url}")
    page.get_by_label("Why: what was wrong").fill("Half-written reasons I must not lose")
    expect(page.locator("#correct-form [data-draft-status]")).to_contain_text("Draft saved")
    page.context.close()

    again = new_page()
    sign_in(again, live_server, user)
    again.goto(f"{live_server.url}{challenge.url}")
    expect(again.get_by_label("Why: what was wrong")).to_have_value(
        "Half-written reasons I must not lose"
    )


def test_text_typed_after_the_session_expired_is_kept_and_saved_after_sign_in(page, live_server):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    from challenges.models import Draft

    challenge = make_challenge()
    user = UserFactory()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{challenge.url}")
    reason = page.get_by_label("Why: what was wrong")
    reason.fill("First thoughts")
    status = page.locator("#correct-form [data-draft-status]")
    expect(status).to_contain_text("Draft saved")

    # The session expires while the tab stays open: gone from every store the engine keeps it
    # in (with Redis, cached_db: the cache and the table).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()
    assert not Session.objects.exists()
    reason.fill("First thoughts, then much more I typed after my session ended")
    expect(status).to_contain_text("Your session has expired")

    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{challenge.url}")
    expect(page.get_by_label("Why: what was wrong")).to_have_value(
        "First thoughts, then much more I typed after my session ended"
    )
    expect(status).to_contain_text("Draft saved")
    draft = Draft.objects.get(user=user, challenge=challenge, step="correct")
    assert "after my session ended" in str(draft.data)

"""Two people in real Chromium: B's board redraws live, without a reload, when A earns points."""

import time

import pytest

from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.support.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_updates_live_within_two_seconds_when_a_colleague_earns_points(
    asgi_live_server, new_page
):
    a = UserFactory(first_name="Avery", last_name="Earner")
    b = UserFactory(first_name="Blake", last_name="Watcher")
    c = UserFactory(first_name="Casey", last_name="Giver")
    points_award(user=b, amount=3, kind="x", source_key="seed")

    board = signed_in_page(new_page, asgi_live_server, b)
    board.goto(f"{asgi_live_server.url}/leaderboard/")
    board.wait_for_selector("[data-lb-board][data-lb-updates='1']")  # the socket's snapshot
    board.evaluate("window.__sameDocument = true")
    rows = board.locator("[data-lb-rows]")
    assert "Avery Earner" not in rows.inner_text()

    # A earns points through the site: C gives A kudos from A's profile page.
    giver = signed_in_page(new_page, asgi_live_server, c)
    giver.goto(f"{asgi_live_server.url}/leaderboard/people/{a.pk}/")
    giver.fill("#kudos-message", "Great catch on the refund policy!")
    giver.click("button:has-text('Give kudos')")
    giver.wait_for_selector("text=are on their way")
    earned_at = time.monotonic()

    rows.get_by_text("Avery Earner").wait_for(timeout=2000)
    assert time.monotonic() - earned_at < 2
    assert board.evaluate("window.__sameDocument") is True  # redrawn, not reloaded
    first_row = rows.locator("tr").first
    assert "Avery Earner" in first_row.inner_text() and "5" in first_row.inner_text()
    # B's own rank moved from 1 to 2, and the row is marked as having moved down.
    board.locator("[data-lb-me]").get_by_text("#2").wait_for(timeout=2000)
    assert "lb-row--down" in rows.locator("tr.lb-row--me").get_attribute("class")

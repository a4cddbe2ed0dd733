"""Two people in real Chromium: B's board redraws live, without a reload, when A earns points."""

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

    rows.get_by_text("Avery Earner").wait_for(timeout=2000)
    assert board.evaluate("window.__sameDocument") is True  # redrawn, not reloaded
    first_row = rows.locator("tr").first
    assert "Avery Earner" in first_row.inner_text() and "5" in first_row.inner_text()
    # B's own rank moved from 1 to 2, and the row is marked as having moved down.
    board.locator("[data-lb-me]").get_by_text("#2").wait_for(timeout=2000)
    assert "lb-row--down" in rows.locator("tr.lb-row--me").get_attribute("class")


@pytest.fixture
def two_live_rows(settings):
    # Before asgi_live_server: the server process is forked with these settings.
    settings.LEADERBOARD_LIVE_ROWS = 2


def _give_kudos(new_page, server, giver, recipient) -> None:
    page = signed_in_page(new_page, server, giver)
    page.goto(f"{server.url}/leaderboard/people/{recipient.pk}/")
    page.fill("#kudos-message", "Thanks for the careful review!")
    page.click("button:has-text('Give kudos')")
    page.wait_for_selector("text=are on their way")


def test_a_viewer_outside_the_top_n_sees_their_own_row_update_live(
    two_live_rows, asgi_live_server, new_page
):
    for i, last in enumerate(("One", "Two", "Three")):
        leader = UserFactory(first_name="Lead", last_name=last)
        points_award(user=leader, amount=10 + i, kind="x", source_key="seed")
    viewer = UserFactory(first_name="Blake", last_name="Watcher")
    points_award(user=viewer, amount=3, kind="x", source_key="seed")

    board = signed_in_page(new_page, asgi_live_server, viewer)
    board.goto(f"{asgi_live_server.url}/leaderboard/")
    board.wait_for_selector("[data-lb-board][data-lb-updates='1']")
    board.evaluate("window.__sameDocument = true")
    rows = board.locator("[data-lb-rows]")
    # The socket sends the top 2 and the viewer's own row, drawn after a gap.
    assert [t.split("\t")[1] for t in rows.locator("tr[data-key]").all_inner_texts()] == [
        "Lead Three",
        "Lead Two",
        "Blake Watcher you",
    ]
    assert rows.locator("tr.lb-gap").count() == 1
    me = rows.locator("tr.lb-row--me")
    assert me.locator("[data-rank]").inner_text().strip() == "4"
    first_version = int(board.get_attribute("[data-lb-board]", "data-lb-version"))

    # Still fourth after 5 points: the own row (outside the top 2) updates live.
    _give_kudos(new_page, asgi_live_server, UserFactory(), viewer)
    me.locator("td.lb-num", has_text="8").wait_for(timeout=5000)
    assert me.locator("[data-rank]").inner_text().strip() == "4"
    assert rows.locator("tr.lb-gap").count() == 1

    # 13 points: first. The row moves into the top, marked up three places, and the gap goes.
    _give_kudos(new_page, asgi_live_server, UserFactory(), viewer)
    rows.locator("tr").first.get_by_text("Blake Watcher").wait_for(timeout=5000)
    assert "lb-row--up" in rows.locator("tr").first.get_attribute("class")
    assert "▲3" in rows.locator("tr").first.inner_text()
    assert rows.locator("tr.lb-gap").count() == 0
    assert rows.locator("tr[data-key]").count() == 2
    board.locator("[data-lb-me]").get_by_text("#1").wait_for(timeout=2000)
    assert int(board.get_attribute("[data-lb-board]", "data-lb-version")) > first_version
    assert board.evaluate("window.__sameDocument") is True

"""A live board in real Chromium resyncs by itself after a Redis outage.

daphne serves the board with its channel layer and cache on a ``redis-server`` that the test
kills: the board says it lost its connection, points are earned meanwhile, and once Redis is
started again the page reconnects (with backoff) and shows them from a fresh snapshot, then
keeps receiving live updates, all without a reload. Runs in both CI passes (its own server).
"""

import threading

import pytest
from django.db import connections

from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.support.browser import signed_in_page
from tests.support.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def award(user, amount: int, key: str) -> None:
    """Award as a request would: in a thread without an event loop (Playwright runs one here,
    and the after-commit announcement calls the channel layer through async_to_sync)."""

    def run():
        try:
            points_award(user=user, amount=amount, kind="x", source_key=key)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


# redis_server comes first: daphne's process must start with the settings pointing at it.
def test_board_resyncs_after_redis_comes_back(redis_server, asgi_live_server, new_page):  # noqa: F811
    earner = UserFactory(first_name="Avery", last_name="Earner")
    watcher = UserFactory(first_name="Blake", last_name="Watcher")
    points_award(user=watcher, amount=3, kind="x", source_key="seed")

    board = signed_in_page(new_page, asgi_live_server, watcher)
    board.goto(f"{asgi_live_server.url}/leaderboard/")
    board.wait_for_selector("[data-lb-board][data-lb-updates='1']")
    board.evaluate("window.__sameDocument = true")
    status = board.locator("[data-lb-status]")
    rows = board.locator("[data-lb-rows]")

    redis_server.kill()
    status.get_by_text("reconnecting").wait_for()
    award(earner, 30, "during-the-outage")
    # A long outage: five reconnects fail (about 12 s). The backoff is capped at 5 s, so the
    # page tries again within the wait below once Redis is back (uncapped, it would wait 30 s).
    board.wait_for_selector("[data-lb-board][data-lb-reconnects='5']", timeout=60_000)
    redis_server.start()

    # The reconnected socket's snapshot carries what was earned while Redis was away.
    rows.get_by_text("Avery Earner").wait_for()
    assert "30" in rows.locator("tr").first.inner_text()
    # And live updates flow again.
    award(watcher, 50, "after-the-outage")
    rows.locator("tr.lb-row--me").get_by_text("53").wait_for()
    assert board.evaluate("window.__sameDocument") is True  # redrawn, never reloaded

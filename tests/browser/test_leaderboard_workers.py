"""Live updates across two ASGI workers: an award made in worker A reaches a board on worker B.

Two separate daphne processes share only the test database and Redis (channel layer and
cache), as two workers of a deployment do. Skipped unless REDIS_URL is set: the in-memory
channel layer cannot cross processes, which is the point of this test.
"""

import os
from functools import partial

import pytest
from django.conf import settings

from leaderboard.services import points_award
from tests.accounts.factories import UserFactory

# The same server process preparation as the single-server fixture (test database settings,
# fresh channel layers and asgiref executor after the fork).
from tests.conftest import _asgi_application, _prepare_server_process
from tests.support.browser import signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="Needs REDIS_URL: workers share a Redis layer."
    ),
]


def _stop(process) -> None:
    process.terminate()
    process.join(timeout=10)
    if process.is_alive():
        process.kill()
        process.join(timeout=5)


@pytest.fixture
def two_workers(transactional_db):
    """Two daphne processes (HTTP + websockets) on the test database and the Redis layer."""
    from daphne.testing import DaphneProcess
    from django.db import connections

    assert "redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"].lower()
    if any(
        c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all(initialized_only=True)
    ):
        pytest.fail("The workers need a file-backed test database.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    connections.close_all()  # no connection is shared with the forks
    workers = []
    try:
        for _name in ("A", "B"):
            process = DaphneProcess(
                "127.0.0.1", partial(_asgi_application), setup=_prepare_server_process
            )
            workers.append(process)
            process.start()
        for process in workers:
            if not process.ready.wait(timeout=20):
                pytest.fail("An ASGI worker did not start within 20 seconds.")
        a, b = workers
        assert a.pid != b.pid and a.port.value != b.port.value
        yield tuple(f"http://127.0.0.1:{p.port.value}" for p in workers)
    finally:
        for process in workers:
            _stop(process)


def test_kudos_given_on_worker_a_redraws_a_board_watched_on_worker_b(two_workers, new_page):
    worker_a, worker_b = two_workers
    earner = UserFactory(first_name="Avery", last_name="Earner")
    watcher = UserFactory(first_name="Blake", last_name="Watcher")
    giver = UserFactory(first_name="Casey", last_name="Giver")
    points_award(user=watcher, amount=3, kind="x", source_key="seed")

    # The watcher's socket is served by worker B only.
    board = signed_in_page(new_page, worker_b, watcher)
    board.goto(f"{worker_b}/leaderboard/")
    board.wait_for_selector("[data-lb-board][data-lb-updates='1']", timeout=10_000)
    board.evaluate("window.__sameDocument = true")
    rows = board.locator("[data-lb-rows]")
    assert "Avery Earner" not in rows.inner_text()

    # The award happens in worker A's process: a kudos form posted there (CSRF and all).
    page_a = signed_in_page(new_page, worker_a, giver)
    page_a.goto(f"{worker_a}/leaderboard/people/{earner.pk}/")
    page_a.fill("#kudos-message", "Thanks for pairing on the flaky test!")
    page_a.click("button:has-text('Give kudos')")
    page_a.wait_for_selector("text=are on their way")

    # Worker A announced on Redis; a consumer in worker B broadcast the update to B's socket.
    rows.get_by_text("Avery Earner").wait_for(timeout=5000)
    assert board.evaluate("window.__sameDocument") is True  # redrawn, not reloaded
    assert int(board.get_attribute("[data-lb-board]", "data-lb-updates")) >= 2
    board.locator("[data-lb-me]").get_by_text("#2").wait_for(timeout=5000)

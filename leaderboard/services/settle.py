"""What an award leaves for after its commit: folding its deltas into the shared aggregates,
announcing the scopes it moved, and evaluating the badges of its person (its ``BadgeCheck``).

Where it runs follows where the project's background work runs (``TASKS``), or
``LEADERBOARD_AWARD_FOLLOWUP`` ("inline" or "background") when that is set:

- inline (the immediate task backend: tests, development, SQLite always): in the awarding
  thread right after commit, and the award folds inside its own transaction when no one else
  is folding, so boards are exact at commit;
- background (PostgreSQL with a real task backend: production, the benchmarks): each commit
  wakes one thread per process, which does the work of every award the process committed since
  its last round in one go (one fold, one announcement of the scopes they moved together, one
  badge batch). The awarding call ends at its commit, and the follow-up costs a few statements
  per round however many awards it covers; it follows the commit by one round, a few
  milliseconds when idle.

Nothing is lost to a crash: the deltas and badge checks are rows written in the award's
transaction, and every fold (any process's next round, the presence heartbeat, the
``presence_sweep`` command) takes all of them, not just its own.
"""

import atexit
import logging
import os
import threading

from django.conf import settings
from django.db import connection

from leaderboard.aggregates import aggregates_fold

logger = logging.getLogger(__name__)


def background() -> bool:
    """Whether awards hand their follow-up to the process's settler thread."""
    choice = getattr(settings, "LEADERBOARD_AWARD_FOLLOWUP", "")
    if choice:
        return choice == "background" and connection.vendor == "postgresql"
    if connection.vendor != "postgresql":
        return False  # one writer at a time: a second thread would only wait for the first
    return not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def awards_settle(moved=(), *, badge_rounds: int = 50) -> bool:
    """Fold pending deltas, announce the ``moved`` scopes, evaluate pending badge checks (up to
    ``badge_rounds`` batches); whether badge checks may be left.

    Takes everyone's pending work, not only the caller's; failures are logged (the awards are
    committed; what is left is taken by the next round anywhere)."""
    from leaderboard import broadcast
    from leaderboard.badges import badges_drain

    try:
        # Before the announcement, so the boards it triggers read folded ranks.
        aggregates_fold(badges=False)
    except Exception:
        logger.exception("Could not fold the standings' pending deltas")
    if moved:
        try:
            broadcast.announce(sorted(moved))
        except Exception:
            logger.exception("Could not announce leaderboard scopes %s", sorted(moved))
    try:
        return badges_drain(rounds=badge_rounds)[1]
    except Exception:
        logger.exception("Could not evaluate the pending badge checks")
        return False


def after_commit(*, moved: list[str], inline: bool) -> None:
    """An award's follow-up, once its transaction has committed."""
    if inline:
        awards_settle(moved)
    else:
        _settler().add(moved)


class _Settler:
    """One thread per process doing the follow-up of the awards the process commits."""

    def __init__(self):
        self.pid = os.getpid()
        self.wake = threading.Event()
        self.idle = threading.Event()
        self.lock = threading.Lock()
        self.moved: set[str] = set()
        self.stopping = False
        self.thread = threading.Thread(target=self.run, name="award-settler", daemon=True)
        self.thread.start()

    def add(self, moved) -> None:
        with self.lock:
            self.moved.update(moved)
            self.idle.clear()
        self.wake.set()

    def stop(self, timeout: float) -> None:
        """A last round (what was asked before is done), then the thread closes its database
        connection and ends."""
        self.stopping = True
        self.wake.set()
        self.thread.join(timeout)

    def run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            with self.lock:
                moved, self.moved = self.moved, set()
            try:
                # One badge batch a round: a backlog of grants (people new to the badges)
                # must not hold up the fold, which keeps the boards' ranks current.
                if awards_settle(moved, badge_rounds=50 if self.stopping else 1):
                    self.wake.set()
            except Exception:  # never let the thread die; the next wake tries again
                logger.exception("The award settler's round failed")
            if connection.errors_occurred:
                if connection.connection is not None and connection.is_usable():
                    connection.errors_occurred = False  # a caught IntegrityError, say
                else:
                    connection.close()  # reconnect next round (the database restarted, say)
            if self.stopping and not self.wake.is_set():
                connection.close()
                self.idle.set()
                return
            with self.lock:
                if not self.moved and not self.wake.is_set():
                    self.idle.set()


_current: _Settler | None = None
_create = threading.Lock()


def _settler() -> _Settler:
    global _current
    settler = _current
    if settler is None or settler.pid != os.getpid():
        with _create:
            if _current is None or _current.pid != os.getpid():
                _current = _Settler()
            settler = _current
    return settler


def settle_wait(timeout: float = 5.0) -> bool:
    """Wait until this process's settler has done every round asked of it (True), or timeout.
    For the end of a process, benchmarks and tests that run the thread."""
    settler = _current
    if settler is None or settler.pid != os.getpid():
        return True
    return settler.idle.wait(timeout)


def settle_stop(timeout: float = 5.0) -> None:
    """Finish this process's follow-up and end its settler (its connection closed); the next
    award starts a new one. At exit, and for tests that run the thread."""
    global _current
    settler = _current
    if settler is not None and settler.pid == os.getpid():
        settler.stop(timeout)
        _current = None


def _after_fork_in_child() -> None:
    global _current, _create
    _current, _create = None, threading.Lock()  # the parent's thread does not exist here


os.register_at_fork(after_in_child=_after_fork_in_child)
# A command that awards and exits finishes its follow-up first (a killed process leaves it to
# the next fold anywhere).
atexit.register(settle_stop)

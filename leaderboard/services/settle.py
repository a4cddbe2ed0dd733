"""What an award leaves for after its commit: folding its deltas into the shared aggregates,
announcing the scopes it moved, and evaluating the badges of its person (its ``BadgeCheck``).

Where it runs follows where the project's background work runs (``TASKS``), or
``LEADERBOARD_AWARD_FOLLOWUP`` ("inline" or "background") when that is set:

- inline (the immediate task backend: tests, development, SQLite always): in the awarding
  thread right after commit, and the award folds inside its own transaction when no one else
  is folding, so boards are exact at commit;
- background (PostgreSQL with a real task backend: production, the benchmarks): each commit
  wakes two threads of the process, which do the work of every award the process committed
  since their last round in one go: one fold and one announcement of the scopes they moved
  together; one badge batch. The awarding call ends at its commit, and the follow-up costs a
  few statements per round however many awards it covers; it follows the commit by one round,
  a few tens of milliseconds when idle (``LINGER``), and under load rounds are spaced
  (``PERIOD``: at most 10 folds and 4 badge batches a second per process), so each covers more.

Nothing is lost to a crash: the deltas and badge checks are rows written in the award's
transaction, and every fold (any process's next round, the presence heartbeat, the
``presence_sweep`` command) takes all of them, not just its own.
"""

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection

from leaderboard.aggregates import aggregates_fold

logger = logging.getLogger(__name__)

# How long a woken settler lets more commits gather before its round (seconds): under load a
# round then covers tens of awards instead of one or two, and settlers of several processes
# stop racing for the fold lock on every commit. Small beside the broadcast interval (1 s).
LINGER = {"standings": 0.02, "badges": 0.05}
# The least time between the starts of two rounds of a settler (seconds). Idle, a round follows
# its commit by ``LINGER``; busy (awards committing all the time), each process folds and
# announces at most ten times a second and drains badge checks four times a second, each round
# for everything committed since the last: a round's cost (its statements, its Python) is then
# shared by more awards (at 300 awards/s in 5 processes, ~6 instead of ~1.5 a round). Well
# inside the broadcast interval, which is measured from the first commit anyway.
PERIOD = {"standings": 0.1, "badges": 0.25}


def background() -> bool:
    """Whether awards hand their follow-up to the process's settler thread."""
    choice = getattr(settings, "LEADERBOARD_AWARD_FOLLOWUP", "")
    if choice:
        return choice == "background" and connection.vendor == "postgresql"
    if connection.vendor != "postgresql":
        return False  # one writer at a time: a second thread would only wait for the first
    return not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def standings_settle(moved=(), *, since: float | None = None) -> None:
    """Fold pending deltas, then announce the ``moved`` scopes (so the boards the announcement
    triggers read folded ranks). Folds everyone's deltas, not only the caller's; failures are
    logged (the awards are committed; what is left goes to the next fold anywhere)."""
    from leaderboard import broadcast

    try:
        aggregates_fold(badges=False)
    except Exception:
        logger.exception("Could not fold the standings' pending deltas")
    if moved:
        try:
            broadcast.announce(sorted(moved), since=since)
        except Exception:
            logger.exception("Could not announce leaderboard scopes %s", sorted(moved))


def badges_settle(*, rounds: int = 50) -> bool:
    """Evaluate pending badge checks (up to ``rounds`` batches, anyone's); whether some may be
    left. Failures are logged, as for the fold."""
    from leaderboard.badges import badges_drain

    try:
        return badges_drain(rounds=rounds)[1]
    except Exception:
        logger.exception("Could not evaluate the pending badge checks")
        return False


def awards_settle(moved=(), *, badge_rounds: int = 50) -> bool:
    """The whole follow-up at once (inline, and what tests call): ``standings_settle``, then
    ``badges_settle``; whether badge checks may be left."""
    standings_settle(moved)
    return badges_settle(rounds=badge_rounds)


def after_commit(*, moved: list[str], inline: bool) -> None:
    """An award's follow-up, once its transaction has committed."""
    if inline:
        awards_settle(moved)
    else:
        for settler in _settlers():
            settler.add(moved)


class _Settler:
    """A thread of this process doing one part of the follow-up of the awards it commits: the
    fold and announcement (``standings``), or the badges. Two threads, so a backlog of badge
    grants (people new to the badges: a notification each) never holds up the fold, which
    keeps the boards' ranks current."""

    def __init__(self, part: str):
        self.part = part
        self.pid = os.getpid()
        self.wake = threading.Event()
        self.idle = threading.Event()
        self.lock = threading.Lock()
        self.moved: set[str] = set()
        # When the first award of this round was committed (the live boards' window starts there).
        self.since: float | None = None
        self.stopping = False
        self.thread = threading.Thread(target=self.run, name=f"award-{part}", daemon=True)
        self.thread.start()

    def add(self, moved) -> None:
        with self.lock:
            self.moved.update(moved)
            if self.since is None:
                self.since = time.time()
            self.idle.clear()
        self.wake.set()

    def stop(self, timeout: float) -> None:
        """A last round (what was asked before is done), then the thread closes its database
        connection and ends."""
        self.stopping = True
        self.wake.set()
        self.thread.join(timeout)

    def round(self, moved: set[str], since: float | None = None) -> bool:
        """One round; whether more work is known to wait."""
        if self.part == "standings":
            standings_settle(moved, since=since)
            return False
        # One batch a round, so a stop is not kept waiting by a long backlog.
        return badges_settle(rounds=50 if self.stopping else 1)

    def run(self) -> None:
        started = float("-inf")
        while True:
            self.wake.wait()
            if not self.stopping:
                time.sleep(max(LINGER[self.part], started + PERIOD[self.part] - time.monotonic()))
            started = time.monotonic()
            self.wake.clear()
            with self.lock:
                moved, self.moved = self.moved, set()
                since, self.since = self.since, None
            try:
                if self.round(moved, since):
                    self.wake.set()
            except Exception:  # never let the thread die; the next wake tries again
                logger.exception("The award follow-up's %s round failed", self.part)
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


_current: tuple[_Settler, ...] = ()
_create = threading.Lock()


def _settlers() -> tuple[_Settler, ...]:
    global _current
    settlers = _current
    if not settlers or settlers[0].pid != os.getpid():
        with _create:
            if not _current or _current[0].pid != os.getpid():
                _current = (_Settler("standings"), _Settler("badges"))
            settlers = _current
    return settlers


def settle_wait(timeout: float = 5.0) -> bool:
    """Wait until this process's settlers have done every round asked of them (True), or
    timeout. For benchmarks and tests that run the threads."""
    settlers = _current
    if not settlers or settlers[0].pid != os.getpid():
        return True
    return all(settler.idle.wait(timeout) for settler in settlers)


def settle_stop(timeout: float = 5.0) -> None:
    """Finish this process's follow-up and end its settlers (their connections closed); the
    next award starts new ones. At exit, and for tests that run the threads."""
    global _current
    settlers = _current
    if settlers and settlers[0].pid == os.getpid():
        for settler in settlers:
            settler.stop(timeout)
        _current = ()


def _after_fork_in_child() -> None:
    global _current, _create
    _current, _create = (), threading.Lock()  # the parent's threads do not exist here


# A fork waits (up to 5 s) for the settlers to be idle: an idle thread holds no lock but its
# event's, so the child cannot inherit a lock held mid-round (a benchmark forking writers after
# awarding in the parent).
os.register_at_fork(before=settle_wait, after_in_child=_after_fork_in_child)
# A command that awards and exits finishes its follow-up first (a killed process leaves it to
# the next fold anywhere).
atexit.register(settle_stop)

"""The in-process (Django) side of ``bench/scale.py``: seed, rebuild, reads, award writes.

Imported only after ``django.setup()`` with the run's settings (production settings on the
scratch PostgreSQL database and Redis database of the run).
"""

import random
import statistics
import sys
import threading
import time

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from accounts.models import User
from bench.common import aggregates_snapshot, ledger_top, processes_stop
from challenges.models import ChallengeWeek
from home import scale
from leaderboard import selectors, services
from leaderboard.models import PointsAward, Standing

SOURCE = "bench-scale"
SKILLS = scale.SKILLS


def percentile(values, q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def med_p95(values) -> tuple[float, float]:
    return (statistics.median(values) if values else float("nan")), percentile(values, 0.95)


def seed(*, users: int, teams: int, awards: int, weeks: int) -> dict[str, float]:
    """Seconds per phase of ``seed_scale`` (the whole included)."""
    started = time.perf_counter()
    phases = scale.scale_seed(
        users=users,
        teams=teams,
        awards=awards,
        weeks=weeks,
        password="bench-scale-password",  # noqa: S106 - scratch database
    )
    return {"whole": time.perf_counter() - started, **phases}


def rebuild_seconds() -> float:
    started = time.perf_counter()
    services.standings_rebuild()
    return time.perf_counter() - started


def timed(fn, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def reads(samples: int) -> dict[str, list[float]]:
    """Board reads next to their reference, aggregating the ledger (ms per read)."""
    rng = random.Random(5)
    ids = list(Standing.objects.filter(scope="all").values_list("user_id", flat=True))
    watchers = rng.sample(ids, min(100, len(ids)))

    def top_and_rank():
        selectors.board_top(scope="all", limit=20)
        selectors.standing_rank(scope="all", user=User(pk=rng.choice(ids)))

    out = {"reference: top 20 aggregated from the ledger": timed(ledger_top, samples)}
    out["board top 20 + own rank (all)"] = timed(top_and_rank, samples * 4)
    try:  # the broadcast as this version builds it: one head, one batch of viewers' tails
        from leaderboard import payloads

        tails = [
            payloads.Watcher(channel_name=f"bench{i}", scope="all", user_id=uid, near=i % 2 == 0)
            for i, uid in enumerate(watchers)
        ]
        out["broadcast head (all)"] = timed(lambda: payloads.heads("all"), samples * 2)
        out["one worker's tails, 100 watchers, half near me (all)"] = timed(
            lambda: payloads.viewer_tails("all", tails), samples
        )
    except (ImportError, AttributeError, TypeError):
        out["broadcast payload, 100 watchers (all)"] = timed(
            lambda: selectors.board_payload(scope="all", user_ids=watchers, limit=20), samples * 4
        )
    return out


def seeded_user_ids() -> list[int]:
    return list(
        User.objects.filter(email__endswith=f"@{scale.DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def running_week() -> int | None:
    now = timezone.now()
    return (
        ChallengeWeek.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .order_by("-starts_at")
        .values_list("pk", flat=True)
        .first()
    )


def award(rng: random.Random, user_id: int, week_id: int | None, key: str):
    """One uncapped challenge award through the site's one writer of the ledger.

    Like a challenge step: in ``all`` and the month, in a skill 70% of the time and in the
    running challenge week half of the time. Returns (the award or None, seconds, queries).
    """
    user = User.objects.get(pk=user_id)
    started = time.perf_counter()
    result = services.points_award(
        user=user,
        amount=rng.randint(1, 30),
        kind="challenge.flags",
        source_key=key,
        skill=rng.choice(SKILLS) if rng.random() < 0.7 else "",
        week_id=week_id if week_id and rng.random() < 0.5 else None,
    )
    return result, time.perf_counter() - started


def single_awards(count: int, user_ids: list[int]) -> dict:
    """``count`` awards one after another: queries of each (captured) and latency."""
    rng = random.Random(11)
    week = running_week()
    queries, times, sample_sql, new, errors, control = [], [], [], 0, [], []
    for n in range(count):
        with CaptureQueriesContext(connection) as captured:
            try:
                result, seconds = award(rng, rng.choice(user_ids), week, f"{SOURCE}:single:{n}")
            except Exception as error:  # counted and reported; the run goes on
                errors.append(f"{error.__class__.__name__}: {str(error).splitlines()[0][:100]}")
                continue
        new += result is not None
        # The user is loaded before the timed call (as a request has it): not the award's.
        queries.append(len(captured) - 1)
        control.append(
            sum(
                1
                for q in captured.captured_queries
                if q["sql"].split(" ", 1)[0].upper() in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
            )
        )
        times.append(seconds * 1000)
        if len(captured) - 1 >= max(queries):  # the statements of the costliest award
            sample_sql = [q["sql"][:300] for q in captured.captured_queries[1:]]
    return {
        "queries": queries,
        "control": control,
        "ms": times,
        "new": new,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:3],
        "sample_sql": sample_sql,
    }


def _writer(
    index: int, threads: int, user_ids, week, start_at: float, seconds: float, queue, pace=None
):
    """One writer process: ``threads`` threads, each with its own connection, until the end.

    ``pace``: (seconds between one thread's awards, this process's first thread's offset,
    offset step between threads) for the open loop; None: each thread awards again as soon as
    its last award returns (closed loop).
    """
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the run's handler: just end
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    connections.close_all()  # never share the parent's sockets
    results: list = []
    lock = threading.Lock()

    def loop(t: int):
        rng = random.Random(index * 1000 + t)
        mine, n = [], 0
        # Warm before the window, as a web worker that has served requests is: its connection
        # open (persistent connections), its statements prepared, its process's follow-up
        # threads running and connected. One award each, under keys outside the run's (not
        # counted); cold, the fifty connections, their first plans and the settlers' first
        # rounds all fell in the window's first second (~0.5 s of CPU) and made its tail.
        try:
            award(
                rng, rng.choice(user_ids), week, f"{SOURCE}-warm:{'o' if pace else 'w'}{index}-{t}"
            )
        except Exception as error:  # the window's awards report what is wrong
            print(f"warm-up award: {error.__class__.__name__}", file=sys.stderr)
        while time.time() < start_at:
            time.sleep(0.01)
        due = start_at + (pace[1] + t * pace[2] if pace else 0)
        while (due if pace else time.time()) < start_at + seconds:
            key = f"{SOURCE}:{'o' if pace else 'w'}{index}-{t}:{n}"  # open loop: keys of its own
            n += 1
            if pace:
                # Open loop: the award is due at its slot; its latency counts from the slot, so
                # a writer that fell behind reports the wait too.
                time.sleep(max(0.0, due - time.time()))
                began, due = due, due + pace[0]
            else:
                began = time.time()
            try:
                result, took = award(rng, rng.choice(user_ids), week, key)
                took = time.time() - began if pace else took
                mine.append((began, took, result is not None, ""))
            except Exception as error:  # counted and reported, never retried
                mine.append((began, time.time() - began, False, repr(error)[:160]))
        connection.close()
        with lock:
            results.extend(mine)

    workers = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(results)


def concurrent_writers(
    *, writers: int, processes: int, seconds: float, user_ids, rate: float | None = None
) -> dict:
    """``writers`` concurrent writers (threads spread over forked processes) for ``seconds``.

    Closed loop by default (each writer awards again when its last award returns, so the mean
    latency is writers / throughput by Little's law); with ``rate`` an open loop: the writers
    together offer ``rate`` awards per second on a fixed schedule, and a latency counts from an
    award's scheduled time.
    """
    import multiprocessing

    week = running_week()
    # The writers stand for web workers that have served requests: the URLconf (every view
    # module, the API, allauth's) is loaded, as it is in the site's workers at start
    # (``config.asgi``). Loaded lazily instead, the first badge notification's ``reverse()`` in
    # each forked writer imported it: ~0.4 s of CPU holding the interpreter lock, ~2 s in which
    # that process's ten writers waited (the open loop's tail).
    get_resolver().reverse_dict  # noqa: B018 - loads every URL pattern and its module
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    processes = max(1, min(processes, writers))
    start_at = time.time() + 4  # every process ready (and warm) first
    procs = []
    first = 0
    try:
        for p in range(processes):
            threads = writers // processes + (1 if p < writers % processes else 0)
            # Open loop: writer w's awards are due at w / rate + k * writers / rate.
            pace = (writers / rate, first / rate, 1 / rate) if rate else None
            first += threads
            args = (p, threads, user_ids, week, start_at, seconds, queue, pace)
            proc = ctx.Process(target=_writer, args=args, daemon=True)
            proc.start()
            procs.append(proc)
        results = []
        for _ in procs:
            results.extend(queue.get(timeout=seconds + 600))
    finally:
        processes_stop(procs)
    # Throughput counts the awards that finished inside the window.
    done = [r for r in results if r[2] and r[0] + r[1] <= start_at + seconds]
    new = sum(1 for r in results if r[2])
    errors = [r[3] for r in results if r[3]]
    return {
        "calls": len(results),
        "new": new,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:3],
        "per_second": len(done) / seconds,
        "ms": [r[1] * 1000 for r in results if not r[3]],
    }


def fold_pending() -> str:
    """Apply deferred aggregate deltas if this version of the site defers them; its name."""
    try:
        from leaderboard import aggregates
    except ImportError:
        aggregates = None
    fn = getattr(aggregates, "aggregates_fold", None) or getattr(services, "aggregates_fold", None)
    if not callable(fn):
        return ""
    try:
        for _ in range(100):  # until nothing is left (each call folds a bounded number of rounds)
            if not fn():
                break
    except Exception as error:  # reported with the consistency figures, not a crash of the run
        first = str(error).splitlines()[0][:120] if str(error) else ""
        return f"aggregates_fold (it failed: {error.__class__.__name__}: {first})"
    return "aggregates_fold"


def consistency() -> dict:
    """After the writers: exactly once, and every aggregate equal to ``standings_rebuild``'s.

    The comparison is the load run's check (``bench/load_django.py``): snapshot, rebuild,
    snapshot, compare.
    """

    folded = fold_pending()
    ledger = PointsAward.objects.filter(source_key__startswith=f"{SOURCE}:").count()
    distinct = (
        PointsAward.objects.filter(source_key__startswith=f"{SOURCE}:")
        .values("user_id", "source_key")
        .distinct()
        .count()
    )
    try:
        from leaderboard.models import AggregateDelta

        left = AggregateDelta.objects.count()
    except ImportError:
        left = None
    before = aggregates_snapshot()
    services.standings_rebuild()
    after = aggregates_snapshot()
    differ = {name: len(set(before[name]) ^ set(after[name])) for name in before}
    return {
        "folded_with": folded,
        "deltas_left": left,
        "ledger": ledger,
        "distinct": distinct,
        "differ": differ,
    }


def sessions_for(user_ids: list[int]) -> list[str]:
    """A signed-in session (database session store) for each user; their keys."""
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils.crypto import get_random_string

    store = SessionStore()
    backend = settings.AUTHENTICATION_BACKENDS[0]
    expires = timezone.now() + timezone.timedelta(days=1)
    users = User.objects.in_bulk(user_ids)
    rows = [
        Session(
            session_key=get_random_string(32),
            session_data=store.encode(
                {
                    "_auth_user_id": str(uid),
                    "_auth_user_backend": backend,
                    "_auth_user_hash": users[uid].get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for uid in user_ids
    ]
    Session.objects.bulk_create(rows, batch_size=500)
    return [row.session_key for row in rows]


def award_stream(*, rate: float, seconds: float, user_ids, threads: int = 4) -> list[float]:
    """Awards at ``rate`` per second for ``seconds``; the commit time (epoch) of each.

    The commit time is taken by an on-commit callback registered before the award's own, so it
    runs first, right after the COMMIT (the award's announcement follows it).
    """
    week = running_week()
    total = int(rate * seconds)
    start = time.time() + 0.5
    commits: list[float] = []
    state = {"next": 0}
    lock = threading.Lock()

    def loop(t: int):
        rng = random.Random(100 + t)
        while True:
            with lock:
                n = state["next"]
                state["next"] += 1
            if n >= total:
                break
            delay = start + n / rate - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                with transaction.atomic():
                    transaction.on_commit(lambda: commits.append(time.time()))
                    award(rng, rng.choice(user_ids), week, f"{SOURCE}:push:{n}")
            except Exception as error:  # committed or not, the stream goes on (see the log)
                print(f"push award {n}: {error.__class__.__name__}", file=sys.stderr)
        connection.close()

    # Daemon threads: an interrupted run exits without waiting for the rest of the stream.
    workers = [threading.Thread(target=loop, args=(t,), daemon=True) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sorted(commits)

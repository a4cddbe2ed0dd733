"""Award writes alone, on an already seeded PostgreSQL database: issue 11 item 3's budgets.

    .venv/bin/python bench/awards.py [--single 200] [--writers 50 --processes 5 --seconds 20]
                                     [--rate 300] [--check]

The award phase of ``make bench-scale`` (``bench/scale_django.py``'s ``single_awards`` and
``concurrent_writers``) without the 25 minutes around it, so the award path can be measured
before and after each change. It does not seed: point it at a database filled once with

    createdb apprentice_awards && manage.py migrate
    manage.py seed_scale --users 100000 --teams 2000 --awards 2000000 --force

and the production settings ``bench/scale.py`` uses (``DATABASE_URL``, ``REDIS_URL``,
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DJANGO_SECURE_SSL_REDIRECT=false``;
``DJANGO_SETTINGS_MODULE`` defaults to ``config.settings.production``). Each run writes its
awards under a source key of its own (``bench-awards-<time>:...``), so runs can follow each other
on the same database; the ledger grows by a few thousand rows a run.

Prints, for ``--single`` awards in a row: SQL statements per award as the benchmark counts them
(everything ``points_award`` runs, after-commit work included, BEGIN/COMMIT when logged), median
and p95 latency; for the closed-loop writers: awards/s inside the window, median / p95 / max
latency, errors; then the same writers in an open loop offering ``--rate`` awards/s in total
(0: skip), latency counted from each award's scheduled slot (closed-loop 50 writers at 300/s
would mean 167 ms mean latency by Little's law, so the budget's p95 is read here). Before
measuring it VACUUMs the tables awards churn (this machine's
PostgreSQL runs with autovacuum off; ``--no-vacuum`` skips it). ``--check`` adds the end-of-run
check of ``make bench-scale`` (exactly once, no delta left, every aggregate equal to
``standings_rebuild``'s; the rebuild takes ~1 min).
"""

import argparse
import os
import resource
import statistics
import sys
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def vacuum(connection) -> None:
    """VACUUM the tables awards churn: a queue table (deltas, badge checks) that nobody vacuums
    keeps every deleted row's page and index entry, and each scan of it walks them all."""
    tables = [
        "leaderboard_aggregatedelta",
        "leaderboard_scorebucket",
        "leaderboard_teamstanding",
        "leaderboard_standing",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('leaderboard_badgecheck') IS NOT NULL")
        if cursor.fetchone()[0]:
            tables.append("leaderboard_badgecheck")
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def count_follow_up() -> dict:
    """Count what the award follow-up (``leaderboard.services.settle``) runs in this process's
    settler threads: rounds and SQL statements, so the statements the awarding call no longer
    runs are reported per award too, not just moved out of sight."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leaderboard.services import settle

    counts = {"rounds": 0, "statements": 0}
    lock = threading.Lock()

    def counted(real):
        def run(*args, **kwargs):
            with CaptureQueriesContext(connection) as captured:  # the thread's connection
                result = real(*args, **kwargs)
            with lock:
                counts["rounds"] += 1
                counts["statements"] += len(captured)
            return result

        return run

    settle.standings_settle = counted(settle.standings_settle)
    settle.badges_settle = counted(settle.badges_settle)
    return counts


def backlog(connection) -> tuple[int, int]:
    """Deltas and badge checks waiting for a fold (left by writer processes that ended)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM leaderboard_aggregatedelta), "
            "(SELECT COUNT(*) FROM leaderboard_badgecheck)"
        )
        return cursor.fetchone()


class BacklogSampler:
    """Samples the deltas and badge checks waiting, twice a second, while the writers run: how
    far the follow-up trails the awards (divide by the award rate for its lag)."""

    def __init__(self):
        self.samples: list[tuple[int, int]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        from django.db import connection

        while not self.done.wait(0.5):
            self.samples.append(backlog(connection))
        connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()

    def report(self) -> str:
        if not self.samples:
            return "backlog: no samples"
        deltas = sorted(d for d, _ in self.samples)
        checks = sorted(c for _, c in self.samples)
        return (
            f"waiting while they ran (every 0.5 s): deltas median {deltas[len(deltas) // 2]} "
            f"max {deltas[-1]}, badge checks median {checks[len(checks) // 2]} max {checks[-1]}"
        )


class CpuAccount:
    """CPU seconds by component while the writers run (``--cpu``), from counters that survive
    the fork and ``/proc``:

    - the writer processes as a whole (user + sys, ``RUSAGE_CHILDREN`` once they are reaped),
      and within them, per thread (``time.thread_time``, summed in shared memory): the awarding
      call (``points_award``, its on-commit hand-off included), the settler's fold +
      announcement rounds, its badge rounds; the rest is the harness (each writer loads the
      user before its call) and the interpreter;
    - this database's PostgreSQL backends (``/proc/<pid>/stat`` of every process titled with
      the database's name, sampled every 0.1 s; the last sample of each counts);
    - for context, shared with everyone on the machine: PostgreSQL's auxiliary processes,
      redis-server, and the whole machine (``/proc/stat``).
    """

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, database: str):
        import multiprocessing

        self.database = f" {database} "
        # award, awards counted, standings rounds, badge rounds (seconds, summed by every thread)
        self.shared = multiprocessing.get_context("fork").Array("d", 4)
        self.backends: dict[int, float] = {}
        self.baseline: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    @staticmethod
    def _stat_cpu(pid) -> float | None:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / CpuAccount.TICK

    def _titled(
        self, needle: str, prefix: str = "postgres: ", exclude: str = ""
    ) -> dict[int, float]:
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    title = f.read().decode(errors="replace")
            except OSError:
                continue
            if title.startswith(prefix) and needle in title and not (exclude and exclude in title):
                cpu = self._stat_cpu(entry)
                if cpu is not None:
                    found[int(entry)] = cpu
        return found

    @staticmethod
    def _machine() -> float:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        busy = sum(fields) - fields[3] - fields[4]  # less idle and iowait
        return busy / CpuAccount.TICK

    def _shared_aux(self) -> tuple[float, float]:
        # checkpointer, walwriter, background writer, ...: titles that name no client address
        aux = self._titled(": ", exclude="(")
        redis = self._titled("", prefix="redis-server")
        return sum(aux.values()), sum(redis.values())

    def sample(self) -> None:
        while not self.done.wait(0.1):
            self.snapshot()

    def snapshot(self) -> None:
        self.backends.update(self._titled(self.database))

    def counted(self, real, slot: int, calls: int | None = None):
        shared = self.shared

        def run(*args, **kwargs):
            started = time.thread_time()
            try:
                return real(*args, **kwargs)
            finally:
                spent = time.thread_time() - started
                with shared.get_lock():
                    shared[slot] += spent
                    if calls is not None:
                        shared[calls] += 1

        return run

    def __enter__(self):
        from leaderboard import services
        from leaderboard.services import settle

        self.patched = [
            (services, "points_award", services.points_award),
            (settle, "standings_settle", settle.standings_settle),
            (settle, "badges_settle", settle.badges_settle),
        ]
        services.points_award = self.counted(services.points_award, 0, calls=1)
        settle.standings_settle = self.counted(settle.standings_settle, 2)
        settle.badges_settle = self.counted(settle.badges_settle, 3)
        self.baseline = self._titled(self.database)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.me = time.process_time()
        self.aux, self.redis = self._shared_aux()
        self.machine = self._machine()
        self.wall = time.perf_counter()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        self.backends.update(self._titled(self.database))
        for module, name, real in self.patched:
            setattr(module, name, real)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        aux, redis = self._shared_aux()
        self.result = {
            "wall": time.perf_counter() - self.wall,
            "writers": children.ru_utime
            + children.ru_stime
            - self.children.ru_utime
            - self.children.ru_stime,
            "parent": time.process_time() - self.me,
            "award": self.shared[0],
            "awards": int(self.shared[1]),
            "standings": self.shared[2],
            "badges": self.shared[3],
            "postgres": sum(
                cpu - self.baseline.get(pid, 0.0) for pid, cpu in self.backends.items()
            ),
            "pg_aux": aux - self.aux,
            "redis": redis - self.redis,
            "machine": self._machine() - self.machine,
        }

    def report(self) -> str:
        r = self.result
        n = max(1, r["awards"])

        def ms(seconds: float) -> str:
            return f"{1000 * seconds / n:.2f}"

        rest = r["writers"] - r["award"] - r["standings"] - r["badges"]
        mine = r["writers"] + r["parent"] + r["postgres"]
        return (
            f"CPU ms per award ({r['awards']} awarding calls, {r['wall']:.1f} s): "
            f"total {ms(mine)} = writer processes {ms(r['writers'])} [award call {ms(r['award'])}"
            f", fold+announce rounds {ms(r['standings'])}, badge rounds {ms(r['badges'])}, "
            f"harness and rest {ms(rest)}] + this database's PostgreSQL backends "
            f"{ms(r['postgres'])} + this process (fold of what was left) {ms(r['parent'])}; "
            f"shared with others: PostgreSQL auxiliary {ms(r['pg_aux'])}, redis-server "
            f"{ms(r['redis'])}; machine busy {r['machine'] / r['wall']:.2f} of "
            f"{os.cpu_count()} CPUs"
        )


def settle_left(connection) -> str:
    """Fold what the writer processes left when they ended; how much and how long it took."""
    from leaderboard.aggregates import aggregates_fold

    deltas, checks = backlog(connection)
    started = time.perf_counter()
    aggregates_fold(rounds=1000)
    took = time.perf_counter() - started
    return f"left when the writers ended: {deltas} deltas, {checks} badge checks ({took:.1f} s)"


def writers_phase(args, user_ids, database: str, rate: float | None) -> tuple[dict, str]:
    """One writers phase (closed loop, or open at ``rate``) and what the follow-up left: with
    ``--cpu`` the CPU per award by component (the fold of what was left included), else the
    backlog sampled while they ran."""
    from django.db import connection

    from bench import scale_django as sd

    run = partial(
        sd.concurrent_writers,
        writers=args.writers,
        processes=args.processes,
        seconds=args.seconds,
        user_ids=user_ids,
        rate=rate,
    )
    if args.cpu:
        with CpuAccount(database) as account:
            many = run()
            left = settle_left(connection)
            account.snapshot()
        return many, f"{left}\n    {account.report()}"
    with BacklogSampler() as sampler:
        many = run()
    return many, f"{sampler.report()}; {settle_left(connection)}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=300, help="open loop: awards/s offered")
    parser.add_argument("--no-closed", action="store_true", help="skip the closed-loop writers")
    parser.add_argument("--check", action="store_true", help="exactly once + equal to rebuild")
    parser.add_argument("--no-vacuum", action="store_true", help="skip the VACUUM before")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="CPU seconds per award by component for each writers phase (no backlog sampling)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

    import django

    django.setup()
    from django.db import connection

    from bench import scale_django as sd

    if connection.vendor != "postgresql":
        sys.exit("Run this on the seeded PostgreSQL database (DATABASE_URL).")
    if not args.no_vacuum:
        vacuum(connection)
    sd.SOURCE = f"bench-awards-{int(time.time())}"  # this run's keys: never a duplicate
    user_ids = sd.seeded_user_ids()
    if not user_ids:
        sys.exit("No seeded users: run manage.py seed_scale first (see the docstring).")
    print(f"{len(user_ids)} seeded users; load average {os.getloadavg()[0]:.1f}", flush=True)

    if args.single:
        try:
            from leaderboard.services import settle
        except ImportError:  # a version without a background follow-up
            settle = None
        follow_up = count_follow_up() if settle else None
        one = sd.single_awards(args.single, user_ids)
        started = time.perf_counter()
        if settle:
            settle.settle_stop(60)
        med, p95 = sd.med_p95(one["ms"])
        q = one["queries"]
        print(
            f"single: {len(one['ms'])} awards, statements median {statistics.median(q):g} "
            f"max {max(q)} (BEGIN/COMMIT/SAVEPOINT among them: {max(one['control'])}), "
            f"latency median {med:.1f} ms p95 {p95:.1f} ms, errors {one['errors']} "
            f"{one['error_kinds']}",
            flush=True,
        )
        if follow_up:
            n = max(1, len(q))
            print(
                f"    follow-up in the settler threads: {follow_up['rounds']} rounds, "
                f"{follow_up['statements']} statements ({follow_up['statements'] / n:.1f} per "
                f"award); done {1000 * (time.perf_counter() - started):.0f} ms after the last "
                "award returned",
                flush=True,
            )
        for sql in one["sample_sql"]:
            print(f"    {sql[:160].replace(chr(10), ' ')}")
    database = connection.settings_dict["NAME"]
    if args.writers and not args.no_closed:
        many, follow = writers_phase(args, user_ids, database, rate=None)
        med, p95 = sd.med_p95(many["ms"])
        print(
            f"writers: {args.writers} in {args.processes} processes for {args.seconds:g} s: "
            f"{many['per_second']:.1f} awards/s, latency median {med:.1f} ms p95 {p95:.1f} ms "
            f"max {max(many['ms'] or [0]):.0f} ms, calls {many['calls']}, new {many['new']}, "
            f"errors {many['errors']} {many['error_kinds']}",
            flush=True,
        )
        print(f"    {follow}", flush=True)
    if args.writers and args.rate:
        many, follow = writers_phase(args, user_ids, database, rate=args.rate)
        med, p95 = sd.med_p95(many["ms"])
        print(
            f"open loop: {args.writers} writers offering {args.rate:g} awards/s for "
            f"{args.seconds:g} s: {many['per_second']:.1f} awards/s done, latency from each "
            f"award's slot median {med:.1f} ms p95 {p95:.1f} ms max {max(many['ms'] or [0]):.0f}"
            f" ms, calls {many['calls']}, new {many['new']}, errors {many['errors']} "
            f"{many['error_kinds']}",
            flush=True,
        )
        print(f"    {follow}", flush=True)
    if args.check:
        result = sd.consistency()
        print(f"check: {result}", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: seed, rebuild and read benchmarks in one run, written to docs/performance.md.

Run:  .venv/bin/python bench/run.py                # SQLite scratch file, small scale, ~2 minutes
      .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/scratch \\
          --users 100000 --teams 2000 --awards 2000000 --rebuilds 1 --samples 5

Without --database-url it uses a scratch SQLite file bench-run.sqlite3 (deleted first) and also
runs bench/leaderboard_rank.py and bench/home_analytics.py at small scale (each on its own
scratch file). With --database-url it needs a scratch PostgreSQL database it may fill (seeded-
scale rows from an earlier run are removed first) and runs only the seed/rebuild/read suite.
Every time is compared with a reference measured in the same run on the same data: aggregating
the whole ledger into a top 20, which is what a board costs without maintained standings.
The table is printed and written between this run's markers in docs/performance.md (one section
per database vendor), so a re-run replaces its own figures only.
"""

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ledger_top, section_write  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
REFERENCE = "ledger aggregation: top 20 summed from the ledger (reference)"


def timed(fn, samples: int) -> tuple[float, float]:
    """Median and 95th percentile in ms."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * (len(times) - 1)))]


def scale_suite(args) -> tuple[str, list[tuple[str, str, float, float]]]:
    """seed_scale, standings_rebuild and board reads on one database; returns its vendor too."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from home import scale
    from leaderboard import selectors
    from leaderboard.models import PointsAward, Standing
    from leaderboard.services import standings_rebuild

    call_command("migrate", verbosity=0)
    size = f"{args.users:,} users, {args.awards:,} awards"
    rows = []
    if args.keep and scale.scale_present():
        # Reuse the data seeded by an earlier run (its seed times are not measured again).
        size = f"{scale.seeded_users():,} users, {PointsAward.objects.count():,} awards"
    else:
        if scale.scale_present():
            scale.scale_reset()
        started = time.perf_counter()
        phases = scale.scale_seed(
            users=args.users,
            teams=args.teams,
            awards=args.awards,
            weeks=args.weeks,
            password="bench-password",  # noqa: S106 - scratch database
        )
        total = (time.perf_counter() - started) * 1000
        name = f"seed_scale ({args.teams:,} teams, {args.weeks} weeks), whole"
        rows.append((name, size, total, total))
        for phase, seconds in phases.items():
            rows.append((f"seed_scale: {phase}", size, seconds * 1000, seconds * 1000))
        print(rows, flush=True)
    ledger_rows = PointsAward.objects.count()
    standings = Standing.objects.count()
    rows.append(
        (
            "standings_rebuild",
            f"{ledger_rows:,} ledger rows, {standings:,} standings",
            *timed(standings_rebuild, args.rebuilds),
        )
    )
    rng = random.Random(3)
    ids = list(Standing.objects.filter(scope="all").values_list("user_id", flat=True))
    watchers = rng.sample(ids, min(100, len(ids)))

    reads = {
        REFERENCE: ledger_top,
        "board top 20 (all)": lambda: selectors.board_top(scope="all", limit=20),
        "own rank, random viewer (all)": lambda: selectors.standing_rank(
            scope="all", user=rng.choice(ids)
        ),
        "broadcast payload, 100 watchers (all)": lambda: selectors.board_payload(
            scope="all", user_ids=watchers, limit=20
        ),
        f"team board, all {args.teams:,} teams (all)": lambda: selectors.team_board(scope="all"),
    }
    for name, fn in reads.items():
        samples = args.samples if name == REFERENCE else args.samples * 4
        rows.append((name, size, *timed(fn, samples)))
    return connection.vendor, rows


def script_rows(script: str, argv: list[str]) -> list[tuple[str, str, float, float]]:
    """Run one of the older benchmarks on its own scratch SQLite file and read its table."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    output = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / script), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    rows = []
    size_text = f"{int(argv[1]):,} {argv[0].removeprefix('--')}"
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0].startswith(("read", "---")) or not line.startswith("|"):
            continue
        numbers = re.findall(r"[\d.]+", " ".join(cells[1:]))
        if len(numbers) >= 2:
            rows.append((f"{script}: {cells[0]}", size_text, float(numbers[0]), float(numbers[1])))
    return rows


def table(rows, reference: dict[str, float]) -> str:
    lines = [
        "| operation | data size | median ms | p95 ms | ratio to reference |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, size, median, p95 in rows:
        ref = reference.get(size) or reference.get("*")
        ratio = f"{median / ref:.3g}" if ref else "—"
        lines.append(f"| {name} | {size} | {median:,.1f} | {p95:,.1f} | {ratio} |")
    return "\n".join(lines)


def machine(vendor: str) -> str:
    from django.db import connection

    version = connection.pg_version if vendor == "postgresql" else ""
    db = f"PostgreSQL {version}" if version else f"SQLite {__import__('sqlite3').sqlite_version}"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {db}; "
        f"load average at the end {load} (a shared machine: compare ratios, not absolute times)"
    )


def write_section(vendor: str, text: str) -> None:
    begin, end = f"<!-- bench/run.py {vendor}: begin -->", f"<!-- bench/run.py {vendor}: end -->"
    section_write(DOC, begin, end, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="A scratch PostgreSQL database (default SQLite).")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--awards", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--samples", type=int, default=10, help="Reference samples; reads 4x.")
    parser.add_argument("--rebuilds", type=int, default=3, help="standings_rebuild samples.")
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    parser.add_argument(
        "--keep", action="store_true", help="Reuse seeded-scale data left by an earlier run."
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"  # no query log in memory
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        db = ROOT / "bench-run.sqlite3"
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    started = time.perf_counter()
    vendor, rows = scale_suite(args)
    reference = {"*": next(median for name, _, median, _ in rows if name == REFERENCE)}
    if vendor == "sqlite":
        # Same number of people as the scale suite, so its ledger aggregation is their reference.
        rows += script_rows("leaderboard_rank.py", ["--users", str(args.users), "--samples", "50"])
        analytics = script_rows("home_analytics.py", ["--employees", "1000", "--samples", "5"])
        rows += analytics
        for name, size, median, _ in analytics:
            if "reference" in name:
                reference[size] = median
    command = "make bench" if vendor == "sqlite" else f"bench/run.py {' '.join(sys.argv[1:])}"
    command = re.sub(r"postgres://[^ ]+", "postgres://…/scratch", command)
    text = (
        f"### `bench/run.py` on {vendor}\n\n"
        f"Command: `{command}` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{time.perf_counter() - started:.0f} s in all). Machine: {machine(vendor)}.\n"
        '"ratio to reference" is the median divided by the median of the reference measured '
        "in the same run on the same data size: aggregating the ledger into a top 20 (for "
        "home_analytics.py rows, its own ledger aggregation over 1,000 employees).\n\n"
        + table(rows, reference)
    )
    print(text)
    if not args.no_write:
        write_section(vendor, text)
        print(f"\nWritten to {DOC.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()

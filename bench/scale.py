"""`make bench-scale`: the company-scale run on PostgreSQL + Redis, written to docs/performance.md.

    .venv/bin/python bench/scale.py [--users 100000 --teams 2000 --awards 2000000]
    .venv/bin/python bench/scale.py --sizes 1000,10000,100000      # the scale table too

One run, on a scratch PostgreSQL database it drops and re-creates (``--database``) and a Redis
database it flushes (``--redis``), everything on 127.0.0.1:

1. ``seed_scale`` (timed) and ``standings_rebuild`` (timed); board reads next to their reference
   (the top 20 aggregated from the ledger);
2. award writes through ``leaderboard.services.points_award``: ``--single`` awards in a row
   (SQL statements of each, captured, and latency), then ``--writers`` concurrent writers (threads
   with their own connections, spread over forked processes) for ``--write-seconds``; then exactly
   once (ledger rows == calls that returned an award) and every aggregate equal to
   ``standings_rebuild``'s (after folding deferred deltas, if this version defers them);
3. live push: two daphne workers (production settings, the options of ``make serve``),
   ``--clients`` signed-in board sockets (half on "near me") connecting ``--batch`` at a time
   (the connection storm), awards at ``--rate`` per second for ``--push-seconds``;
   commit-to-receipt per client per update, frame sizes, who got the last and every broadcast,
   SQL per broadcast (counted in the workers, ``bench/scale_asgi.py``), worker RSS;
4. pages: ``bench/pages.py``'s ``run(base_url, users, duration)`` against both workers (a lesson
   and a challenge from ``seed_demo``, the leaderboard, the dashboard vs a bare view).

With ``--sizes`` each size runs in its own process (same phases), and the scale table (one
column per size) is written as well as the largest size's run. Exit status 1 if a budget failed.
"""

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scale_report  # noqa: E402


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--users", type=int, default=100_000)
    add("--teams", type=int, default=2_000)
    add("--awards", type=int, default=2_000_000)
    add("--weeks", type=int, default=8)
    add("--sizes", help="comma-separated user counts (teams = users/50, awards = usersx20)")
    add("--database", default="apprentice_bench_scale", help="scratch database (dropped!)")
    add("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server, no database")
    add("--redis", default="redis://127.0.0.1:6379/13", help="a Redis database it flushes")
    add("--samples", type=int, default=20, help="reference read samples (others 4x)")
    add("--single", type=int, default=200, help="awards in a row for the single-award figures")
    add("--writers", type=int, default=50)
    add("--writer-processes", type=int, default=5)
    add("--write-seconds", type=float, default=30)
    add("--open-rate", type=float, default=300, help="awards/s the writers offer (open loop)")
    add("--clients", type=int, default=1000)
    add("--client-processes", type=int, default=4)
    add("--batch", type=int, default=50, help="storm: sockets connecting at a time")
    add("--near", type=float, default=0.5, help="share of sockets on the near-me view")
    add("--scope", default="all")
    add("--rate", type=float, default=20, help="awards per second during the push phase")
    add("--push-seconds", type=float, default=60)
    add("--drain", type=float, default=10, help="seconds after the last award before counting")
    add("--page-seconds", type=float, default=20, help="seconds per page (5 pages + bare view)")
    add("--page-users", type=int, default=20, help="concurrent signed-in page clients")
    add("--no-pages", action="store_true", help="skip seed_demo and the pages phase")
    add("--ports", default="8111,8112")
    add("--out", type=Path, default=Path("/tmp/apprentice-bench-scale"))  # noqa: S108
    add("--json", type=Path, help="also write the raw results here (the --sizes mode uses it)")
    add("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    name = args.database
    if not all(c.isalnum() or c == "_" for c in name) or not ("scale" in name or "bench" in name):
        parser.error(f"--database {name!r}: a scratch name with 'scale' or 'bench' in it only.")
    for url in (args.postgres, args.redis):
        if urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
            parser.error(f"{url}: loopback only.")
    return args


def reachable(args) -> None:
    """A clear message (and exit 2) when PostgreSQL or Redis does not answer."""
    try:
        import psycopg

        psycopg.connect(f"{args.postgres}/postgres", connect_timeout=5).close()
    except Exception as error:
        sys.exit(
            f"PostgreSQL is not reachable at {args.postgres} ({error}). Start it, or pass "
            "--postgres postgres://user@127.0.0.1:5432."
        )
    try:
        import redis

        redis.Redis.from_url(args.redis, socket_connect_timeout=3).ping()
    except Exception as error:
        sys.exit(
            f"Redis is not reachable at {args.redis} ({error}). Start it, or pass "
            "--redis redis://127.0.0.1:6379/<a database of your own>."
        )


def fresh_stores(args) -> None:
    import psycopg
    import redis

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    redis.Redis.from_url(args.redis).flushdb()  # this run's own Redis database only


def environment(args) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-scale-only-" + "k" * 50,  # sessions signed alike everywhere
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "REDIS_URL": args.redis,
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "database",
    }
    os.environ.update(env)
    # The workers: a bounded pool per worker, as in production (bench/load.py).
    return {**os.environ, "DATABASE_POOL_MAX_SIZE": os.environ.get("BENCH_POOL_SIZE", "20")}


def machine() -> str:
    from django.db import connection

    mem = next(
        line for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
    )
    ram = int(mem.split()[1]) / 1024 / 1024
    version = connection.cursor().connection.info.server_version
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {ram:.0f} GB RAM, Python "
        f"{platform.python_version()}, PostgreSQL {version // 10000}.{version % 10000}, Redis; "
        f"load average at the end {load} (shared machine: compare ratios, not absolute times)"
    )


def pages_phase(args, ports) -> list[dict] | None:
    """``bench/pages.py``: each page's throughput under ``--page-users`` signed-in clients
    spread over both workers, as a share of the bare view's in the same run (budget 40%)."""
    try:
        from bench import pages
    except ImportError:
        print("bench/pages.py is not there: the pages phase is skipped.", flush=True)
        return None
    print(f"pages: {args.page_users} clients, {args.page_seconds:g} s per page", flush=True)
    hosts = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    out = []
    for row in pages.run(hosts, users=args.page_users, duration=args.page_seconds):
        bare = row["path"] == pages.BARE
        share = row.get("ratio")
        name = f"page: {row['page'].replace(' (again)', ', again')} (`{row['path']}`)"
        if row.get("errors"):
            name += f", {row['errors']} errors"
        rps = f"{row['rps']:.1f} requests/s"
        out.append(
            scale_report._row(
                f"page:{row['page']}",
                name,
                row.get("p50_ms") or float("nan"),
                row.get("p95_ms") or float("nan"),
                "ms",
                f"{rps}, reference" if bare else f"{rps}, {share:.0%} of bare view",
                "—" if bare else "≥ 40% of bare view's requests/s",
                None if bare else bool(share and share >= pages.BUDGET and not row["errors"]),
            )
        )
    return out


def push_phase(args, sd, env, user_ids) -> tuple[dict, list[dict] | None]:
    from django.conf import settings
    from django.db import connections

    from bench import scale_push

    ports = [int(p) for p in args.ports.split(",")]
    viewers = user_ids[: args.clients]
    sessions = sd.sessions_for(viewers)
    connections.close_all()
    interval = settings.LEADERBOARD_BROADCAST_INTERVAL
    scale_push.raise_file_limit(args.clients * 2 + 1000)
    print(f"push: {len(ports)} workers, {len(sessions)} clients connecting", flush=True)
    with scale_push.Workers(ports, env, args.out, args.clients) as workers:
        with scale_push.Clients(
            sessions, ports, args.scope, args.near, args.batch, args.client_processes
        ) as clients:
            storm_s = clients.wait_connected()
            quiet_start = int(time.time()) + 1
            time.sleep(6)
            quiet_end = int(time.time())
            rss = [scale_push.rss_mb(pid) for pid in workers.pids()]
            print(f"push: connected in {storm_s:.0f} s; awards at {args.rate}/s", flush=True)
            started = int(time.time())
            cpu = [scale_push.cpu_seconds(pid) for pid in workers.pids()]
            commits = sd.award_stream(rate=args.rate, seconds=args.push_seconds, user_ids=user_ids)
            time.sleep(args.drain)  # the last coalesced update has time to arrive
            ended = int(time.time())
            cpu = [scale_push.cpu_seconds(p) - c for p, c in zip(workers.pids(), cpu, strict=True)]
            records = clients.stop()
        result = scale_push.analyse(records, commits, interval)
        logs = [workers.query_log(p) for p in ports]
        idle = scale_push.query_counts(logs, quiet_start, quiet_end)
        busy = scale_push.query_counts(logs, started, ended)
        result["queries"] = scale_push.per_broadcast(
            idle, busy, quiet_end - quiet_start, ended - started
        )
        result["queries"].setdefault("broadcasts", result["broadcasts"])
        result.update(rss_mb=rss, rate=args.rate, seconds=args.push_seconds, batch=args.batch)
        # Worker CPU per frame delivered while the awards arrived (both workers together).
        frames = sum(1 for r in records for f in r["frames"][1:] if started <= f[0] < ended)
        result["cpu"] = {"seconds": cpu, "window": ended - started, "frames": frames}
        result["storm_s"] = storm_s
        result["commits"] = len(commits)
        result["tracebacks"] = workers.tracebacks()
        pages = None
        if not args.no_pages:
            try:
                pages = pages_phase(args, ports)
            except (Exception, SystemExit) as error:  # the figures above are kept
                print(f"The pages phase failed: {error}", file=sys.stderr, flush=True)
                result["pages_error"] = f"{error.__class__.__name__}: {str(error)[:200]}"
    return result, pages


def run_one(args) -> dict:
    """Every phase on one data size; the raw results."""
    started = time.time()
    reachable(args)
    args.out.mkdir(parents=True, exist_ok=True)
    fresh_stores(args)
    env = environment(args)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    demo_error = ""
    if not args.no_pages:
        try:  # a lesson and a challenge for the pages phase
            call_command("seed_demo", "--force", verbosity=0)
        except Exception as error:  # the pages phase then loads what there is
            demo_error = f"{error.__class__.__name__}: {str(error)[:160]}"
            print(f"seed_demo failed ({demo_error}); going on without it.", flush=True)
    from bench import scale_django as sd

    r = {"size": {"users": args.users, "teams": args.teams, "awards": args.awards}}
    r["demo_error"] = demo_error
    print(f"seed_scale: {args.users:,} users, {args.awards:,} awards", flush=True)
    r["seed"] = sd.seed(users=args.users, teams=args.teams, awards=args.awards, weeks=args.weeks)
    r["rebuild_s"] = sd.rebuild_seconds()
    from leaderboard.models import PointsAward

    r["size"]["ledger_rows"] = PointsAward.objects.count()
    print(f"seeded in {r['seed']['whole']:.0f} s; rebuild {r['rebuild_s']:.1f} s", flush=True)
    r["reads"] = sd.reads(args.samples)
    user_ids = sd.seeded_user_ids()
    from django.db import connection

    from bench.awards import vacuum

    # This machine's PostgreSQL runs without autovacuum: the write phases start from vacuumed
    # tables, as a production server's autovacuum keeps them.
    vacuum(connection)
    r["single"] = sd.single_awards(args.single, user_ids)
    # The SQL of the award with the most statements, for whoever works on the write path.
    (args.out / "award-sql.txt").write_text("\n".join(r["single"]["sample_sql"]) + "\n")
    print(f"writes: {args.writers} writers for {args.write_seconds:g} s", flush=True)
    r["writers"] = sd.concurrent_writers(
        writers=args.writers,
        processes=args.writer_processes,
        seconds=args.write_seconds,
        user_ids=user_ids,
    )
    r["writers"].update(writers=args.writers, seconds=args.write_seconds)
    vacuum(connection)
    print(f"writes: {args.writers} writers offering {args.open_rate:g}/s", flush=True)
    r["open"] = sd.concurrent_writers(
        writers=args.writers,
        processes=args.writer_processes,
        seconds=args.write_seconds,
        user_ids=user_ids,
        rate=args.open_rate,
    )
    r["open"].update(writers=args.writers, seconds=args.write_seconds, rate=args.open_rate)
    r["expected_awards"] = r["writers"]["new"] + r["single"]["new"] + r["open"]["new"]
    r["consistency"] = sd.consistency()
    # And the push phase too: its batches count ties ahead with index-only scans, which visit
    # the table for every page the writers left not all-visible.
    vacuum(connection)
    r["push"], r["pages"] = push_phase(args, sd, env, user_ids)
    r["machine"] = machine()
    r["duration_s"] = time.time() - started
    return r


def report(r: dict, command: str) -> str:
    rs = scale_report.rows(r)
    c, p = r["consistency"], r["push"]
    small = r["size"]["users"] < 100_000
    differ = ", ".join(f"{name.replace('_', ' ')} {n:,}" for name, n in c["differ"].items())
    notes = [
        "*A small run, below the issue's scale (100,000 users, 1,000 clients): the full run "
        "replaces it.*\n"
        if small
        else "",
        f"Command: `{command}` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{r['duration_s'] / 60:.0f} min in all). Data: {scale_report.size_label(r)}. "
        f"Machine: {r['machine']}.",
        "",
        "Ratios: reads to the ledger aggregation measured in the same run; push p95 to the "
        "broadcast interval; pages to the bare view served by the same workers.",
        f"Seed phases (s): {', '.join(f'{k} {v:.1f}' for k, v in r['seed'].items())}. "
        f"Writers: {r['writers']['calls']:,} calls, {r['writers']['new']:,} new awards, "
        f"errors {r['writers']['errors']} {r['writers']['error_kinds'] or ''}; open loop: "
        f"{r.get('open', {}).get('calls', 0):,} calls, errors {r.get('open', {}).get('errors', 0)} "
        f"{r.get('open', {}).get('error_kinds') or ''}; single awards "
        f"that raised {r['single'].get('errors', 0)} {r['single'].get('error_kinds') or ''}. "
        f"Deltas left unfolded {c.get('deltas_left')}. Ledger rows "
        f"of the run {c['ledger']:,} (distinct {c['distinct']:,}); rows that differ from the "
        f"rebuild: {differ}.",
        f"Push: {p['commits']} awards committed, {p['broadcasts']} broadcasts seen, worker "
        f"statements while idle {p['queries']['idle_per_s']:.1f}/s, broadcast heads built "
        f"{p['queries'].get('broadcasts')}, tail batches {p['queries'].get('tail_batches')}; "
        f"tracebacks in worker logs {p['tracebacks']}.",
    ]
    if r.get("demo_error"):
        notes.append(f"`seed_demo` failed ({r['demo_error']}): pages without a lesson/challenge.")
    if r["push"].get("pages_error"):
        notes.append(f"Pages: the phase failed ({r['push']['pages_error']}).")
    elif r.get("pages") is None:
        notes.append("Pages: not measured in this run (`--no-pages`, or no bench/pages.py).")
    return "\n".join(notes) + "\n\n" + scale_report.run_table(rs)


def sizes_mode(args, argv) -> int:
    """Each size in its own process; the scale table and the largest size's run section."""
    reachable(args)
    results = []
    skip = {"--sizes", "--users", "--teams", "--awards", "--json"}
    rest, i = [], 0
    while i < len(argv):
        if argv[i] in skip:
            i += 2
            continue
        rest.append(argv[i])
        i += 1
    for users in [int(s) for s in args.sizes.split(",")]:
        out = args.out / f"size-{users}.json"
        size = ["--users", str(users), "--teams", str(max(1, users // 50))]
        size += ["--awards", str(users * 20), "--json", str(out), "--no-write"]
        out.unlink(missing_ok=True)
        subprocess.run([sys.executable, __file__, *size, *rest], cwd=ROOT, check=False)  # noqa: S603
        if not out.exists():
            sys.exit(f"The run at {users:,} users did not finish; see its output above.")
        results.append(json.loads(out.read_text()))
    command = f'make bench-scale ARGS="{" ".join(argv)}"'
    table = scale_report.scale_table(results)
    largest = results[-1]
    text = (
        f"Command: `{command}`. Each column is one run "
        f"({'; '.join(scale_report.size_label(r) for r in results)}); "
        f"cells are median / p95. Machine: {largest['machine']}.\n\n{table}"
    )
    print(text)
    run_text = report(largest, command)
    print(run_text)
    if not args.no_write:
        scale_report.write_section(scale_report.SIZES_MARKERS, text)
        scale_report.write_section(scale_report.RUN_MARKERS, run_text)
    return 0 if all(x["ok"] is not False for x in scale_report.rows(largest)) else 1


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = arguments(argv)
    # Any way out (Ctrl-C, SIGTERM, an error) unwinds through the finally blocks that stop the
    # workers, the client processes and the writers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.sizes:
        return sizes_mode(args, argv)
    r = run_one(args)
    if args.json:
        args.json.write_text(json.dumps(r, default=str))
    command = f'make bench-scale ARGS="{" ".join(argv)}"' if argv else "make bench-scale"
    text = report(r, command)
    print(text)
    if not args.no_write:
        scale_report.write_section(scale_report.RUN_MARKERS, text)
        print(f"\nWritten to {scale_report.DOC.relative_to(ROOT)}.")
    return 0 if all(x["ok"] is not False for x in scale_report.rows(r)) else 1


if __name__ == "__main__":
    sys.exit(main())

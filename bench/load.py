"""The load and soak run, start to finish (``make load``).

A scratch PostgreSQL database seeded with ``seed_demo`` plus extra employees, two daphne workers
with production settings on PostgreSQL + Redis, locust's employees (bench/locustfile.py) for the
given time, then ``bench/load_django.py check``. Prints the figures as Markdown for
docs/reliability.md and exits non-zero on any 5xx, lost or doubled submission or inconsistency.
Everything listens and connects on 127.0.0.1 only.

    .venv/bin/python bench/load.py --users 200 --minutes 5
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import wait_healthy  # noqa: E402

BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE", "apprentice_load"))
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--redis", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    parser.add_argument("--ports", default="8101,8102", help="one daphne worker per port")
    parser.add_argument(
        "--daphne-options",
        default=os.environ.get(
            "DAPHNE_OPTIONS", "--websocket_connect_timeout 30 --application-close-timeout 30"
        ),
        help="as in production (the Makefile's DAPHNE_OPTIONS)",
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="reuse the database of the previous run (skips migrate, seed_demo, collectstatic)",
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/apprentice-load"))  # noqa: S108
    args = parser.parse_args()

    for url in (args.postgres, args.redis):
        assert "@127.0.0.1:" in url or "//127.0.0.1:" in url, f"{url}: loopback only"
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "load-run-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "REDIS_URL": args.redis,
        "LOG_LEVEL": "WARNING",
        # Bounded connections per worker (see DATABASE_POOL_MAX_SIZE in settings).
        "DATABASE_POOL_MAX_SIZE": os.environ.get("DATABASE_POOL_MAX_SIZE", "20"),
    }

    def manage(*command: str) -> None:
        subprocess.run([BIN / "python", "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603

    import redis

    redis.Redis.from_url(args.redis).flushdb()  # this run's own Redis database only
    if not args.keep_database:
        pg = {"PGHOST": "127.0.0.1", "PGUSER": "postgres", "PATH": os.environ["PATH"]}
        subprocess.run(["dropdb", "--if-exists", "--force", args.database], env=pg, check=True)  # noqa: S603, S607
        subprocess.run(["createdb", args.database], env=pg, check=True)  # noqa: S603, S607
        manage("migrate", "--noinput", "-v", "0")
        manage("seed_demo", "--force")
        manage("collectstatic", "--noinput", "-v", "0")
    plan = args.out / "plan.json"
    subprocess.run(  # noqa: S603
        [BIN / "python", "bench/load_django.py", "prepare", str(args.users), str(plan)],
        cwd=ROOT,
        env=env,
        check=True,
    )

    ports = args.ports.split(",")
    workers = []
    for port in ports:
        log = open(args.out / f"daphne-{port}.log", "w")  # noqa: SIM115 - closed below
        workers.append(
            (
                subprocess.Popen(  # noqa: S603
                    [
                        BIN / "daphne",
                        *args.daphne_options.split(),
                        "-b",
                        "127.0.0.1",
                        "-p",
                        port,
                        "config.asgi:application",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                ),
                log,
            )
        )
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for host in hosts:
            wait_healthy(host)
        started = time.time()
        since = datetime.now(UTC).isoformat()
        locust = subprocess.run(  # noqa: S603
            [
                BIN / "locust",
                "-f",
                "bench/locustfile.py",
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--stop-timeout",
                "15",
                "--host",
                hosts[0],
                "--csv",
                str(args.out / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOAD_HOSTS": ",".join(hosts),
                "LOAD_USERS": str(plan),
                "LOAD_LOG": str(args.out / "submissions.json"),
            },
            check=False,
        )
        duration = time.time() - started
    finally:
        for process, _ in workers:
            process.terminate()
        for process, log in workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # open sockets can hold daphne's shutdown
                process.kill()
                process.wait()
            log.close()

    check = subprocess.run(  # noqa: S603
        [
            BIN / "python",
            "bench/load_django.py",
            "check",
            str(args.out / "submissions.json"),
            str(args.out / "check.json"),
            since,
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    tracebacks = sum(
        (args.out / f"daphne-{port}.log").read_text().count("Traceback") for port in ports
    )
    report = markdown(args, duration, tracebacks, json.loads((args.out / "check.json").read_text()))
    (args.out / "report.md").write_text(report)
    print(report)
    five_xx = count_5xx(args.out)
    ok = locust.returncode == 0 and check.returncode == 0 and five_xx == 0 and tracebacks == 0
    print("LOAD RUN", "PASSED" if ok else "FAILED", f"(report in {args.out / 'report.md'})")
    return 0 if ok else 1


def count_5xx(out: Path) -> int:
    failures = out / "locust_failures.csv"
    if not failures.exists():
        return 0
    with failures.open() as f:
        # "CatchResponseError('500')", "HTTPError('502 Server Error: ...')"
        return sum(
            int(row["Occurrences"])
            for row in csv.DictReader(f)
            if re.search(r"\b5\d\d\b", row["Error"])
        )


def markdown(args, duration: float, tracebacks: int, result: dict) -> str:
    lines = [
        f"Command: `.venv/bin/python bench/load.py --users {args.users} --minutes {args.minutes}`"
        f" ({len(args.ports.split(','))} daphne workers with `{args.daphne_options}`, "
        f"{duration:.0f} s of load).",
        "",
        "| endpoint | requests | failures | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    with (args.out / "locust_stats.csv").open() as f:
        for row in csv.DictReader(f):
            name = f"{row['Type']} {row['Name']}".strip()
            lines.append(
                f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
                f"{row['50%']} | {row['95%']} |"
            )
    lines += ["", f"5xx responses: {count_5xx(args.out)}; tracebacks in worker logs: {tracebacks}."]
    lines += ["", "Submissions (acknowledged by the site / refused with a message):", ""]
    lines += [f"- {kind}: {n}" for kind, n in result["submissions"].items()]
    consistency = ", ".join(
        f"{name} {c['rows']} rows, {c['differ']} differ"
        for name, c in result["consistency"].items()
    )
    lines += [
        "",
        f"Stored exactly once: {'yes' if result['ok'] else 'NO'} "
        f"({len(result['problems'])} problems); ledger rows {result['ledger_rows']}.",
        f"After the run vs `standings_rebuild`: {consistency}.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

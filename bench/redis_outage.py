"""Benchmark: what a Redis outage costs a request (/healthz and cache calls).

Run:
  .venv/bin/python bench/redis_outage.py [--requests 20] [--calls 2000]

Starts its own ``redis-server`` on a free loopback port (no persistence) and points the cache and
channel layer at it with the settings base.py builds for ``REDIS_URL``; the database is a scratch
SQLite file (/healthz only runs ``SELECT 1``). For each state of Redis (up, killed, frozen with
SIGSTOP) it times ``--requests`` GETs of /healthz through Django's test client and ``--calls``
``cache.get`` calls, and prints a Markdown table for docs/performance.md ("Redis outage").
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    from tests.support.redis_server import RedisServer, redis_server_binary

    binary = redis_server_binary()
    if binary is None:
        sys.exit("redis-server is not installed.")
    server = RedisServer(binary)
    server.start()
    scratch = tempfile.mkdtemp(prefix="bench-redis-outage-")
    os.environ["REDIS_URL"] = server.url
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/db.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    rows = []
    try:
        for state in ("up", "killed", "frozen"):
            if state == "killed":
                server.kill()
            elif state == "frozen":
                server.start()
                client.get("/healthz")  # the breaker closes again
                server.freeze()
            statuses = set()

            def healthz(statuses=statuses):
                statuses.add(client.get("/healthz").status_code)

            health = timed(healthz, args.requests)
            calls = timed(lambda: cache.get("bench:key"), args.calls)
            rows.append((state, statuses, health, calls))
            if state == "frozen":
                server.thaw()
    finally:
        server.kill()

    print("| Redis | /healthz | median | max | cache.get mean | cache.get max |")
    print("| --- | --- | --- | --- | --- | --- |")
    for state, statuses, health, calls in rows:
        print(
            f"| {state} | {', '.join(map(str, sorted(statuses)))} "
            f"| {statistics.median(health) * 1000:.0f} ms | {max(health) * 1000:.0f} ms "
            f"| {statistics.mean(calls) * 1e6:.0f} µs | {max(calls) * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()

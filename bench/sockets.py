"""Benchmark: live-board sockets on one daphne worker (PostgreSQL + Redis).

Run:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/apprentice_bench_sockets \
  REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/sockets.py [--sockets 2000]

The database is a scratch one (created if missing, migrated, bench users added); only Redis keys
under the bench's own prefix are touched. One daphne worker runs with the options of `make serve`
(``--baseline`` runs daphne's defaults instead). Then:

1. storm: ``--storm`` clients (500) connect ``--batch`` (50) at a time; each must get its
   snapshot; /healthz is probed every 100 ms from another process throughout;
2. fill: more clients, 50 at a time, until ``--sockets`` (2,000) authenticated board sockets are
   open, then they stay idle for ``--idle`` seconds (20);
3. RSS of the worker per socket, Redis connections (CLIENT LIST on the bench's database number);
4. every client vanishes without a close frame (TCP abort); presence rows and group members are
   counted until they reach zero.
Prints a Markdown table for docs/performance.md ("Sockets on one worker").
"""

import argparse
import asyncio
import http.client
import multiprocessing
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIX = "benchsockets"
# The options of `make serve` (keep the two in step; its listen backlog is set below too).
SERVE_OPTIONS = ["--websocket_connect_timeout", "30", "--application-close-timeout", "30"]


def raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_users(count: int) -> list[str]:
    """Bench users with a signed-in session each; returns the session keys."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from leaderboard.models import BoardPresence

    call_command("migrate", verbosity=0)
    BoardPresence.objects.all().delete()
    User.objects.filter(email__endswith="@bench-sockets.example").delete()
    password = make_password("bench-sockets-password")
    users = User.objects.bulk_create(
        User(email=f"viewer{i}@bench-sockets.example", password=password) for i in range(count)
    )
    store = SessionStore()
    backend = settings.AUTHENTICATION_BACKENDS[0]
    expires = timezone.now() + timezone.timedelta(days=1)
    sessions = [
        Session(
            session_key=get_random_string(32),
            session_data=store.encode(
                {
                    "_auth_user_id": str(user.pk),
                    "_auth_user_backend": backend,
                    "_auth_user_hash": user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for user in users
    ]
    Session.objects.bulk_create(sessions, batch_size=500)
    return [s.session_key for s in sessions]


def presence_count() -> int:
    from django.db import connection

    from leaderboard.models import BoardPresence

    connection.close()  # a fresh read each time
    return BoardPresence.objects.count()


def probe(port: int, stop, out) -> None:
    """Another process: GET /healthz every 100 ms; sends (t, seconds or None, status)."""
    samples = []
    while not stop.is_set():
        started = time.time()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            status = conn.getresponse().status
            conn.close()
            samples.append((started, time.time() - started, status))
        except OSError:
            samples.append((started, None, 0))
        time.sleep(0.1)
    out.send(samples)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Redis:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.db = self.client.connection_pool.connection_kwargs.get("db", 0)
        self.peak = 0
        self.samples: list[int] = []

    def connections(self) -> int:
        clients = self.client.client_list()
        # Every client on the bench's database number, less this sampler's own connection.
        return sum(1 for c in clients if int(c.get("db", -1)) == self.db) - 1

    def sample(self) -> int:
        n = self.connections()
        self.peak = max(self.peak, n)
        self.samples.append(n)
        return n

    def group_members(self) -> int:
        return sum(self.client.zcard(key) for key in self.client.scan_iter(f"{PREFIX}:group:*"))

    def clear(self) -> None:
        for key in self.client.scan_iter(f"{PREFIX}*"):
            self.client.delete(key)


async def open_socket(port: int, session: str, results: list, sockets: list) -> None:
    from websockets.asyncio.client import connect

    started = time.perf_counter()
    try:
        ws = await connect(
            f"ws://127.0.0.1:{port}/ws/leaderboard/all/",
            additional_headers={
                "Cookie": f"sessionid={session}",
                "Origin": f"http://127.0.0.1:{port}",
            },
            open_timeout=120,
            ping_interval=None,
            close_timeout=1,
            max_queue=4,
        )
        first = await asyncio.wait_for(ws.recv(), timeout=120)
        ok = first.startswith('{"type":"board"')  # the frame's head (docs/architecture.md)
    except Exception as exc:
        results.append((False, time.perf_counter() - started, repr(exc)[:120]))
        return
    sockets.append(ws)
    results.append((ok, time.perf_counter() - started, ""))


async def waves(port, sessions, batch, sockets, redis) -> list:
    results: list = []
    for start in range(0, len(sessions), batch):
        wave = sessions[start : start + batch]
        await asyncio.gather(*(open_socket(port, s, results, sockets) for s in wave))
        redis.sample()
    return results


async def sampler(redis: Redis, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.to_thread(redis.sample)
        await asyncio.sleep(0.5)


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return (float("nan"),) * 3
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--storm", type=int, default=500)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--idle", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--baseline", action="store_true", help="daphne's default options")
    args = parser.parse_args()

    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url or "").startswith("postgres") or not redis_url:
        sys.exit("Set DATABASE_URL (a scratch PostgreSQL database) and REDIS_URL.")
    raise_file_limit(args.sockets * 2 + 1000)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        # Sessions are signed with the key: the worker must use the same one.
        DJANGO_SECRET_KEY="bench-sockets-not-secret",  # noqa: S106
        CACHE_KEY_PREFIX=PREFIX,
        CHANNEL_LAYER_PREFIX=PREFIX,
    )
    ensure_database(database_url)
    print(f"Preparing {args.sockets} users and sessions...", flush=True)
    sessions = prepare_users(args.sockets)
    redis = Redis(redis_url)
    redis.clear()

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    options = [] if args.baseline else SERVE_OPTIONS
    command = [
        str(ROOT / ".venv/bin/daphne"),
        "-e",
        f"tcp:port={args.port}:interface=127.0.0.1:backlog=1024",
        "-v",
        "0",
        *options,
        "config.asgi:application",
    ]
    print("Worker:", " ".join(command[1:]), flush=True)
    server = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, preexec_fn=lambda: raise_file_limit(args.sockets * 2 + 1000)
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            sys.exit("daphne did not answer /healthz.")
        report = asyncio.run(run(args, sessions, server.pid, redis))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print_report(args, report)


async def run(args, sessions, pid, redis) -> dict:
    report: dict = {}
    stop_probe = multiprocessing.Event()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    prober = multiprocessing.Process(target=probe, args=(args.port, stop_probe, sender))
    stop_sampling = asyncio.Event()
    sampling = asyncio.create_task(sampler(redis, stop_sampling))
    sockets: list = []
    phases: dict[str, tuple[float, float]] = {}

    # Warm-up: one socket in and out, so code paths are loaded before the RSS baseline.
    warm: list = []
    await open_socket(args.port, sessions[-1], [], warm)
    for ws in warm:
        await ws.close()
    await asyncio.sleep(1)
    rss_before = rss_kb(pid)
    prober.start()
    await asyncio.sleep(2)
    phases["idle, no sockets"] = (time.time() - 2, time.time())

    started = time.time()
    storm = await waves(args.port, sessions[: args.storm], args.batch, sockets, redis)
    phases[f"storm: {args.storm} connecting {args.batch} at a time"] = (started, time.time())
    report["storm_ok"] = sum(1 for ok, _, _ in storm if ok)
    report["storm_times"] = [t for ok, t, _ in storm if ok]
    report["storm_errors"] = sorted({e for ok, _, e in storm if not ok})[:3]
    print(f"storm: {report['storm_ok']}/{args.storm} connected", flush=True)

    started = time.time()
    fill = await waves(args.port, sessions[args.storm : args.sockets], args.batch, sockets, redis)
    phases[f"fill to {args.sockets}"] = (started, time.time())
    report["fill_ok"] = sum(1 for ok, _, _ in fill if ok)
    report["open"] = len(sockets)
    print(f"open sockets: {len(sockets)}", flush=True)

    started = time.time()
    await asyncio.sleep(args.idle)
    phases[f"{len(sockets)} idle sockets"] = (started, time.time())
    report["rss_per_socket_kb"] = (rss_kb(pid) - rss_before) / max(1, len(sockets))
    report["rss_mb"] = rss_kb(pid) / 1024
    report["redis_idle"] = redis.sample()
    report["presence_open"] = await asyncio.to_thread(presence_count)
    report["members_open"] = await asyncio.to_thread(redis.group_members)

    # Every client vanishes: the TCP connection is dropped, no close frame.
    started = time.time()
    for ws in sockets:
        ws.transport.abort()
    left, members = report["presence_open"], report["members_open"]
    while time.time() - started < 90 and (left or members):
        await asyncio.sleep(1)
        left = await asyncio.to_thread(presence_count)
        members = await asyncio.to_thread(redis.group_members)
    phases["after the abrupt disconnect"] = (started, time.time())
    report["presence_after"], report["members_after"] = left, members
    report["cleanup_seconds"] = time.time() - started

    stop_sampling.set()
    await sampling
    stop_probe.set()
    samples = receiver.recv()
    prober.join()
    report["redis_peak"] = redis.peak
    report["healthz"] = {
        name: [s for s in samples if start <= s[0] <= end] for name, (start, end) in phases.items()
    }
    return report


def print_report(args, report: dict) -> None:
    storm_median, storm_p95, storm_max = percentiles(report["storm_times"])
    print()
    print("| measure | value |")
    print("| --- | --- |")
    print(
        f"| storm: {args.storm} clients, {args.batch} at a time, got their snapshot | "
        f"{report['storm_ok']} / {args.storm} |"
    )
    if report["storm_errors"]:
        print(f"| storm errors (first kinds) | {'; '.join(report['storm_errors'])} |")
    print(
        f"| storm: connect + snapshot, median / p95 / max | {storm_median * 1000:.0f} / "
        f"{storm_p95 * 1000:.0f} / {storm_max * 1000:.0f} ms |"
    )
    print(f"| sockets open at once | {report['open']} / {args.sockets} |")
    print(
        f"| worker RSS with them open; per socket | {report['rss_mb']:.0f} MB; "
        f"{report['rss_per_socket_kb']:.0f} kB |"
    )
    print(
        f"| Redis connections: peak during the run; idle with sockets open | "
        f"{report['redis_peak']}; {report['redis_idle']} |"
    )
    print(
        f"| presence rows / group members with sockets open | {report['presence_open']} / "
        f"{report['members_open']} |"
    )
    print(
        f"| presence rows / group members after every client vanished | "
        f"{report['presence_after']} / {report['members_after']} "
        f"(after {report['cleanup_seconds']:.0f} s) |"
    )
    print()
    print("| /healthz during | answered | median | p95 | max |")
    print("| --- | --- | --- | --- | --- |")
    for name, samples in report["healthz"].items():
        ok = [s[1] for s in samples if s[1] is not None and s[2] == 200]
        median, p95, worst = percentiles(ok)
        print(
            f"| {name} | {len(ok)} / {len(samples)} | {median * 1000:.0f} ms | "
            f"{p95 * 1000:.0f} ms | {worst * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()

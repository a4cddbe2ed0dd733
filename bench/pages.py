"""Page throughput against a bare Django view (issue 11, item 4).

Signed-in employees (``--users`` concurrent clients, keep-alive, spread over the workers) load
one page for ``--duration`` seconds each: a lesson, a challenge, the leaderboard, the dashboard,
and ``/bench/bare/`` (``BENCH_BARE_VIEW``: no database, no template) before and after them.
Prints requests/s, median and p95 latency, and each page's throughput as a share of the bare
view's (the mean of its two runs), measured in the same run. The budget is 40 %.

Against servers already running (they need ``BENCH_BARE_VIEW=true``), with the environment
of the site (``DATABASE_URL``, ``DJANGO_SECRET_KEY``…) so that sessions can be made for them:

    .venv/bin/python bench/pages.py --base-url http://127.0.0.1:8101,http://127.0.0.1:8102

Or let it start two daphne workers with production settings on PostgreSQL + Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
        .venv/bin/python bench/pages.py --start-workers

The database needs employees (``seed_scale``) and a lesson and a challenge (``seed_demo``).
``run(base_url, users, duration)`` is the same measurement for ``make bench-scale``.
Everything listens and connects on 127.0.0.1 only.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import wait_healthy  # noqa: E402

BIN = Path(sys.executable).parent
BARE = "/bench/bare/"
BUDGET = 0.40


def prepare(users: int) -> dict:
    """Sessions for ``users`` seeded employees and the pages to load, made by a Django process
    with this environment's settings (the servers' database and secret key)."""
    out = subprocess.run(  # noqa: S603
        [BIN / "python", __file__, "--prepare", str(users)],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", **os.environ},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"Could not prepare sessions:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _prepare(count: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User
    from challenges.models import ChallengePage
    from courses.models import LessonPage

    store = import_module(settings.SESSION_ENGINE).SessionStore
    people = User.objects.filter(is_active=True, standings__scope="all").order_by("pk")[:count]
    sessions = []
    for user in people:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    lesson = LessonPage.objects.live().order_by("path").first()
    challenge = ChallengePage.objects.live().order_by("path").first()
    pages = {"lesson": lesson and lesson.get_url(), "challenge": challenge and challenge.get_url()}
    pages |= {"leaderboard": "/leaderboard/", "dashboard": "/"}
    print(
        json.dumps(
            {
                "sessions": sessions,
                "cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "pages": pages,
            }
        )
    )


def _kept_cookie(response, name: str) -> str | None:
    """``name=value`` if ``response`` sets the cookie ``name``. A browser keeps the site's CSRF
    cookie (Secure, which browsers accept from http://localhost) and sends it back; without it
    every page would mint and set a new CSRF secret, which no browser makes a site do."""
    for header in response.headers.get_list("set-cookie"):
        pair = header.split(";", 1)[0].strip()
        if pair.startswith(f"{name}="):
            return pair
    return None


async def _load(
    hosts: list[str], cookies: list[str], path: str, duration: float, csrf: str = "csrftoken"
) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration

    async def client(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(
            base_url=hosts[i % len(hosts)], headers={"Cookie": cookies[i]}, timeout=30
        ) as http:
            while time.perf_counter() < stop:
                began = time.perf_counter()
                try:
                    response = await http.get(path)
                    ok = response.status_code == 200
                    kept = _kept_cookie(response, csrf)
                    if kept:
                        http.headers["Cookie"] = f"{cookies[i]}; {kept}"
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(len(cookies))))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
    }


def run(base_url: str, users: int = 20, duration: float = 20.0, plan: dict | None = None):
    """Rows of {page, path, requests, errors, rps, p50_ms, p95_ms, ratio}: each page under
    ``users`` concurrent signed-in clients for ``duration`` seconds, spread over the
    comma-separated ``base_url`` workers, with its throughput as a share of the bare view's."""
    plan = plan or prepare(users)
    hosts = [h.rstrip("/") for h in base_url.split(",")]
    cookies = [f"{plan['cookie']}={key}" for key in plan["sessions"]][:users]
    if len(cookies) < users:
        raise SystemExit(f"Only {len(cookies)} employees with points: seed_scale first.")
    targets = [("bare view", BARE)]
    targets += [(name, path) for name, path in plan["pages"].items() if path]
    targets += [("bare view (again)", BARE)]
    csrf = plan.get("csrf_cookie", "csrftoken")
    rows = []
    for name, path in targets:
        # Warms caches and connections.
        asyncio.run(_load(hosts, cookies, path, min(2.0, duration), csrf))
        result = asyncio.run(_load(hosts, cookies, path, duration, csrf))
        rows.append({"page": name, "path": path, **result})
    bare = statistics.mean(r["rps"] for r in rows if r["path"] == BARE)
    for row in rows:
        row["ratio"] = row["rps"] / bare if bare else None
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| page | requests | errors | requests/s | median ms | p95 ms | share of bare view |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        flag = "" if r["path"] == "/bench/bare/" or r["ratio"] >= BUDGET else " (below 40 %)"
        lines.append(
            f"| {r['page']} (`{r['path']}`) | {r['requests']} | {r['errors']} | {r['rps']:.1f} "
            f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {100 * r['ratio']:.0f} %{flag} |"
        )
    return "\n".join(lines)


def start_workers(ports: list[str], out: Path) -> list:
    """Two daphne workers with production settings on this environment's database and Redis."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        url = os.environ.get(name, "")
        if "127.0.0.1" not in url:
            raise SystemExit(f"Set {name} to a loopback PostgreSQL / Redis URL.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-pages-only-" + "k" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "BENCH_BARE_VIEW": "true",
        "LOG_LEVEL": "WARNING",
        "DATABASE_POOL_MAX_SIZE": os.environ.get("DATABASE_POOL_MAX_SIZE", "20"),
    }
    os.environ.update({k: env[k] for k in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")})
    out.mkdir(parents=True, exist_ok=True)
    workers = []
    for port in ports:
        log = open(out / f"daphne-{port}.log", "w")  # noqa: SIM115 - closed in stop_workers
        command = [BIN / "daphne", "-b", "127.0.0.1", "-p", port, "config.asgi:application"]
        workers.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log), log))  # noqa: S603
    for port in ports:
        wait_healthy(f"http://127.0.0.1:{port}", 90)
    return workers


def stop_workers(workers: list) -> None:
    for process, log in workers:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="comma-separated running workers")
    parser.add_argument("--start-workers", action="store_true", help="start two daphne workers")
    parser.add_argument("--ports", default="8111,8112")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--out", type=Path, default=Path("/tmp/apprentice-bench-pages"))  # noqa: S108
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        _prepare(args.prepare)
        return 0
    if not args.base_url and not args.start_workers:
        parser.error("give --base-url of running workers, or --start-workers")
    workers = start_workers(args.ports.split(","), args.out) if args.start_workers else []
    base_url = args.base_url or ",".join(f"http://127.0.0.1:{p}" for p in args.ports.split(","))
    try:
        rows = run(base_url, users=args.users, duration=args.duration)
    finally:
        stop_workers(workers)
    print(
        f"{args.users} concurrent signed-in clients, {args.duration:g} s per page, "
        f"{len(base_url.split(','))} worker(s):\n"
    )
    print(table(rows))
    return 0 if all(r["ratio"] >= BUDGET for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

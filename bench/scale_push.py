"""Workers and websocket clients for ``bench/scale.py``: live push and the connection storm.

Two daphne workers (production settings, the options of ``make serve``, as ``bench/load.py``
starts them) run in their own process groups, so every exit of the run stops them and anything
they started. Websocket clients run in a few client processes (one asyncio loop each), half of
them on each worker; every frame is recorded with its receipt time and size.
"""

import asyncio
import bisect
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from bench.common import processes_stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# As `make serve` (the Makefile's DAPHNE_OPTIONS and listen backlog).
DAPHNE_OPTIONS = ["--websocket_connect_timeout", "30", "--application-close-timeout", "30"]


def raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, needed), hard))


def _worker_setup(sockets: int) -> None:
    """In the worker before exec: enough file descriptors, and SIGTERM if the run is killed
    outright (Linux's parent-death signal), so no worker outlives the run however it ends."""
    raise_file_limit(sockets * 2 + 1000)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Workers:
    """Daphne workers on ``ports``; a context manager that always stops them (process groups)."""

    def __init__(self, ports: list[int], env: dict, out: Path, sockets: int):
        self.ports, self.env, self.out, self.sockets = ports, env, out, sockets
        self.procs: list[subprocess.Popen] = []

    def query_log(self, port: int) -> Path:
        return self.out / f"queries-{port}.json"

    def __enter__(self):
        for port in self.ports:  # another server there would answer our health checks
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    raise SystemExit(f"Port {port} is in use on 127.0.0.1: pass --ports.")
        for port in self.ports:
            log = open(self.out / f"daphne-{port}.log", "w")
            self.procs.append(
                subprocess.Popen(  # noqa: S603
                    [
                        str(BIN / "daphne"),
                        "-e",
                        f"tcp:port={port}:interface=127.0.0.1:backlog=1024",
                        "-v",
                        "0",
                        *DAPHNE_OPTIONS,
                        "bench.scale_asgi:application",
                    ],
                    cwd=ROOT,
                    # The bare reference view of the pages phase (bench/pages.py) is mounted.
                    env={
                        **self.env,
                        "SCALE_QUERY_LOG": str(self.query_log(port)),
                        "BENCH_BARE_VIEW": "true",
                    },
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, stopped as one
                    preexec_fn=lambda: _worker_setup(self.sockets),
                )
            )
            log.close()
        try:
            for port in self.ports:
                self.wait_healthy(port)
        except BaseException:  # __exit__ does not run when __enter__ fails
            self.__exit__(None, None, None)
            raise
        return self

    def wait_healthy(self, port: int) -> None:
        deadline = time.time() + 90
        while time.time() < deadline:
            if any(p.poll() is not None for p in self.procs):
                raise SystemExit(f"A daphne worker exited; see {self.out}/daphne-{port}.log")
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"The worker on port {port} did not answer /healthz within 90 s.")

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def __exit__(self, *exc):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # open sockets can hold daphne's shutdown
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return False

    def tracebacks(self) -> int:
        return sum(
            (self.out / f"daphne-{port}.log").read_text().count("Traceback") for port in self.ports
        )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (and its reaped children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _build_time(frame: dict) -> float | None:
    # When the frame's reads began (generated_at), else when it was encoded (sent_at).
    for key in ("generated_at", "built_at", "sent_at", "at"):
        value = frame.get(key)
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).timestamp()
            except ValueError:
                continue
    return None


def _frame_key(frame: dict, raw: str):
    for key in ("version", "generated_at", "sent_at"):
        if frame.get(key) is not None:
            return str(frame.get(key))
    return str(hash(raw))


# The head's first fields, as ``leaderboard.payloads`` encodes them (compact JSON, these keys
# before any row). A client reads them from the frame's opening bytes: decoding each ~11 KB
# frame whole took ~115 us, ~0.12 s of the shared two cores per broadcast for 1,000 clients,
# spent in the same burst as the workers' (real clients decode on their own devices).
_HEAD_FIELD = re.compile(r'"(version|sent_at|generated_at)":("[^"]*"|[-0-9.eE+]+)')
HEAD_BYTES = 400
# Every client still decodes its snapshot and every FULL_EVERY-th frame whole and checks that
# the fields read from the opening bytes are the frame's own.
FULL_EVERY = 20


def _head_fields(raw: str) -> dict:
    """{version, sent_at, generated_at} from the frame's opening bytes (what ``note`` keeps)."""
    fields = {}
    for name, value in _HEAD_FIELD.findall(raw[:HEAD_BYTES]):
        fields.setdefault(name, json.loads(value))
    return fields


async def _client(url, origin, session, record, stop):
    from websockets.asyncio.client import connect

    started = time.time()
    try:
        ws = await connect(
            url,
            additional_headers={"Cookie": f"sessionid={session}", "Origin": origin},
            open_timeout=120,
            ping_interval=None,
            close_timeout=1,
            max_size=None,
            max_queue=None,
        )
        raw = await asyncio.wait_for(ws.recv(), timeout=120)
    except Exception as error:
        record["error"] = repr(error)[:160]
        return
    record["connect_s"] = time.time() - started
    frames = record["frames"]

    def note(raw: str):
        at = time.time()
        frame = _head_fields(raw)
        if len(frames) % FULL_EVERY == 0 or len(frame) < 3:
            whole = json.loads(raw)
            if any(whole.get(name) != value for name, value in frame.items()):
                record["error"] = f"head fields misread: {frame!r}"[:160]
            frame = whole
        sent = frame.get("sent_at")
        sent = float(sent) if isinstance(sent, int | float) else None
        frames.append((at, len(raw.encode()), _build_time(frame), _frame_key(frame, raw), sent))

    note(raw)
    try:
        # Read until the run cancels this task (no timeout per read: a task and a timer each).
        while True:
            note(await ws.recv())
    except asyncio.CancelledError:
        pass
    except Exception as error:
        record["error"] = f"closed: {error!r}"[:160]
    finally:
        try:
            await asyncio.wait_for(ws.close(), timeout=2)
        except Exception:
            ws.transport.abort()


async def _clients(targets, batch, control, results):
    """Connect ``targets`` ``batch`` at a time; keep reading until told to stop."""
    stop = asyncio.Event()
    records = [{"frames": []} for _ in targets]
    tasks = []
    for start in range(0, len(targets), batch):
        wave = range(start, min(start + batch, len(targets)))
        tasks += [asyncio.create_task(_client(*targets[i], records[i], stop)) for i in wave]
        # The next wave starts when this one has its snapshots (or gave up).
        while any("connect_s" not in records[i] and "error" not in records[i] for i in wave):
            await asyncio.sleep(0.05)
    control.send("connected")
    await asyncio.to_thread(control.recv)  # "stop"
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    results.send(records)


def client_process(targets, batch, control, results):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the run's handler: just end
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    raise_file_limit(len(targets) * 2 + 200)
    asyncio.run(_clients(targets, batch, control, results))


class Clients:
    """``len(sessions)`` board sockets over ``processes`` client processes; a context manager."""

    def __init__(self, sessions, ports, scope, near_share, batch, processes):
        import multiprocessing

        self.ctx = multiprocessing.get_context("fork")
        self.groups = [[] for _ in range(processes)]
        for i, session in enumerate(sessions):
            port = ports[i % len(ports)]
            view = "?view=near" if i < len(sessions) * near_share else ""
            url = f"ws://127.0.0.1:{port}/ws/leaderboard/{scope}/{view}"
            self.groups[i % processes].append((url, f"http://127.0.0.1:{port}", session))
        # Waves of ``batch`` sockets in all: each process opens its share of a wave.
        self.batches = [
            max(1, batch // processes + (p < batch % processes)) for p in range(processes)
        ]
        self.procs, self.controls, self.results = [], [], []

    def __enter__(self):
        for group, batch in zip(self.groups, self.batches, strict=True):
            control, child_control = self.ctx.Pipe()
            results, child_results = self.ctx.Pipe(duplex=False)
            proc = self.ctx.Process(
                target=client_process,
                args=(group, batch, child_control, child_results),
                daemon=True,
            )
            proc.start()
            self.procs.append(proc)
            self.controls.append(control)
            self.results.append(results)
        return self

    def wait_connected(self) -> float:
        started = time.time()
        for control in self.controls:
            control.recv()
        return time.time() - started

    def stop(self) -> list[dict]:
        for control in self.controls:
            control.send("stop")
        records = []
        for results in self.results:
            records += results.recv()
        return records

    def __exit__(self, *exc):
        processes_stop(self.procs)
        return False


def analyse(records: list[dict], commits: list[float], interval: float) -> dict:
    """Commit-to-receipt per client per update, frame sizes, and who got the last update.

    For each client, frames in order: the first (the snapshot) covers every award committed
    before it was built. Each later frame covers the awards committed before its build time
    (the frame's own timestamp; its receipt time if it carries none) that the client had not
    seen yet, and gives one sample: its receipt time less the earliest of those commits.
    """
    latencies, sizes, connect, delivery = [], [], [], []
    got_last, complete, missed = 0, 0, 0
    last_commit = commits[-1] if commits else 0.0
    seen_by = {}
    for r in records:
        for at, _size, built, key, _sent in r["frames"][1:]:
            first = seen_by.setdefault(key, [built or at, 0])
            first[0] = min(first[0], built or at)
            first[1] += 1
    # Every frame after the snapshot is a broadcast (these clients never ask for a resync).
    broadcasts = {key: t for key, (t, _n) in seen_by.items()}
    ok = [r for r in records if "connect_s" in r]
    for r in ok:
        connect.append(r["connect_s"])
        frames = r["frames"]
        sizes += [size for _, size, _, _, _ in frames]
        delivery += [at - sent for at, _, _, _, sent in frames[1:] if sent]
        seen = bisect.bisect_right(commits, frames[0][2] or frames[0][0])
        for at, _size, built, _key, _sent in frames[1:]:
            upto = bisect.bisect_right(commits, built or at)
            if upto > seen:
                latencies.append(at - commits[seen])
                seen = upto
        if any((built or at) >= last_commit for at, _, built, _, _ in frames[1:]):
            got_last += 1
        start = frames[0][2] or frames[0][0]
        received = {key for _, _, _, key, _ in frames}
        expected = {key for key, t in broadcasts.items() if t > start}
        missed += len(expected - received)
        complete += not expected - received
    return {
        "clients": len(records),
        "connected": len(ok),
        "errors": sorted({r["error"] for r in records if "error" in r})[:3],
        "dropped": sum(1 for r in ok if "error" in r),
        "connect_s": connect,
        "latency_s": latencies,
        "delivery_s": delivery,
        "sizes": sizes,
        "got_last": got_last,
        "complete": complete,
        "missed": missed,
        "broadcasts": len(broadcasts),
        "interval": interval,
    }


def query_counts(paths: list[Path], start: float, end: float) -> dict:
    """Statements the workers sent between ``start`` and ``end`` (per-second counts), in all and
    per wrapped step (``q:<step>`` statements, ``n:<step>`` calls), summed over the workers."""
    total: dict[str, int] = {"all": 0}
    for path in paths:
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        for name, seconds in data.items():
            if name.startswith("t:"):  # timings (bench/scale_asgi.py), not counts
                continue
            total[name] = total.get(name, 0) + sum(
                n for second, n in seconds.items() if start <= int(second) < end
            )
    return total


def per_broadcast(idle: dict, busy: dict, idle_s: float, busy_s: float) -> dict:
    """SQL per broadcast: per wrapped step (statements / calls), and every statement of both
    workers during the awards less their idle rate, per broadcast."""
    rate = idle["all"] / max(1, idle_s)
    out = {"idle_per_s": rate}
    heads = busy.get("n:_build_broadcast", 0)
    if heads:
        out["broadcasts"] = heads
        out["per_broadcast"] = (busy["all"] - rate * busy_s) / heads
        out["head"] = busy.get("q:_build_broadcast", 0) / heads
    tails = busy.get("n:_build_tails", 0)
    if tails:
        out["tail_batches"] = tails
        out["per_tail_batch"] = busy.get("q:_build_tails", 0) / tails
    return out

"""The site's ASGI application, counting SQL statements (for ``bench/scale.py`` only).

Every statement a worker sends through Django is counted per second (``SCALE_QUERY_LOG``:
a JSON file rewritten every second, ``{"all": {second: n}, "q:<name>": {second: n},
"n:<name>": {second: calls}}``). Statements inside the consumer module's broadcast steps
(``_build_broadcast``: the broadcaster's head, once per broadcast; ``_build_tails``: one
worker's batch of its viewers' own rows, once per broadcast per worker; whichever this version
has) are also counted apart, with their calls. Nothing else changes: same settings, routing.
"""

import atexit
import json
import os
import threading
import time
from collections import Counter

from django.db import connection
from django.db.backends.signals import connection_created

from config.asgi import application  # noqa: F401 - served by daphne
from leaderboard import consumers, fanout

LOG = os.environ.get("SCALE_QUERY_LOG", "")
WRAPPED = ("_build_broadcast", "_build_tails")
counts = {"all": Counter()}
for _name in WRAPPED:
    counts[f"q:{_name}"], counts[f"n:{_name}"] = Counter(), Counter()
# Timings: [start (Unix s), wall s, thread CPU s, sockets] of each broadcast step and of each
# delivery (a worker's update from its arrival to its last frame handed out).
timings: dict[str, list] = {f"t:{name}": [] for name in (*WRAPPED, "deliver")}
local = threading.local()
lock = threading.Lock()


def _count(execute, sql, params, many, context):
    second = int(time.time())
    with lock:
        counts["all"][second] += 1
        inside = getattr(local, "inside", None)
        if inside:
            counts[f"q:{inside}"][second] += 1
    return execute(sql, params, many, context)


def _attach(sender, connection, **kwargs):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def _wrap(name, fn):
    def counted(*args, **kwargs):
        local.inside = name
        began, cpu = time.time(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            local.inside = None
            wall, spent = time.time() - began, time.thread_time() - cpu
            sockets = len(args[1]) if len(args) > 1 else 0
            with lock:
                counts[f"n:{name}"][int(time.time())] += 1
                timings[f"t:{name}"].append(
                    [round(began, 4), round(wall, 5), round(spent, 5), sockets]
                )

    return counted


def _timed_deliver(real):
    async def deliver(self, scope):
        began = time.time()
        try:
            return await real(self, scope)
        finally:
            with lock:
                timings["t:deliver"].append([round(began, 4), round(time.time() - began, 5), 0, 0])

    return deliver


def _dump():
    with lock:
        data = {name: dict(c) for name, c in counts.items()} | {
            k: list(v) for k, v in timings.items()
        }
    tmp = f"{LOG}.tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, LOG)


def _dumper():
    while True:
        time.sleep(1)
        _dump()


if LOG:
    connection_created.connect(_attach)
    if connection.connection is not None:
        _attach(None, connection)
    for name in WRAPPED:
        if hasattr(consumers, name):
            setattr(consumers, name, _wrap(name, getattr(consumers, name)))
    fanout.Worker._deliver = _timed_deliver(fanout.Worker._deliver)
    threading.Thread(target=_dumper, daemon=True).start()
    atexit.register(_dump)

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
from leaderboard import consumers

LOG = os.environ.get("SCALE_QUERY_LOG", "")
WRAPPED = ("_build_broadcast", "_build_tails")
counts = {"all": Counter()}
for _name in WRAPPED:
    counts[f"q:{_name}"], counts[f"n:{_name}"] = Counter(), Counter()
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
        try:
            return fn(*args, **kwargs)
        finally:
            local.inside = None
            with lock:
                counts[f"n:{name}"][int(time.time())] += 1

    return counted


def _dump():
    with lock:
        data = {name: dict(c) for name, c in counts.items()}
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
    threading.Thread(target=_dumper, daemon=True).start()
    atexit.register(_dump)

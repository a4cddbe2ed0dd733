"""Apprentice's own settings: demo, AI providers, leaderboard, xAPI, corpus export,
benchmarks (imported by ``base``)."""

import hashlib
import os

from .core import SECRET_KEY, WAGTAILADMIN_BASE_URL
from .env import env_bool

# DEMO
# ------------------------------------------------------------------------------
# Password for demo users made by `manage.py seed_demo` (refused when DEBUG is off).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "apprentice-demo")

# AI PROVIDERS (mentoring/ai/)
# ------------------------------------------------------------------------------
# Which AI answers test cases: "sample" (offline, scripted on each challenge) or "openai" (any
# OpenAI-compatible chat-completions endpoint at AI_BASE_URL).
AI_PROVIDER = os.environ.get("AI_PROVIDER", "sample")
AI_BASE_URL = os.environ.get("AI_BASE_URL", "")
AI_MODEL = os.environ.get("AI_MODEL", "")
AI_API_KEY = os.environ.get("AI_API_KEY", "")
AI_TIMEOUT = float(os.environ.get("AI_TIMEOUT", "20"))
AI_MAX_RETRIES = int(os.environ.get("AI_MAX_RETRIES", "2"))

# LEADERBOARD
# ------------------------------------------------------------------------------
# Most points a user can earn per kind per day (site time zone); kinds not listed are uncapped.
LEADERBOARD_DAILY_CAPS = {
    "kudos.received": 50,
    "review.given": 100,
    "reflection.upvoted": 50,
    "lesson.completed": 200,
    # Confirmed field reports (mentoring): no farming of the company's real systems.
    "fieldreport.confirmed": 150,
}
# Seconds between live updates of one board: a burst of awards becomes one update.
LEADERBOARD_BROADCAST_INTERVAL = float(os.environ.get("LEADERBOARD_BROADCAST_INTERVAL", "1"))
# Rows in a board's top list (pages, websocket and API default).
LEADERBOARD_BOARD_SIZE = 20
# Rows of people and of teams in each live-board frame (1..50): the top N, plus the viewer's own.
LEADERBOARD_LIVE_ROWS = int(os.environ.get("LEADERBOARD_LIVE_ROWS", "50"))
# Threads per worker for the board sockets' database work (each holds a database connection).
LEADERBOARD_SOCKET_THREADS = int(os.environ.get("LEADERBOARD_SOCKET_THREADS", "4"))
# Seconds between a worker's presence heartbeats (0: none), and after how long without one a
# socket's presence row counts as a ghost (not a watcher; swept). See leaderboard/presence.py.
LEADERBOARD_PRESENCE_HEARTBEAT = float(os.environ.get("LEADERBOARD_PRESENCE_HEARTBEAT", "30"))
LEADERBOARD_PRESENCE_STALE_AFTER = float(os.environ.get("LEADERBOARD_PRESENCE_STALE_AFTER", "90"))
# Kudos each employee can give per week (renews Monday), and points a kudos earns.
LEADERBOARD_KUDOS_WEEKLY_BUDGET = 5
LEADERBOARD_KUDOS_POINTS = 5

# xAPI (home/xapi.py)
# ------------------------------------------------------------------------------
# xAPI: learning events go to the company's LRS when XAPI_ENDPOINT is set (e.g.
# https://lrs.example.com/xapi/), queued in the database and retried until the LRS accepts them.
XAPI_ENDPOINT = os.environ.get("XAPI_ENDPOINT", "")
XAPI_USERNAME = os.environ.get("XAPI_USERNAME", "")
XAPI_PASSWORD = os.environ.get("XAPI_PASSWORD", "")
XAPI_TIMEOUT = float(os.environ.get("XAPI_TIMEOUT", "10"))
# The actor's account homePage (identifies people by site account, never by e-mail).
XAPI_ACTOR_HOMEPAGE = os.environ.get("XAPI_ACTOR_HOMEPAGE", WAGTAILADMIN_BASE_URL)

# CORPUS EXPORT
# ------------------------------------------------------------------------------
# Key of the pseudonymous author ids in the exported corpus (an HMAC of the user id). Keep it
# stable so ids stay comparable across exports; by default it is derived from the secret key.
CORPUS_PSEUDONYM_SECRET = (
    os.environ.get("CORPUS_PSEUDONYM_SECRET")
    or hashlib.sha256(f"corpus-pseudonyms:{SECRET_KEY}".encode()).hexdigest()
)

# BENCHMARKS
# ------------------------------------------------------------------------------
# Mounts /bench/bare/, a view that renders nothing and reads no database: the reference that
# bench/pages.py compares page throughput with. Off unless a benchmark run turns it on.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)

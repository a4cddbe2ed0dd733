"""Plain views of the home app."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from home.forms import InsightsFilterForm
from home.insights import insights_feed

logger = logging.getLogger(__name__)

# Seconds the channel-layer round trip may take: with the cache's socket timeouts this keeps
# /healthz under 2 s when Redis is frozen, so a load balancer hears "unhealthy", not silence.
CHANNEL_LAYER_CHECK_TIMEOUT = 1.0


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    # The Redis cache answers "miss" while Redis is down; its health check asks Redis itself.
    probe = getattr(cache, "health_check", None)
    if probe is not None:
        probe()
    key = f"healthz:{get_random_string(12)}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("The cache did not return the value just written.")
    cache.delete(key)


def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("No channel layer is configured.")

    async def roundtrip():
        # The default prefix: channels-redis lets one coroutine of the process block-read at
        # a time, on its own prefix's queue. A "healthz." channel waited for that lock while a
        # board socket held it reading "specific.", so /healthz hung whenever a socket was open.
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("The channel layer returned a different message.")

    async def bounded():
        await asyncio.wait_for(roundtrip(), timeout=CHANNEL_LAYER_CHECK_TIMEOUT)

    async_to_sync(bounded)()


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "channel_layer": _check_channel_layer,
}


@never_cache
@require_GET
def healthz(request):
    """Report whether the database, cache and channel layer answer: 200 if all do, else 503."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure is reported, not raised
            logger.warning("Health check %s failed: %s", name, exc)
            results[name] = f"error: {exc.__class__.__name__}"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(results, status=200 if healthy else 503)


@login_required
def insights(request):
    """The cross-team insights feed, filtered by skill and team."""

    form = InsightsFilterForm(request.GET or None)
    skill, team_id = "", None
    if form.is_bound and form.is_valid():
        skill = form.cleaned_data["skill"] or ""
        team_id = form.cleaned_data["team"]
    items = insights_feed(viewer=request.user, skill=skill, team_id=team_id)
    return render(request, "home/insights.html", {"form": form, "items": items})

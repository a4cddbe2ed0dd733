"""xAPI: learning events sent as statements to the company's LRS, in the background.

:func:`xapi_record` queues a statement (a row in :class:`home.models.XapiStatement`) in the
caller's transaction and, after commit, enqueues :func:`xapi_flush_task`. The flush posts due
statements in batches; failures stay queued with exponential backoff, so an LRS outage loses
nothing. ``manage.py xapi_flush`` retries whatever is due (run it from cron or a worker loop).
"""

import base64
import logging
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from home.models import XapiStatement

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
BATCH_SIZE = 50
MAX_BACKOFF = timedelta(hours=1)

VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "responded": "http://adlnet.gov/expapi/verbs/responded",
    "earned": "http://id.tincanapi.com/verb/earned",
}
ACTIVITY_TYPES = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "challenge": "http://adlnet.gov/expapi/activities/simulation",
    "badge": "http://activitystrea.ms/schema/1.0/badge",
    # A field report on one of the company's AI systems (mentoring).
    "feedback": "http://adlnet.gov/expapi/activities/interaction",
}


def xapi_enabled() -> bool:
    return bool(settings.XAPI_ENDPOINT)


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.XAPI_ACTOR_HOMEPAGE.rstrip("/") + "/" + url.lstrip("/")


def xapi_record(
    *,
    user,
    verb: str,
    activity_url: str,
    activity_name: str,
    activity_type: str,
    result: dict | None = None,
    timestamp=None,
) -> XapiStatement | None:
    """Queue one statement "``user`` ``verb`` ``activity``" for the LRS (no-op when disabled).

    The actor is the user's account on this site (homePage + opaque id), never an e-mail.
    """
    if not xapi_enabled():
        return None
    statement = XapiStatement(user=user, verb=verb, payload={})
    statement.payload = {
        "id": str(statement.id),
        "actor": {
            "objectType": "Agent",
            "account": {
                "homePage": settings.XAPI_ACTOR_HOMEPAGE.rstrip("/") + "/",
                "name": f"user-{user.pk}",
            },
        },
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": _absolute(activity_url),
            "definition": {
                "name": {"en-US": activity_name},
                "type": ACTIVITY_TYPES[activity_type],
            },
        },
        "timestamp": (timestamp or timezone.now()).isoformat(),
    }
    if result:
        statement.payload["result"] = result
    statement.save()
    transaction.on_commit(_enqueue_flush)
    return statement


def _enqueue_flush() -> None:
    try:
        xapi_flush_task.enqueue()
    except Exception:  # queueing must never break the user's request
        logger.exception("Could not enqueue the xAPI flush; `manage.py xapi_flush` will send.")


def _headers() -> dict[str, str]:
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
    if settings.XAPI_USERNAME or settings.XAPI_PASSWORD:
        token = f"{settings.XAPI_USERNAME}:{settings.XAPI_PASSWORD}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
    return headers


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def xapi_flush(*, now=None, limit: int = 500) -> dict[str, int]:
    """Send due statements in batches. Returns counts of sent, retried and rejected rows."""
    counts = {"sent": 0, "retry": 0, "rejected": 0}
    if not xapi_enabled():
        return counts
    now = now or timezone.now()
    url = settings.XAPI_ENDPOINT.rstrip("/") + "/statements"
    due = list(
        XapiStatement.objects.filter(
            status=XapiStatement.Status.PENDING, next_attempt_at__lte=now
        ).order_by("created_at")[:limit]
    )
    with httpx.Client(timeout=settings.XAPI_TIMEOUT, headers=_headers()) as client:
        for start in range(0, len(due), BATCH_SIZE):
            batch = due[start : start + BATCH_SIZE]
            ids = [s.pk for s in batch]
            try:
                response = client.post(url, json=[s.payload for s in batch])
            except httpx.HTTPError as exc:
                error, status = f"{exc.__class__.__name__}: {exc}", None
            else:
                status = response.status_code
                error = "" if status < 300 else f"HTTP {status}: {response.text[:500]}"
            if status is not None and (status < 300 or status == 409):
                # 409: the LRS already holds these ids (a resend after a lost answer).
                XapiStatement.objects.filter(pk__in=ids).update(
                    status=XapiStatement.Status.SENT, sent_at=now, last_error=""
                )
                counts["sent"] += len(batch)
            elif status is not None and 400 <= status < 500 and status not in {401, 403, 429}:
                # The LRS refuses the content itself: retrying cannot help; keep for inspection.
                XapiStatement.objects.filter(pk__in=ids).update(
                    status=XapiStatement.Status.REJECTED, last_error=error
                )
                counts["rejected"] += len(batch)
                logger.error("The LRS rejected %s xAPI statement(s): %s", len(batch), error)
            else:
                for statement in batch:
                    statement.attempts += 1
                    statement.last_error = error
                    statement.next_attempt_at = now + _backoff(statement.attempts)
                XapiStatement.objects.bulk_update(
                    batch, ["attempts", "last_error", "next_attempt_at"]
                )
                counts["retry"] += len(batch)
                logger.warning(
                    "The LRS is unreachable (%s); %s statement(s) queued.", error, len(batch)
                )
    return counts


@task()
def xapi_flush_task() -> dict[str, int]:
    """Background task: send what is due to the LRS."""
    return xapi_flush()

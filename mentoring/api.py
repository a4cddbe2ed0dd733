"""``POST /api/v1/feedback/``: company tools report an AI answer (mounted by config/api.py).

Authenticated like the rest of the API (a Wagtail API bearer token, or the session with CSRF).
Rate-limited per person (MENTORING_FEEDBACK_PER_HOUR, default 30) in fixed hourly windows in
the cache, so several workers sharing Redis count together; a cache outage lets reports through
(the limit guards against floods, not correctness).
"""

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from mentoring.models import AISystem
from mentoring.services.feedback import report_create

router = Router(tags=["feedback"])


class FeedbackIn(Schema):
    system: str = Field(..., max_length=60, description="The AI system's slug.")
    asked: str = Field(..., max_length=4000, description="What the AI was asked.")
    answer: str = Field(..., max_length=8000, description="What it answered, exactly.")
    where: str = Field("", max_length=500, description="A URL or ticket id.")
    has_personal_data: bool = Field(
        False, description="Kept out of every export until an owner redacts it."
    )


class FeedbackOut(Schema):
    id: int
    status: str
    url: str = Field(..., description="The report in the product: flag, correct, add context.")
    guidance_version: int | None = Field(None, description="Guidance published at report time.")


class ErrorOut(Schema):
    detail: str


def _over_limit(user) -> bool:
    limit = getattr(settings, "MENTORING_FEEDBACK_PER_HOUR", 30)
    key = f"mentoring:feedback:{user.pk}:{timezone.now():%Y%m%d%H}"
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) > limit
    except Exception:  # a cache outage must not stop reports
        return False


@router.post(
    "/",
    response={201: FeedbackOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Report an AI answer met at work",
)
def feedback_create(request, payload: FeedbackIn):
    """Log a field report for the system; it opens in the product's loop UI at ``url``."""
    system = AISystem.objects.filter(slug=payload.system).first()
    if system is None:
        return Status(404, {"detail": f"There is no AI system “{payload.system[:60]}”."})
    if _over_limit(request.user):
        return Status(429, {"detail": "Too many reports this hour; try again later."})
    # A refusal (ApplicationError) is answered 400 by config/api.py's handler.
    report = report_create(
        reporter=request.user,
        system=system,
        asked=payload.asked,
        answer=payload.answer,
        where=payload.where,
        has_personal_data=payload.has_personal_data,
        via="api",
    )
    return Status(
        201,
        {
            "id": report.pk,
            "status": report.status,
            "url": request.build_absolute_uri(reverse("mentoring:report", args=[report.pk])),
            "guidance_version": report.guidance_version,
        },
    )

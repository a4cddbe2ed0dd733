"""The cross-team insights feed: shared reflections, gold corrections, newly approved context.

Plus the weekly digest e-mail of the same, for those who opt in.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from challenges.models import ContextNote, Correction, Reflection, Upvote
from home.models import DigestSent

FEED_SIZE = 60


@dataclass
class FeedItem:
    """One entry of the feed, whatever record it comes from."""

    kind: str  # "reflection", "gold", "context"
    at: datetime
    record: object
    challenge: object | None
    author: object
    team: object | None


def _skill_q(skill: str, *, challenge_field: str = "challenge") -> Q:
    return Q(**{f"{challenge_field}__skills__slug": skill})


def insights_feed(
    *, viewer, skill: str = "", team_id: int | None = None, since: datetime | None = None
) -> list[FeedItem]:
    """Newest first, filtered by skill (of the challenge or note) and the author's team."""
    reflections = Reflection.objects.filter(shared=True).annotate(
        upvoted_by_me=Exists(Upvote.objects.filter(reflection=OuterRef("pk"), user=viewer))
    )
    golds = Correction.objects.filter(is_gold=True)
    notes = ContextNote.objects.filter(status=ContextNote.APPROVED)
    if skill:
        reflections = reflections.filter(_skill_q(skill))
        golds = golds.filter(_skill_q(skill))
        notes = notes.filter(Q(skills__slug=skill) | _skill_q(skill))
    if team_id:
        reflections = reflections.filter(team_id=team_id)
        golds = golds.filter(team_id=team_id)
        notes = notes.filter(team_id=team_id)
    if since:
        reflections = reflections.filter(created_at__gte=since)
        golds = golds.filter(gold_at__gte=since)
        notes = notes.filter(reviewed_at__gte=since)
    related = ("user", "team", "challenge")
    items = [
        FeedItem("reflection", r.created_at, r, r.challenge, r.user, r.team)
        for r in reflections.select_related(*related).order_by("-created_at").distinct()[:FEED_SIZE]
    ]
    items += [
        FeedItem("gold", c.gold_at or c.created_at, c, c.challenge, c.user, c.team)
        for c in golds.select_related(*related).order_by("-gold_at").distinct()[:FEED_SIZE]
    ]
    items += [
        FeedItem("context", n.reviewed_at or n.created_at, n, n.challenge, n.user, n.team)
        for n in notes.select_related(*related).order_by("-reviewed_at").distinct()[:FEED_SIZE]
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:FEED_SIZE]


def digest_week_start(moment: datetime | None = None) -> datetime:
    local = timezone.localtime(moment or timezone.now())
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def digest_send(*, user, now: datetime | None = None) -> bool:
    """E-mail ``user`` this week's digest once (a database constraint); False if already sent
    or there is nothing worth sending."""

    now = now or timezone.now()
    week = digest_week_start(now).date()
    items = insights_feed(viewer=user, since=now - timedelta(days=7))
    if not items:
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, week=week)
            body = render_to_string(
                "home/email/insights_digest.txt",
                {
                    "user": user,
                    "items": items[:10],
                    "site": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                },
            )
            send_mail(
                subject="[Apprentice] This week's insights from your colleagues",
                message=body,
                from_email=None,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return False
    return True


@task()
def digest_send_task(user_ids: list[int]) -> int:
    """Background task: send the weekly digest to these users; returns how many were sent."""

    return sum(
        digest_send(user=user) for user in User.objects.filter(pk__in=user_ids, is_active=True)
    )

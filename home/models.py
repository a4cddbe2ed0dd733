"""The site's home page: the landing page for visitors and the dashboard once signed in."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.selectors import dashboard_context


class HomePage(Page):
    """The root of the site. Visitors see the introduction; employees see their dashboard."""

    intro = RichTextField(blank=True, help_text="Shown to visitors who are not signed in.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    @staticmethod
    def prefetch_keys(page_pk, user_pk) -> list[str]:
        """The cache keys the dashboard reads, by ids: ``home.page_cache`` asks for them with
        the viewer's user, so a warm dashboard costs no round trip of its own."""
        from home.selectors import dashboard_keys

        return dashboard_keys(user_pk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            context["dashboard"] = dashboard_context(request.user, request=request)
        return context


class XapiStatement(models.Model):
    """An xAPI statement waiting for (or accepted by) the company's LRS: the outbox.

    Statements are written in the same transaction as the event they describe and sent in the
    background, so an LRS outage loses nothing: unsent rows are retried with backoff. The id is
    the statement's own UUID, so a resend after a lost response is deduplicated by the LRS.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Accepted by the LRS"
        REJECTED = "rejected", "Refused by the LRS (kept for inspection)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_statements"
    )
    verb = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.verb} ({self.status})"


class DigestSent(models.Model):
    """The weekly insights digest went to this user for this week: never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Monday of the digest's week.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="home_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} of {self.week}"

"""The company's AI systems, as L&D registers them, and the sample stand-in's scripted answers."""

import os

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

ENV_NAME = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,99}$",
    "Give the name of an environment variable (capitals, digits and _), never the key itself.",
)


class AISystem(ClusterableModel):
    """One AI system the company runs (a reply drafter, a CV screener...), and how to reach it.

    The key to an ``openai`` endpoint is never stored: ``api_key_env`` names the environment
    variable of the product's servers that holds it. Owners triage the system's field reports,
    approve its context and publish its guidance packs.
    """

    SAMPLE, OPENAI = "sample", "openai"
    PROVIDER_CHOICES = [
        (SAMPLE, "Sample (offline demo stand-in)"),
        (OPENAI, "OpenAI-compatible endpoint"),
    ]

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    purpose = models.TextField(help_text="What the system does, for whom.")
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ai_systems",
        help_text="The team that owns the system.",
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="owned_ai_systems",
        help_text="AI owners: they triage reports, approve context and publish guidance.",
    )
    provider = models.CharField(max_length=10, choices=PROVIDER_CHOICES, default=SAMPLE)
    base_url = models.URLField(
        blank=True, help_text="OpenAI-compatible endpoint, e.g. https://llm.internal/v1."
    )
    model = models.CharField(max_length=100, blank=True, help_text="The model name to ask for.")
    api_key_env = models.CharField(
        "API key environment variable",
        max_length=100,
        blank=True,
        validators=[ENV_NAME],
        help_text="The NAME of the environment variable holding the key (e.g. CARE_BOT_KEY).",
    )
    system_prompt = models.TextField(blank=True, help_text="The system's base system prompt.")
    model_version = models.CharField(
        max_length=60, default="v1", help_text="Label of the model version now in production."
    )
    created_at = models.DateTimeField(default=timezone.now)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("purpose"),
        FieldRowPanel([FieldPanel("team"), FieldPanel("model_version")]),
        FieldPanel("owners"),
        MultiFieldPanel(
            [
                FieldPanel("provider"),
                FieldRowPanel([FieldPanel("base_url"), FieldPanel("model")]),
                FieldPanel("api_key_env"),
                FieldPanel("system_prompt"),
            ],
            heading="How to reach it",
        ),
        InlinePanel(
            "behaviours",
            heading="Sample stand-in: scripted behaviours (used when the provider is Sample)",
            label="Behaviour",
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "AI system"
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__in=["sample", "openai"]), name="mentoring_known_provider"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def api_key(self) -> str:
        """The key from the environment variable named on the system ("" when unset)."""
        return os.environ.get(self.api_key_env, "") if self.api_key_env else ""


class SystemBehaviour(Orderable):
    """A scripted answer of the sample stand-in for a system: inputs like ``probe`` get
    ``response``, unless the guidance in force carries ``fixed_by_topic``, which makes it
    answer ``fixed_response`` (the demo's proof that published context changes the AI)."""

    system = ParentalKey(AISystem, on_delete=models.CASCADE, related_name="behaviours")
    probe = models.TextField(help_text="The kind of input that triggers this behaviour.")
    response = models.TextField(help_text="What the stand-in answers to such input.")
    fixed_by_topic = models.CharField(
        max_length=60,
        blank=True,
        help_text="A context topic (e.g. refund-receipts) whose guidance fixes this answer.",
    )
    fixed_response = models.TextField(
        blank=True, help_text="The answer once guidance with that topic is published."
    )

    panels = [
        FieldPanel("probe"),
        FieldPanel("response"),
        FieldRowPanel([FieldPanel("fixed_by_topic")]),
        FieldPanel("fixed_response"),
    ]

    def __str__(self) -> str:
        return self.probe[:60]

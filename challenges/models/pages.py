"""The pages L&D authors write: a challenge index and challenges with their answer keys."""

from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from challenges.admin_forms import ChallengePageForm
from courses.models.pages import cover_image_field

STEPS = ["observe", "correct", "context", "test", "reflect"]


class ChallengeIndexPage(Page):
    """Lists the challenges (``/challenges/``); the parent of every ChallengePage."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["challenges.ChallengePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from challenges import catalogue
        from courses.models import Skill

        context = super().get_context(request, *args, **kwargs)
        skills = list(Skill.objects.filter(challenges__live=True).distinct().order_by("name"))
        filters = catalogue.filters_from(request.GET, skills=skills)
        context["filters"] = filters
        context["filter_options"] = catalogue.filter_options(skills=skills)
        context["challenges"] = catalogue.challenge_list(
            index=self, user=request.user, filters=filters
        )
        return context


class ChallengePage(Page):
    """One AI output to stress-test through the five steps of the mentoring loop.

    The answer key (``flaws``) and the sample AI's scripted ``behaviours`` are for L&D eyes
    only: employees see a flaw's explanation only after submitting their own flags, and never
    see a behaviour until their own test input triggers it.
    """

    DIFFICULTY_CHOICES = [(1, "Introductory"), (2, "Intermediate"), (3, "Advanced")]

    scenario = models.TextField(help_text="Who uses this AI, and for what.")
    prompt = models.TextField(help_text="The prompt (or user message) the AI answered.")
    output = models.TextField(help_text="The AI output under test, exactly as produced.")
    model_name = models.CharField(
        "model", max_length=100, blank=True, help_text="Which model produced the output."
    )
    prompt_version = models.CharField(max_length=50, blank=True)
    ai_system = models.ForeignKey(
        "mentoring.AISystem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="AI system",
        help_text="The company AI system this challenge is about: the Test step asks it.",
    )
    skills = ParentalManyToManyField("courses.Skill", blank=True, related_name="challenges")
    cover_image = cover_image_field("challenge")
    difficulty = models.PositiveSmallIntegerField(choices=DIFFICULTY_CHOICES, default=1)
    points = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Full marks for the Observe step, and for a correction that reviewers rate 5/5.",
    )
    open_observe = models.BooleanField("Observe step open", default=True)
    open_correct = models.BooleanField("Correct step open", default=True)
    open_context = models.BooleanField("Context step open", default=True)
    open_test = models.BooleanField("Test step open", default=True)
    open_reflect = models.BooleanField("Reflect step open", default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("scenario"),
        FieldPanel("prompt"),
        FieldPanel("output"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("model_name"), FieldPanel("prompt_version")]),
                FieldPanel("ai_system"),
                FieldPanel("skills"),
                FieldRowPanel([FieldPanel("difficulty"), FieldPanel("points")]),
            ],
            heading="About this challenge",
        ),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("open_observe"),
                FieldPanel("open_correct"),
                FieldPanel("open_context"),
                FieldPanel("open_test"),
                FieldPanel("open_reflect"),
            ],
            heading="Loop steps",
        ),
        InlinePanel("flaws", heading="Answer key: known flaws", label="Flaw"),
        InlinePanel(
            "behaviours",
            heading="Sample AI behaviours (hidden blind spots for the Test step)",
            label="Behaviour",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("scenario")]

    base_form_class = ChallengePageForm
    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types: list = []

    def open_steps(self) -> list[str]:
        return [step for step in STEPS if getattr(self, f"open_{step}")]

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    @staticmethod
    def prefetch_keys(page_pk, user_pk) -> list[str]:
        """The cache keys ``get_context`` reads, by ids: ``home.page_cache`` asks for them with
        the viewer's user, so a warm page costs no round trip of its own."""
        from challenges.selectors import page_keys

        return page_keys(page_pk, user_pk)

    def get_context(self, request, *args, **kwargs):
        # Deferred: the selectors and forms modules import these models (a real cycle).
        from accounts.person_cache import prefetched_many
        from challenges.forms import step_forms
        from challenges.selectors import challenge_page_context, shared_keys

        context = super().get_context(request, *args, **kwargs)
        # What the page shows everyone alike and the viewer's records: read with the viewer's
        # user when asked for beforehand, else in one cache round trip of its own.
        found = prefetched_many(request, shared_keys(self, request.user))
        context.update(challenge_page_context(challenge=self, user=request.user, found=found))
        context["forms"] = step_forms(
            challenge=self, drafts=context["drafts"], skills=context["skills"], found=found
        )
        return context


class Flaw(Orderable):
    """One known flaw of the output: part of the answer key that flags are scored against."""

    SEVERITY_CHOICES = [(1, "Minor"), (2, "Major"), (3, "Critical")]

    page = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="flaws")
    category = models.ForeignKey(
        "challenges.FlawCategory", on_delete=models.PROTECT, related_name="flaws"
    )
    quote = models.TextField(help_text="The exact passage of the output that is wrong.")
    explanation = models.TextField(help_text="Why it is a flaw; shown after the employee submits.")
    severity = models.PositiveSmallIntegerField(choices=SEVERITY_CHOICES, default=2)

    panels = [
        FieldPanel("category"),
        FieldPanel("quote"),
        FieldPanel("explanation"),
        FieldPanel("severity"),
    ]

    def __str__(self) -> str:
        return f"{self.category}: {self.quote[:40]}"

    @property
    def span(self) -> tuple[int, int] | None:
        """Character range of the quote in the page's output (first occurrence)."""
        start = self.page.output.find(self.quote)
        if start < 0 or not self.quote:
            return None
        return start, start + len(self.quote)


class Behaviour(Orderable):
    """A scripted behaviour of the ``sample`` AI: inputs like ``probe`` get ``response``.

    Flawed behaviours are the blind spots L&D planted for the Test step.
    """

    page = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="behaviours")
    probe = models.TextField(help_text="The kind of input that triggers this behaviour.")
    response = models.TextField(help_text="What the AI answers to such input.")
    is_flawed = models.BooleanField(
        default=True, help_text="A blind spot: a good test case should catch this response."
    )
    note = models.TextField(blank=True, help_text="For L&D: what the blind spot is.")
    fixed_by_topic = models.CharField(
        max_length=60,
        blank=True,
        help_text="With an AI system: the context topic whose published guidance fixes this.",
    )
    fixed_response = models.TextField(
        blank=True, help_text="The answer once guidance with that topic is published."
    )

    panels = [
        FieldPanel("probe"),
        FieldPanel("response"),
        FieldPanel("is_flawed"),
        FieldPanel("note"),
        FieldPanel("fixed_by_topic"),
        FieldPanel("fixed_response"),
    ]

    def __str__(self) -> str:
        return self.probe[:60]

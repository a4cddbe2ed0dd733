"""The learning pages L&D authors in Wagtail: SkillIndexPage > SkillModulePage > LessonPage."""

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonStreamBlock

COVER_HELP = (
    "Optional: shown on the {what} page and in the list. Its description in the image library "
    "is its alt text (leave the description empty for a purely decorative picture)."
)


def cover_image_field(what: str) -> models.ForeignKey:
    """The optional cover image of a module or a challenge (its description is the alt text)."""
    return models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=COVER_HELP.format(what=what),
    )


class SignedInPage:
    """A page mixin: only signed-in people see the page; others sign in and come back to it.
    (Challenge pages can use it too: challenges may import courses.)"""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return rendered(super().serve(request, *args, **kwargs))


def rendered(response):
    """``response`` rendered now, as a plain ``HttpResponse`` when it was a template response.

    Under ASGI, Django renders a response that is left to render in a thread hop of its own
    after the view (``sync_to_async(response.render)``), one more switch between the event loop
    and the request's thread on every page; rendered in the view's own thread, it costs none.
    Nothing uses the template response afterwards (no middleware processes template
    responses; tests read the context through Django's template signals)."""
    if not isinstance(response, SimpleTemplateResponse):
        return response
    response.render()
    plain = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    plain.cookies = response.cookies
    return plain


class SkillIndexPage(Page):
    """The catalogue of skill modules (``/skills/``), grouped by skill."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.SkillModulePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from courses import selectors  # deferred: selectors imports these models (a cycle)

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = selectors.module_cards(index=self, user=request.user)
        return context


class SkillModulePage(Page):
    """A module teaching one skill: an ordered set of lessons, worth points when all are done."""

    LEVELS = [
        ("introductory", "Introductory"),
        ("intermediate", "Intermediate"),
        ("advanced", "Advanced"),
    ]

    skill = models.ForeignKey(
        "courses.Skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modules",
        help_text="Leave empty only for an orientation module about the platform itself.",
    )
    summary = models.TextField(max_length=600, help_text="One or two sentences for the catalogue.")
    level = models.CharField(max_length=20, choices=LEVELS, default="introductory")
    estimated_minutes = models.PositiveSmallIntegerField(default=30)
    completion_points = models.PositiveSmallIntegerField(
        default=50, help_text="Points for completing every lesson of this module."
    )
    cover_image = cover_image_field("module")

    content_panels = [
        *Page.content_panels,
        FieldPanel("skill"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("estimated_minutes"),
                FieldPanel("completion_points"),
            ],
            heading="Level, time and points",
        ),
        FieldPanel("cover_image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("level"),
        index.RelatedFields("skill", [index.SearchField("name")]),
    ]

    parent_page_types = ["courses.SkillIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = "skill module"

    @property
    def skill_slug(self) -> str:
        """The slug points are tagged with ("" for an orientation module)."""
        return self.skill.slug if self.skill_id else ""

    def get_context(self, request, *args, **kwargs):
        from courses import selectors  # deferred: selectors imports these models (a cycle)

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.module_page_context(module=self, user=request.user))
        return context


class LessonPage(SignedInPage, Page):
    """One lesson of a module. Signed-in employees only: it records their progress."""

    summary = models.TextField(max_length=400, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(default=10)
    completion_points = models.PositiveSmallIntegerField(
        default=10, help_text="Points for completing this lesson (once per person)."
    )
    body = StreamField(LessonStreamBlock())

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("completion_points")],
            heading="Time and points",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["courses.SkillModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = "lesson"

    def get_context(self, request, *args, **kwargs):
        from courses import selectors  # deferred: selectors imports these models (a cycle)

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.lesson_page_context(lesson=self, user=request.user, request=request)
        )
        return context

    def quiz_blocks(self) -> list:
        """The quiz blocks of the body, in order (each with a stable ``id``)."""
        return [block for block in self.body if block.block_type == "quiz"]

    def reflection_blocks(self) -> list:
        return [block for block in self.body if block.block_type == "reflection"]

"""The flaw taxonomy employees tag AI output with."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


@register_snippet
class FlawCategory(models.Model):
    """A kind of flaw an AI output can have (hallucination, bias, privacy leak...).

    A fixed taxonomy seeded from DESIGN.md by a data migration, so that flags from every
    challenge are comparable in the corpus; L&D may add categories or retire one (``is_active``)
    without breaking the flags that used it.
    """

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Retired categories stay on old flags but are not offered."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "flaw categories"

    def __str__(self) -> str:
        return self.name

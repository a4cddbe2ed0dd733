"""The site's home page: the landing page for visitors and the dashboard once signed in."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The root of the site. Visitors see the introduction; employees see their dashboard."""

    intro = RichTextField(blank=True, help_text="Shown to visitors who are not signed in.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

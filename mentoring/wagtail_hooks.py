"""The AI systems registry in the Wagtail admin (L&D managers register and edit systems)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from mentoring.models import AISystem


class AISystemViewSet(SnippetViewSet):
    """Snippets > AI systems: name, owners, provider (never a key: the name of its variable)."""

    model = AISystem
    icon = "cogs"
    menu_label = "AI systems"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["name", "slug", "provider", "model_version", "team"]
    search_fields = ["name", "slug", "purpose"]


register_snippet(AISystemViewSet)

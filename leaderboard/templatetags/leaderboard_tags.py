"""Template tags other apps' templates use to show leaderboard recognition."""

from django import template

from leaderboard import selectors

register = template.Library()


@register.inclusion_tag("leaderboard/includes/top_mentors.html")
def top_mentors(limit: int = 3):
    """The weekly "top mentors" spotlight (last seven days, public names only)."""
    return {"mentors": selectors.top_mentors(limit=limit)}

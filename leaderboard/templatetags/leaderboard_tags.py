"""Template tags other apps' templates use to show leaderboard recognition."""

from django import template

from leaderboard import spotlight

register = template.Library()


@register.inclusion_tag("leaderboard/includes/top_mentors.html")
def top_mentors(limit: int = 3):
    """The "top mentors" spotlight: this month's board, public names only."""
    return {"mentors": spotlight.top_mentors(limit=limit)}

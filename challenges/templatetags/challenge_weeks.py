"""The announcement banner of running challenge weeks (in base.html's ``banner`` block)."""

from django import template

from challenges import selectors, services

register = template.Library()


@register.inclusion_tag("challenges/includes/weeks_banner.html", takes_context=True)
def weeks_banner(context) -> dict:
    """Running weeks with a link to their board and the time left, for signed-in people.

    Also the lazy close: a page view after a week's end finalises it (once), so results do not
    wait for the cron job.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"weeks": []}
    services.weeks_close_due()
    return {"weeks": selectors.weeks_running()}

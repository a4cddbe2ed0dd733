"""A step form's fields and the Observe rows on the challenge page, from the shared cache when
nobody's draft is in them (``challenges.forms.step_forms``, ``challenges.selectors``)."""

import uuid

from django import template
from django.core.cache import cache
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString

register = template.Library()

# Stands for the client token in cached HTML; each render puts a fresh token in its place.
PLACEHOLDER = "00000000-0000-4000-8000-c0ffeec0ffee"


def _render(form) -> str:
    field = get_template("challenges/includes/field.html")
    return "".join(field.render({"field": bound}) for bound in form)


@register.simple_tag
def step_fields(form) -> str:
    """The form's fields as ``challenges/includes/field.html`` renders them. A bound form (a
    refused post shown again) or one filled from a draft renders afresh; any other is the same
    for everyone but for its client token, a new one on every render (so two submissions are
    never taken for one)."""
    key = getattr(form, "fields_key", None)
    if key is None or form.is_bound:
        return SafeString(_render(form))
    html = getattr(form, "fields_html", None)
    if html is None:
        from challenges.forms import FIELDS_TTL

        if "client_token" in form.fields:
            form.initial = {**form.initial, "client_token": PLACEHOLDER}
        html = _render(form)
        cache.set(key, html, FIELDS_TTL)
    # Escaped by the field template when rendered; the slot is ours and holds no user text.
    return SafeString(html.replace(PLACEHOLDER, str(uuid.uuid4())))


@register.simple_tag(takes_context=True)
def observe_rows(context) -> str:
    """The Observe form's sentence rows, selected passages and passage template
    (``challenges/includes/observe_rows.html``). Rows nobody's draft or post fills
    (``observe_cache``: key, categories' stamp, cached HTML or None) are the same for everyone:
    rendered once per challenge, page-tree version and set of categories."""
    template = context.template.engine.get_template("challenges/includes/observe_rows.html")
    found = context.get("observe_cache")
    if not found:
        return SafeString(template.render(context))
    key, stamp, html = found
    if html is None:
        from challenges.forms import FIELDS_TTL

        shared = {"observe": context["observe"], "categories": context["categories"]}
        html = template.render(Context(shared, autoescape=context.autoescape))
        cache.set(key, (stamp, html), FIELDS_TTL)
    return SafeString(html)

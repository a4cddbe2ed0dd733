"""Drafts: what an employee types into a step's form, saved server-side as they type."""

import re

from django.utils import timezone

from challenges.models import ChallengePage, Draft
from challenges.models.pages import STEPS
from config.errors import ApplicationError

MAX_DRAFT_CHARS = 20_000
MAX_DRAFT_FIELDS = 200
MAX_KEY_CHARS = 100
MAX_LIST_ITEMS = 50
# The only fields of a step form that legitimately carry several values.
MULTI_VALUED = {"context": frozenset({"skills"})}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text(value, *, key: str) -> str:
    if isinstance(value, bool) or value is None:
        value = "on" if value else ""
    elif isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise ApplicationError(f"The draft field “{key[:40]}” must be text.")
    if _UNSTORABLE.search(value):
        raise ApplicationError(
            f"The draft field “{key[:40]}” contains a character the site cannot store."
        )
    return value


def draft_data_clean(*, step: str, data) -> dict[str, str | list[str]]:
    """The draft as it may be stored: text values (lists only for multi-valued fields), bounded.

    Raises ApplicationError with a sentence for anything else, so a bad draft is refused when it
    is saved instead of breaking the page that loads it.
    """
    if not isinstance(data, dict):
        raise ApplicationError("A draft must be an object of field names and values.")
    if len(data) > MAX_DRAFT_FIELDS:
        raise ApplicationError("This draft has too many fields to save.")
    multi = MULTI_VALUED.get(step, frozenset())
    clean: dict[str, str | list[str]] = {}
    size = 0
    for key, value in data.items():
        if key == "csrfmiddlewaretoken":
            continue
        key = _text(key, key="name")[:MAX_KEY_CHARS]
        if isinstance(value, list) and key in multi:
            value = [_text(v, key=key) for v in value[:MAX_LIST_ITEMS]]
            size += sum(len(v) for v in value)
        elif isinstance(value, list):
            raise ApplicationError(
                f"The field “{key[:40]}” was sent more than once; each field is sent once."
            )
        else:
            value = _text(value, key=key)
            size += len(value)
        size += len(key)
        clean[key] = value
    if size > MAX_DRAFT_CHARS:
        raise ApplicationError(
            f"This draft is longer than {MAX_DRAFT_CHARS} characters and was not saved."
        )
    return clean


def draft_data_usable(*, step: str, data) -> dict[str, str | list[str]]:
    """A stored draft made safe to show: fields that would not pass ``draft_data_clean`` now
    (drafts saved before the rule, or edited by hand) are left out, never an error page."""
    if not isinstance(data, dict):
        return {}
    usable = {}
    for key, value in list(data.items())[:MAX_DRAFT_FIELDS]:
        try:
            usable.update(draft_data_clean(step=step, data={key: value}))
        except ApplicationError:
            continue
    return usable


def draft_save(*, user, challenge: ChallengePage, step: str, data: dict) -> Draft:
    """Store (replace) the user's draft of a step.

    Values are strings, or lists of strings for multi-valued fields; the size is bounded.
    """
    if step not in STEPS:
        raise ApplicationError("Unknown step.")
    clean = draft_data_clean(step=step, data=data)
    draft, _ = Draft.objects.update_or_create(
        user=user,
        challenge=challenge,
        step=step,
        defaults={"data": clean, "updated_at": timezone.now()},
    )
    return draft


def draft_discard(*, user, challenge: ChallengePage, step: str) -> None:
    Draft.objects.filter(user=user, challenge=challenge, step=step).delete()

"""The one application error, and the one place each surface turns it into what a user sees.

Services raise ``ApplicationError`` when a rule refuses a request: the message is a full
sentence for the user (or several, when a form has several problems at once), and ``field``
names the form field it belongs to when it belongs to one. Nothing is written when it is raised.

Translation happens here only:

- plain views: ``form_add`` puts the messages on a Django form (on ``field`` when the form has
  it, otherwise as a non-field error); ``messages_add`` puts them in the messages framework for
  views that redirect;
- the JSON API: ``api_handler`` (registered on the NinjaAPI in ``config/api.py``) answers
  400 ``{"detail": "...", "field": ...}``;
- websockets: ``socket_payload`` is the frame a consumer sends back.

Access control stays Django's ``PermissionDenied`` (a 403 from the framework's own handler):
"only L&D can…" is about who may ask at all, not a rule about what was asked.
"""

from django.contrib import messages as django_messages
from django.http import JsonResponse


class ApplicationError(Exception):
    """A request the rules refuse, with full-sentence message(s) and an optional form field."""

    def __init__(self, message: str | list[str], field: str | None = None):
        self.messages = [message] if isinstance(message, str) else [str(m) for m in message]
        self.message = " ".join(self.messages)
        self.field = field
        super().__init__(self.message)


def check_length(value: str, *, label: str, minimum: int = 1, maximum: int = 5000) -> str:
    """``value`` stripped, or an ``ApplicationError`` naming ``label`` when it is empty, shorter
    than ``minimum`` or longer than ``maximum`` characters (services check typed text with it)."""
    value = (value or "").strip()
    if len(value) < minimum:
        if not value:
            raise ApplicationError(f"{label} is required.")
        raise ApplicationError(f"{label} is too short: write at least {minimum} characters.")
    if len(value) > maximum:
        raise ApplicationError(
            f"{label} is too long: {len(value)} characters, the limit is {maximum}."
        )
    return value


def form_add(form, error: ApplicationError) -> None:
    """Show ``error`` on ``form``: on its field when the form has that field, else on top."""
    field = error.field if error.field in form.fields else None
    for message in error.messages:
        form.add_error(field, message)


def messages_add(request, error: ApplicationError) -> None:
    """Show ``error`` on the next page through the messages framework."""
    for message in error.messages:
        django_messages.error(request, message)


def api_handler(request, error: ApplicationError) -> JsonResponse:
    """The API's answer to a refused request: 400 with the sentence and the field."""
    return JsonResponse({"detail": error.message, "field": error.field}, status=400)


def socket_payload(error: ApplicationError) -> dict:
    """The frame a websocket consumer sends when a request over the socket is refused."""
    return {"type": "error", "message": error.message, "field": error.field}

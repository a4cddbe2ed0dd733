"""Form widgets shared by the apps: date-time pickers that name the time zone they are in.

Django parses and shows aware date-times in the current time zone (the site's ``TIME_ZONE``, or a
Wagtail admin user's own zone in the admin), so the note reads that zone when it renders.
"""

from django import forms
from django.utils import timezone
from django.utils.html import format_html


def timezone_note() -> str:
    """The sentence shown next to every date-time picker."""
    return f"Times are in {timezone.get_current_timezone_name()}."


def due_date_note() -> str:
    """The sentence shown next to a due date (a day ends at midnight in the site's zone)."""
    return f"Due by the end of that day, {timezone.get_current_timezone_name()} time."


class _NotedInput:
    """Renders the input followed by a note it is described by (read out with the field)."""

    note_class = "field__tz"

    def note(self) -> str:
        raise NotImplementedError

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        note_id = f"{attrs.get('id') or f'id_{name}'}_tz"
        described = f"{attrs.get('aria-describedby', '')} {note_id}".strip()
        attrs["aria-describedby"] = described
        html = super().render(name, value, attrs, renderer)
        return format_html(
            '{} <span class="{}" id="{}" data-tz-note>{}</span>',
            html,
            self.note_class,
            note_id,
            self.note(),
        )


class LocalDateTimeInput(_NotedInput, forms.DateTimeInput):
    """``<input type="datetime-local">`` (to the minute) with the time zone named beside it.

    The browser posts ``2026-03-02T09:30``, which ``forms.DateTimeField`` parses as ISO 8601 in
    the current time zone; a value that does not parse comes back exactly as typed.
    """

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")

    def note(self) -> str:
        return timezone_note()


class DueDateInput(_NotedInput, forms.DateInput):
    """``<input type="date">`` saying in which time zone the day ends."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def note(self) -> str:
        return due_date_note()

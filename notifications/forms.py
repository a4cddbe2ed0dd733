"""The e-mail choices form of the notifications page."""

from django import forms

from notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = [
            "email_badge",
            "email_kudos",
            "email_review",
            "email_assignment",
            "email_week",
            "email_digest",
        ]

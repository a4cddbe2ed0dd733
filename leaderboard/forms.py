"""Forms of the leaderboard app."""

import uuid

from django import forms

from accounts.models import User


class ManualAwardForm(forms.Form):
    """A manual award or correction by an L&D manager (negative amounts take points back)."""

    user = forms.EmailField(label="Employee's e-mail address")
    amount = forms.IntegerField(
        min_value=-10_000, max_value=10_000, help_text="Negative to take points back."
    )
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the audit list.",
    )
    # A one-time token: a double-submitted form makes one award (it is part of the source key).
    key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex, max_length=64)

    def clean_user(self):
        email = self.cleaned_data["user"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"No active user has the e-mail address {email}.")
        return user

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("The amount must not be zero.")
        return amount

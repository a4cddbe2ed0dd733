"""Forms of the courses app (L&D Managers' assignment form)."""

from django import forms

from accounts.models import Team, User
from config.widgets import DueDateInput
from courses.models import SkillModulePage


class AssignmentForm(forms.Form):
    """Assign a live module to a team or to one person (by e-mail) with a due date."""

    module = forms.ModelChoiceField(
        queryset=SkillModulePage.objects.live().order_by("path"),
        error_messages={
            "invalid_choice": "That module no longer exists or is not published. Choose another.",
            "required": "Choose the module to assign.",
        },
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        empty_label="— no team (assign to a person) —",
        error_messages={
            "invalid_choice": "That team no longer exists or is inactive. Choose another team."
        },
    )
    email = forms.EmailField(
        label="Or a person's e-mail address",
        required=False,
        help_text="Leave empty when assigning to a team.",
    )
    due_date = forms.DateField(
        widget=DueDateInput(),
        error_messages={
            "required": "Choose a due date.",
            "invalid": "Enter the due date as YYYY-MM-DD.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        team, email = cleaned.get("team"), cleaned.get("email")
        if "team" in self.errors or "email" in self.errors:
            return cleaned
        if team and email:
            raise forms.ValidationError("Choose a team or a person, not both.")
        if not team and not email:
            raise forms.ValidationError("Choose a team, or enter a person's e-mail address.")
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error("email", "No active account uses that e-mail address.")
            cleaned["user"] = user
        return cleaned


class AssignmentDueDateForm(forms.Form):
    """Move an assignment's due date."""

    due_date = forms.DateField(
        widget=DueDateInput(),
        error_messages={
            "required": "Choose a due date.",
            "invalid": "Enter the due date as YYYY-MM-DD.",
        },
    )

"""Forms of the home app: insights and analytics filters, CSV upload."""

from django import forms

from accounts.models import Team
from accounts.onboarding import COLUMNS
from courses.models import Skill
from home.analytics.filters import Filters


class InsightsFilterForm(forms.Form):
    skill = forms.ChoiceField(required=False, label="Skill")
    team = forms.TypedChoiceField(required=False, label="Team", coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [
            ("", "All skills"),
            *Skill.objects.values_list("slug", "name"),
        ]
        self.fields["team"].choices = [("", "All teams"), *Team.objects.values_list("pk", "name")]


class OnboardingUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"Columns: {', '.join(COLUMNS)}. Only email and team are required.",
    )


class AnalyticsFilterForm(forms.Form):
    """Filters of the analytics page; every field optional."""

    team = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All teams", label="Team"
    )
    skill = forms.ChoiceField(required=False, label="Skill")
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["skill"].choices = [
            ("", "All skills"),
            *list(Skill.objects.values_list("slug", "name")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The end date is before the start date.")
        return data

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            team=data.get("team"),
            skill=data.get("skill") or "",
            start=data.get("start"),
            end=data.get("end"),
        )

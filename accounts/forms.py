"""Forms for accounts: the extra sign-up fields and the profile preferences."""

from django import forms

from accounts.models import Team, User
from accounts.services import membership_set


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form: display name and team."""

    display_name = forms.CharField(
        max_length=80,
        required=False,
        help_text="How colleagues will see you. You can change it later.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        empty_label="Choose your team",
        help_text="Your team's score counts in challenge weeks.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A team is required once L&D has set teams up.
        self.fields["team"].required = Team.objects.filter(is_active=True).exists()

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["display_name"])
        team = self.cleaned_data.get("team")
        if team:
            membership_set(user=user, team=team)


class ProfileForm(forms.ModelForm):
    """The preferences an employee edits about themselves."""

    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "show_on_leaderboards"]

"""Forms for accounts: the extra sign-up fields and the profile preferences."""

from django import forms

from accounts.models import Team, User
from accounts.policy import NOT_INVITED_MESSAGE, SIGNUP_INVITE, signup_mode
from accounts.selectors import invitation_pending_for_email
from accounts.services import invitation_accept, membership_set
from accounts.visibility import STAFF_HIDDEN_HELP, is_board_staff, leaderboard_choice_record


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form: display name and team.

    allauth builds its sign-up form on top of this class, so ``clean`` sees the e-mail address
    too. In invitation-only mode the address must have an open invitation, and the invitation's
    team (when L&D chose one) is the new user's team.
    """

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
        # A team is required once L&D has set teams up; with invitations L&D may have chosen it.
        self.fields["team"].required = (
            signup_mode() != SIGNUP_INVITE and Team.objects.filter(is_active=True).exists()
        )
        self.invitation = None

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if signup_mode() == SIGNUP_INVITE and email:
            self.invitation = invitation_pending_for_email(email=email)
            if self.invitation is None:
                self.add_error("email", NOT_INVITED_MESSAGE)
            elif (
                self.invitation.team_id is None
                and not cleaned_data.get("team")
                and Team.objects.filter(is_active=True).exists()
            ):
                self.add_error("team", "Choose your team.")
        return cleaned_data

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["display_name"])
        invitation = invitation_pending_for_email(email=user.email)
        if invitation is not None:
            invitation_accept(invitation=invitation, user=user)
        team = self.cleaned_data.get("team")
        # The invitation's team wins over a choice on the form.
        if team and user.current_team is None:
            membership_set(user=user, team=team)


class ProfileForm(forms.ModelForm):
    """The preferences an employee edits about themselves.

    Someone without a team (e.g. signed up through SSO, which skips the sign-up form) also picks
    one here; moving between teams afterwards is for L&D, so the field is then left out.
    """

    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        empty_label="Choose your team",
        help_text="Your team's score counts in challenge weeks.",
    )

    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "show_on_leaderboards"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.current_team is not None or not self.fields["team"].queryset.exists():
            del self.fields["team"]
        if self.instance.leaderboard_choice_at is None and is_board_staff(self.instance):
            self.fields["show_on_leaderboards"].help_text = STAFF_HIDDEN_HELP

    def save(self, commit=True):
        leaderboard_choice_record(self)
        return super().save(commit)

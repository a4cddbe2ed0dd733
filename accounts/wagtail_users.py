"""Wagtail's user admin with Apprentice's own profile fields (display name, leaderboard privacy).

Wagtail's forms already handle the e-mail login (no username); these add the two fields an admin
may need to correct for someone, e.g. an offensive display name.
"""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from accounts.visibility import leaderboard_choice_record

PROFILE_FIELDS = {"display_name", "show_on_leaderboards"}


class _RecordsLeaderboardChoice:
    """A changed leaderboard visibility is a deliberate choice: the role default stops applying."""

    def save(self, commit=True):
        leaderboard_choice_record(self)
        return super().save(commit)


class AccountUserCreationForm(_RecordsLeaderboardChoice, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | PROFILE_FIELDS


class AccountUserEditForm(_RecordsLeaderboardChoice, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | PROFILE_FIELDS


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return AccountUserEditForm if for_update else AccountUserCreationForm

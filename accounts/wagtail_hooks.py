"""Teams and invitations in the Wagtail admin, for L&D managers and admins."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from accounts.models import Invitation, Team
from accounts.services import invitation_create


class TeamViewSet(ModelViewSet):
    """Teams are real: employees pick one at sign-up and team scores count in challenge weeks."""

    model = Team
    icon = "group"
    menu_label = "Teams"
    form_fields = ["name", "slug", "department", "line_manager", "is_active"]
    list_display = ["name", "department", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "department"]
    search_backend_name = None
    copy_view_enabled = False


class InvitationCreateView(generic.CreateView):
    """Creating an invitation goes through the service, which checks the policy and e-mails it."""

    def save_instance(self):
        invitation = invitation_create(
            email=self.form.cleaned_data["email"],
            team=self.form.cleaned_data.get("team"),
            invited_by=self.request.user,
        )
        log(invitation, "wagtail.create", user=self.request.user, content_changed=True)
        return invitation

    def form_valid(self, form):
        # Wagtail's form_valid saves through save_instance() (logged in the history); only the
        # service's refusal is translated here, onto the form, keeping what was typed.
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return f"Invitation sent to {instance.email}."


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "team"]


class InvitationEditForm(forms.ModelForm):
    """After sending, only the team and the expiry change; invite again for a fresh link."""

    class Meta:
        model = Invitation
        fields = ["team", "expires_at"]


class InvitationViewSet(ModelViewSet):
    """Invitations to sign up, needed when ACCOUNT_SIGNUP_MODE is "invite"."""

    model = Invitation
    icon = "mail"
    menu_label = "Invitations"
    add_view_class = InvitationCreateView
    list_display = ["email", "team", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["team"]
    search_fields = ["email"]
    search_backend_name = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return InvitationEditForm if for_update else InvitationForm


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = "People"
    menu_icon = "group"
    menu_order = 250
    items = (TeamViewSet("teams"), InvitationViewSet("invitations"))


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()

"""Views for an employee's own account settings, invitations, and friendly SSO errors."""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.forms import ProfileForm
from accounts.selectors import invitation_pending_for_token
from accounts.services import membership_set, profile_save


@login_required
def profile(request):
    """Edit one's own display name and leaderboard privacy; shows team and history."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_save(form=form)
        if team := form.cleaned_data.get("team"):
            membership_set(user=request.user, team=team)
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("team")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@never_cache
def invitation_accept(request, token: str):
    """Follow an invitation link: the address counts as verified, then the sign-up form opens.

    Nothing is written here; the invitation is used when the sign-up form is submitted.
    """
    invitation = invitation_pending_for_token(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        messages.info(request, "You are already signed in, so the invitation is not needed.")
        return redirect("/")
    # Whoever holds the link read the mailbox it was sent to: allauth then skips verification.
    get_account_adapter(request).stash_verified_email(request, invitation.email)
    return redirect("account_signup")


def _unknown_provider(request, provider: str):
    return render(request, "accounts/sso_unknown.html", {"provider": provider}, status=404)


def oidc_login(request, provider_id: str):
    """allauth's OpenID Connect login, but an unknown provider gets a page that says so."""
    try:
        return oidc_views.login(request, provider_id=provider_id)
    except Http404:
        return _unknown_provider(request, provider_id)


def saml_login(request, organization_slug: str):
    """allauth's SAML login, but an unknown organisation gets a page that says so."""
    try:
        return saml_views.login(request, organization_slug=organization_slug)
    except Http404:
        return _unknown_provider(request, organization_slug)

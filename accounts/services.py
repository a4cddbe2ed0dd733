"""Writes with rules for accounts and teams."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Team, User
from accounts.policy import disallowed_domain_message, email_domain_allowed
from accounts.signals import public_identity_changed

INVITATION_DAYS_VALID = 14
# Profile fields that change how a person appears on public leaderboards.
PUBLIC_IDENTITY_FIELDS = {"display_name", "first_name", "last_name", "show_on_leaderboards"}


@transaction.atomic
def membership_set(*, user: User, team: Team) -> Membership:
    """Move ``user`` into ``team``, closing their current membership (history is kept).

    Setting the team a user is already in changes nothing.
    """
    now = timezone.now()
    # Lock the user's row so two concurrent moves cannot both open a membership.
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = Membership.objects.filter(user=user, ended_at__isnull=True).first()
    if current and current.team_id == team.pk:
        return current
    if current:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    membership = Membership.objects.create(user=user, team=team, started_at=now)
    user.__dict__.pop("_current_team", None)
    return membership


@transaction.atomic
def profile_save(*, form) -> User:
    """Save a person's own profile form (a valid ``ProfileForm``); when their public name or
    leaderboard visibility changed, say so after commit so open boards redraw."""

    user = form.save()
    if PUBLIC_IDENTITY_FIELDS & set(form.changed_data):
        transaction.on_commit(
            lambda: public_identity_changed.send(sender=User, user=user), robust=True
        )
    return user


def invitation_url(*, invitation: Invitation) -> str:
    """The absolute link an invitee follows (the e-mail is read outside any request)."""
    path = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def _invitation_send(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("team", "invited_by").get(pk=invitation_id)
    context = {"invitation": invitation, "url": invitation_url(invitation=invitation)}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    team: Team | None,
    invited_by: User | None,
    days_valid: int = INVITATION_DAYS_VALID,
) -> Invitation:
    """Invite ``email`` to sign up (into ``team``) and e-mail them a link once committed.

    Inviting an address that already has an open invitation renews it: new link, new expiry,
    the newly chosen team. Refuses addresses outside the allowed domains and addresses that
    already have an account, with a message that says so.
    """
    email = email.strip()
    if not email_domain_allowed(email):
        raise ValidationError({"email": disallowed_domain_message(email)})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"{email} already has an account."})
    if team is not None and not team.is_active:
        raise ValidationError({"team": f"The team “{team}” is inactive and takes no new members."})
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(email__iexact=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(email=email)
    else:
        # A fresh token, so a leaked older link stops working.
        invitation.token = Invitation._meta.get_field("token").get_default()
    invitation.team = team
    invitation.invited_by = invited_by
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=days_valid)
    invitation.save()
    invitation_id = invitation.pk
    transaction.on_commit(lambda: _invitation_send(invitation_id))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """Mark ``invitation`` used by ``user`` (just signed up) and put them in its team."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been used.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.team_id:
        membership_set(user=user, team=invitation.team)
    return invitation

"""Who uses Apprentice: employees (users), the teams they belong to, and team history."""

import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class EmailUserManager(UserManager):
    """User manager for a model whose login is the e-mail address (no username)."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Logins are case-insensitive: Ana@Example.com and ana@example.com are one person.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """An employee. The e-mail address is the login; the display name is what others see."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="How colleagues see you. Defaults to your first and last name.",
    )
    show_on_leaderboards = models.BooleanField(
        "show me on public leaderboards",
        default=True,
        help_text="When off, public boards show you as “Anonymous mentor”. L&D still sees you.",
    )
    # When the person (or an admin for them) last chose ``show_on_leaderboards``; until then
    # staff (admins, L&D Authors and Managers) are hidden by default (accounts.visibility).
    leaderboard_choice_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When bulk onboarding last e-mailed this person how to sign in (accounts.invites).
    invitation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name to show colleagues (ignores the leaderboard privacy preference)."""
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.email.split("@")[0]

    def save(self, *args, **kwargs):
        # One spelling per address, so the case-insensitive constraint and lookups agree.
        if self.email:
            self.email = self.email.strip()
            local, _, domain = self.email.rpartition("@")
            self.email = f"{local}@{domain.lower()}" if local else self.email
        super().save(*args, **kwargs)

    @property
    def current_team(self):
        """The team this user belongs to now, or None (cached per instance)."""
        if not hasattr(self, "_current_team"):
            membership = (
                self.memberships.filter(ended_at__isnull=True).select_related("team").first()
            )
            self._current_team = membership.team if membership else None
        return self._current_team


class Team(models.Model):
    """A real team in the company. Team scores count in challenge weeks."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    department = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(
        default=True, help_text="Inactive teams keep their history but take no new members."
    )
    line_manager = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        help_text="Sees the team's learning progress under “My team” and can export it.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A period of a user's membership of a team. The open row is the current team."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Exactly one current team per user, held by the database.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(ended_at__isnull=True),
                name="accounts_membership_one_current_team",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="accounts_membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["team", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An L&D manager's invitation to sign up, used when sign-up is by invitation only.

    The link in the e-mail carries ``token``; following it proves the invitee reads that mailbox,
    so the address counts as verified. Accepting puts the new user in ``team``.
    """

    email = models.EmailField("e-mail address")
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="The team the new user joins. Leave empty to let them choose.",
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one open invitation per address (any case); inviting again renews it.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="accounts_invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        """Not yet accepted and not expired."""
        return self.accepted_at is None and self.expires_at > timezone.now()

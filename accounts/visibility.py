"""Who shows on public leaderboards by default: everyone, except staff, who opt in.

Staff are admins (``is_staff`` / ``is_superuser``) and L&D Authors and Managers. The rule is the
hide-yourself rule (``User.show_on_leaderboards``) with a different default, so boards, ranks
and score buckets treat a hidden staff member exactly like anyone who hid themselves (shown as
"Anonymous mentor", still counted; ``standings_rebuild`` needs no change). Until a person makes
their own choice (``leaderboard_choice_at``), gaining or losing a staff role sets their default;
after it, their choice stands.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import LD_ROLES
from accounts.signals import public_identity_changed

STAFF = Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=LD_ROLES)
STAFF_HIDDEN_HELP = (
    "As an admin or L&D staff member you are hidden from public leaderboards (shown as "
    "“Anonymous mentor”) unless you tick this."
)


def is_board_staff(user: User) -> bool:
    """Admins and L&D staff: hidden from public boards unless they opt in."""
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=LD_ROLES).exists()


def leaderboard_choice_record(form) -> None:
    """Before a profile form saves: if the person changed their leaderboard visibility, it is
    their choice from now on (their role no longer sets it)."""
    if "show_on_leaderboards" in form.changed_data:
        form.instance.leaderboard_choice_at = timezone.now()


def leaderboard_default_apply(*, user_ids) -> list[int]:
    """Set the default visibility of ``user_ids`` who never chose: hidden if staff, shown if not.
    Returns whose visibility changed (their open boards are told after commit)."""
    undecided = User.objects.filter(pk__in=list(user_ids), leaderboard_choice_at__isnull=True)
    staff = set(undecided.filter(STAFF).values_list("pk", flat=True))
    hide = list(
        undecided.filter(pk__in=staff, show_on_leaderboards=True).values_list("pk", flat=True)
    )
    show = list(
        undecided.exclude(pk__in=staff)
        .filter(show_on_leaderboards=False)
        .values_list("pk", flat=True)
    )
    if hide:
        User.objects.filter(pk__in=hide).update(show_on_leaderboards=False)
    if show:
        User.objects.filter(pk__in=show).update(show_on_leaderboards=True)
    changed = hide + show
    if changed:
        transaction.on_commit(lambda: _announce(changed), robust=True)
    return changed


def _announce(user_ids: list[int]) -> None:
    for user in User.objects.filter(pk__in=user_ids):
        public_identity_changed.send(sender=User, user=user)


def user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    """post_save of User: an admin flag set on someone who never chose hides them."""
    if update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields):
        return
    undecided = instance.leaderboard_choice_at is None and instance.show_on_leaderboards
    if undecided and (instance.is_staff or instance.is_superuser):
        instance.show_on_leaderboards = False
        leaderboard_default_apply(user_ids=[instance.pk])


def groups_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """m2m_changed of User.groups: gaining or losing an L&D role resets the default."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set.add(...): the users are in pk_set
        if instance.name in LD_ROLES and pk_set:
            leaderboard_default_apply(user_ids=pk_set)
        return
    if action == "post_clear" or Group.objects.filter(pk__in=pk_set, name__in=LD_ROLES).exists():
        leaderboard_default_apply(user_ids=[instance.pk])

"""Who may act on a system, and the length checks every write shares."""

from django.core.exceptions import PermissionDenied

from accounts.roles import is_ld_manager
from config.errors import check_length

REPORT_POINTS = 30
CONTEXT_POINTS = 20
CASE_POINTS = 20
REPORT_KIND = "fieldreport.confirmed"
CONTEXT_KIND = "context.approved"


def is_owner(user, system) -> bool:
    """An owner of the system, or an L&D manager (who registers systems and may stand in)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_ld_manager(user):
        return True
    return system.owners.filter(pk=user.pk).exists()


def require_owner(user, system) -> None:
    if not is_owner(user, system):
        raise PermissionDenied(f"Only the owners of “{system.name}” can do this.")


# Mentoring's name for the one length check (``config.errors``), used by every service here.
check_text = check_length

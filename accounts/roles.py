"""Roles are Django groups. This module says what each role may do in the Wagtail admin.

The groups themselves are created by a data migration; their permissions are (re)applied after
every migrate, because permissions of models added by later apps exist only then.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EMPLOYEE = "Employee"
REVIEWER = "Reviewer"
LD_AUTHOR = "L&D Author"
LD_MANAGER = "L&D Manager"
ALL_ROLES = [EMPLOYEE, REVIEWER, LD_AUTHOR, LD_MANAGER]
LD_ROLES = {LD_AUTHOR, LD_MANAGER}

# Model permissions ("app_label.codename") per role, beyond page permissions. Apps add their own
# snippet models here as they grow; missing permissions are skipped, so the list may run ahead.
# Adding, changing and choosing images and documents: model permissions, and the same in the
# root collection.
MEDIA_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
AUTHOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    *MEDIA_PERMISSIONS,
    "courses.add_skill",
    "courses.change_skill",
    "challenges.add_flawcategory",
    "challenges.change_flawcategory",
    "leaderboard.add_badge",
    "leaderboard.change_badge",
]
MANAGER_PERMISSIONS = [
    *AUTHOR_PERMISSIONS,
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
    "accounts.view_user",
    "accounts.add_team",
    "accounts.change_team",
    "accounts.view_team",
    "accounts.add_invitation",
    "accounts.change_invitation",
    "accounts.delete_invitation",
    "accounts.view_invitation",
    "leaderboard.delete_badge",
    "leaderboard.add_pointsaward",
    "leaderboard.view_pointsaward",
    "leaderboard.add_level",
    "leaderboard.change_level",
    "courses.add_assignment",
    "courses.change_assignment",
    "courses.delete_assignment",
    "courses.view_assignment",
    "challenges.add_challengeweek",
    "challenges.change_challengeweek",
    "challenges.view_challengeweek",
    "challenges.export_corpus",
    "mentoring.add_aisystem",
    "mentoring.change_aisystem",
    "mentoring.view_aisystem",
]
# Page permissions on the root page (inherited by the whole tree).
AUTHOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MANAGER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {LD_AUTHOR: list(MEDIA_PERMISSIONS)}
COLLECTION_PERMISSIONS[LD_MANAGER] = [
    *COLLECTION_PERMISSIONS[LD_AUTHOR],
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
]


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm:
            found.append(perm)
    return found


def sync_role_permissions() -> None:
    """Give each role its permissions. Adds what is missing; never removes (L&D may add more)."""

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}
    groups[LD_AUTHOR].permissions.add(*_permissions(AUTHOR_PERMISSIONS))
    groups[LD_MANAGER].permissions.add(*_permissions(MANAGER_PERMISSIONS))

    root = Page.get_first_root_node()
    if root is not None:
        for role, codenames in (
            (LD_AUTHOR, AUTHOR_PAGE_PERMISSIONS),
            (LD_MANAGER, MANAGER_PAGE_PERMISSIONS),
        ):
            for perm in _permissions([f"wagtailcore.{c}" for c in codenames]):
                GroupPagePermission.objects.get_or_create(
                    group=groups[role], page=root, permission=perm
                )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for role, names in COLLECTION_PERMISSIONS.items():
            for perm in _permissions(names):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[role], collection=root_collection, permission=perm
                )


def sync_role_permissions_handler(sender, **kwargs) -> None:
    sync_role_permissions()


def user_roles(user) -> set[str]:
    """Names of the roles a user holds (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def is_ld(user) -> bool:
    """L&D staff (authors and managers) and admins."""
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user) & LD_ROLES))


def is_ld_manager(user) -> bool:
    return user.is_authenticated and (user.is_superuser or LD_MANAGER in user_roles(user))

from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module holds a second config (for wagtail.users), so say which one is ours.
    default = True
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        # roles imports models, which the app registry allows only once ready() runs.
        from accounts import roles

        # Each app's permissions are created by its own post_migrate, in INSTALLED_APPS order;
        # roles get theirs after the last app's, when every permission exists.
        last_app = list(apps.get_app_configs())[-1]
        post_migrate.connect(roles.sync_role_permissions_handler, sender=last_app)

        # Staff are hidden from public leaderboards until they opt in: role and admin-flag
        # changes set the default (accounts.visibility).
        from accounts import visibility
        from accounts.models import User

        post_save.connect(visibility.user_saved, sender=User, dispatch_uid="accounts_visibility")
        m2m_changed.connect(
            visibility.groups_changed,
            sender=User.groups.through,
            dispatch_uid="accounts_visibility_roles",
        )

        # Each page's viewer (user row and roles) is cached per person: changes to the row or
        # the role groups give the person a new version (accounts.person_cache).
        from django.contrib.auth.models import Group

        from accounts import person_cache

        for signal in (post_save, post_delete):
            signal.connect(person_cache.user_saved, sender=User, dispatch_uid="accounts_person")
        m2m_changed.connect(
            person_cache.user_groups_changed,
            sender=User.groups.through,
            dispatch_uid="accounts_person_roles",
        )
        for signal in (post_save, pre_delete):
            signal.connect(person_cache.group_changed, sender=Group, dispatch_uid="accounts_group")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Replaces ``wagtail.users`` in INSTALLED_APPS so its user admin edits our profile fields."""

    user_viewset = "accounts.wagtail_users.UserViewSet"

from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module holds a second config (for wagtail.users), so say which one is ours.
    default = True
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import roles

        # Permissions exist only after every app has migrated, so roles get theirs then.
        post_migrate.connect(roles.sync_role_permissions_handler, sender=self)


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Replaces ``wagtail.users`` in INSTALLED_APPS so its user admin edits our profile fields."""

    user_viewset = "accounts.wagtail_users.UserViewSet"

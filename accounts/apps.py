from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
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


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Replaces ``wagtail.users`` in INSTALLED_APPS so its user admin edits our profile fields."""

    user_viewset = "accounts.wagtail_users.UserViewSet"

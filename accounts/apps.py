from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import roles

        # Permissions exist only after every app has migrated, so roles get theirs then.
        post_migrate.connect(roles.sync_role_permissions_handler, sender=self)

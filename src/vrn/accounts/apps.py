from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "vrn.accounts"
    verbose_name = "Users and organisations"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    """Make every permission exist, then set each role group's permissions."""
    from django.contrib.auth.management import create_permissions

    from vrn.accounts.roles import sync_role_groups

    using = str(kwargs.get("using", "default"))
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups(using=using)

from django.apps import AppConfig


class ProfileConfig(AppConfig):
    name = "vrn.profile"
    verbose_name = "Problem profile"

from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "vrn.geography"
    verbose_name = "Reference geography"

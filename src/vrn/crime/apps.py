from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "vrn.crime"
    verbose_name = "Police-recorded crime"

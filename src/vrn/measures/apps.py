from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "vrn.measures"
    verbose_name = "Success measures and serious violence"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vrn.web"
    verbose_name = "Site"

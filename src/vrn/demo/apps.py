from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vrn.demo"
    verbose_name = "Demo"

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "vrn.dashboard"
    verbose_name = "Dashboard"

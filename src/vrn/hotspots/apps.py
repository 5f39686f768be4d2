from django.apps import AppConfig


class HotspotsConfig(AppConfig):
    name = "vrn.hotspots"
    label = "hotspots"
    verbose_name = "Hotspots and forecasting"

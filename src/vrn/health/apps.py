from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "vrn.health"
    verbose_name = "Health: emergency-department assaults and hospital admissions"

    def ready(self) -> None:
        from vrn.health.admissions import Admissions
        from vrn.health.istv import Istv
        from vrn.ingest.registry import register

        register("istv", Istv)
        register("admissions", Admissions)

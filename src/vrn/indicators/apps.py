from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "vrn.indicators"
    verbose_name = "Indicators (Fingertips)"

    def ready(self) -> None:
        from vrn.indicators.fingertips import Fingertips
        from vrn.ingest.registry import register

        register("indicators", Fingertips)

from django.apps import AppConfig


class PoliceConfig(AppConfig):
    name = "vrn.police"
    verbose_name = "Police crime extract (person level)"

    def ready(self) -> None:
        from vrn.ingest.registry import register
        from vrn.police.extract import PoliceExtract

        register("police-extract", PoliceExtract)

from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "vrn.ingest"
    verbose_name = "Data loads"

from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "vrn.crime"
    verbose_name = "Police-recorded crime"

    def ready(self) -> None:
        from vrn.crime.police_uk import PoliceUkStreet
        from vrn.ingest.registry import register

        register("police-uk", PoliceUkStreet)

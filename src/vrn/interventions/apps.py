from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "vrn.interventions"
    label = "interventions"
    verbose_name = "Intervention monitoring"

    def ready(self) -> None:
        from vrn.interventions.formats import register

        register()

from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "vrn.synth"
    verbose_name = "Synthetic data"

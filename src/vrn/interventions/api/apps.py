from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (``/api/``): its docs page and script, and keeping API tokens out of
    the admin (a token is a password: it is issued and revoked with ``vrn api-token``)."""

    name = "vrn.interventions.api"
    label = "interventions_api"
    verbose_name = "Intervention monitoring API"

    def ready(self) -> None:
        from django.contrib import admin
        from rest_framework.authtoken.models import TokenProxy

        from vrn.interventions.api import schema  # noqa: F401 (registers the extensions)

        if admin.site.is_registered(TokenProxy):
            admin.site.unregister(TokenProxy)

"""The intervention reports (``/interventions/reports/``)."""

from django.urls import path

from vrn.interventions import report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.network, name="network"),
    path("report.csv", report_views.network_csv, name="network-csv"),
    path("programme/<slug:code>/", report_views.programme, name="programme"),
    path("programme/<slug:code>/report.csv", report_views.programme_csv, name="programme-csv"),
    path("provider/<slug:code>/", report_views.provider, name="provider"),
    path("provider/<slug:code>/report.csv", report_views.provider_csv, name="provider-csv"),
]

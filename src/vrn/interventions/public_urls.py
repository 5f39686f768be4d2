"""The public intervention report (``/public/interventions/``): network-wide aggregates
under disclosure control."""

from django.urls import path

from vrn.interventions import report_views

app_name = "public-interventions"
urlpatterns = [
    path("", report_views.public, name="report"),
    path("report.csv", report_views.public_csv, name="report-csv"),
]

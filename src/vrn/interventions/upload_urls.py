"""The upload page, included by the site at ``interventions/upload/``."""

from django.urls import path

from vrn.interventions import upload_views

app_name = "interventions-upload"
urlpatterns = [path("", upload_views.upload, name="upload")]

"""The site's URLs with the upload page at ``/interventions/upload/``, as the site will
include it (the tests of the page use this until it does)."""

from django.urls import include, path

from vrn.site.urls import urlpatterns as site

urlpatterns = [path("interventions/upload/", include("vrn.interventions.upload_urls")), *site]

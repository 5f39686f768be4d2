from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("dashboard/", include("vrn.dashboard.urls")),
    path("profile/", include("vrn.profile.urls")),
    path("public/interventions/", include("vrn.interventions.public_urls")),
    path("public/", include("vrn.dashboard.public_urls")),
    path("interventions/reports/", include("vrn.interventions.report_urls")),
    path("interventions/upload/", include("vrn.interventions.upload_urls")),
    path("interventions/", include("vrn.interventions.urls")),
    path("api/", include("vrn.interventions.api.urls")),
    path("", include("vrn.web.urls")),
]

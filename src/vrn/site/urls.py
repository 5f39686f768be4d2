from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("dashboard/", include("vrn.dashboard.urls")),
    path("profile/", include("vrn.profile.urls")),
    path("public/", include("vrn.dashboard.public_urls")),
    path("", include("vrn.web.urls")),
]

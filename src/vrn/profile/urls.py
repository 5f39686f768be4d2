from django.urls import path

from vrn.profile import views

app_name = "profile"
urlpatterns = [
    path("", views.page, name="network"),
    path("profile.json", views.profile_json, name="network-json"),
    path("profile.pdf", views.profile_pdf, name="network-pdf"),
    path("csp/<str:csp_code>/", views.page, name="csp"),
    path("csp/<str:csp_code>/profile.json", views.profile_json, name="csp-json"),
    path("csp/<str:csp_code>/profile.pdf", views.profile_pdf, name="csp-pdf"),
]

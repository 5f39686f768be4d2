from django.urls import path

from vrn.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.network, name="network"),
]

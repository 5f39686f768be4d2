"""The public dashboard: no sign-in, every figure through the disclosure policy."""

from django.urls import path

from vrn.dashboard import views

app_name = "public"
urlpatterns = [
    path("", views.public_overview, name="overview"),
    path("measure/<slug:measure_id>/", views.public_measure, name="measure"),
    path(
        "measure/<slug:measure_id>/by-<slug:by>.csv",
        views.public_measure_csv,
        name="measure-csv",
    ),
    path("map/", views.public_map, name="map"),
    path("map.csv", views.public_map_csv, name="map-csv"),
    path("about/", views.about, name="about"),
]

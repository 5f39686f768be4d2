from django.urls import path

from vrn.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.network, name="network"),
    path("records-per-month.csv", views.monthly_csv, name="network-monthly-csv"),
    path("records-by-type.csv", views.types_csv, name="network-types-csv"),
    path("rates/<str:period>.csv", views.rates_csv, name="network-rates-csv"),
    path("csp/<str:csp_code>/", views.csp, name="csp"),
    path("csp/<str:csp_code>/records-per-month.csv", views.monthly_csv, name="csp-monthly-csv"),
    path("csp/<str:csp_code>/records-by-type.csv", views.types_csv, name="csp-types-csv"),
    path("csp/<str:csp_code>/rates/<str:period>.csv", views.rates_csv, name="csp-rates-csv"),
]

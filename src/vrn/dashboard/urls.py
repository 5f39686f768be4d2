from django.urls import path

from vrn.dashboard import street_views, views

app_name = "dashboard"
urlpatterns = [
    # The serious violence dashboard (signed in); ?area= a CSP or local authority code.
    path("", views.overview, name="overview"),
    path("measure/<slug:measure_id>/", views.measure, name="measure"),
    path("measure/<slug:measure_id>/by-<slug:by>.csv", views.measure_csv, name="measure-csv"),
    path("explore/", views.explore_page, name="explore"),
    path("explore.csv", views.explore_csv, name="explore-csv"),
    path("map/", views.map_view, name="map"),
    path("map.csv", views.map_csv, name="map-csv"),
    path("risk-factors/", views.risk, name="risk"),
    path("risk-factors/by-decile.csv", views.risk_decile_csv, name="risk-csv"),
    # Hotspots, the tasking list and the Cardiff Model comparison (docs/hotspots.md).
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots/cells.csv", views.hotspots_csv, name="hotspots-csv"),
    path("hotspots/tasking/", views.tasking, name="tasking"),
    path("hotspots/tasking.csv", views.tasking_csv, name="tasking-csv"),
    path("hotspots/hidden/", views.hidden_hotspots, name="hidden-hotspots"),
    path("hotspots/hidden.csv", views.hidden_hotspots_csv, name="hidden-hotspots-csv"),
    # Street-level crime from data.police.uk: monthly counts by type, rates by authority.
    path("street/", street_views.network, name="street"),
    path("street/records-per-month.csv", street_views.monthly_csv, name="street-monthly-csv"),
    path("street/records-by-type.csv", street_views.types_csv, name="street-types-csv"),
    path("street/rates/<str:period>.csv", street_views.rates_csv, name="street-rates-csv"),
    path("street/csp/<str:csp_code>/", street_views.csp, name="street-csp"),
    path(
        "street/csp/<str:csp_code>/records-per-month.csv",
        street_views.monthly_csv,
        name="street-csp-monthly-csv",
    ),
    path(
        "street/csp/<str:csp_code>/records-by-type.csv",
        street_views.types_csv,
        name="street-csp-types-csv",
    ),
    path(
        "street/csp/<str:csp_code>/rates/<str:period>.csv",
        street_views.rates_csv,
        name="street-csp-rates-csv",
    ),
]

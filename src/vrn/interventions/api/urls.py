"""The REST API (``/api/``, docs/api.md). The reports' endpoints go under ``reports/``,
above the last pattern (which answers any other address with a JSON 404)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from vrn.interventions.api import reports, views
from vrn.interventions.api.errors import not_found

app_name = "api"

_PARTICIPANT = "participants/<int:participant_id>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("programmes/", views.ProgrammeList.as_view(), name="programmes"),
    path("programmes/<slug:programme_code>/", views.ProgrammeDetail.as_view(), name="programme"),
    path("participants/", views.ParticipantList.as_view(), name="participants"),
    path(_PARTICIPANT, views.ParticipantDetail.as_view(), name="participant"),
    path(_PARTICIPANT + "contacts/", views.Contacts.as_view(), name="contacts"),
    path(_PARTICIPANT + "assessments/", views.Assessments.as_view(), name="assessments"),
    path(_PARTICIPANT + "reviews/", views.Reviews.as_view(), name="reviews"),
    path(_PARTICIPANT + "outcomes/", views.Outcomes.as_view(), name="outcomes"),
    path(_PARTICIPANT + "case-notes/", views.CaseNotes.as_view(), name="case-notes"),
    path("reports/", reports.NetworkReport.as_view(), name="report-network"),
    path(
        "reports/programmes/<slug:programme_code>/",
        reports.ProgrammeReport.as_view(),
        name="report-programme",
    ),
    path(
        "reports/providers/<slug:provider_code>/",
        reports.ProviderReport.as_view(),
        name="report-provider",
    ),
    # Anything else under /api/: a JSON 404 rather than the site's page.
    re_path(r"^[\s\S]*$", not_found, name="not-found"),
]

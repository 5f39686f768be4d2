"""The intervention reports as JSON (``/api/reports/``): every figure, exact, for those
who may see it exactly (the network's team; a caseworker for their own organisation's
programmes); the published tables, under disclosure control, for board members. The same
report as the pages and ``vrn interventions report`` (``vrn.interventions.reports``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from vrn.interventions import published, report_service
from vrn.interventions.api.errors import NOT_FOUND
from vrn.interventions.api.schema import ERRORS
from vrn.interventions.reports import ReportError, Selection

_REPORT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "`title`, `selection`, `synthetic`, `exact`, `tables` (each: `key`, `caption`, "
        "`headings`, `rows` of text, `notes`) and, when `exact`, `figures`: every figure "
        "as a number (the output of `vrn interventions report --json`)"
    ),
)
_RESPONSES = {200: _REPORT, **{code: ERRORS[code] for code in (401, 403, 404)}}


def _answer(request: Any, selection: Selection) -> Response:
    audience = report_service.audience_for(request.user, selection)
    if audience is None:
        raise exceptions.PermissionDenied("Your role does not see intervention reports.")
    try:
        report = report_service.current_report(selection)
        context = report_service.page(selection, audience)
    except ReportError as error:
        raise exceptions.NotFound(NOT_FOUND) from error
    tables: list[published.Table] = context["tables"]  # type: ignore[assignment]
    body: dict[str, Any] = {
        "title": report.title,
        "selection": selection.key,
        "synthetic": report.synthetic,
        "exact": not audience.public,
        "tables": [
            {
                "key": table.key,
                "caption": table.caption,
                "headings": table.headings,
                "rows": table.rows,
                "notes": table.notes,
            }
            for table in tables
        ],
        "notes": report.notes,
    }
    if not audience.public:
        body["data_quality"] = report.data_quality
    if not audience.public:
        body["figures"] = published.as_json(report)
    else:
        body["disclosure"] = audience.policy.description if audience.policy else ""
    return Response(body)


@extend_schema(tags=["reports"])
class NetworkReport(APIView):  # type: ignore[misc]
    @extend_schema(operation_id="reports_network", responses=_RESPONSES)
    def get(self, request: Any) -> Response:
        """Every programme of the network."""
        return _answer(request, Selection())


@extend_schema(tags=["reports"])
class ProgrammeReport(APIView):  # type: ignore[misc]
    @extend_schema(operation_id="reports_programme", responses=_RESPONSES)
    def get(self, request: Any, programme_code: str) -> Response:
        """One programme, by its code."""
        return _answer(request, Selection(programme=programme_code))


@extend_schema(tags=["reports"])
class ProviderReport(APIView):  # type: ignore[misc]
    @extend_schema(operation_id="reports_provider", responses=_RESPONSES)
    def get(self, request: Any, provider_code: str) -> Response:
        """Every programme of one provider, by the organisation's code."""
        return _answer(request, Selection(provider=provider_code))

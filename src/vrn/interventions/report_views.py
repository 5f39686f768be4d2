"""The intervention report pages and their CSVs: for the network, one programme or one
provider (signed in), and the network's for the public (disclosure-controlled)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vrn.dashboard.published import Audience
from vrn.interventions import report_service
from vrn.interventions.report_service import ReportError, Selection
from vrn.web.downloads import csv_response
from vrn.web.views import public_policy


def _audience(request: HttpRequest, selection: Selection) -> Audience:
    audience = report_service.audience_for(request.user, selection)
    if audience is None:
        raise PermissionDenied
    return audience


def _render(
    request: HttpRequest, selection: Selection, audience: Audience, public: bool
) -> HttpResponse:
    try:
        context = report_service.page(selection, audience)
    except ReportError as error:
        raise Http404(str(error)) from error
    context.update({"selection": selection, "public": public})
    return render(request, "interventions/report.html", context)


def _csv(selection: Selection, audience: Audience) -> HttpResponse:
    try:
        rows, synthetic = report_service.csv_rows(selection, audience)
    except ReportError as error:
        raise Http404(str(error)) from error
    return csv_response(rows, f"interventions-{selection.key}.csv", synthetic=synthetic)


@login_required
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    selection = Selection()
    return _render(request, selection, _audience(request, selection), public=False)


@login_required
@require_GET
def programme(request: HttpRequest, code: str) -> HttpResponse:
    selection = Selection(programme=code)
    return _render(request, selection, _audience(request, selection), public=False)


@login_required
@require_GET
def provider(request: HttpRequest, code: str) -> HttpResponse:
    selection = Selection(provider=code)
    return _render(request, selection, _audience(request, selection), public=False)


@login_required
@require_GET
def network_csv(request: HttpRequest) -> HttpResponse:
    selection = Selection()
    return _csv(selection, _audience(request, selection))


@login_required
@require_GET
def programme_csv(request: HttpRequest, code: str) -> HttpResponse:
    selection = Selection(programme=code)
    return _csv(selection, _audience(request, selection))


@login_required
@require_GET
def provider_csv(request: HttpRequest, code: str) -> HttpResponse:
    selection = Selection(provider=code)
    return _csv(selection, _audience(request, selection))


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    return _render(request, Selection(), Audience(policy=public_policy()), public=True)


@require_GET
def public_csv(request: HttpRequest) -> HttpResponse:
    return _csv(Selection(), Audience(policy=public_policy()))

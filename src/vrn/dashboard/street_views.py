"""The street-level crime page (data.police.uk) and its CSV downloads: validate, call the
services, render."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from vrn.dashboard import charts, services
from vrn.dashboard.forms import CrimeTypeForm
from vrn.dashboard.services import DashboardData, Scope
from vrn.web.downloads import csv_response

VIEW = "accounts.view_network_dashboard"
DOWNLOAD = "accounts.download_dashboard_data"

View = Callable[..., HttpResponse]


def _page_view(view: View) -> View:
    """Signed-in users with the dashboard permission only; GET only."""
    return login_required(permission_required(VIEW, raise_exception=True)(require_GET(view)))


def _download_view(view: View) -> View:
    """As :func:`_page_view`, and the user may also download data."""
    return login_required(
        permission_required([VIEW, DOWNLOAD], raise_exception=True)(require_GET(view))
    )


@_page_view
def network(request: HttpRequest) -> HttpResponse:
    return _page(request, _scope(None))


@_page_view
def csp(request: HttpRequest, csp_code: str) -> HttpResponse:
    return _page(request, _scope(csp_code))


@_download_view
def monthly_csv(request: HttpRequest, csp_code: str | None = None) -> HttpResponse:
    scope = _scope(csp_code)
    data = services.load(settings.VRN_NETWORK, scope)
    crime_type, form = _crime_type(request, data)
    if form is not None and not form.is_valid():
        return HttpResponseBadRequest("Unknown crime type.")
    spec = services.monthly_chart(data, crime_type)
    name = services.csv_name(scope, "records-per-month", crime_type or "")
    return _csv(charts.csv_rows(spec), name)


@_download_view
def types_csv(request: HttpRequest, csp_code: str | None = None) -> HttpResponse:
    scope = _scope(csp_code)
    data = services.load(settings.VRN_NETWORK, scope)
    return _csv(services.type_csv_rows(data), services.csv_name(scope, "records-by-type"))


@_download_view
def rates_csv(request: HttpRequest, period: str, csp_code: str | None = None) -> HttpResponse:
    scope = _scope(csp_code)
    data = services.load(settings.VRN_NETWORK, scope)
    span = services.period(data, period)
    if span is None:
        raise Http404("No such period in the data loaded.")
    rows = services.rate_csv_rows(data, span)
    name = services.csv_name(scope, "rates", f"{span.first:%Y-%m}-to-{span.last:%Y-%m}")
    return _csv(rows, name)


def _page(request: HttpRequest, scope: Scope) -> HttpResponse:
    network = settings.VRN_NETWORK
    data = services.load(network, scope)
    crime_type, form = _crime_type(request, data)
    partner_datasets = services.partner_datasets()
    context = {
        "scope": scope,
        "partnerships": services.partnerships(network),
        "data": data,
        "form": form,
        "figures": None,
        "partner_datasets": partner_datasets,
        "partner_synthetic": any(d.synthetic for d in partner_datasets),
    }
    if data.account.total:
        figures = services.figures(data, crime_type)
        query = f"?{urlencode({'crime_type': crime_type})}" if crime_type else ""
        context |= {
            "figures": figures,
            "downloads": {
                "monthly": _url("monthly-csv", scope) + query,
                "types": _url("types-csv", scope),
            },
            "rate_sections": [
                (section, _url("rates-csv", scope, period=section.period.key))
                for section in figures.rates
            ],
        }
    return render(request, "dashboard/street.html", context)


def _url(name: str, scope: Scope, **kwargs: str) -> str:
    """The URL of a download for the network or for the scope's CSP."""
    if scope.csp_code:
        return reverse(
            f"dashboard:street-csp-{name}", kwargs={"csp_code": scope.csp_code, **kwargs}
        )
    return reverse(f"dashboard:street-{name}", kwargs=kwargs)


def _scope(csp_code: str | None) -> Scope:
    network = settings.VRN_NETWORK
    if csp_code is None:
        return services.network_scope(network)
    scope = services.csp_scope(network, csp_code)
    if scope is None:
        raise Http404(f"{csp_code} is not a Community Safety Partnership of this network.")
    return scope


def _crime_type(
    request: HttpRequest, data: DashboardData
) -> tuple[str | None, CrimeTypeForm | None]:
    """The crime type asked for if valid, else the default; and the bound form (None
    when no crime types are loaded)."""
    types = services.crime_types(data)
    default = services.default_crime_type(data)
    if not types:
        return None, None
    form = CrimeTypeForm({"crime_type": request.GET.get("crime_type", default)}, crime_types=types)
    return (form.cleaned_data["crime_type"] if form.is_valid() else default), form


def _csv(rows: Iterable[Iterable[object]], filename: str) -> HttpResponse:
    # Every dashboard download is data.police.uk street-level crime, which is real (a
    # download built from partner data passes whether any of its rows are synthetic).
    return csv_response(rows, filename, synthetic=False)

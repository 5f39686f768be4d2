"""The problem profile pages (network and each CSP) and their JSON and PDF downloads:
validate the area, fetch the profile, render."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vrn.profile.build import ProfileError, boundaries_for
from vrn.profile.queries import network_csps
from vrn.profile.report import render_html
from vrn.profile.services import pdf_for, profile_for

VIEW = "accounts.view_network_dashboard"
DOWNLOAD = "accounts.download_dashboard_data"
NETWORK = "network"

View = Callable[..., HttpResponse]


def _page_view(view: View) -> View:
    """Signed-in users who may see the dashboards (analysts, board members, programme
    managers, administrators); GET only."""
    return login_required(permission_required(VIEW, raise_exception=True)(require_GET(view)))


def _download_view(view: View) -> View:
    return login_required(
        permission_required([VIEW, DOWNLOAD], raise_exception=True)(require_GET(view))
    )


def _area(csp_code: str | None) -> str:
    """``network``, or the code of a CSP of the network (else 404)."""
    if csp_code is None:
        return NETWORK
    if csp_code not in dict(_csps()):
        raise Http404(f"{csp_code} is not a Community Safety Partnership of this network.")
    return csp_code


def _profile(csp_code: str | None):  # type: ignore[no-untyped-def]
    try:
        return profile_for(_area(csp_code))
    except ProfileError as error:
        raise Http404(str(error)) from error


def _csps() -> list[tuple[str, str]]:
    return network_csps(settings.VRN_NETWORK.local_authority_codes)


@_page_view
def page(request: HttpRequest, csp_code: str | None = None) -> HttpResponse:
    profile, data = _profile(csp_code)
    boundaries = boundaries_for(profile.scope)
    context = {
        "profile": data,
        "body": render_html(data, boundaries, fragment=True),
        "csp_code": csp_code,
        "csps": _csps(),
        "section": "profile",
    }
    return render(request, "profile/page.html", context)


@_download_view
def profile_json(request: HttpRequest, csp_code: str | None = None) -> HttpResponse:
    _, data = _profile(csp_code)
    response = HttpResponse(
        json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="profile.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@_download_view
def profile_pdf(request: HttpRequest, csp_code: str | None = None) -> HttpResponse:
    try:
        pdf = pdf_for(_area(csp_code))
    except ProfileError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="profile.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

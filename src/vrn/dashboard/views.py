"""The serious violence dashboard: overview, measure pages, Explore, map and about, each
for signed-in users with the dashboard permission (exact figures) and, except Explore,
for the public (every figure through the disclosure policy).

Views check access and parameters, then call :mod:`vrn.dashboard.pages` and friends on the
current events (:mod:`vrn.dashboard.store`); they never query the database themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.analytics.explore import Query, QueryError, explore
from vrn.dashboard import explore_form, hotspot_pages, map_page, pages, risk_page, store
from vrn.dashboard.published import Audience, csv_rows
from vrn.dashboard.site import PUBLIC, SIGNED_IN, Site
from vrn.hotspots.selection import NoPoints, SelectionError
from vrn.web.downloads import csv_response

VIEW = "accounts.view_network_dashboard"
DOWNLOAD = "accounts.download_dashboard_data"

View = Callable[..., HttpResponse]


def signed_in(view: View) -> View:
    """Signed-in users with the dashboard permission only; GET only."""
    return login_required(permission_required(VIEW, raise_exception=True)(require_GET(view)))


def signed_in_download(view: View) -> View:
    """As :func:`signed_in`, and the user may also download data."""
    return login_required(
        permission_required([VIEW, DOWNLOAD], raise_exception=True)(require_GET(view))
    )


def public(view: View) -> View:
    """Anyone, signed in or not; GET only."""
    return require_GET(view)


Build = Callable[[DashboardEvents, str], dict[str, Any]]


def _page(
    request: HttpRequest,
    site: Site,
    template: str,
    build: Build,
    *,
    check: Callable[[DashboardEvents, str], None] | None = None,
    head: Callable[[DashboardEvents, str], dict[str, Any]] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Render a dashboard page: ``build(events, area)`` gives its figures (as ``page``),
    computed only when the page's content is not in the cache already. The cache key is
    the state of the data and definitions, the face and the full URL, so a load or an edit
    of a definition is never served stale. ``check`` raises Http404 for what the URL
    names but the data lack, before anything is drawn. ``head`` gives what is needed
    outside the cached content too (the title, parameter errors): it must be cheap."""
    try:
        state = store.current_state(wait=settings.VRN_DASHBOARD_BUILD_WAIT)
    except store.NoData as reason:
        context = {"site": site, "reason": str(reason), "section": "dashboard"}
        return render(request, "dashboard/no_data.html", context)
    except store.Building:
        response = render(request, "dashboard/building.html", {"site": site}, status=503)
        response["Retry-After"] = "30"
        return response
    events, key = state.events, state.key
    area = request.GET.get("area", "").strip()
    if not pages.valid_area(events, area):
        raise Http404("No such area in this network.")
    if check is not None:
        check(events, area)
    context = {
        "site": site,
        "events": events,
        "area": area,
        "area_name": pages.area_name(events, area),
        "areas": pages.area_choices(events),
        "section": "dashboard",
        "cache_key": f"{key}:{site.namespace}:{request.get_full_path()}",
        "stale": state.stale,
        "page": SimpleLazyObject(lambda: build(events, area)),
        "errors": {},
        "sources": pages.sources_used(events, *_kinds(events, request)),
        **(head(events, area) if head is not None else {}),
        **extra,
    }
    return render(request, template, context)


def _kinds(events: DashboardEvents, request: HttpRequest) -> tuple[str, ...]:
    """The kinds of data a page's figures come from: those of the measure it shows (its
    path or ``?measure=``), of every measure on the overview, all for other pages."""
    match = request.resolver_match
    name = match.url_name if match is not None else ""
    measure_id = (match.kwargs.get("measure_id") if match is not None else None) or (
        request.GET.get("measure") if name in ("explore", "map") else None
    )
    if measure_id in events.measure_ids:
        return (events.measure(measure_id).source,)
    if name in ("hotspots", "tasking"):
        return ("street",)
    if name == "hidden-hotspots":
        return ("police", "street", "ed")
    if name == "overview":
        return tuple(sorted({info.source for info in events.measures}))
    if name in ("explore", "map"):
        return (events.measure(explore_form.default_measure(events)).source,)
    return ()


def _csv_download(
    request: HttpRequest, site: Site, make: Callable[[DashboardEvents, str], HttpResponse]
) -> HttpResponse:
    """A CSV of the current events (404 without data, or for an area not of the network)."""
    try:
        events = store.current()
    except store.NoData:
        raise Http404("No data is loaded.") from None
    area = request.GET.get("area", "").strip()
    if not pages.valid_area(events, area):
        raise Http404("No such area in this network.")
    return make(events, area)


def _csv(events: DashboardEvents, query: Query, audience: Audience, name: str) -> HttpResponse:
    try:
        explored = explore(events, query)
    except QueryError as error:
        return HttpResponseBadRequest(str(error))
    rows = csv_rows(explored, audience, explore_form.filters_text(events, query))
    area = query.area or events.scope.code
    filename = f"{name}-{area}-{explored.period.first:%Y-%m}-to-{explored.period.last:%Y-%m}.csv"
    return csv_response(rows, filename.lower(), synthetic=events.synthetic)


# --------------------------------------------------------------------------- overview


def _overview(request: HttpRequest, site: Site) -> HttpResponse:
    def build(events: DashboardEvents, area: str) -> dict[str, Any]:
        return {"tiles": pages.tiles(events, area, site.audience)}

    return _page(request, site, "dashboard/overview.html", build)


@signed_in
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, SIGNED_IN)


@public
def public_overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, PUBLIC)


# --------------------------------------------------------------------------- measures


def _known_measure(measure_id: str) -> Callable[[DashboardEvents, str], None]:
    def check(events: DashboardEvents, area: str) -> None:
        if measure_id not in events.measure_ids:
            raise Http404("No such measure.")

    return check


def _measure(request: HttpRequest, site: Site, measure_id: str) -> HttpResponse:
    def build(events: DashboardEvents, area: str) -> dict[str, Any]:
        info = events.measure(measure_id)
        sections = []
        for by in pages.measure_breakdowns(info, area, site.map_levels):
            csv_url = site.url("measure-csv", measure_id, "-".join(by), area=area)
            query = Query(measure_id, area or None, by=by)
            chart_id = f"by-{'-'.join(by)}"
            sections.append(pages.breakdown(events, query, site.audience, csv_url, chart_id))
        return {
            "summary": pages.measure_summary(events, measure_id, area, site.audience),
            "sections": sections,
            "explore_url": explore_form.explore_url(site, Query(measure_id, area or None)),
        }

    def head(events: DashboardEvents, area: str) -> dict[str, Any]:
        return {"measure": events.measure(measure_id)}

    template = "dashboard/measure.html"
    return _page(request, site, template, build, check=_known_measure(measure_id), head=head)


@signed_in
def measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    return _measure(request, SIGNED_IN, measure_id)


@public
def public_measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    return _measure(request, PUBLIC, measure_id)


def _measure_csv(request: HttpRequest, site: Site, measure_id: str, by: str) -> HttpResponse:
    def make(events: DashboardEvents, area: str) -> HttpResponse:
        _known_measure(measure_id)(events, area)
        dimensions = tuple(by.split("-"))
        offered = pages.measure_breakdowns(events.measure(measure_id), area, site.map_levels)
        if dimensions not in offered:
            raise Http404("No such breakdown of this measure.")
        query = Query(measure_id, area or None, by=dimensions)
        return _csv(events, query, site.audience, f"{measure_id}-by-{by}")

    return _csv_download(request, site, make)


@signed_in_download
def measure_csv(request: HttpRequest, measure_id: str, by: str) -> HttpResponse:
    return _measure_csv(request, SIGNED_IN, measure_id, by)


@public
def public_measure_csv(request: HttpRequest, measure_id: str, by: str) -> HttpResponse:
    return _measure_csv(request, PUBLIC, measure_id, by)


# --------------------------------------------------------------------------- explore


@signed_in
def explore_page(request: HttpRequest) -> HttpResponse:
    site = SIGNED_IN
    params = dict(request.GET.lists())

    def build(events: DashboardEvents, area: str) -> dict[str, Any]:
        return explore_form.page(events, explore_form.parse(events, params), site)

    def head(events: DashboardEvents, area: str) -> dict[str, Any]:
        return {"errors": explore_form.parse(events, params).errors}

    return _page(request, site, "dashboard/explore.html", build, head=head)


@signed_in_download
def explore_csv(request: HttpRequest) -> HttpResponse:
    def make(events: DashboardEvents, area: str) -> HttpResponse:
        parsed = explore_form.parse(events, dict(request.GET.lists()))
        if parsed.errors:
            message = "; ".join(f"{k}: {v}" for k, v in parsed.errors.items())
            return HttpResponseBadRequest(message)
        by = "-".join(parsed.query.by) or "total"
        name = f"{parsed.query.measure}-by-{by}"
        return _csv(events, parsed.query, SIGNED_IN.audience, name)

    return _csv_download(request, SIGNED_IN, make)


# --------------------------------------------------------------------------- map


def _map(request: HttpRequest, site: Site) -> HttpResponse:
    params = dict(request.GET.lists())

    def build(events: DashboardEvents, area: str) -> dict[str, Any]:
        return map_page.page(events, map_page.parse(events, params, site), area, site)

    def head(events: DashboardEvents, area: str) -> dict[str, Any]:
        return {"errors": map_page.parse(events, params, site).errors}

    return _page(request, site, "dashboard/map.html", build, head=head)


@signed_in
def map_view(request: HttpRequest) -> HttpResponse:
    return _map(request, SIGNED_IN)


@public
def public_map(request: HttpRequest) -> HttpResponse:
    return _map(request, PUBLIC)


def _map_csv(request: HttpRequest, site: Site) -> HttpResponse:
    def make(events: DashboardEvents, area: str) -> HttpResponse:
        choice = map_page.parse(events, dict(request.GET.lists()), site)
        if choice.errors:
            return HttpResponseBadRequest("; ".join(choice.errors.values()))
        query = Query(choice.measure, area or None, by=(choice.level,))
        return _csv(events, query, site.audience, f"{choice.measure}-map-by-{choice.level}")

    return _csv_download(request, site, make)


@signed_in_download
def map_csv(request: HttpRequest) -> HttpResponse:
    return _map_csv(request, SIGNED_IN)


@public
def public_map_csv(request: HttpRequest) -> HttpResponse:
    return _map_csv(request, PUBLIC)


# --------------------------------------------------------------------------- risk factors


@signed_in
def risk(request: HttpRequest) -> HttpResponse:
    def check(events: DashboardEvents, area: str) -> None:
        if area not in events.risk:
            raise Http404("Risk factors are shown for the network and its CSPs.")

    def build(events: DashboardEvents, area: str) -> dict[str, Any]:
        return risk_page.context(events, area, SIGNED_IN.audience)

    return _page(request, SIGNED_IN, "dashboard/risk.html", build, check=check)


# --------------------------------------------------------------------------- about


@public
def about(request: HttpRequest) -> HttpResponse:
    site = PUBLIC

    def build(events: DashboardEvents, area: str) -> dict[str, Any]:
        return {
            "measure_links": [(info, site.url("measure", info.id)) for info in events.measures],
            "public_csvs": pages.public_downloads(events, site),
        }

    def head(events: DashboardEvents, area: str) -> dict[str, Any]:
        return {"policy": site.audience.policy, "map_level": settings.VRN_PUBLIC_MAP_LEVEL}

    return _page(request, site, "dashboard/about.html", build, head=head)


@signed_in_download
def risk_decile_csv(request: HttpRequest) -> HttpResponse:
    def make(events: DashboardEvents, area: str) -> HttpResponse:
        rows = risk_page.decile_csv_rows(events, area) if area in events.risk else None
        if rows is None:
            raise Http404("No deprivation gradient for this area.")
        name = f"deprivation-gradient-{area or events.scope.code}.csv".lower()
        return csv_response(rows, name, synthetic=events.synthetic)

    return _csv_download(request, SIGNED_IN, make)


# --------------------------------------------------------------------------- hotspots


def _hotspot_page(
    request: HttpRequest, template: str, build: Callable[..., dict[str, Any]]
) -> HttpResponse:
    params = dict(request.GET.lists())

    def head(events: DashboardEvents, area: str) -> dict[str, Any]:
        choice = hotspot_pages.parse(params)
        return {
            "errors": choice.errors,
            "choice": choice,
            "crime_types": hotspot_pages.crime_types(),
        }

    def check(events: DashboardEvents, area: str) -> None:
        if area:
            raise Http404("The hotspot pages cover the whole network.")

    def page(events: DashboardEvents, area: str) -> dict[str, Any]:
        return build(events, hotspot_pages.parse(params))

    return _page(request, SIGNED_IN, template, page, head=head, check=check)


@signed_in
def hotspots(request: HttpRequest) -> HttpResponse:
    return _hotspot_page(request, "dashboard/hotspots.html", hotspot_pages.hotspots)


@signed_in
def tasking(request: HttpRequest) -> HttpResponse:
    return _hotspot_page(request, "dashboard/tasking.html", hotspot_pages.tasking)


@signed_in
def hidden_hotspots(request: HttpRequest) -> HttpResponse:
    return _hotspot_page(
        request,
        "dashboard/hidden_hotspots.html",
        lambda events, choice: hotspot_pages.hidden(events),
    )


def _hotspot_csv(
    request: HttpRequest, make: Callable[[hotspot_pages.Choice], tuple[list[list[object]], str]]
) -> HttpResponse:
    def respond(events: DashboardEvents, area: str) -> HttpResponse:
        if area:
            raise Http404("The hotspot pages cover the whole network.")
        choice = hotspot_pages.parse(dict(request.GET.lists()))
        if choice.errors:
            return HttpResponseBadRequest("; ".join(choice.errors.values()))
        try:
            rows, name = make(choice)
        except NoPoints as error:
            raise Http404(str(error)) from None
        except SelectionError as error:
            return HttpResponseBadRequest(str(error))
        return csv_response(rows, f"{name}.csv", synthetic=events.synthetic)

    return _csv_download(request, SIGNED_IN, respond)


@signed_in_download
def hotspots_csv(request: HttpRequest) -> HttpResponse:
    return _hotspot_csv(request, hotspot_pages.hotspots_csv)


@signed_in_download
def tasking_csv(request: HttpRequest) -> HttpResponse:
    return _hotspot_csv(request, hotspot_pages.tasking_csv)


@signed_in_download
def hidden_hotspots_csv(request: HttpRequest) -> HttpResponse:
    return _hotspot_csv(request, lambda choice: hotspot_pages.hidden_csv())

"""Building the problem profile of an area and period from the loaded data.

:func:`resolve_area` turns ``network``, a CSP or a local authority (code or name) into a
:class:`~vrn.analytics.findings.Scope`; :func:`read_inputs` reads the frames of that area
and period; :func:`build_profile` computes every finding and returns a :class:`Profile`,
whose :meth:`Profile.to_dict` is what ``profile.json`` holds, every count put through the
disclosure policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import shapely
from django.conf import settings
from django.db.models import Max, Min

from vrn.analytics.findings import ProfileInputs, Scope, compute_all
from vrn.analytics.findings.compare import compare
from vrn.analytics.measures import Period
from vrn.crime.models import StreetCrime
from vrn.definitions import Definitions, load_definitions
from vrn.geography.models import Area, AreaType, Boundary
from vrn.hotspots import queries as hotspot_queries
from vrn.police.models import Crime
from vrn.profile import health_queries, queries
from vrn.profile.publish import Profile, sources_of

NETWORK = "network"
ENGLAND = "england"
COMPARISON_NOTE = (
    "Shares are compared by the difference of proportions (Newcombe's limits), other figures "
    "by their 95% intervals (no overlap: different); where one area is part of the other "
    "both checks are conservative."
)


class ProfileError(ValueError):
    """An area or period the profile cannot be built for; the message says why."""


def resolve_area(text: str) -> Scope:
    """The scope named by ``network``, a CSP or a local authority (code or name)."""
    network = settings.VRN_NETWORK
    wanted = text.strip()
    names = dict(
        Area.objects.filter(code__in=network.local_authority_codes).values_list("code", "name")
    )
    if wanted.lower() in (NETWORK, network.short_name.lower(), network.name.lower()):
        authorities = {code: names.get(code, code) for code in network.local_authority_codes}
        return _scope(network.short_name, network.name, NETWORK, authorities)
    areas = Area.objects.filter(type__in=(AreaType.CSP, AreaType.LOCAL_AUTHORITY))
    match = areas.filter(code=wanted.upper()).first() or areas.filter(name__iexact=wanted).first()
    if match is None:
        raise ProfileError(
            f"no area {text!r}: give 'network', or the code or name of a CSP or local "
            f"authority of {network.name} (e.g. {next(iter(names.values()), 'E06000016')})"
        )
    if match.type == AreaType.CSP:
        codes = Area.objects.filter(type=AreaType.LOCAL_AUTHORITY, parent=match)
        authorities = dict(codes.values_list("code", "name"))
    else:
        authorities = {match.code: match.name}
    outside = sorted(set(authorities) - set(network.local_authority_codes))
    if outside or not authorities:
        raise ProfileError(f"{match.name} ({match.code}) is not in {network.name}")
    return _scope(match.code, match.name, str(match.type).replace("24", ""), authorities)


def _scope(code: str, name: str, kind: str, authorities: dict[str, str]) -> Scope:
    kind = {"ltla": "local_authority", "csp": "csp"}.get(kind, kind)
    places = queries.lsoa_places()
    places = places[places["local_authority"].isin(list(authorities))]
    codes = {*places["ward"].dropna(), *places["csp"].dropna()}
    names = dict(Area.objects.filter(code__in=sorted(codes)).values_list("code", "name"))
    # A county is reported when the whole of it is in the area.
    counties = {
        county: codes
        for county, codes in settings.VRN_NETWORK.counties.items()
        if set(codes) <= set(authorities)
    }
    return Scope(
        code=code,
        name=name,
        kind=kind,
        local_authorities=authorities,
        counties=counties,
        ward_names={code: names.get(code, code) for code in places["ward"].dropna()},
        csp_names={code: names.get(code, code) for code in places["csp"].dropna()},
    )


def default_period() -> Period:
    """The months of the loaded police data: the force extract's, else police.uk's."""
    for model in (Crime, StreetCrime):
        span = model.objects.aggregate(first=Min("month"), last=Max("month"))
        if span["first"] is not None:
            return Period(span["first"], span["last"])
    raise ProfileError("no police data is loaded: load a force extract or police.uk files")


def _in_area(frame: pd.DataFrame, column: str, scope: Scope) -> pd.DataFrame:
    return frame[frame[column].isin(list(scope.local_authorities))].reset_index(drop=True)


def read_inputs(
    scope: Scope,
    period: Period,
    definitions: Definitions,
    progress: Callable[[str], None] | None = None,
) -> ProfileInputs:
    """Every frame of the area and period (``None`` where nothing is loaded)."""

    def step(what: str) -> None:
        if progress is not None:
            progress(what)

    with queries.places_read_once():
        return _read_inputs(scope, period, definitions, step)


def _read_inputs(
    scope: Scope, period: Period, definitions: Definitions, step: Callable[[str], None]
) -> ProfileInputs:
    step("population")
    population = _in_area(
        queries.population_groups(list(scope.local_authorities)), "local_authority", scope
    )
    step("crimes")
    every_crime = queries.crime_events(definitions, period)
    crimes = _in_area(every_crime, "local_authority", scope)
    step("victims")
    every_victim = queries.person_events(definitions, "victim", period, crimes=every_crime)
    victims = _in_area(every_victim, "local_authority", scope)
    keys = every_victim["person_key"].dropna().astype(str)
    step("suspects and offenders")
    perpetrators = queries.person_events(definitions, "perpetrator", period, crimes=crimes)
    step("police.uk street-level crime")
    street = _in_area(queries.street_crime_events(period), "local_authority", scope)
    step("hospital admissions")
    admissions = _in_area(
        health_queries.admission_events(definitions, period), "local_authority", scope
    )
    step("emergency department attendances")
    attendances = health_queries.attendance_events(period)
    step("indicators")
    indicators = health_queries.indicator_values()
    step("points of violent crime and ED assaults")
    places = queries.place_inputs(
        lambda: _outline(scope),
        definitions,
        period,
        extract=bool(len(every_crime)),
        street=bool(len(street)),
        attendances=bool(len(attendances)),
    )
    frames = {
        "crimes": crimes,
        "victims": victims,
        "perpetrators": perpetrators,
        "street_crimes": street,
        "admissions": admissions,
        "attendances": attendances,
        "indicators": indicators,
    }
    synthetic = any(
        bool(frame["synthetic"].any())
        for frame in frames.values()
        if frame is not None and "synthetic" in frame and len(frame)
    )
    return ProfileInputs(
        definitions=definitions,
        period=period,
        scope=scope,
        population=population,
        synthetic=synthetic,
        crimes=_loaded(crimes),
        victims=_loaded(victims),
        perpetrators=_loaded(perpetrators),
        street_crimes=_loaded(street),
        admissions=_loaded(admissions),
        attendances=_loaded(attendances),
        indicators=_loaded(indicators),
        places=places,
        police_victim_keys=frozenset(keys[keys != ""]) if len(every_victim) else None,
    )


def _outline(scope: Scope) -> shapely.Polygon | shapely.MultiPolygon | None:
    """The area's outline on the British National Grid: the network's is built once per
    process (``vrn.hotspots.queries.network_area``)."""
    if set(scope.local_authorities) == set(settings.VRN_NETWORK.local_authority_codes):
        network = hotspot_queries.network_area()
        if network is None or not isinstance(network.area, shapely.Polygon | shapely.MultiPolygon):
            return None
        return network.area
    return queries.area_outline(list(scope.local_authorities))


def _loaded(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The frame, or None when nothing is loaded."""
    return frame if frame is not None and len(frame) else None


def build_profile(
    area: str,
    period: Period | None = None,
    definitions: Definitions | None = None,
    progress: Callable[[str], None] | None = None,
    compare_to: str | None = None,
) -> Profile:
    """Compute every finding for ``area`` (see :func:`resolve_area`) over ``period``
    (default: the months of the loaded police data), each compared, with ``compare_to``,
    with the same finding for another area or England."""
    scope = resolve_area(area)
    period = period or default_period()
    definitions = definitions or load_definitions()
    inputs = read_inputs(scope, period, definitions, progress)
    computed = compute_all(
        inputs, progress=(lambda key: progress(f"finding {key}")) if progress else None
    )
    findings, against = computed.findings, None
    if compare_to is not None and compare_to.strip().lower() == ENGLAND:
        against = {
            "area": "England",
            "note": "England's figures are loaded only for the risk and protective factor "
            "indicators, which are compared with England's; other findings have no England "
            "comparator.",
        }
    elif compare_to is not None:
        other = build_profile(compare_to, period, definitions)
        if other.scope.code == scope.code:
            raise ProfileError(f"--compare-to {compare_to!r} is the area itself")
        findings = compare(findings, other.findings, other.scope.name)
        against = {"area": other.scope.name, "note": COMPARISON_NOTE}
    return Profile(
        scope=scope,
        period=period,
        findings=findings,
        not_computed=computed.not_computed,
        sources=sources_of(inputs),
        definitions=[ref.as_dict() for ref in definitions.refs.values()],
        synthetic=inputs.synthetic,
        compare_to=against,
    )


def boundaries_for(scope: Scope) -> dict[str, Any]:
    """The GeoJSON geometry (WGS84) of every ward and LSOA of the area, by code, for the
    report's maps."""
    places = queries.lsoa_places()
    places = places[places["local_authority"].isin(list(scope.local_authorities))]
    codes = sorted({*places["lsoa"].dropna(), *places["ward"].dropna()})
    rows = Boundary.objects.filter(area_id__in=codes).values_list("area_id", "geometry")
    return dict(rows.iterator(chunk_size=2_000))

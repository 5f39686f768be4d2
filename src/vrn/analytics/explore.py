"""Explore: any measure filtered and broken down by the five analysis variables.

A :class:`Query` names a measure, an area (the network, a CSP or a local authority), a
run of months, filters (dimension -> values kept) and up to two dimensions to break down
by. :func:`explore` answers it from :class:`~vrn.analytics.dashboard_events.DashboardEvents`
with :func:`vrn.analytics.crosstab.crosstab` (counts, shares with Wilson limits, and for
a breakdown by place, rates per 1,000 residents a year with exact / Byar's limits): the
profile's cross-tabulation, not a second one.

What is counted follows the breakdown: crimes, unless it breaks down by the victim (each
victim counts: a crime with two victims counts twice) or by the perpetrator (each suspect
or offender counts). A filter on the other side keeps the crimes with at least one such
person. Hospital measures count admissions; their place is where the patient lives.
Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vrn.analytics.crosstab import Rates, crosstab
from vrn.analytics.dashboard_events import DashboardEvents, MeasureInfo
from vrn.analytics.measures import Period
from vrn.analytics.stats import rate

#: Rates are per this many residents a year.
RATE_PER = 1_000
RATE_UNIT = f"per {RATE_PER:,} residents a year"
#: Filter value of a missing value ("not known").
MISSING = ""
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEAPON_NAMES = {
    "knife_or_sharp": "Knife or sharp instrument",
    "firearm": "Firearm",
    "other": "Other weapon",
    "none": "No weapon",
    "unknown": "Not known",
}
SEX_NAMES = {"male": "Male", "female": "Female", "other": "Other", "unknown": "Not known"}
LOCATION = ("lsoa", "ward", "local_authority", "csp", "imd_decile")


class QueryError(ValueError):
    """A query the data cannot answer, with the reason in words (for the page)."""


@dataclass(frozen=True)
class Dimension:
    """A dimension users filter and break down by."""

    name: str
    label: str
    variable: str  # nature, perpetrator, victim, time or location
    sources: frozenset[str]
    #: Whose attribute it is: the crime's, the victim's or the perpetrator's.
    side: str = "crime"


_POLICE = frozenset({"police"})
_BOTH = frozenset({"police", "hospital"})

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("crime_group", "Crime group", "nature", _POLICE),
    Dimension("weapon", "Weapon", "nature", _POLICE),
    Dimension("public_place", "Public place", "nature", _POLICE),
    Dimension("domestic", "Domestic", "nature", _POLICE),
    Dimension("suspect_age_band", "Perpetrator's age", "perpetrator", _POLICE, "perpetrator"),
    Dimension("suspect_sex", "Perpetrator's sex", "perpetrator", _POLICE, "perpetrator"),
    Dimension(
        "suspect_residence", "Perpetrator's home area", "perpetrator", _POLICE, "perpetrator"
    ),
    Dimension("victim_age_band", "Victim's age", "victim", _BOTH, "victim"),
    Dimension("victim_sex", "Victim's sex", "victim", _BOTH, "victim"),
    Dimension("victim_residence", "Victim's home area", "victim", _POLICE, "victim"),
    Dimension("month", "Month", "time", _BOTH),
    Dimension("weekday", "Day of the week", "time", _POLICE),
    Dimension("hour", "Hour of the day", "time", _POLICE),
    Dimension("lsoa", "Neighbourhood (LSOA)", "location", _BOTH),
    Dimension("ward", "Ward", "location", _BOTH),
    Dimension("local_authority", "Local authority", "location", _BOTH),
    Dimension("csp", "Community Safety Partnership", "location", _BOTH),
    Dimension("imd_decile", "Deprivation decile (IMD)", "location", _BOTH),
)
DIMENSION_BY_NAME: Mapping[str, Dimension] = {d.name: d for d in DIMENSIONS}
VARIABLES = ("nature", "perpetrator", "victim", "time", "location")


@dataclass(frozen=True)
class Query:
    """What to count, where, when, which, and by what."""

    measure: str
    area: str | None = None
    first: str | None = None  # YYYY-MM
    last: str | None = None
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explored:
    """The answer: ``table`` has the ``by`` columns (values as text, ``""`` for not
    known), ``{dimension}_label`` for each, ``count``, ``share``, ``share_lower``,
    ``share_upper`` and, by place, ``population``, ``rate``, ``rate_lower``,
    ``rate_upper``, ``rate_method``."""

    query: Query
    measure: MeasureInfo
    unit: str  # crimes, victims, perpetrators or admissions
    area_name: str
    period: Period
    table: pd.DataFrame
    total: int
    #: The total's rate per 1,000 residents a year with limits (None without residents).
    total_rate: tuple[float, float, float] | None
    notes: tuple[str, ...]

    @property
    def has_rates(self) -> bool:
        return "rate" in self.table.columns


def available(events: DashboardEvents, measure: MeasureInfo) -> tuple[Dimension, ...]:
    """The dimensions a measure can be filtered and broken down by."""
    return tuple(d for d in DIMENSIONS if measure.source in d.sources)


def explore(events: DashboardEvents, query: Query) -> Explored:
    """Answer ``query``; :class:`QueryError` says why it cannot be."""
    try:
        measure = events.measure(query.measure)
    except KeyError:
        raise QueryError(f"no measure {query.measure!r} is loaded") from None
    allowed = {d.name for d in available(events, measure)}
    for name in [*query.by, *query.filters]:
        if name not in DIMENSION_BY_NAME:
            raise QueryError(f"no dimension {name!r}")
        if name not in allowed:
            raise QueryError(
                f"{DIMENSION_BY_NAME[name].label} is not recorded for {measure.label.lower()}"
            )
    if len(query.by) > 2 or len(set(query.by)) != len(query.by):
        raise QueryError("break down by at most two different dimensions")
    sides = {DIMENSION_BY_NAME[name].side for name in query.by} - {"crime"}
    if len(sides) > 1:
        raise QueryError("break down by the victim or by the perpetrator, not both at once")
    period = _period(events, query)
    authorities = _authorities(events, query.area)
    frames = _frames(events, measure)
    unit_side = next(iter(sides), "crime") if measure.source == "police" else "admission"
    base = frames[unit_side]
    if base is None:
        raise QueryError(f"no data is loaded for {measure.label.lower()}")
    where = _where(events, base, measure, authorities, period)
    crime_ok: np.ndarray | None = None
    for name, values in query.filters.items():
        side = DIMENSION_BY_NAME[name].side
        if measure.source == "hospital" or side in ("crime", unit_side):
            where &= _matches(base[name], values)
            continue
        people = frames[side]
        if people is None or events.crimes is None:
            raise QueryError(f"no {side}s are loaded")
        # Crimes with at least one such person.
        with_one = np.zeros(len(events.crimes), dtype=bool)
        with_one[people["crime_row"].to_numpy()[_matches(people[name], values)]] = True
        crime_ok = with_one if crime_ok is None else crime_ok & with_one
    if crime_ok is not None:
        where &= crime_ok if unit_side == "crime" else crime_ok[base["crime_row"].to_numpy()]
    chosen = base.loc[where]
    unit = {
        "crime": "crimes",
        "victim": "victims",
        "perpetrator": "perpetrators",
        "admission": "admissions",
    }[unit_side]
    table = _table(events, chosen, query.by, period, authorities)
    total = len(chosen)
    return Explored(
        query=query,
        measure=measure,
        unit=unit,
        area_name=_area_name(events, query.area),
        period=period,
        table=table,
        total=total,
        total_rate=_total_rate(events, total, authorities, period),
        notes=_notes(measure, unit),
    )


def _period(events: DashboardEvents, query: Query) -> Period:
    labels = events.period.labels
    first = query.first or labels[0]
    last = query.last or labels[-1]
    for label, what in ((first, "from"), (last, "to")):
        if label not in labels:
            raise QueryError(f"{what}: {label!r} is not a month of the data ({events.period})")
    if last < first:
        raise QueryError(f"the period ends ({last}) before it starts ({first})")
    return Period.of(first, last)


def _authorities(events: DashboardEvents, area: str | None) -> frozenset[str]:
    network = frozenset(events.scope.local_authorities)
    if area is None or area == "":
        return network
    if area in network:
        return frozenset({area})
    members = _csp_members(events, area)
    if not members:
        raise QueryError(f"{area!r} is not an area of {events.scope.name}")
    return members


def _csp_members(events: DashboardEvents, code: str) -> frozenset[str]:
    places = events.population
    return frozenset(
        str(la) for la in places.loc[places["csp"] == code, "local_authority"].dropna().unique()
    )


def _area_name(events: DashboardEvents, area: str | None) -> str:
    return events.scope.name if not area else events.scope.name_of(area)


def _frames(events: DashboardEvents, measure: MeasureInfo) -> dict[str, pd.DataFrame | None]:
    if measure.source == "hospital":
        return {"admission": events.admissions}
    return {"crime": events.crimes, "victim": events.victims, "perpetrator": events.perpetrators}


def _where(
    events: DashboardEvents,
    base: pd.DataFrame,
    measure: MeasureInfo,
    authorities: frozenset[str],
    period: Period,
) -> np.ndarray:
    """The rows of ``base`` the measure counts, in the area and period. A person counts
    when their crime does (its flags are on the crimes frame, at ``crime_row``)."""
    if measure.flag in base.columns:
        flag = base[measure.flag].to_numpy(dtype=bool)
    else:
        assert events.crimes is not None
        flags = events.crimes[measure.flag].to_numpy(dtype=bool)
        flag = flags[base["crime_row"].to_numpy()]
    inside = base["local_authority"].isin(authorities).to_numpy(dtype=bool)
    first, last = period.labels[0], period.labels[-1]
    months = base["month"]
    if isinstance(months.dtype, pd.CategoricalDtype):
        labels = np.array([str(c) for c in months.cat.categories] + [""])
        keep = (labels >= first) & (labels <= last)
        during = keep[months.cat.codes.to_numpy()]  # code -1 (missing) picks the last: False
    else:
        text = months.astype(str)
        during = ((text >= first) & (text <= last)).to_numpy(dtype=bool)
    result: np.ndarray = flag & inside & during
    return result


def value_key(value: object) -> str:
    """A dimension value as text: ``""`` for not known, ``yes``/``no`` for flags."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _keys(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "yes", False: "no"}).astype(object)
    return values.map(value_key).astype(object)


def _matches(values: pd.Series, kept: frozenset[str]) -> np.ndarray:
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = [value_key(c) for c in values.cat.categories]
        keep = np.array([c in kept for c in categories] + [MISSING in kept])
        codes = values.cat.codes.to_numpy()
        result: np.ndarray = keep[codes]  # code -1 (missing) picks the last entry
        return result
    matched: np.ndarray = _keys(values).isin(kept).to_numpy(dtype=bool)
    return matched


def _table(
    events: DashboardEvents,
    chosen: pd.DataFrame,
    by: Sequence[str],
    period: Period,
    authorities: frozenset[str],
) -> pd.DataFrame:
    if not by:
        return pd.DataFrame()
    frame = chosen[list(by)].copy()
    for name in by:
        frame[name] = _categorised(frame[name], name, events, period, authorities)
    population = _rates(events, by, period, authorities)
    table = crosstab(frame, list(by), population=population)
    for name in by:
        table[name] = _keys(table[name].astype(object))
        table[f"{name}_label"] = [label(events, name, key) for key in table[name]]
    if population is not None:
        # Places of the area only (a victim's home may lie elsewhere).
        table = table[table["population"].notna() | (table["count"] > 0)]
    return table.reset_index(drop=True)


def _categorised(
    values: pd.Series,
    name: str,
    events: DashboardEvents,
    period: Period,
    authorities: frozenset[str],
) -> pd.Series:
    """Values as a categorical whose categories are every value the breakdown shows (zero
    counts included): the period's months, the area's places, the days and hours."""
    if name == "month":
        return values.astype(str).astype(pd.CategoricalDtype(period.labels))
    if name in ("local_authority", "csp", "ward", "lsoa"):
        places = events.population[events.population["local_authority"].isin(authorities)]
        known = sorted({str(v) for v in places[name].dropna().unique()})
        present = sorted({str(v) for v in values.dropna().unique()} - set(known))
        return values.astype(object).astype(pd.CategoricalDtype(known + present))
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values
    if pd.api.types.is_bool_dtype(values):
        return values.astype(pd.CategoricalDtype([True, False]))
    return values.astype(object)


def _rates(
    events: DashboardEvents, by: Sequence[str], period: Period, authorities: frozenset[str]
) -> Rates | None:
    """Residents a year of each place, when the breakdown is by one place dimension."""
    if len(by) != 1 or by[0] not in LOCATION:
        return None
    name = by[0]
    places = events.population[events.population["local_authority"].isin(authorities)]
    residents = places.groupby(name, observed=True)["residents"].sum().reset_index()
    residents["population"] = residents.pop("residents") * period.months / 12
    if name == "imd_decile":
        residents[name] = residents[name].astype(events.population[name].dtype)
    else:
        residents[name] = residents[name].astype(str)
    return Rates(residents, (name,), per=RATE_PER)


def _total_rate(
    events: DashboardEvents, total: int, authorities: frozenset[str], period: Period
) -> tuple[float, float, float] | None:
    places = events.population
    residents = float(places.loc[places["local_authority"].isin(authorities), "residents"].sum())
    if residents <= 0:
        return None
    frame = pd.DataFrame({"count": [total], "population": [residents * period.months / 12]})
    result = rate(frame, "count", "population", multiplier=RATE_PER)
    row = result.iloc[0]
    return float(row["value"]), float(row["lowercl"]), float(row["uppercl"])


def label(events: DashboardEvents, name: str, key: str) -> str:
    """A value of a dimension in words."""
    if key == MISSING:
        return "Not known"
    if name in ("public_place", "domestic"):
        return {"yes": "Yes", "no": "No"}.get(key, key)
    if name == "weekday":
        return WEEKDAY_NAMES[int(key) - 1] if key.isdigit() and 1 <= int(key) <= 7 else key
    if name == "hour":
        return f"{int(key):02d}:00 to {int(key):02d}:59" if key.isdigit() else key
    if name == "imd_decile":
        extra = {"1": " (most deprived)", "10": " (least deprived)"}.get(key, "")
        return f"Decile {key}{extra}"
    if name == "weapon":
        return WEAPON_NAMES.get(key, key)
    if name in ("victim_sex", "suspect_sex"):
        return SEX_NAMES.get(key, key)
    if name in ("lsoa", "ward", "local_authority", "csp", "victim_residence", "suspect_residence"):
        named = events.scope.name_of(key)
        if name == "lsoa" or named == key:
            return key if named == key else f"{named} ({key})"
        return named
    if name == "month":
        return str(pd.Period(key, freq="M").strftime("%B %Y"))
    return key


def _notes(measure: MeasureInfo, unit: str) -> tuple[str, ...]:
    notes = []
    if unit == "victims":
        notes.append("Each victim counts once: a crime with two victims counts twice.")
    elif unit == "perpetrators":
        notes.append(
            "Each suspect or offender counts once: a crime with two suspects counts twice."
        )
    elif unit == "crimes":
        notes.append("Each crime counts once, however many people were involved.")
    else:
        notes.append("Each admission counts once; its place is where the patient lives.")
    if measure.age:
        notes.append(f"The measure counts only people aged {measure.age}.")
    return tuple(notes)

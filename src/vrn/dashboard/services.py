"""The dashboard's figures: chart specifications, tables and CSV rows.

:func:`load` runs the queries once; every other function here is pure and works on the
loaded :class:`DashboardData`. The page and its CSV downloads call the same functions,
so a download holds exactly the numbers drawn.

"All crime" excludes anti-social behaviour: those records are incidents, not notifiable
crimes, so they are shown as a crime type of their own but kept out of totals and rates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from vrn.analytics import stats
from vrn.dashboard import queries
from vrn.dashboard.charts import Spec, render_svg
from vrn.dashboard.queries import NamedArea, Partnership, RecordGroup
from vrn.geography.network import Network
from vrn.ingest.queries import LoadedRows

ALL_CRIME = "All crime (excluding anti-social behaviour)"
#: The crime type shown beside all crime unless the user picks another.
PREFERRED_CRIME_TYPE = "Violence and sexual offences"
RATE_UNITS = "crimes per 1,000 residents"
INTERVAL_LABEL = "95% confidence interval"


@dataclass(frozen=True)
class Scope:
    """The area one dashboard page covers: the whole network or one CSP."""

    name: str
    slug: str
    local_authorities: tuple[NamedArea, ...]
    csp_code: str | None = None


@dataclass(frozen=True)
class Period:
    """A run of months: the whole period loaded, or a 12-month year ending in ``last``."""

    key: str
    label: str
    first: date
    last: date
    months: int

    @property
    def span(self) -> str:
        return f"{self.first:%B %Y} to {self.last:%B %Y}"


@dataclass(frozen=True)
class RecordAccount:
    """Where every loaded street-level record went: ``total`` is the sum of the rest."""

    total: int
    in_network: int
    no_location: int
    outside_network: int


@dataclass(frozen=True)
class DashboardData:
    """What the queries return for one page: ``counts`` are the groups of records in
    the network area, ``account`` says where every record went."""

    network: Network
    scope: Scope
    months: list[date]
    counts: list[RecordGroup]
    account: RecordAccount
    residents: dict[str, int]
    forces: list[str]
    last_loaded: datetime | None

    @property
    def scope_codes(self) -> frozenset[str]:
        return frozenset(area.code for area in self.scope.local_authorities)

    @property
    def periods(self) -> list[Period]:
        return periods(self.months)


@dataclass(frozen=True)
class RateRow:
    """Crimes per 1,000 residents of one area in one period, with its 95% confidence
    interval and how it compares with the network (figures to 1 decimal place).

    ``method`` names the interval method (``"Byars"`` or, below 10 crimes, ``"Exact"``);
    ``comparison`` is ``"Higher"``, ``"Similar"`` or ``"Lower"`` than the network's rate
    (None for the network itself and where there is no rate).
    """

    code: str
    name: str
    crimes: int
    residents: int
    rate: float | None
    is_benchmark: bool = False
    lower: float | None = None
    upper: float | None = None
    method: str | None = None
    comparison: str | None = None


@dataclass(frozen=True)
class TypeRow:
    """Records of one crime type in each period of :attr:`DashboardData.periods`."""

    crime_type: str
    records: tuple[int, ...]
    is_anti_social_behaviour: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart specification with its SVG and the same numbers as table rows."""

    spec: Spec

    @property
    def svg(self) -> SafeString:
        # render_svg escapes every piece of text it writes.
        return mark_safe(render_svg(self.spec))

    @property
    def rows(self) -> list[tuple[str, list[object]]]:
        columns = [series["values"] for series in self.spec["series"]]
        return [
            (label, [column[i] for column in columns])
            for i, label in enumerate(self.spec["x"]["labels"])
        ]


@dataclass(frozen=True)
class RateSection:
    period: Period
    rows: list[RateRow]
    chart: Chart


@dataclass(frozen=True)
class Figures:
    """Everything a dashboard page shows once data are loaded."""

    period: Period
    crime_type: str | None
    monthly: Chart
    types: list[TypeRow]
    types_total: TypeRow
    rates: list[RateSection]
    account: dict[str, int]
    residents: int
    missing_months: list[date]


def figures(data: DashboardData, crime_type: str | None) -> Figures:
    """The figures of one dashboard page, ``crime_type`` charted beside all crime.

    Needs at least one month loaded.
    """
    types, total = type_rows(data)
    return Figures(
        period=data.periods[0],
        crime_type=crime_type,
        monthly=Chart(monthly_chart(data, crime_type)),
        types=types,
        types_total=total,
        rates=[
            RateSection(span, rate_rows(data, span), Chart(rates_chart(data, span)))
            for span in data.periods
        ],
        account=scope_account(data),
        residents=residents_in_scope(data),
        missing_months=missing_months(data.months),
    )


def network_scope(network: Network) -> Scope:
    return Scope(
        name=network.name,
        slug=slugify(network.short_name),
        local_authorities=tuple(queries.local_authorities(network.local_authority_codes)),
    )


def partnerships(network: Network) -> list[Partnership]:
    """The network's Community Safety Partnerships, by name."""
    return queries.partnerships(network.local_authority_codes)


def csp_scope(network: Network, csp_code: str) -> Scope | None:
    """The scope of one of the network's CSPs, or None if it isn't one."""
    for csp in partnerships(network):
        if csp.code == csp_code:
            return Scope(
                name=csp.name,
                slug=f"{slugify(csp.name)}-{csp.code.lower()}",
                local_authorities=csp.local_authorities,
                csp_code=csp.code,
            )
    return None


def load(network: Network, scope: Scope) -> DashboardData:
    """Run the dashboard's three aggregate queries for one page or download."""
    groups = queries.record_groups()
    return DashboardData(
        network=network,
        scope=scope,
        months=sorted({group.month for group in groups}),
        counts=[group for group in groups if group.in_network_area],
        account=account(groups),
        residents=queries.residents(network.local_authority_codes),
        forces=sorted({group.reported_by for group in groups}),
        last_loaded=queries.last_loaded(),
    )


def account(groups: Sequence[RecordGroup]) -> RecordAccount:
    """Split every record: in the network area, else with no location, else elsewhere."""
    totals = Counter[str]()
    for group in groups:
        if group.in_network_area:
            where = "in_network"
        elif group.has_location:
            where = "outside_network"
        else:
            where = "no_location"
        totals[where] += group.records
    return RecordAccount(
        total=totals.total(),
        in_network=totals["in_network"],
        no_location=totals["no_location"],
        outside_network=totals["outside_network"],
    )


def periods(months: Sequence[date]) -> list[Period]:
    """The whole period, then each complete 12 months ending in the last month, newest first.

    A year is complete when all 12 of its months were loaded; the whole period is left
    out when it is itself exactly one such year.
    """
    if not months:
        return []
    loaded = set(months)
    first, last = min(loaded), max(loaded)
    years = []
    end = last
    while (start := _add_months(end, -11)) >= first:
        if all(_add_months(start, i) in loaded for i in range(12)):
            years.append(Period(f"{end:%Y-%m}", f"Year ending {end:%B %Y}", start, end, 12))
        end = _add_months(end, -12)
    if len(years) == 1 and years[0].first == first:
        return years
    count = len(loaded)
    whole = Period(
        "all", f"Whole period ({count} month{'s' if count != 1 else ''})", first, last, count
    )
    return [whole, *years]


def period(data: DashboardData, key: str) -> Period | None:
    """The period with this key, or None."""
    return next((p for p in data.periods if p.key == key), None)


def missing_months(months: Sequence[date]) -> list[date]:
    """Months between the first and last loaded that have no records at all."""
    if not months:
        return []
    loaded = set(months)
    first, last = min(loaded), max(loaded)
    every = (_add_months(first, i) for i in range(_months_between(first, last) + 1))
    return [month for month in every if month not in loaded]


def crime_types(data: DashboardData) -> list[str]:
    """Every crime type in the network's records, alphabetically."""
    return sorted({count.crime_type for count in data.counts})


def default_crime_type(data: DashboardData) -> str | None:
    """Violence and sexual offences if present, else the most frequent crime type
    (anti-social behaviour only if nothing else is loaded)."""
    types = Counter[tuple[bool, str]]()
    for count in data.counts:
        types[count.is_anti_social_behaviour, count.crime_type] += count.records
    if (False, PREFERRED_CRIME_TYPE) in types:
        return PREFERRED_CRIME_TYPE
    ranked = sorted(types.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    return ranked[0][0][1] if ranked else None


def monthly_chart(data: DashboardData, crime_type: str | None) -> Spec:
    """All crime each month in the scope, and one crime type in a panel of its own."""
    scope = data.scope_codes
    totals = Counter[date]()
    typed = Counter[date]()
    for count in data.counts:
        if count.local_authority_code not in scope:
            continue
        if not count.is_anti_social_behaviour:
            totals[count.month] += count.records
        if count.crime_type == crime_type:
            typed[count.month] += count.records
    series = [{"name": ALL_CRIME, "values": [totals[m] for m in data.months]}]
    if crime_type is not None:
        series.append({"name": crime_type, "values": [typed[m] for m in data.months]})
    return {
        "id": "monthly-chart",
        "type": "line",
        "title": f"Records each month, {data.scope.name}",
        "x": {
            "title": "Month",
            "values": [f"{m:%Y-%m}" for m in data.months],
            "labels": [f"{m:%b %Y}" for m in data.months],
        },
        "series": series,
        "units": "records",
    }


def type_rows(data: DashboardData) -> tuple[list[TypeRow], TypeRow]:
    """Records of each crime type per period, most frequent first, and the all-crime total."""
    scope = data.scope_codes
    spans = data.periods
    records: dict[str, list[int]] = {}
    is_asb: dict[str, bool] = {}
    total = [0] * len(spans)
    for count in data.counts:
        if count.local_authority_code not in scope:
            continue
        row = records.setdefault(count.crime_type, [0] * len(spans))
        is_asb[count.crime_type] = count.is_anti_social_behaviour
        for i, span in enumerate(spans):
            if span.first <= count.month <= span.last:
                row[i] += count.records
                if not count.is_anti_social_behaviour:
                    total[i] += count.records
    rows = [TypeRow(name, tuple(values), is_asb[name]) for name, values in records.items()]
    rows.sort(key=lambda row: (-row.records[0], row.crime_type))
    return rows, TypeRow(ALL_CRIME, tuple(total))


def type_csv_rows(data: DashboardData) -> list[list[object]]:
    """:func:`type_rows` as CSV rows, one column of records per period."""
    rows, total = type_rows(data)
    header: list[object] = ["crime_type"]
    header += [f"records_{p.first:%Y-%m}_to_{p.last:%Y-%m}" for p in data.periods]
    return [header, *([row.crime_type, *row.records] for row in [*rows, total])]


def rate_rows(data: DashboardData, span: Period) -> list[RateRow]:
    """Crime rates per 1,000 residents in ``span``: each local authority in the scope
    (highest rate first), the CSP if it has several, then the whole network as benchmark.
    """
    crimes = Counter[str]()
    for count in data.counts:
        if not count.is_anti_social_behaviour and span.first <= count.month <= span.last:
            crimes[count.local_authority_code] += count.records

    def row(code: str, name: str, codes: Sequence[str], benchmark: bool = False) -> RateRow:
        n = sum(crimes[c] for c in codes)
        people = sum(data.residents.get(c, 0) for c in codes)
        return RateRow(code, name, n, people, None, benchmark)

    areas = [row(a.code, a.name, [a.code]) for a in data.scope.local_authorities]
    if data.scope.csp_code and len(areas) > 1:
        areas.append(row(data.scope.csp_code, data.scope.name, sorted(data.scope_codes)))
    network = data.network
    areas.append(
        row(
            network.short_name,
            f"{network.short_name} (whole network)",
            network.local_authority_codes,
            benchmark=True,
        )
    )
    areas = _with_rates(areas)
    local = [r for r in areas if r.code in data.scope_codes]
    local.sort(key=lambda r: (r.rate is None, -(r.rate or 0), r.name))
    return local + [r for r in areas if r.code not in data.scope_codes]


def _with_rates(rows: list[RateRow]) -> list[RateRow]:
    """Rates per 1,000 with 95% limits (exact below 10 crimes, Byar's above), each area
    compared with the benchmark row's rate as Fingertips compares areas with England."""
    known = [r for r in rows if r.residents > 0]
    if not known:
        return rows
    table = pd.DataFrame(
        [(r.code, r.crimes, r.residents) for r in known], columns=["code", "crimes", "residents"]
    )
    rates = stats.rate(table, "crimes", "residents", multiplier=1000)
    benchmark = next((r.code for r in known if r.is_benchmark), None)
    if benchmark is not None:
        value = float(rates.loc[rates["code"] == benchmark, "value"].iloc[0])
        rates = stats.compare_with_benchmark(rates, value)
    figures = rates.set_index("code")
    result = []
    for r in rows:
        if r.code not in figures.index:
            result.append(r)
            continue
        f = figures.loc[r.code]
        compared = None if r.is_benchmark or benchmark is None else str(f["comparison"])
        result.append(
            replace(
                r,
                rate=round(float(f["value"]), 1),
                lower=round(float(f["lowercl"]), 1),
                upper=round(float(f["uppercl"]), 1),
                method=str(f["method"]),
                comparison=compared,
            )
        )
    return result


def rates_chart(data: DashboardData, span: Period) -> Spec:
    """A bar chart of :func:`rate_rows`, the network drawn as the benchmark."""
    rows = rate_rows(data, span)
    return {
        "id": f"rates-chart-{span.key}",
        "type": "bar",
        "title": f"Crimes per 1,000 residents, {span.span}",
        "x": {
            "title": "Area",
            "values": [r.code for r in rows],
            "labels": [r.name for r in rows],
        },
        "series": [{"name": "Crimes per 1,000 residents", "values": [r.rate for r in rows]}],
        "intervals": [None if r.lower is None else [r.lower, r.upper] for r in rows],
        "interval_label": INTERVAL_LABEL,
        "units": RATE_UNITS,
        "decimals": 1,
        "benchmark": data.network.short_name,
    }


def rate_csv_rows(data: DashboardData, span: Period) -> list[list[object]]:
    """:func:`rate_rows` as CSV rows; the network row has the network's short name as code."""
    header: list[object] = [
        "period_start",
        "period_end",
        "area_code",
        "area_name",
        "crimes",
        "residents_census_2021",
        "crimes_per_1000_residents",
        "lower_95ci",
        "upper_95ci",
        "interval_method",
        "compared_with_network",
    ]
    return [
        header,
        *(
            [
                f"{span.first:%Y-%m}",
                f"{span.last:%Y-%m}",
                r.code,
                r.name,
                r.crimes,
                r.residents,
                "" if r.rate is None else f"{r.rate:.1f}",
                "" if r.lower is None else f"{r.lower:.1f}",
                "" if r.upper is None else f"{r.upper:.1f}",
                r.method or "",
                r.comparison or "",
            ]
            for r in rate_rows(data, span)
        ),
    ]


def scope_account(data: DashboardData) -> dict[str, int]:
    """Loaded records split so the parts add up to the total: in this scope (crimes and
    anti-social behaviour), elsewhere in the network, no location, outside the network.
    """
    scope = data.scope_codes
    crimes = asb = 0
    for count in data.counts:
        if count.local_authority_code in scope:
            if count.is_anti_social_behaviour:
                asb += count.records
            else:
                crimes += count.records
    account = data.account
    return {
        "total": account.total,
        "crimes": crimes,
        "anti_social_behaviour": asb,
        "elsewhere_in_network": account.in_network - crimes - asb,
        "no_location": account.no_location,
        "outside_network": account.outside_network,
    }


def residents_in_scope(data: DashboardData) -> int:
    return sum(data.residents.get(code, 0) for code in data.scope_codes)


def csv_name(scope: Scope, what: str, *parts: str) -> str:
    """A download's file name, e.g. ``llr-records-per-month-robbery.csv``."""
    return "-".join([scope.slug, what, *(slugify(part) for part in parts if part)]) + ".csv"


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def partner_datasets() -> list[LoadedRows]:
    """The partner datasets loaded beside the police.uk data, with their row counts, real
    and synthetic apart (for "About these data"; no figure on the dashboard uses them)."""
    return queries.partner_rows()

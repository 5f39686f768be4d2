"""An intervention report as an audience may see it: tables of text for the pages, one
long CSV, and exact JSON for the command line.

Exact figures for users who may see them (``Audience(policy=None)``); for everyone else
every count goes through the disclosure policy (the dashboard's :class:`Audience`), and a
share, mean or rate is shown only beside a count that is published (a figure of a
suppressed count would give it away).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.stats import proportion_difference, proportion_ratio, wilson_interval
from vrn.dashboard.published import Audience, number, percent
from vrn.interventions import reference
from vrn.interventions.reports import InterventionReport


@dataclass
class Table:
    """One table of a report page: a caption, headings, rows of text, notes."""

    key: str
    caption: str
    headings: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Positions of the columns that hold counts (every other cell is a label, a share,
    #: a mean or money, and is marked as not a count on public pages).
    count_columns: tuple[int, ...] = ()

    def cells(self) -> list[list[tuple[str, bool]]]:
        """Each row's cells with whether the cell is a count."""
        return [
            [(cell, position in self.count_columns) for position, cell in enumerate(row)]
            for row in self.rows
        ]


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _limits(lower: Any, upper: Any, show: Callable[[Any], str]) -> str:
    if _nan(lower) or _nan(upper):
        return ""
    return f"{show(lower)} to {show(upper)}"


def _estimate(value: Any, lower: Any, upper: Any, show: Callable[[Any], str]) -> str:
    """``value (lower to upper)``, or "" when there is no value."""
    return "" if _nan(value) else f"{show(value)} ({_limits(lower, upper, show)})"


def _of(row: Any, value: str, prefix: str, show: Callable[[Any], str]) -> str:
    """The estimate in column ``value`` with limits ``<prefix>_lowercl/_uppercl``."""
    return _estimate(row[value], row[f"{prefix}_lowercl"], row[f"{prefix}_uppercl"], show)


def _two(value: Any) -> str:
    return number(value, 2)


def _points(value: Any) -> str:
    return number(100 * value, 1)


def _money(value: Any) -> str:
    return "" if _nan(value) else f"£{value:,.0f}"


def _label(code_list: str, code: str) -> str:
    try:
        return reference.codes().label(code_list, code)
    except KeyError:
        return code


def _scale_label(scale_id: str, area_id: str = "") -> tuple[str, str]:
    try:
        scale = reference.scales().scale(scale_id)
    except (KeyError, LookupError):
        return scale_id, area_id or "All areas"
    if not area_id:
        return scale.label, "All areas"
    try:
        return scale.label, scale.area(area_id).label
    except (KeyError, LookupError):
        return scale.label, area_id


def _published_number(text: str) -> int | None:
    """A count as published ("1,235"), or None when it is withheld ("*")."""
    plain = text.replace(",", "")
    return int(plain) if plain.isdigit() else None


def _share(audience: Audience, shown_x: str, shown_n: str, exact: str) -> str:
    """A share as ``audience`` may see it: ``exact`` (the analysis's own figure) for an
    exact audience; for anyone else, computed again from the published counts with its
    Wilson interval, so that it tells nothing the published counts do not."""
    if not audience.public:
        return exact
    x, n = _published_number(shown_x), _published_number(shown_n)
    if x is None or n is None or n == 0 or x > n:
        return ""
    lower, upper = wilson_interval(np.array([x]), np.array([n]))
    return _estimate(x / n, float(lower[0]), float(upper[0]), percent)


class _Shown:
    """Counts as the audience sees them, and whether figures beside them may be shown."""

    def __init__(self, audience: Audience, counts: Sequence[Any]) -> None:
        values = [0 if _nan(count) else int(count) for count in counts]
        self.text = audience.counts(values)
        self.released = audience.released(values)


def programmes_table(report: InterventionReport) -> Table:
    table = Table(
        "programmes",
        "Programmes",
        [
            "Programme",
            "Provider",
            "Prevention level",
            "Evidence (YEF Toolkit)",
            "Funding",
            "Capacity",
            "Period",
        ],
    )
    from vrn.interventions.models import Programme

    facts = {
        programme.code: programme
        for programme in Programme.objects.filter(code__in=list(report.programmes["programme"]))
    }
    for code in report.programmes["programme"]:
        programme = facts[code]
        evidence = ""
        if programme.evidence_approach:
            try:
                approach = reference.evidence().approach(programme.evidence_approach)
                evidence = approach.label + (
                    f": {approach.impact} impact" if approach.impact else ""
                )
            except (KeyError, LookupError):
                evidence = programme.evidence_approach
        period = f"{programme.period_start:%b %Y} to " + (
            f"{programme.period_end:%b %Y}" if programme.period_end else "open"
        )
        table.rows.append(
            [
                f"{programme.name} ({programme.code})",
                programme.provider.name,
                _label("prevention_level", programme.prevention_level),
                evidence,
                _money(float(programme.funding)) if programme.funding is not None else "",
                "" if programme.capacity is None else f"{programme.capacity:,}",
                period,
            ]
        )
    if any(facts[code].synthetic for code in facts):
        table.notes.append("Funding and capacity of the demo's programmes are illustrative.")
    return table


def journey_table(report: InterventionReport, audience: Audience) -> Table:
    table = Table(
        "journey",
        "Referral to start, and completion",
        [
            "Programme",
            "Referred",
            "Started",
            "Conversion (95% CI)",
            "Exited",
            "Completed",
            "Completion of exits (95% CI)",
            "Still open",
        ],
        count_columns=(1, 2, 4, 5, 7),
    )
    frames = [report.journey, report.journey_total.assign(programme="All programmes")]
    for frame in frames:
        for _, row in frame.iterrows():
            referred, started, exited, completed, still_open = (
                row["referred"],
                row["started"],
                row["exited"],
                row["completed"],
                row["open"],
            )
            shown = _Shown(audience, [referred, started, exited, completed, still_open])
            conversion = (
                _share(
                    audience,
                    shown.text[1],
                    shown.text[0],
                    _of(row, "conversion", "conversion", percent),
                )
                if shown.released[0] and shown.released[1] and not _nan(row["conversion"])
                else ""
            )
            completion = (
                _share(
                    audience,
                    shown.text[3],
                    shown.text[2],
                    _of(row, "completion_of_exited", "completion_of_exited", percent),
                )
                if shown.released[2] and shown.released[3] and not _nan(row["completion_of_exited"])
                else ""
            )
            table.rows.append(
                [
                    str(row["programme"]),
                    shown.text[0],
                    shown.text[1],
                    conversion,
                    shown.text[2],
                    shown.text[3],
                    completion,
                    shown.text[4],
                ]
            )
    return table


def groups_table(report: InterventionReport, audience: Audience) -> Table:
    table = Table(
        "groups",
        "Reach into the Response Strategy's priority groups (participants who started)",
        ["Priority group", "Participants in the group", "Of", "Share (95% CI)"],
        count_columns=(1, 2),
    )
    labels = {group.id: group.label for group in reference.priorities().groups}
    for _, row in report.groups.iterrows():
        shown = _Shown(audience, [row["in_group"], row["participants"]])
        share = (
            _share(audience, shown.text[0], shown.text[1], _of(row, "share", "share", percent))
            if all(shown.released) and not _nan(row["share"])
            else ""
        )
        table.rows.append(
            [labels.get(str(row["group"]), str(row["group"])), shown.text[0], shown.text[1], share]
        )
    return table


def areas_table(report: InterventionReport, audience: Audience, names: dict[str, str]) -> Table:
    table = Table(
        "areas",
        "Reach by area, against where serious violence against under-25s happens",
        [
            "Area",
            "Participants",
            "Share of participants (95% CI)",
            "Share of need",
            "Reach ratio (95% CI)",
            "Reach",
        ],
        count_columns=(1,),
    )
    table.notes.append(
        "Need: serious violence against people under 25 recorded by the police, by the local "
        "authority where it happened (the problem profile's events); participants by the "
        "local authority they live in. A reach ratio below 1 means a smaller share of "
        "participants than of need."
    )
    for _, row in report.areas.iterrows():
        shown = _Shown(audience, [row["participants"], row["participants_in_need_areas"]])
        released = all(shown.released)
        share = _of(row, "participant_share", "participant_share", percent)
        ratio = _of(row, "reach_ratio", "reach_ratio", _two)
        verdict = str(row["reach"])
        if audience.public:
            share, ratio, verdict = _published_reach(shown, float(row["need_share"]))
        table.rows.append(
            [
                names.get(str(row["area"]), str(row["area"])),
                shown.text[0],
                share if released else "",
                percent(row["need_share"]),
                ratio if released and not _nan(row["reach_ratio"]) else "",
                verdict if released else "",
            ]
        )
    return table


def _published_reach(shown: _Shown, need_share: float) -> tuple[str, str, str]:
    """An area's share of participants, reach ratio and verdict from the published counts."""
    x, n = (_published_number(text) for text in shown.text)
    if x is None or n is None or n == 0 or x > n or not need_share > 0:
        return "", "", ""
    lower, upper = (float(limit[0]) for limit in wilson_interval(np.array([x]), np.array([n])))
    share = x / n
    verdict = (
        "under-reached"
        if upper < need_share
        else "over-reached"
        if lower > need_share
        else "similar"
    )
    return (
        _estimate(share, lower, upper, percent),
        _estimate(share / need_share, lower / need_share, upper / need_share, _two),
        verdict,
    )


def distance_table(report: InterventionReport, audience: Audience) -> Table:
    table = Table(
        "distance",
        "Distance travelled: first against latest review",
        [
            "Programme",
            "Scale",
            "Area",
            "Participants",
            "Mean first",
            "Mean latest",
            "Mean change (95% CI)",
            "Effect size dz (95% CI)",
            "Improved (95% CI)",
        ],
        count_columns=(3,),
    )
    table.notes.append(
        "Change is oriented so that a positive change is an improvement. Paired t interval "
        "for the mean change; dz with its noncentral-t interval; shares with Wilson intervals. "
        "Participants with a single review are not included."
    )
    for _, row in report.distance.iterrows():
        if not row["n"] and not row["n_single_review"]:
            continue  # a scale (or area) nobody was reviewed on
        shown = _Shown(audience, [row["n"]])
        released = shown.released[0] and row["n"] > 1
        scale, area = _scale_label(str(row["scale"]), str(row["area"] or ""))
        table.rows.append(
            [
                str(row.get("programme", "")),
                scale,
                area,
                shown.text[0],
                number(row["mean_before"], 2) if released else "",
                number(row["mean_after"], 2) if released else "",
                _of(row, "mean_change", "change", _two) if released else "",
                _of(row, "dz", "dz", _two) if released else "",
                _of(row, "improved_share", "improved", percent)
                if released and not audience.public
                else "",
            ]
        )
    return table


def outcomes_table(report: InterventionReport, audience: Audience) -> Table:
    table = Table(
        "outcomes",
        "Confirmed outcomes (participants who started)",
        ["Programme", "Outcome", "Participants with it", "Of", "Rate (95% CI)"],
        count_columns=(2, 3),
    )
    seen = report.outcomes[report.outcomes["with_outcome"] > 0]
    for _, row in seen.iterrows():
        shown = _Shown(audience, [row["with_outcome"], row["participants"]])
        rate = (
            _share(
                audience,
                shown.text[0],
                shown.text[1],
                _of(row, "proportion", "proportion", percent),
            )
            if all(shown.released)
            else ""
        )
        table.rows.append(
            [
                str(row["programme"]),
                _label("outcome_kind", str(row["kind"])),
                shown.text[0],
                shown.text[1],
                rate,
            ]
        )
    if seen.empty:
        table.notes.append("No confirmed outcome is recorded yet.")
    return table


#: The matched comparison's method, without the counts of the full description (those are
#: for exact audiences only).
COMPARISON_METHOD = (
    "participants who started, each indexed on their ED attendance, against other people "
    "attending the ED for an assault, matched on age band and sex with an index date within "
    "90 days; only people whose whole follow-up is in the data. Rates with Wilson intervals, "
    "the difference with Newcombe's and the risk ratio with the Katz interval, computed here "
    "from the published counts."
)


def _published_comparison(shown: _Shown) -> list[str]:
    """The comparison's rates, difference and ratio from its published counts."""
    treated, treated_events, compared, compared_events = (
        _published_number(text) for text in shown.text
    )
    if None in (treated, treated_events, compared, compared_events) or not treated or not compared:
        return ["", "", "", ""]
    assert treated is not None and treated_events is not None
    assert compared is not None and compared_events is not None
    if treated_events > treated or compared_events > compared:
        return ["", "", "", ""]
    x = np.array([treated_events, compared_events])
    n = np.array([treated, compared])
    lower, upper = wilson_interval(x, n)
    difference = proportion_difference(treated_events, treated, compared_events, compared).iloc[0]
    ratio = proportion_ratio(treated_events, treated, compared_events, compared).iloc[0]
    return [
        _estimate(x[0] / n[0], lower[0], upper[0], percent),
        _estimate(x[1] / n[1], lower[1], upper[1], percent),
        _estimate(difference["value"], difference["lowercl"], difference["uppercl"], _points),
        _estimate(ratio["value"], ratio["lowercl"], ratio["uppercl"], _two),
    ]


def comparison_table(report: InterventionReport, audience: Audience) -> Table:
    table = Table(
        "comparison",
        "Re-attendance and re-offending against a matched comparison",
        [
            "Programme",
            "Event",
            "Participants matched",
            "Their rate (95% CI)",
            "Comparison people",
            "Comparison rate (95% CI)",
            "Difference, percentage points (95% CI)",
            "Risk ratio (95% CI)",
        ],
        count_columns=(2, 4),
    )
    for comparison in report.comparisons:
        result = comparison.result
        shown = _Shown(
            audience,
            [
                result.treated_matched,
                result.treated_events,
                result.comparison_matched,
                result.comparison_events,
            ],
        )
        released = all(shown.released)
        figures = (
            _published_comparison(shown)
            if audience.public
            else [
                _estimate(
                    result.treated_rate, result.treated_lowercl, result.treated_uppercl, percent
                ),
                _estimate(
                    result.comparison_rate,
                    result.comparison_lowercl,
                    result.comparison_uppercl,
                    percent,
                ),
                _estimate(
                    result.difference, result.difference_lowercl, result.difference_uppercl, _points
                ),
                _estimate(
                    result.risk_ratio, result.risk_ratio_lowercl, result.risk_ratio_uppercl, _two
                ),
            ]
        )
        if not released:
            figures = ["", "", "", ""]
        table.rows.append(
            [
                comparison.programme,
                f"{comparison.events} within {result.window_days} days",
                shown.text[0],
                figures[0],
                shown.text[2],
                figures[1],
                figures[2],
                figures[3],
            ]
        )
        table.notes.append(
            f"{comparison.programme}, {comparison.events}: "
            + (COMPARISON_METHOD if audience.public else result.method)
        )
    if not report.comparisons:
        table.notes.append("No programme has a matched comparison (see the notes).")
    return table


def costs_table(report: InterventionReport, audience: Audience) -> Table:
    table = Table(
        "costs",
        "Cost per participant and per outcome",
        [
            "Programme",
            "Funding",
            "Started",
            "Cost per participant started",
            "Outcome",
            "Cost per participant with it (95% CI)",
        ],
        count_columns=(2,),
    )
    for _, row in report.costs.iterrows():
        if _nan(row.get("with_outcome")) or not row.get("with_outcome"):
            continue
        shown = _Shown(audience, [row["started"], row["with_outcome"]])
        table.rows.append(
            [
                str(row["programme"]),
                _money(row["funding"]),
                shown.text[0],
                _money(_per(row["funding"], shown.text[0], row["cost_per_started"], audience))
                if shown.released[0]
                else "",
                _label("outcome_kind", str(row["kind"])),
                _cost_per_outcome(row, shown, audience) if all(shown.released) else "",
            ]
        )
    return table


def _per(funding: float, shown_count: str, exact: float, audience: Audience) -> float:
    """Funding per participant: exact, or per published count for a controlled audience."""
    if not audience.public:
        return exact
    count = _published_number(shown_count)
    return funding / count if count else float("nan")


def _cost_per_outcome(row: Any, shown: _Shown, audience: Audience) -> str:
    if not audience.public:
        return _of(row, "cost_per_outcome", "cost_per_outcome", _money)
    started, with_outcome = (_published_number(text) for text in shown.text)
    if not started or not with_outcome or with_outcome > started or _nan(row["funding"]):
        return ""
    lower, upper = wilson_interval(np.array([with_outcome]), np.array([started]))
    funding = float(row["funding"])
    return _estimate(
        funding / with_outcome,
        funding / (started * upper[0]),
        funding / (started * lower[0]),
        _money,
    )


def tables(
    report: InterventionReport, audience: Audience, area_names: dict[str, str]
) -> list[Table]:
    """Every table of the report, as ``audience`` may see it."""
    return [
        programmes_table(report),
        journey_table(report, audience),
        groups_table(report, audience),
        areas_table(report, audience, area_names),
        distance_table(report, audience),
        outcomes_table(report, audience),
        comparison_table(report, audience),
        costs_table(report, audience),
    ]


def csv_rows(shown: Sequence[Table], title: str) -> list[list[str]]:
    """The tables as one long CSV: the table, then its own columns (as on the page)."""
    width = max(len(table.headings) for table in shown)
    rows: list[list[str]] = [["report", "table", *[f"column_{i + 1}" for i in range(width)]]]
    for table in shown:
        padding = [""] * (width - len(table.headings))
        rows.append([title, table.caption, *table.headings, *padding])
        for row in table.rows:
            rows.append([title, table.caption, *row, *([""] * (width - len(row)))])
    return rows


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    records = clean.to_dict(orient="records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                record[key] = value.date().isoformat()
    return [{str(key): value for key, value in record.items()} for record in records]


def as_json(report: InterventionReport) -> dict[str, Any]:
    """Every figure, exact, as JSON-ready data (for ``--json`` and the API)."""
    return {
        "title": report.title,
        "selection": report.selection.key,
        "synthetic": report.synthetic,
        "definitions": report.definitions,
        "notes": report.notes,
        "data_quality": report.data_quality,
        "programmes": _records(report.programmes),
        "journey": _records(report.journey),
        "journey_total": _records(report.journey_total),
        "priority_groups": _records(report.groups),
        "areas": _records(report.areas),
        "distance_travelled": _records(report.distance),
        "outcomes": _records(report.outcomes),
        "costs": _records(report.costs),
        "matched_comparisons": [
            {"programme": c.programme, "events": c.events, **_records(c.result.to_frame())[0]}
            for c in report.comparisons
        ],
    }

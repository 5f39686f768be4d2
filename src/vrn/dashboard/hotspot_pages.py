"""The hotspot pages (signed in): where crime concentrates (Gi* and emerging hot spots),
next month's tasking list with how well the forecast has done, and what only the
emergency department sees (the Cardiff Model comparison). Figures come from
:mod:`vrn.hotspots`, computed once per state of the data (:mod:`vrn.hotspots.memo`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.analytics.spatial.backtest import DEFAULT_COVERAGES
from vrn.analytics.spatial.forecast import DEFAULT_METHOD, METHODS, month_index, month_label
from vrn.dashboard import charts
from vrn.dashboard.boundaries import map_boundaries
from vrn.hotspots import forecasting, maps, memo, queries, surveillance
from vrn.hotspots.selection import DEFAULT_CRIME_TYPE, Selection, SelectionError

#: Rows of a ranked table shown on a page (the CSV has every cell).
TOP_ROWS = 25
#: Months of the backtest shown beside the tasking list.
BACKTEST_MONTHS = 6
#: Colours of the Gi* classes (ArcGIS's diverging reds and blues).
GI_CLASSES = (
    (3, "Hot spot, 99% confidence", "#b2182b"),
    (2, "Hot spot, 95% confidence", "#ef8a62"),
    (1, "Hot spot, 90% confidence", "#fddbc7"),
    (-1, "Cold spot, 90% confidence", "#d1e5f0"),
    (-2, "Cold spot, 95% confidence", "#67a9cf"),
    (-3, "Cold spot, 99% confidence", "#2166ac"),
)


@dataclass(frozen=True)
class Choice:
    crime_type: str
    coverage: float = 0.01
    month: str = ""
    errors: Mapping[str, str] = field(default_factory=dict)


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params.get(name) or [""]
    return str(values[-1]).strip()


def parse(params: Mapping[str, Sequence[str]]) -> Choice:
    """The crime type, coverage and month asked for, with a message for each value that
    is not offered (the default is used instead)."""
    errors = {}
    types = crime_types()
    crime_type = _one(params, "crime_type") or DEFAULT_CRIME_TYPE
    if crime_type not in types:
        if _one(params, "crime_type"):
            errors["crime_type"] = "Choose a crime type from the list"
        crime_type = DEFAULT_CRIME_TYPE if DEFAULT_CRIME_TYPE in types else (types or [""])[0]
    coverage = DEFAULT_COVERAGES[0]
    if text := _one(params, "coverage"):
        offered = {f"{c * 100:g}": c for c in DEFAULT_COVERAGES}
        if text in offered:
            coverage = offered[text]
        else:
            errors["coverage"] = "Choose an area coverage from the list"
    month = _one(params, "month")
    if month:
        try:
            month_index(month)
        except ValueError:
            errors["month"] = "Enter a month as YYYY-MM, for example 2024-07"
            month = ""
    return Choice(crime_type, coverage, month, errors)


def crime_types() -> list[str]:
    """The data.police.uk crime types loaded (asked once per state of the data: every
    hotspot page's form lists them)."""
    return memo.remembered("crime types", (), queries.street_crime_types)


def _selection(choice: Choice) -> Selection:
    return Selection("police-uk", choice.crime_type)


def _cells_map(
    events: DashboardEvents,
    map_id: str,
    title: str,
    network: Any,
    cells: np.ndarray[Any, Any],
    values: Sequence[Any],
    categories: Sequence[tuple[Any, str, str]],
    units: str,
    notes: Sequence[str] | None = None,
) -> str:
    """An SVG map of some cells of the grid, filled by category, over the local
    authorities' outlines."""
    grid = network.grid
    shapes = grid.to_geojson({}, cells=cells)["features"]
    spec = {
        "id": map_id,
        "type": "map",
        "title": title,
        "areas": [
            {
                "code": str(grid.cell_ids[cell]),
                "name": f"{grid.size:g} m cell centred {grid.centre_x[cell]:.0f} E, "
                f"{grid.centre_y[cell]:.0f} N",
                "value": value,
                "note": notes[k] if notes else None,
                "geometry": shape["geometry"],
            }
            for k, (cell, value, shape) in enumerate(zip(cells, values, shapes, strict=True))
        ],
        "units": units,
        "categories": [
            {"value": v, "label": label, "colour": colour} for v, label, colour in categories
        ],
        "context": list(map_boundaries(events, "local_authority").values()),
        "tiles": settings.VRN_MAP_TILES or None,
    }
    return mark_safe(charts.render_svg(spec))  # escaped by the renderer


def _hotspots(events: DashboardEvents, choice: Choice) -> dict[str, Any]:
    """Gi* hot and cold spots of the crime type over every month loaded, and the
    emerging hot spots month by month."""
    selection = _selection(choice)
    result = memo.remembered("gi", (choice.crime_type,), lambda: maps.hotspot_map(selection))
    table = result.table()
    classes = table["hotspot_class"].to_numpy()
    shown = np.flatnonzero(classes != 0)
    significant = table[classes != 0]
    top = significant.loc[significant["gi_z"].abs().sort_values(ascending=False).index]
    top = top
    try:
        emerging = memo.remembered(
            "emerging", (choice.crime_type,), lambda: maps.emerging(selection)
        )
    except SelectionError as error:
        patterns, emerging_months = pd.Series(dtype=int), f"not computed: {error}"
    else:
        patterns = emerging.table()["pattern"].value_counts()
        emerging_months = f"{emerging.months[0]} to {emerging.months[-1]}"
    return {
        "result": result,
        "summary": result.summary(),
        "method": f"Gi* compares each cell and its eight neighbours with the whole network "
        f"(binary weights; {result.gi.permutations:,} conditional permutations, seed "
        f"{result.gi.seed}; ties count against significance), and a cell is a hot or cold "
        "spot at a confidence level only if it passes the Benjamini-Hochberg false discovery "
        "rate at that level, over the cells with a crime in or next to them. Points are "
        "data.police.uk's anonymous map points, so a cell is a street or two, not an address.",
        "emerging_method": "Gi* in each month, then the Mann-Kendall trend of each cell's "
        "z-scores, classed as in ArcGIS Emerging Hot Spot Analysis (docs/hotspots.md).",
        "tiles": settings.VRN_MAP_TILES,
        "map": _cells_map(
            events,
            "gi-star",
            f"Gi* hot and cold spots: {choice.crime_type}, {result.first} to {result.last}",
            result.network,
            shown,
            classes[shown].tolist(),
            GI_CLASSES,
            "Getis-Ord Gi* class",
        ),
        "top": top.to_dict("records"),
        "patterns": [(str(name), int(count)) for name, count in patterns.items()],
        "emerging_months": emerging_months,
    }


def hotspots_csv(choice: Choice) -> tuple[list[list[object]], str]:
    result = memo.remembered(
        "gi", (choice.crime_type,), lambda: maps.hotspot_map(_selection(choice))
    )
    return _rows(result.table()), f"hotspots-{_slug(choice.crime_type)}"


def _default_month(choice: Choice) -> str:
    """The month after the crime type's last month loaded."""
    last = memo.remembered(
        "last month", (choice.crime_type,), lambda: forecasting.last_months(_selection(choice), 1)
    )[0]
    return month_label(month_index(last) + 1)


def _tasking(events: DashboardEvents, choice: Choice) -> dict[str, Any]:
    """Next month's highest-risk cells at the chosen coverage, and the backtest of the
    default method against the naive baselines over the last months."""
    month = choice.month or _default_month(choice)
    selection = _selection(choice)
    result = memo.remembered(
        "forecast", (choice.crime_type, month), lambda: forecasting.forecast_month(selection, month)
    )
    listed = result.tasking(choice.coverage)
    grid = result.network.grid
    cells = np.argsort(result.rank)[: len(listed)]
    test_months = forecasting.last_months(selection, BACKTEST_MONTHS)
    names = (DEFAULT_METHOD, "long-run", "last-month")
    try:
        table = memo.remembered(
            "backtest",
            (choice.crime_type, tuple(test_months)),
            lambda: forecasting.backtest(selection, test_months, names),
        )
    except SelectionError as error:
        table = None
        untested = f"No backtest: {error}."
    summary = (
        table.summary()
        if table is not None
        else pd.DataFrame(
            columns=["method", "coverage", "hit_rate_mean", "pai_mean", "pai_min", "pai_max"]
        )
    )
    accuracy = summary[np.isclose(summary["coverage"], choice.coverage)].copy()
    accuracy["hit_rate_text"] = [f"{value:.1%}" for value in accuracy["hit_rate_mean"]]
    rows = listed.copy()
    rows["area_text"] = [
        f"{km2:.2f} km² ({share:.2%})"
        for km2, share in zip(rows["area_km2"].cumsum(), rows["area_share"], strict=True)
    ]
    method = METHODS[result.method]
    best = accuracy.set_index("method")["pai_mean"]
    return {
        "month": month,
        "forecast": result,
        "summary": f"The {len(listed):,} cells of {grid.size:g} m with the highest forecast "
        f"risk of {choice.crime_type} in {month}, covering {choice.coverage:.0%} of the "
        f"network's area: {method.description} Trained on {result.crimes_trained_on:,} "
        f"crimes, {result.trained_from} to {result.trained_to}; nothing later is used.",
        "accuracy_text": untested
        if table is None
        else f"Over {test_months[0]} to {test_months[-1]}, the default method "
        f"({DEFAULT_METHOD}) had a mean PAI of {best.get(DEFAULT_METHOD, float('nan')):.2f} "
        f"at this coverage, against {best.get('long-run', float('nan')):.2f} for counting "
        f"every earlier month and {best.get('last-month', float('nan')):.2f} for last "
        "month's count alone.",
        "csv_url": f"{reverse('dashboard:tasking-csv')}?"
        + urlencode(
            {
                "crime_type": choice.crime_type,
                "coverage": f"{choice.coverage * 100:g}",
                "month": month,
            }
        ),
        "coverage_value": f"{choice.coverage * 100:g}",
        "coverage_label": f"{choice.coverage:.0%}",
        "rows": rows.head(TOP_ROWS).to_dict("records"),
        "all_rows": rows.to_dict("records"),
        "rows_caption": f"The {min(TOP_ROWS, len(rows))} highest-risk cells of the "
        f"{len(rows):,} flagged for {month}",
        "all_caption": f"Every cell flagged for {month}, by rank",
        "cells": len(listed),
        "area_share": float(listed["area_share"].iloc[-1]) if len(listed) else 0.0,
        "map": _cells_map(
            events,
            "tasking",
            f"Tasking list for {month}: {choice.crime_type}, highest-risk cells covering "
            f"{choice.coverage:.0%} of the area",
            result.network,
            cells,
            ["flagged"] * len(cells),
            [("flagged", f"Flagged for {month}", "#d4351c")],
            "Forecast",
            [f"rank {rank}" for rank in listed["rank"]],
        ),
        "accuracy": accuracy.to_dict("records"),
        "test_months": f"{test_months[0]} to {test_months[-1]}",
        "coverages": [(f"{c * 100:g}", f"{c:.0%}") for c in DEFAULT_COVERAGES],
        "cell_size": f"{grid.size:g} m",
    }


def tasking_csv(choice: Choice) -> tuple[list[list[object]], str]:
    month = choice.month or _default_month(choice)
    selection = _selection(choice)
    result = memo.remembered(
        "forecast", (choice.crime_type, month), lambda: forecasting.forecast_month(selection, month)
    )
    name = f"tasking-{month}-{_slug(choice.crime_type)}-{choice.coverage * 100:g}pc"
    return _rows(result.tasking(choice.coverage)), name


def _hidden(events: DashboardEvents) -> dict[str, Any]:
    """ED assaults against police-recorded violence: the share unknown to police and the
    hidden hotspots."""
    result = memo.remembered("cardiff", (), surveillance.cardiff)
    hidden_cells = result.hidden
    grid = result.network.grid
    index = pd.Index(grid.cell_ids)
    cells = index.get_indexer(hidden_cells["cell"])
    overall = result.corrected().iloc[0]
    comparison = result.comparison
    police = "the force's crime extract" if result.police_source == "police" else "data.police.uk"
    by = (
        ("By means of assault", "means_of_assault"),
        ("By time of day", "night_time_economy"),
        ("By day of the week", "weekday"),
        ("By how precisely the place was recorded", "geocode_confidence"),
    )
    return {
        "result": result,
        "summary": f"{int(overall['matchable']):,} assaults seen in the emergency department, "
        f"{result.first} to {result.last}, had a place and date. An estimated "
        f"{overall['share_unknown_corrected']:.0%} (95% CI {overall['lower']:.0%} to "
        f"{overall['upper']:.0%}) were unknown to police: no police-recorded violence "
        f"({police}) within {comparison.distance:g} m and {comparison.days} days, once "
        f"coincidences are allowed for. Before that correction the share is "
        f"{overall['share_unknown']:.0%}, a floor.",
        "method": "ED data are anonymised, so assaults are matched to police records by "
        "place and time, never by person, one police crime to one assault. Busy places "
        "make coincidental matches: moving every police date by one to four weeks, which "
        "breaks every true link, shows how often an assault matches by chance "
        f"({overall['chance_match_share']:.0%} overall), and the share unknown is corrected "
        "for it (docs/hotspots.md).",
        "tables": [(title, _shares(result.corrected(column))) for title, column in by],
        "hidden_text": f"{len(hidden_cells):,} cells of {grid.size:g} m where the emergency "
        "department's assaults concentrate beyond what police-recorded violence there "
        "would predict (a conditional binomial test per cell, false discovery rate 5%, at "
        "least 5 assaults): places for the injury surveillance taskforce to look at.",
        "hidden": hidden_cells.to_dict("records"),
        "hidden_count": len(hidden_cells),
        "map": _cells_map(
            events,
            "hidden-hotspots",
            f"Hidden hotspots: assaults seen in the emergency department but not in police "
            f"records, {result.first} to {result.last}",
            result.network,
            cells,
            ["hidden"] * len(cells),
            [("hidden", "Hidden hotspot", "#912b88")],
            "Cardiff Model comparison",
        ),
    }


def _shares(table: pd.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_dict("records")
    for row in rows:
        row["chance_text"] = f"{row['chance_match_share']:.0%}"
        row["corrected_text"] = (
            f"{row['share_unknown_corrected']:.0%} ({row['lower']:.0%} to {row['upper']:.0%})"
            if row["matchable"]
            else "none to match"
        )
    return rows


def hidden_csv() -> tuple[list[list[object]], str]:
    result = memo.remembered("cardiff", (), surveillance.cardiff)
    return _rows(result.all_shares()), "ed-assaults-unknown-to-police"


def _rows(table: pd.DataFrame) -> list[list[object]]:
    values = table.astype(object).where(table.notna(), None)
    return [list(table.columns), *values.to_numpy().tolist()]


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _available(build: Any) -> Any:
    """``build``, or what the loaded data lack to draw the page (``unavailable``)."""

    def page(*args: Any) -> dict[str, Any]:
        try:
            return dict(build(*args))
        except SelectionError as error:
            return {"unavailable": str(error)[:1].upper() + str(error)[1:] + "."}

    return page


hotspots = _available(_hotspots)
tasking = _available(_tasking)
hidden = _available(_hidden)

"""Hotspots and injury surveillance: where violent crime concentrates on a 250 m grid, its
Gi* hot spots, ED assaults unknown to police (the Cardiff Model), and how well next
month's hotspots can be forecast.

Every finding reads ``inputs.places`` (:class:`~vrn.analytics.findings.inputs.PlaceInputs`):
the area's outline and the points of violent crime and ED assaults. Crimes count in the
area when their point falls in one of the area's cells (squares of 250 m on the British
National Grid, clipped to the LSOA boundaries). Below the minimums here a finding says it
cannot be computed rather than give a figure a few points would make up.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.findings.base import (
    PROPORTION,
    Estimate,
    Finding,
    NotComputed,
    interval_text,
    number,
    percent,
)
from vrn.analytics.findings.inputs import CELL_SIZE, PlaceInputs, ProfileInputs
from vrn.analytics.spatial.backtest import flag_cells, rank_cells, rolling_origin
from vrn.analytics.spatial.cardiff import (
    DEFAULT_DAYS,
    DEFAULT_DISTANCE,
    chance_matches,
    compare_ed_with_police,
    corrected_share_unknown,
)
from vrn.analytics.spatial.forecast import DEFAULT_METHOD, get_method
from vrn.analytics.spatial.gistar import gi_star

TOPIC = "hotspots"
#: The share of the area the concentration and forecast findings look at.
COVERAGE = 0.05
#: Shares of the area in the concentration finding's table.
CURVE = (0.01, 0.02, 0.05, 0.10, 0.25, 0.50)
#: The seed of every random choice here (ties between equal cells, permutations).
SEED = 0
#: Gi* as the hotspot pages run it: analytical (normal) p-values, as ArcGIS, with the false
#: discovery rate over the cells with a crime in or next to them; a hot spot is any hot
#: class (ArcGIS Gi_Bin 1 to 3: 90% confidence or more). docs/hotspots.md says why the
#: classes do not use the permutation p-values.
#: Fewest violent crimes located in the area, and cells in it, for the grid findings.
MINIMUM_CRIMES = 50
MINIMUM_CELLS = 20
#: Fewest ED assaults that can be matched (located and dated), and police crimes.
MINIMUM_ASSAULTS = 20
MINIMUM_POLICE = 20
#: Months tested by the forecast finding, months needed before the first of them, and
#: fewest crimes in each month tested.
TEST_MONTHS = 6
MINIMUM_TRAINING_MONTHS = 6
MINIMUM_TEST_CRIMES = 10
#: The naive forecast the default method is compared with.
BASELINE_METHOD = "long-run"
#: The unit of the forecast finding: the Predictive Accuracy Index.
PAI = "PAI"

Floats = np.ndarray[Any, np.dtype[np.float64]]


def _places(inputs: ProfileInputs) -> PlaceInputs:
    if inputs.places is None:
        raise NotComputed(
            "needs police-recorded violent crime with a location (the force's crime extract "
            f"or data.police.uk) and the area's LSOA boundaries; none is loaded for "
            f"{inputs.period}"
        )
    return inputs.places


def _in_period(inputs: ProfileInputs, months: pd.Series) -> np.ndarray[Any, np.dtype[np.bool_]]:
    return np.asarray(months.astype(str).isin(inputs.period.labels).to_numpy(), dtype=bool)


def _located(inputs: ProfileInputs, places: PlaceInputs) -> pd.DataFrame:
    """The violent crimes of the period in the area, with their ``cell`` (index)."""
    cells = places.violence_cells
    kept = _in_period(inputs, places.violence["month"]) & (cells.to_numpy() >= 0)
    return places.violence[kept].assign(cell=cells[kept].to_numpy())


def _grid_crimes(inputs: ProfileInputs, places: PlaceInputs) -> tuple[pd.DataFrame, Floats]:
    """The located crimes and the count in each cell, or NotComputed below the minimums."""
    grid = places.grid
    if len(grid) < MINIMUM_CELLS:
        raise NotComputed(
            f"the area has {len(grid)} cells of {CELL_SIZE:g} m; the grid findings need at "
            f"least {MINIMUM_CELLS}"
        )
    located = _located(inputs, places)
    if len(located) < MINIMUM_CRIMES:
        raise NotComputed(
            f"{inputs.count(len(located))} {places.violence_label} located in the area in "
            f"{inputs.period}; the grid findings need at least {MINIMUM_CRIMES}"
        )
    counts = np.bincount(located["cell"].to_numpy(), minlength=len(grid)).astype(np.float64)
    return located, counts


def _grid_text(places: PlaceInputs) -> str:
    return (
        f"{CELL_SIZE:g} m squares of the British National Grid clipped to the area's LSOA "
        f"boundaries ({len(places.grid):,} cells, {places.grid.area_km2.sum():,.1f} km²)"
    )


def _notes(places: PlaceInputs) -> tuple[str, ...]:
    if places.violence_dated_by == "month":
        return (
            "data.police.uk places each crime at an anonymous map point near where it "
            "happened (the centre of a street or a public place), so counts gather at those "
            "points; read the cells as the streets around them.",
        )
    return ()


# --------------------------------------------------------------------------- concentration


def violence_concentration(inputs: ProfileInputs) -> list[Finding]:
    """The share of violent crime in the cells with the most, making up 5% of the area."""
    places = _places(inputs)
    grid = places.grid
    _, counts = _grid_crimes(inputs, places)
    total = float(counts.sum())
    order = rank_cells(counts, SEED)
    rows = []
    for coverage in CURVE:
        flagged = flag_cells(order, grid.area_km2, coverage)
        crimes = float(counts[flagged.cells].sum())
        rows.append(
            {
                "area_coverage": coverage,
                "cells": len(flagged.cells),
                "area_km2": float(grid.area_km2[flagged.cells].sum()),
                "area_share": flagged.area_share,
                "crimes": int(crimes),
                "crime_share": crimes / total,
            }
        )
    table = pd.DataFrame(rows)
    top = table[table["area_coverage"] == COVERAGE].iloc[0]
    if int(top["cells"]) == 0:
        raise NotComputed(
            f"the cell with the most crime cannot fit in {percent(COVERAGE)} of the area"
        )
    share = float(top["crime_share"])
    with_crime = int((counts > 0).sum())
    return [
        Finding(
            id="violence_concentration",
            title="Concentration of violent crime",
            topic=TOPIC,
            value=share,
            lower=None,
            upper=None,
            unit=PROPORTION,
            sentence=(
                f"{_share_words(share)} of violent crime located in {inputs.scope.name} in "
                f"{inputs.period} ({inputs.count(int(top['crimes']))} of "
                f"{inputs.count(int(total))} offences) happened in "
                f"{percent(float(top['area_share']), 1)} of the area: the "
                f"{int(top['cells']):,} cells of {CELL_SIZE:g} m with the most, "
                f"{float(top['area_km2']):,.1f} km². {with_crime:,} of the {len(grid):,} cells "
                "had any."
            ),
            definition=(
                f"{places.violence_label.capitalize()} located in the area, counted in "
                f"{_grid_text(places)}; the share of them in the cells with the most, taken "
                f"from the top while their area stays within {percent(COVERAGE)} of the "
                "area's."
            ),
            method=(
                "Cells ranked by their count (ties in a random order from a fixed seed) and "
                "taken down the ranking while their cumulative area is within the share "
                "(a cell that would go over is not taken). The cells are chosen by the same "
                "counts they are measured on, so no sampling interval applies; an even "
                "spread over the area would put the area's share of crime in them."
            ),
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=int(top["crimes"]),
            denominator=int(total),
            denominator_label="violent crimes located in the area",
            comparator="an even spread over the area",
            comparator_value=float(top["area_share"]),
            definitions=places.definitions,
            data=table,
            counts=("crimes",),
            notes=_notes(places),
        )
    ]


def _share_words(share: float) -> str:
    """A share in words where it is near a simple fraction, else as a percentage."""
    for fraction, words in ((0.5, "Half"), (1 / 3, "A third"), (0.25, "A quarter")):
        if abs(share - fraction) < 0.015:
            return f"{words} ({percent(share)})"
    return percent(share)


# --------------------------------------------------------------------------- Gi*


def violence_hotspots(inputs: ProfileInputs) -> list[Finding]:
    """The cells that are Getis-Ord Gi* hot spots of violent crime (90% confidence or
    more, the false discovery rate controlled), and their shares of crime and area."""
    places = _places(inputs)
    grid = places.grid
    _, counts = _grid_crimes(inputs, places)
    with warnings.catch_warnings():
        # libpysal warns when the cells fall in separate pieces (an area in parts).
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        weights = grid.weights()
    result = gi_star(
        counts,
        weights,
        permutations=0,
        inference="normal",
        fdr=True,
        weights_description=grid.weights_description(),
    )
    hot = np.flatnonzero(result.classes > 0)
    total = float(counts.sum())
    in_hot = float(counts[hot].sum())
    area = float(grid.area_km2[hot].sum())
    area_share = area / float(grid.area_km2.sum())
    table = pd.DataFrame(
        {
            "cell": grid.cell_ids[hot],
            "count": counts[hot].astype(int),
            "z": result.z[hot],
            "p_sim": result.p_sim_two_sided[hot],
            "q": result.q[hot],
            "confidence": [
                f"{90 + 5 * (int(c) - 1) if c < 3 else 99}%" for c in result.classes[hot]
            ],
            "easting": grid.centre_x[hot],
            "northing": grid.centre_y[hot],
            "area_km2": grid.area_km2[hot],
        }
    ).sort_values(["z", "cell"], ascending=[False, True], ignore_index=True)
    if len(hot):
        sentence = (
            f"{len(hot):,} of the {len(grid):,} cells of {CELL_SIZE:g} m in "
            f"{inputs.scope.name} were hot spots of violent crime in "
            f"{inputs.period} (Getis-Ord Gi*, false discovery rate controlled): "
            f"{percent(area_share, 1)} of the area ({area:,.1f} km²) with "
            f"{percent(in_hot / total)} of its violent crime ({inputs.count(int(in_hot))} of "
            f"{inputs.count(int(total))} offences)."
        )
    else:
        sentence = (
            f"None of the {len(grid):,} cells of {CELL_SIZE:g} m in {inputs.scope.name} was a "
            f"hot spot of violent crime in {inputs.period} (Getis-Ord Gi*, "
            f"false discovery rate controlled; {inputs.count(int(total))} offences)."
        )
    return [
        Finding(
            id="violence_hotspots",
            title="Hot spots of violent crime (Getis-Ord Gi*)",
            topic=TOPIC,
            value=len(hot),
            lower=None,
            upper=None,
            unit="cells",
            sentence=sentence,
            definition=(
                f"Cells of {_grid_text(places)} whose Getis-Ord Gi* statistic of the count "
                f"of {places.violence_label} shows high counts clustered, at 90% confidence "
                "or more after controlling the false discovery rate (ArcGIS's Gi_Bin 1 to 3); "
                "with the "
                "share of violent crime located in the area and the share of the area "
                "they hold."
            ),
            method=(
                f"Gi* with {grid.weights_description()} (each cell also counting itself); "
                "two-sided p-values of its z-score on the normal distribution (as ArcGIS), "
                "adjusted by Benjamini-Hochberg over the "
                "cells with a crime in or next to them; a cell is a hot spot when its adjusted "
                "p-value is at most 0.10 and its z-score positive"
            ),
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=int(in_hot),
            denominator=int(total),
            denominator_label="violent crimes located in the area",
            definitions=places.definitions,
            data=table,
            counts=("count",),
            notes=_notes(places),
        )
    ]


# --------------------------------------------------------------------------- Cardiff Model


def ed_assaults_unknown_to_police_cardiff(inputs: ProfileInputs) -> list[Finding]:
    """The share of ED assaults with no police-recorded violent crime near them in place and
    time, corrected for coincidental matches (the Cardiff Model comparison)."""
    places = _places(inputs)
    assaults = places.assaults
    if assaults is None or assaults.empty:
        raise NotComputed(
            "needs emergency-department assault attendances (istv), and none is loaded for "
            f"{inputs.period}"
        )
    grid = places.grid
    x = pd.to_numeric(assaults["x"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(assaults["y"], errors="coerce").to_numpy(dtype=float)
    located = np.isfinite(x) & np.isfinite(y)
    in_area = grid.locate(x, y) >= 0
    authority = assaults["incident_local_authority"].isin(list(inputs.scope.local_authorities))
    chosen = (in_area | (~located & authority.to_numpy(dtype=bool))) & _in_period(
        inputs, assaults["month"]
    )
    ed = assaults[chosen]
    police = places.violence[_in_period(inputs, places.violence["month"])]
    if ed.empty or police.empty:
        what = "ED assault attendances in the area" if ed.empty else places.violence_label
        raise NotComputed(f"no {what} in {inputs.period}")
    first = max(str(ed["month"].min()), str(police["month"].min()))
    last = min(str(ed["month"].max()), str(police["month"].max()))
    if first > last:
        raise NotComputed(f"the ED and police data share no month of {inputs.period}")
    ed = ed[(ed["month"] >= first) & (ed["month"] <= last)]
    police = police[(police["month"] >= first) & (police["month"] <= last)]
    dated_by = places.violence_dated_by
    dates = police["month"] + "-01" if dated_by == "month" else police["date"]
    police_table = pd.DataFrame(
        {"x": police["x"], "y": police["y"], "date": pd.to_datetime(dates)}
    ).reset_index(drop=True)
    police_in_area = int((places.violence_cells[police.index] >= 0).sum())
    if police_in_area < MINIMUM_POLICE:
        raise NotComputed(
            f"{inputs.count(police_in_area)} {places.violence_label} located in the area "
            f"from {first} to {last}; the comparison needs at least {MINIMUM_POLICE}"
        )
    ed_table = pd.DataFrame(
        {
            "x": ed["x"].astype(float),
            "y": ed["y"].astype(float),
            "date": pd.to_datetime(ed["date"]),
            "geocode_confidence": ed["geocode_confidence"],
            "means_of_assault": ed["means_of_assault"],
            "hour": ed["hour"],
            "area_code": ed["incident_local_authority"].fillna("unknown"),
            "date_source": ed["dated_by"],
        }
    ).reset_index(drop=True)
    options: dict[str, Any] = {"dated_by": dated_by}
    comparison = compare_ed_with_police(ed_table, police_table, **options)
    overall = comparison.overall.iloc[0]
    matchable = int(overall["matched"] + overall["unknown_to_police"])
    if matchable < MINIMUM_ASSAULTS:
        raise NotComputed(
            f"{inputs.count(matchable)} ED assaults in the area could be placed and dated from "
            f"{first} to {last}; the comparison needs at least {MINIMUM_ASSAULTS}"
        )
    chance = chance_matches(ed_table, police_table, **options)

    def corrected(by: str | None) -> pd.DataFrame:
        return corrected_share_unknown(
            comparison.assaults, chance, by, police_crimes=police_in_area
        )

    total = corrected(None).iloc[0]
    estimate = Estimate(
        number(total["share_unknown_corrected"]), number(total["lower"]), number(total["upper"])
    )
    if estimate.value is None:
        raise NotComputed("every assault would match a police crime by coincidence alone")
    naive = float(total["share_unknown"])
    chance_share = float(total["chance_match_share"])
    table = _cardiff_table(
        comparison.overall,
        comparison.by_means_of_assault,
        corrected(None),
        corrected("means_of_assault"),
    )
    near = (
        f"within {DEFAULT_DISTANCE:g} m and {DEFAULT_DAYS} days"
        if dated_by == "day"
        else f"within {DEFAULT_DISTANCE:g} m in the same month"
    )
    months = first if first == last else f"{first} to {last}"
    not_matchable = int(overall["not_matchable"])
    notes = list(comparison.caveats)
    if not_matchable:
        notes.insert(
            0,
            f"{inputs.count(not_matchable)} assaults without a point (or geocoded with "
            "confidence none) or a date cannot be matched and are left out of the shares.",
        )
    return [
        Finding(
            id="ed_assaults_unknown_to_police_cardiff",
            title="ED assaults unknown to the police (Cardiff Model)",
            topic=TOPIC,
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=PROPORTION,
            sentence=(
                f"Of the {inputs.count(matchable)} emergency-department assaults in "
                f"{inputs.scope.name} that could be placed and dated ({months}), "
                f"{percent(estimate.value)} {interval_text(estimate, percent)} were unknown "
                f"to the police once coincidental matches are allowed for: "
                f"{percent(naive)} had no police-recorded violent crime {near}, and an "
                f"assault unknown to the police had a {percent(chance_share)} chance of "
                "matching one by coincidence alone."
            ),
            definition=(
                "Emergency-department assault attendances (ISTV) located in the area (or, "
                "without a location, whose incident was in one of its local authorities), "
                f"matched on place and time to {places.violence_label} ({near}, each crime "
                "matching at most one assault); the share with no match among those that "
                "could be matched, corrected for matches by coincidence."
            ),
            method=(
                f"{comparison.method}; coincidence from the police dates shifted by whole "
                "weeks (months for data dated by month), corrected as "
                "(share unknown) / (1 - chance of a coincidental match) with the crimes "
                "taken by true matches allowed for; Wilson limits of the observed share "
                "carried through the same correction"
            ),
            period=months,
            area=inputs.scope.name,
            denominator=matchable,
            denominator_label="ED assaults that could be placed and dated",
            comparator="share unknown before the correction",
            comparator_value=naive,
            definitions=places.definitions,
            data=table,
            counts=("ed_assaults", "not_matchable", "matched", "unknown_to_police"),
            notes=tuple(notes),
        )
    ]


def _cardiff_table(
    overall: pd.DataFrame,
    by_means: pd.DataFrame,
    corrected_overall: pd.DataFrame,
    corrected_by_means: pd.DataFrame,
) -> pd.DataFrame:
    """All assaults, then by means of assault: the counts, the naive share, the chance
    share and the corrected share with its limits."""
    counts = pd.concat([overall, by_means], ignore_index=True)[
        ["group", "ed_assaults", "not_matchable", "matched", "unknown_to_police", "share_unknown"]
    ]
    corrected = pd.concat([corrected_overall, corrected_by_means], ignore_index=True)[
        ["group", "chance_match_share", "share_unknown_corrected", "lower", "upper"]
    ]
    table = counts.merge(corrected, on="group", how="left")
    table["group"] = table["group"].replace({"all": "all assaults"})
    return table.rename(columns={"group": "means_of_assault"})


# --------------------------------------------------------------------------- forecast


def forecast_accuracy(inputs: ProfileInputs) -> list[Finding]:
    """PAI at 5% of the area of the default forecast against the long-run baseline, each
    month of the last six forecast from the months before it only."""
    places = _places(inputs)
    grid = places.grid
    located, _ = _grid_crimes(inputs, places)
    labels = inputs.period.labels
    present = sorted(set(located["month"].astype(str)))
    months = labels[labels.index(present[0]) : labels.index(present[-1]) + 1]
    if len(months) < TEST_MONTHS + MINIMUM_TRAINING_MONTHS:
        raise NotComputed(
            f"the forecast test needs {TEST_MONTHS + MINIMUM_TRAINING_MONTHS} months of "
            f"violent crime ({TEST_MONTHS} tested, each forecast from at least "
            f"{MINIMUM_TRAINING_MONTHS} before); {inputs.period} has {len(months)}"
        )
    position = {month: i for i, month in enumerate(months)}
    counts = np.zeros((len(grid), len(months)), dtype=np.float64)
    np.add.at(
        counts,
        (located["cell"].to_numpy(), located["month"].map(position).to_numpy(dtype=np.int64)),
        1.0,
    )
    tested = months[-TEST_MONTHS:]
    per_month = counts[:, -TEST_MONTHS:].sum(axis=0)
    if per_month.min() < MINIMUM_TEST_CRIMES:
        raise NotComputed(
            f"a month tested ({tested[int(per_month.argmin())]}) has "
            f"{inputs.count(int(per_month.min()))} violent crimes located in the area; the "
            f"forecast test needs at least {MINIMUM_TEST_CRIMES} in each"
        )
    arrays = (counts, grid.centre_x, grid.centre_y, grid.area_km2, months, tested)
    default = rolling_origin(DEFAULT_METHOD, *arrays, coverages=(COVERAGE,), seed=SEED).rows
    baseline = rolling_origin(BASELINE_METHOD, *arrays, coverages=(COVERAGE,), seed=SEED).rows
    table = pd.DataFrame(
        {
            "month": default["test_month"],
            "crimes": default["crimes"].astype(int),
            "flagged_cells": default["flagged_cells"],
            "area_share": default["area_share"],
            "hits": default["hits"].astype(int),
            "hit_rate": default["hit_rate"],
            "pai": default["pai"],
            "baseline_hits": baseline["hits"].astype(int),
            "baseline_hit_rate": baseline["hit_rate"],
            "baseline_pai": baseline["pai"],
        }
    )
    if (table["flagged_cells"] == 0).any() or table[["pai", "baseline_pai"]].isna().any(axis=None):
        raise NotComputed(
            f"a forecast's highest-scoring cell cannot fit in {percent(COVERAGE)} of the area"
        )
    pai, baseline_pai = float(table["pai"].mean()), float(table["baseline_pai"].mean())
    ahead = int((table["pai"] > table["baseline_pai"] + 1e-9).sum())
    behind = int((table["pai"] < table["baseline_pai"] - 1e-9).sum())
    method = get_method(DEFAULT_METHOD)
    span = f"{tested[0]} to {tested[-1]}"
    hit_rate = float(table["hits"].sum() / table["crimes"].sum())
    return [
        Finding(
            id="hotspot_forecast_pai",
            title="How well next month's violence hotspots can be forecast",
            topic=TOPIC,
            value=pai,
            lower=None,
            upper=None,
            unit=PAI,
            sentence=(
                f"Forecasting each month from {span} from the months before it, the "
                f"{percent(COVERAGE)} of {inputs.scope.name} the {method.name} method flagged "
                f"held {percent(hit_rate)} of the month's violent crime: a PAI of {pai:.1f} "
                f"(lowest {table['pai'].min():.1f}, highest {table['pai'].max():.1f}), against "
                f"{baseline_pai:.1f} for the long-run baseline (each cell's count so far); "
                f"the {method.name} method's PAI was higher in {ahead}, lower in {behind} "
                f"and the same in {TEST_MONTHS - ahead - behind} of the {TEST_MONTHS} months."
            ),
            definition=(
                f"Predictive Accuracy Index (Chainey, Tompson and Uhlig 2008) of forecasts "
                f"of {places.violence_label} in {_grid_text(places)}: each month's crimes in "
                f"the highest-scoring cells making up {percent(COVERAGE)} of the area, as a "
                "share of the month's crimes, over the share of the area flagged; the mean "
                f"over the last {TEST_MONTHS} months of the period."
            ),
            method=(
                f"Rolling origin: each month tested is forecast from the months before it "
                f"only. {method.description} Baseline: each cell's count over all the months "
                "before. Ties ranked in a random order from a fixed seed. The mean of six "
                "months has no sampling interval here; the table gives each month."
            ),
            period=span,
            area=inputs.scope.name,
            comparator="long-run baseline",
            comparator_value=baseline_pai,
            definitions=places.definitions,
            data=table,
            counts=("crimes", "hits", "baseline_hits"),
            notes=_notes(places),
        )
    ]


FINDINGS = {
    "violence_concentration": violence_concentration,
    "violence_hotspots": violence_hotspots,
    "ed_assaults_unknown_to_police_cardiff": ed_assaults_unknown_to_police_cardiff,
    "hotspot_forecast_pai": forecast_accuracy,
}

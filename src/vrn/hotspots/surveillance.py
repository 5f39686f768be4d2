"""Injury surveillance: ED assaults against police-recorded violence (the Cardiff Model
comparison), and the near-repeat test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.spatial.cardiff import (
    DEFAULT_DAYS,
    DEFAULT_DISTANCE,
    DEFAULT_MINIMUM_ED,
    CardiffComparison,
    chance_matches,
    compare_ed_with_police,
    corrected_share_unknown,
    hidden_hotspots,
)
from vrn.analytics.spatial.knox import DEFAULT_ITERATIONS, KnoxResult, knox_test
from vrn.hotspots.grids import DEFAULT_SIZE, NetworkGrid, network_grid
from vrn.hotspots.selection import (
    DEFAULT_CRIME_TYPE,
    NoPoints,
    Selection,
    SelectionError,
    points,
)

#: The groupings of the share unknown to police (columns of the comparison's assaults).
GROUPINGS = (
    *("area", "month", "hour_band", "night_time_economy", "weekday"),
    *("means_of_assault", "geocode_confidence"),
)
#: The police-recorded violence ED assaults are compared with.
VIOLENCE = DEFAULT_CRIME_TYPE


@dataclass(frozen=True, eq=False)
class CardiffResult:
    """The comparison and the hidden hotspots on the network's grid."""

    comparison: CardiffComparison
    police_source: str
    network: NetworkGrid
    #: Per cell: ``cell``, ``ed``, ``police`` and the test of :func:`hidden_hotspots`.
    cells: pd.DataFrame
    first: str
    last: str
    #: Per assault, the share of date-shifted runs in which it matched by coincidence.
    chance: np.ndarray[Any, np.dtype[np.float64]]
    #: Police-recorded violent crimes with a location in the months compared.
    police_crimes: int

    def corrected(self, by: str | None = None) -> pd.DataFrame:
        """The share unknown to police corrected for coincidental matches, by a column of
        the comparison's assaults (``area``, ``month``, ``means_of_assault`` ...)."""
        return corrected_share_unknown(
            self.comparison.assaults, self.chance, by, police_crimes=self.police_crimes
        )

    def all_shares(self) -> pd.DataFrame:
        """:meth:`corrected` by every grouping, one table with a ``by`` column."""
        tables = []
        for by in (*GROUPINGS, None):
            table = self.corrected(by)
            table.insert(0, "by", by or "all")
            tables.append(table)
        return pd.concat(tables, ignore_index=True)

    @property
    def hidden(self) -> pd.DataFrame:
        return self.cells[self.cells["hidden_hotspot"]].sort_values("q_value")


def cardiff(
    first: str | None = None,
    last: str | None = None,
    police_source: str | None = None,
    distance: float = DEFAULT_DISTANCE,
    days: int = DEFAULT_DAYS,
    minimum_ed: int = DEFAULT_MINIMUM_ED,
    shape: str = "square",
    size: float = DEFAULT_SIZE,
) -> CardiffResult:
    """ED assaults matched to police-recorded violence by place and time. The police side
    is the force extract (dated by day) where loaded, else data.police.uk (by month);
    ``police_source`` chooses. Months default to those both sources cover."""
    ed = points(Selection("ed", None, None, first, last))
    source = police_source or _police_source()
    police = points(Selection(source, VIOLENCE, None, first, last))
    first = max(str(ed["month"].min()), str(police["month"].min()))
    last = min(str(ed["month"].max()), str(police["month"].max()))
    if first > last:
        raise NoPoints("the ED and police data share no month")
    ed = ed[(ed["month"] >= first) & (ed["month"] <= last)]
    police = police[(police["month"] >= first) & (police["month"] <= last)]
    dated_by = "day" if source == "police" else "month"
    if dated_by == "month":
        police = police.assign(date=pd.to_datetime(police["month"] + "-01"))
    ed_table = ed.assign(
        date=pd.to_datetime(ed["date"]),
        area_code=ed["incident_local_authority"].fillna("unknown"),
        date_source=ed["dated_by"],
    )
    police_table = police.assign(date=pd.to_datetime(police["date"]))[["x", "y", "date"]]
    options: dict[str, Any] = {"distance": distance, "days": days, "dated_by": dated_by}
    comparison = compare_ed_with_police(ed_table, police_table, **options)
    chance = chance_matches(ed_table, police_table, **options)
    network = network_grid(shape, size)
    grid = network.grid
    ed_counts = grid.counts(ed["x"].to_numpy(), ed["y"].to_numpy())
    police_counts = grid.counts(police["x"].to_numpy(), police["y"].to_numpy())
    if not ed_counts.any() or not police_counts.any():
        raise NoPoints("no ED assaults or no police-recorded violence inside the network's area")
    cells = hidden_hotspots(ed_counts, police_counts, minimum_ed=minimum_ed)
    cells.insert(0, "cell", grid.cell_ids)
    return CardiffResult(comparison, source, network, cells, first, last, chance, len(police_table))


def _police_source() -> str:
    try:
        points(Selection("police", VIOLENCE))
    except SelectionError:
        return "police-uk"
    return "police"


def near_repeat(
    selection: Selection,
    space_edges: Sequence[float] | None = None,
    time_edges: Sequence[int] | None = None,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int = 0,
) -> KnoxResult:
    """The Knox test on the selection's points inside the network's area: by month for
    data.police.uk (all the dating it has), by day otherwise."""
    table = points(selection)
    area = network_grid().grid
    table = table[area.locate(table["x"].to_numpy(), table["y"].to_numpy()) >= 0]
    if selection.source == "police-uk":
        times: Any = pd.PeriodIndex(table["month"], freq="M").asi8
        unit = "month"
    else:
        times = pd.to_datetime(table["date"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
        unit = "day"
    options: dict[str, Any] = {"iterations": iterations, "seed": seed, "time_unit": unit}
    if space_edges is not None:
        options["space_edges"] = space_edges
    if time_edges is not None:
        options["time_edges"] = time_edges
    return knox_test(table["x"].to_numpy(), table["y"].to_numpy(), times, **options)

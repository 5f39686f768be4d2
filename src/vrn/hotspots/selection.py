"""Which points an analysis reads: a source, a crime type or measure, and months."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vrn.analytics.measures import Period
from vrn.dashboard import store
from vrn.hotspots import queries
from vrn.web.active_definitions import active_definitions

#: The sources of points, by the name the commands take.
SOURCES = {
    "police-uk": "data.police.uk street-level crime",
    "police": "the force's crime extract",
    "ed": "emergency-department assault attendances (ISTV)",
}
DEFAULT_SOURCE = "police-uk"
DEFAULT_CRIME_TYPE = "Violence and sexual offences"


class SelectionError(ValueError):
    """The selection names something that is not loaded or not known; the message says
    what is."""


class NoPoints(SelectionError):
    """Nothing loaded matches the selection in the months chosen."""


@dataclass(frozen=True)
class Selection:
    """``source`` (a key of :data:`SOURCES`); ``crime_type``: a data.police.uk crime type
    (the force extract's offence codes map to them), None for every type; ``measure``: a
    dashboard measure id (force extract only); ``first``/``last``: ``YYYY-MM`` or None for
    every month loaded."""

    source: str = DEFAULT_SOURCE
    crime_type: str | None = DEFAULT_CRIME_TYPE
    measure: str | None = None
    first: str | None = None
    last: str | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise SelectionError(f"source: {self.source!r} is not one of {', '.join(SOURCES)}")
        if self.measure is not None and self.source != "police":
            raise SelectionError("measure: only the force extract (source police) has measures")
        if self.source == "ed" and self.crime_type is not None:
            raise SelectionError("crime type: emergency-department assaults have none (omit it)")

    @property
    def what(self) -> str:
        """In words, e.g. "Robbery (data.police.uk street-level crime)"."""
        if self.source == "ed":
            return "Assaults seen in the emergency department (ISTV)"
        name = self.measure or self.crime_type or "All crime"
        return f"{name} ({SOURCES[self.source]})"

    def period(self) -> Period | None:
        if self.first is None and self.last is None:
            return None
        first = queries.first_day(self.first or "1900-01")
        last = queries.first_day(self.last or "9999-12")
        return Period(first, last)


def points(selection: Selection) -> pd.DataFrame:
    """The selected points: ``x``, ``y`` (metres), ``month`` (``YYYY-MM``), and what the
    source has besides (``date``, ``hour`` ...). Points without a location are left out.
    :class:`SelectionError` when nothing matches, naming what is loaded."""
    period = selection.period()
    if selection.source == "police-uk":
        table = _street(selection, period)
    elif selection.source == "police":
        table = _extract(selection, period)
    else:
        table = queries.attendance_points(period)
    table = table[table["x"].notna() & table["y"].notna()].reset_index(drop=True)
    if table.empty:
        raise NoPoints(f"no {selection.what} with a location in the months chosen")
    return table


def _street(selection: Selection, period: Period | None) -> pd.DataFrame:
    types = [selection.crime_type] if selection.crime_type else None
    if selection.crime_type and selection.crime_type not in queries.street_crime_types():
        known = "; ".join(queries.street_crime_types()) or "none (no data.police.uk data loaded)"
        raise SelectionError(f"crime type: {selection.crime_type!r} is not loaded; loaded: {known}")
    return queries.street_points(types, period)


def _extract(selection: Selection, period: Period | None) -> pd.DataFrame:
    table = queries.extract_points(period)
    if selection.crime_type:
        codes = active_definitions().offence_codes.to_frame()
        types = codes.set_index("code")["police_uk_crime_type"]
        crime_types = table["offence_code"].str.strip().str.upper().map(types)
        if selection.crime_type not in set(types):
            known = "; ".join(sorted(set(types.dropna())))
            raise SelectionError(f"crime type: {selection.crime_type!r} is not one of {known}")
        table = table[crime_types == selection.crime_type]
    if selection.measure:
        events = store.current()
        if selection.measure not in events.measure_ids or events.crimes is None:
            known = ", ".join(events.measure_ids)
            raise SelectionError(f"measure: {selection.measure!r} is not one of {known}")
        crimes = events.crimes
        flagged = crimes.loc[crimes[events.measure(selection.measure).flag], "crime_id"]
        table = table[table["crime_id"].isin(set(flagged.astype(str)))]
    return table.reset_index(drop=True)

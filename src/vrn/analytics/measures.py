"""The Home Office success measures and local serious violence, counted from plain tables.

Pure (pandas, :mod:`vrn.definitions` and :mod:`vrn.analytics.stats`; no Django, no I/O):
given police crimes with the people involved, hospital admission episodes, optionally the
resident population, and a :class:`~vrn.definitions.Definitions`, :func:`compute_measures`
counts every success measure of ``success-measures.toml`` and serious violence as
``serious-violence.toml`` defines it, each overall and for under-25s, by month and by
local authority, with rates per 100,000 residents a year and 95% limits, and the share of
serious violence by under-25s that happened in a public place. Which rows count is
decided by the definitions alone, so an edited definition changes the figures without a
code change, and the result records the reference (name, version, sha256) of every
definition it used.

Input tables, one row each per

- crime (``CRIME_COLUMNS``): ``crime_id`` (unique), ``month`` (any date in the month, or
  ``"YYYY-MM"``), ``area_code`` (the local authority where it happened; blank when
  unknown), ``offence_code`` (Home Office code, as text), ``public_place``, ``domestic``,
  ``knife_or_sharp_instrument`` (yes/no, blank when unknown);
- person involved in a crime (``PERSON_COLUMNS``): ``crime_id``, ``role`` (``victim``,
  ``suspect`` or ``offender``), ``age`` (blank when unknown);
- hospital episode (``EPISODE_COLUMNS`` and ``diag_01``, ``diag_02``, ...): ``month`` of
  admission, ``area_code`` (local authority of residence), ``admission_method``,
  ``episode_order``, ``episode_status``, ``age`` at admission;
- population band of an area (``POPULATION_COLUMNS``): ``area_code``, ``age_from``,
  ``age_to`` (inclusive; blank for "and over"), ``population``.

Every table may carry a ``synthetic`` yes/no column; the result says whether any row was
synthetic. See docs/measures.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.stats import proportion, rate
from vrn.definitions import (
    DEFINITION_NAMES,
    AgeRestriction,
    DefinitionRef,
    Definitions,
    PoliceRule,
)

CRIME_COLUMNS = (
    "crime_id",
    "month",
    "area_code",
    "offence_code",
    "public_place",
    "domestic",
    "knife_or_sharp_instrument",
)
PERSON_COLUMNS = ("crime_id", "role", "age")
EPISODE_COLUMNS = (
    "month",
    "area_code",
    "admission_method",
    "episode_order",
    "episode_status",
    "age",
)
POPULATION_COLUMNS = ("area_code", "age_from", "age_to", "population")

#: Roles in the people table.
VICTIM = "victim"
PERPETRATOR_ROLES = ("suspect", "offender")

#: Ids of the serious-violence figures (the success measures keep their own ids).
SERIOUS_VIOLENCE = "serious_violence"
SERIOUS_VIOLENCE_U25 = "serious_violence_u25"
PUBLIC_PLACE_SHARE = "u25_public_place_share"

#: The under-25 focus of the serious-violence figures: band 0-24 of age-bands.toml's
#: ``under25`` scheme (the success measures carry their own age restrictions).
UNDER_25 = AgeRestriction("under25", ("0-24",))

#: Rates are per this many residents a year.
RATE_PER = 100_000

#: The bases of the public-place share: which crimes by under-25s form the denominator.
SHARE_BASES = {
    "definition": (
        "serious violence as defined, without its public-place rule (which would make the share 1)"
    ),
    "groupings": (
        "every offence in the serious-violence groupings, without the public-place and "
        "domestic rules"
    ),
}


@dataclass(frozen=True)
class Period:
    """Whole calendar months ``first`` to ``last`` (each the first day of its month)."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("a period runs from the first day of a month to that of another")
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last:%Y-%m}) before it starts")

    @classmethod
    def of(cls, first: object, last: object) -> Period:
        """From two months given as dates, timestamps or ``"YYYY-MM"`` text."""
        return cls(_month_start(first, "first month"), _month_start(last, "last month"))

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def labels(self) -> list[str]:
        """``["2024-01", "2024-02", ...]``."""
        start = pd.Period(self.first, freq="M")
        return [str(start + offset) for offset in range(self.months)]

    def as_dict(self) -> dict[str, object]:
        return {
            "first": f"{self.first:%Y-%m}",
            "last": f"{self.last:%Y-%m}",
            "months": self.months,
        }

    def __str__(self) -> str:
        return f"{self.first:%Y-%m} to {self.last:%Y-%m}"


@dataclass(frozen=True)
class Figure:
    """One counted figure: a success measure or a serious-violence figure."""

    id: str
    label: str
    data_source: str
    #: What the figure was produced with: the definitions' references.
    references: tuple[DefinitionRef, ...]
    age: AgeRestriction | None


@dataclass(frozen=True, eq=False)
class PublicPlaceShare:
    """The share of serious violence by under-25s that happened in a public place.

    ``table``: one row per base (``SHARE_BASES``): ``base``, ``description``, ``public``,
    ``offences``, ``value`` (a proportion), ``lowercl``, ``uppercl`` (95%, Wilson).
    """

    table: pd.DataFrame
    #: The ages of the suspects or offenders ("offences by those under 25").
    age: AgeRestriction
    references: tuple[DefinitionRef, ...]


@dataclass(frozen=True, eq=False)
class MeasureResult:
    """The figures, the period they cover and exactly which definitions produced them.

    Tables (pandas DataFrames, figures in the order of ``figures``):

    ``summary``
        one row per figure: ``measure``, ``label``, ``data_source``, ``count`` (every row
        counted in the period), and with a population ``count_in_areas`` (those in the
        population's areas), ``population`` (residents of the figure's ages in those
        areas), ``person_years``, ``rate`` (per 100,000 residents a year), ``lowercl``,
        ``uppercl`` (95%) and ``method``;
    ``by_month``
        ``measure``, ``month`` (``"YYYY-MM"``, every month of the period), ``count``;
    ``by_area``
        ``measure``, ``area_code`` (``None``: not known), ``count`` and, for areas of the
        population, ``population``, ``person_years``, ``rate``, ``lowercl``, ``uppercl``.

    ``public_place_share`` (with police data) is a :class:`PublicPlaceShare`.
    """

    period: Period | None
    figures: tuple[Figure, ...]
    summary: pd.DataFrame
    by_month: pd.DataFrame
    by_area: pd.DataFrame
    public_place_share: PublicPlaceShare | None
    #: Every definition the figures depend on: ``DefinitionRef.as_dict()`` each.
    definitions: tuple[dict[str, str], ...]
    #: Whether any input row was synthetic.
    synthetic: bool
    #: For each data source given: the first and last month it has rows in the period.
    coverage: Mapping[str, Period | None]
    #: Anything the reader needs to know to read the figures (e.g. no rate computed).
    notes: tuple[str, ...]

    @property
    def measure_definitions(self) -> dict[str, tuple[str, ...]]:
        """Short ids (``name@version#sha``) of the definitions behind each figure and the
        public-place share."""
        result = {
            figure.id: tuple(ref.short_id for ref in figure.references) for figure in self.figures
        }
        if self.public_place_share is not None:
            refs = self.public_place_share.references
            result[PUBLIC_PLACE_SHARE] = tuple(ref.short_id for ref in refs)
        return result

    def to_dict(self) -> dict[str, Any]:
        """The whole result as JSON-ready values (missing numbers as ``None``)."""
        measures = []
        for figure in self.figures:
            row = _records(self.summary[self.summary["measure"] == figure.id])[0]
            row.pop("measure")
            months = self.by_month[self.by_month["measure"] == figure.id]
            areas = self.by_area[self.by_area["measure"] == figure.id]
            measures.append(
                {
                    "id": figure.id,
                    **row,
                    "age": str(figure.age) if figure.age is not None else None,
                    "definitions": [ref.short_id for ref in figure.references],
                    "by_month": _records(months.drop(columns="measure")),
                    "by_area": _records(areas.drop(columns="measure")),
                }
            )
        share = None
        if self.public_place_share is not None:
            share = {
                "id": PUBLIC_PLACE_SHARE,
                "age": str(self.public_place_share.age),
                "definitions": [ref.short_id for ref in self.public_place_share.references],
                "rows": _records(self.public_place_share.table),
            }
        return {
            "period": self.period.as_dict() if self.period else None,
            "synthetic": self.synthetic,
            "definitions": [dict(ref) for ref in self.definitions],
            "coverage": {
                source: period.as_dict() if period else None
                for source, period in self.coverage.items()
            },
            "measures": measures,
            "public_place_share": share,
            "notes": list(self.notes),
        }


def police_offence_codes(definitions: Definitions) -> frozenset[str]:
    """The Home Office offence codes any police figure can count: those of the police
    success measures and of the serious-violence groupings. A query may read only crimes
    with these codes (and their people); the figures are the same."""
    codes = set(definitions.serious_violence.codes)
    for measure in definitions.success_measures.measures:
        if isinstance(measure.rule, PoliceRule):
            codes.update(measure.rule.offence_codes)
    return frozenset(codes)


def compute_measures(
    definitions: Definitions,
    *,
    crimes: pd.DataFrame | None = None,
    people: pd.DataFrame | None = None,
    episodes: pd.DataFrame | None = None,
    population: pd.DataFrame | None = None,
    first_month: object = None,
    last_month: object = None,
    under25: AgeRestriction = UNDER_25,
) -> MeasureResult:
    """Count the success measures and serious violence, with rates and the public share.

    Police figures are computed when ``crimes`` (with ``people``) are given, hospital
    figures when ``episodes`` are. Without ``first_month``/``last_month`` the period runs
    from the first to the last month with data. Rows outside the period are ignored.

    A crime counts once, whatever the number of people in it. It counts in a
    victims-under-25 measure if any of its victims is of the measure's ages, in
    ``serious_violence_u25`` if any victim, suspect or offender is under 25 ("serious
    violence by or against a person under 25 years"), and in the public-place share if
    any suspect or offender is under 25 ("serious violence offences by those under 25").
    Rates are per 100,000 residents of the figure's ages a year: the count over the
    period divided by the population times the months / 12. ``under25`` is the age
    restriction (a scheme and bands of ``age-bands.toml``) of the serious-violence figures.

    >>> from vrn.definitions import load_definitions
    >>> crimes = pd.DataFrame({"crime_id": ["C1"], "month": ["2024-01"],
    ...     "area_code": ["E06000016"], "offence_code": ["34B"], "public_place": [True],
    ...     "domestic": [False], "knife_or_sharp_instrument": [True]})
    >>> people = pd.DataFrame({"crime_id": ["C1"], "role": ["victim"], "age": [19]})
    >>> result = compute_measures(load_definitions(), crimes=crimes, people=people)
    >>> result.summary[["measure", "count"]]
                                  measure  count
    0      knife_enabled_serious_violence      1
    1  knife_enabled_serious_violence_u25      1
    2               non_domestic_homicide      0
    3     non_domestic_homicide_u25_knife      0
    4                    serious_violence      1
    5                serious_violence_u25      1
    >>> result.measure_definitions["serious_violence"]  # doctest: +ELLIPSIS
    ('serious-violence@1#...', 'offence-codes@1#...')
    """
    _check_restriction(under25, definitions)
    if crimes is not None and people is None:
        raise ValueError("people: the people table is needed with crimes (it may be empty)")
    notes: list[str] = []
    crimes = _crime_table(crimes) if crimes is not None else None
    people = _person_table(people) if people is not None else None
    episodes = _episode_table(episodes) if episodes is not None else None
    synthetic = any(
        _any_synthetic(frame) for frame in (crimes, people, episodes) if frame is not None
    )

    period = _period(first_month, last_month, crimes, episodes)
    figures: list[Figure] = []
    counted: list[pd.DataFrame] = []  # measure, month, area_code of every row counted
    coverage: dict[str, Period | None] = {}
    share: PublicPlaceShare | None = None

    if crimes is not None and people is not None:
        if period is not None:
            crimes = crimes[_in_period(crimes["month"], period)]
        people = people[people["crime_id"].isin(crimes["crime_id"])]
        coverage["police"] = _coverage(crimes["month"])
        police_figures, police_rows, share = _police(definitions, crimes, people, under25)
        figures += police_figures
        counted += police_rows
    if episodes is not None:
        if period is not None:
            episodes = episodes[_in_period(episodes["month"], period)]
        coverage["hospital"] = _coverage(episodes["month"])
        hospital_figures, hospital_rows = _hospital(definitions, episodes)
        figures += hospital_figures
        counted += hospital_rows

    if period is not None:
        for source, covered in coverage.items():
            if covered is None:
                notes.append(f"no {source} data in {period}: its figures are 0")
            elif covered != period:
                notes.append(
                    f"{source} data cover only {covered} of {period}; counts and rates for "
                    "the whole period understate"
                )
    figures = _ordered(figures, definitions)
    summary, by_month, by_area = _tables(figures, counted, period, population, definitions, notes)
    references: dict[str, DefinitionRef] = {}
    for refs in [figure.references for figure in figures] + ([share.references] if share else []):
        references.update({ref.name: ref for ref in refs})
    ordered_refs = tuple(
        references[name].as_dict() for name in DEFINITION_NAMES if name in references
    )
    return MeasureResult(
        period=period,
        figures=tuple(figures),
        summary=summary,
        by_month=by_month,
        by_area=by_area,
        public_place_share=share,
        definitions=ordered_refs,
        synthetic=synthetic,
        coverage=coverage,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- inputs


def _require(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{table}: column(s) missing: {', '.join(missing)}")


def _month_start(value: object, what: str) -> dt.date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what}: {value!r} is not a month such as 2024-01") from error
    if pd.isna(stamp):
        raise ValueError(f"{what}: a month is needed")
    return dt.date(stamp.year, stamp.month, 1)


def month_text(values: pd.Series) -> pd.Series:
    """``"YYYY-MM"`` of each value (dates, timestamps or text), each distinct value
    converted once (a column of a million crimes holds a few dozen months)."""
    distinct = pd.Series(pd.unique(values.dropna()))
    labels = pd.to_datetime(distinct).dt.strftime("%Y-%m")
    return values.map(dict(zip(distinct, labels, strict=True)))


def _timestamps(values: pd.Series) -> pd.Series:
    """``pd.to_datetime`` of each value, each distinct value converted once."""
    distinct = pd.Series(pd.unique(values.dropna()))
    stamps = pd.to_datetime(distinct)
    return pd.to_datetime(values.map(dict(zip(distinct, stamps, strict=True))))


def _months(frame: pd.DataFrame, table: str) -> pd.Series:
    """The ``month`` column as first days of months (datetime64), checked."""
    try:
        stamps = _timestamps(frame["month"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{table}: column 'month' must hold dates or YYYY-MM: {error}") from error
    if stamps.isna().any():
        row = stamps.index[stamps.isna()][0]
        raise ValueError(f"{table}: row {row}: month is missing")
    return stamps.dt.to_period("M").dt.to_timestamp()


def _area_codes(values: pd.Series) -> pd.Series:
    """Area codes as text; blank and missing become ``None`` (not known)."""
    text = values.astype("string").str.strip()
    return text.where(text.notna() & (text != ""), None).astype(object)


def _crime_table(crimes: pd.DataFrame) -> pd.DataFrame:
    _require(crimes, CRIME_COLUMNS, "crimes")
    table = crimes.copy()
    table["month"] = _months(table, "crimes")
    table["area_code"] = _area_codes(table["area_code"])
    duplicated = table["crime_id"].duplicated()
    if duplicated.any():
        crime = table.loc[duplicated, "crime_id"].iloc[0]
        raise ValueError(f"crimes: crime_id {crime!r} appears more than once")
    return table.reset_index(drop=True)


def _person_table(people: pd.DataFrame) -> pd.DataFrame:
    _require(people, PERSON_COLUMNS, "people")
    table = people.copy()
    table["role"] = table["role"].astype("string").str.strip().str.lower()
    table["age"] = pd.to_numeric(table["age"], errors="coerce")
    return table.reset_index(drop=True)


def _episode_table(episodes: pd.DataFrame) -> pd.DataFrame:
    _require(episodes, EPISODE_COLUMNS, "episodes")
    table = episodes.copy()
    table["month"] = _months(table, "episodes")
    table["area_code"] = _area_codes(table["area_code"])
    return table.reset_index(drop=True)


def _any_synthetic(frame: pd.DataFrame) -> bool:
    if "synthetic" not in frame.columns or frame.empty:
        return False
    values = frame["synthetic"]
    if pd.api.types.is_bool_dtype(values):
        return bool(values.fillna(False).any())
    text = values.astype("string").str.strip().str.lower()
    return bool(text.isin(["true", "t", "1", "yes", "y"]).any())


def _check_restriction(restriction: AgeRestriction, definitions: Definitions) -> None:
    schemes = definitions.age_bands.schemes
    if restriction.scheme not in schemes:
        raise ValueError(
            f"the under-25 restriction names scheme {restriction.scheme!r}, which is not in "
            f"{definitions.age_bands.ref.short_id} ({', '.join(schemes)})"
        )
    labels = schemes[restriction.scheme].labels
    unknown = [band for band in restriction.bands if band not in labels[:-1]]
    if unknown:
        raise ValueError(
            f"the under-25 restriction names band(s) {', '.join(unknown)}, not in scheme "
            f"{restriction.scheme} of {definitions.age_bands.ref.short_id}"
        )


def _period(
    first: object, last: object, crimes: pd.DataFrame | None, episodes: pd.DataFrame | None
) -> Period | None:
    """The months asked for; a bound not given is the data's first or last month, but
    never beyond the other bound (a period with no data is then one month long)."""
    months = [frame["month"] for frame in (crimes, episodes) if frame is not None]
    observed = pd.concat(months) if months else pd.Series([], dtype="datetime64[ns]")
    start = _month_start(first, "first month") if first is not None else None
    end = _month_start(last, "last month") if last is not None else None
    if observed.empty:
        if start is None and end is None:
            return None
        start = start or end
        end = end or start
    else:
        low = _month_start(observed.min(), "first month")
        high = _month_start(observed.max(), "last month")
        if start is None:
            start = low if end is None else min(low, end)
        if end is None:
            end = max(high, start)
    assert start is not None and end is not None
    return Period(start, end)


def _in_period(months: pd.Series, period: Period) -> pd.Series:
    return (months >= pd.Timestamp(period.first)) & (months <= pd.Timestamp(period.last))


def _coverage(months: pd.Series) -> Period | None:
    if months.empty:
        return None
    return Period(_month_start(months.min(), "month"), _month_start(months.max(), "month"))


# --------------------------------------------------------------------------- figures


def _counted(figure_id: str, rows: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    chosen = rows.loc[mask.to_numpy(dtype=bool), ["month", "area_code"]]
    return chosen.assign(measure=figure_id)


def police_masks(
    definitions: Definitions,
    crimes: pd.DataFrame,
    people: pd.DataFrame,
    under25: AgeRestriction = UNDER_25,
) -> dict[str, pd.Series]:
    """Which crimes each police figure counts: figure id -> boolean Series aligned with
    ``crimes`` (the crime and people tables of :func:`compute_measures`, already
    normalised). The one place that decides it: :func:`compute_measures` counts these
    masks, and the dashboard filters crimes by them."""
    masks: dict[str, pd.Series] = {}
    # One row per crime and victim (a crime without victims once, its victim age unknown):
    # a measure's own mask, any row of a crime counting, counts the crime once.
    victims = people.loc[people["role"] == VICTIM, ["crime_id", "age"]]
    by_victim = crimes.merge(
        victims.rename(columns={"age": "victim_age"}), on="crime_id", how="left"
    )
    for measure in definitions.success_measures.measures:
        if measure.data_source != "police":
            continue
        mask = definitions.measure_mask(measure.id, by_victim)
        counts = mask.groupby(by_victim["crime_id"].to_numpy(), sort=False).any()
        masks[measure.id] = crimes["crime_id"].map(counts).fillna(False).astype(bool)
    serious = definitions.serious_violence
    sv = serious.mask(crimes, public_place="public_place", domestic="domestic")
    young = people[under25.mask(people["age"], definitions.age_bands)]
    involving_u25 = crimes["crime_id"].isin(
        young.loc[young["role"].isin([VICTIM, *PERPETRATOR_ROLES]), "crime_id"]
    )
    masks[SERIOUS_VIOLENCE] = sv.astype(bool)
    masks[SERIOUS_VIOLENCE_U25] = (sv & involving_u25).astype(bool)
    return masks


def hospital_masks(definitions: Definitions, episodes: pd.DataFrame) -> dict[str, pd.Series]:
    """Which episodes each hospital figure counts (figure id -> boolean Series aligned
    with ``episodes``, the normalised episode table of :func:`compute_measures`)."""
    return {
        measure.id: definitions.measure_mask(measure.id, episodes).astype(bool)
        for measure in definitions.success_measures.measures
        if measure.data_source == "hospital"
    }


def normalised_police_tables(
    crimes: pd.DataFrame, people: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The crime and people tables as :func:`compute_measures` reads them (checked,
    months as dates, area codes as text or None, roles lower case, ages numeric)."""
    return _crime_table(crimes), _person_table(people)


def normalised_episode_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """The episode table as :func:`compute_measures` reads it."""
    return _episode_table(episodes)


def _police(
    definitions: Definitions,
    crimes: pd.DataFrame,
    people: pd.DataFrame,
    under25: AgeRestriction,
) -> tuple[list[Figure], list[pd.DataFrame], PublicPlaceShare]:
    masks = police_masks(definitions, crimes, people, under25)
    figures: list[Figure] = []
    rows: list[pd.DataFrame] = []
    for measure in definitions.success_measures.measures:
        if measure.data_source != "police":
            continue
        figures.append(
            Figure(
                measure.id,
                measure.label,
                "police",
                definitions.measure_references(measure.id),
                measure.age,
            )
        )
        rows.append(_counted(measure.id, crimes, masks[measure.id]))

    serious = definitions.serious_violence
    figures.append(
        Figure(
            SERIOUS_VIOLENCE,
            "Serious violence",
            "police",
            _serious_violence_references(definitions, with_ages=False),
            None,
        )
    )
    rows.append(_counted(SERIOUS_VIOLENCE, crimes, masks[SERIOUS_VIOLENCE]))
    figures.append(
        Figure(
            SERIOUS_VIOLENCE_U25,
            "Serious violence by or against a person under 25",
            "police",
            _serious_violence_references(definitions, with_ages=True),
            under25,
        )
    )
    rows.append(_counted(SERIOUS_VIOLENCE_U25, crimes, masks[SERIOUS_VIOLENCE_U25]))

    young = people[under25.mask(people["age"], definitions.age_bands)]
    by_u25 = crimes["crime_id"].isin(young.loc[young["role"].isin(PERPETRATOR_ROLES), "crime_id"])
    public = _flag(crimes["public_place"])
    bases = {
        "definition": replace(serious, public_place_only=False),
        "groupings": replace(
            serious, public_place_only=False, exclude_domestic=False, exclude_sexual_offences=False
        ),
    }
    share_rows = []
    for base, definition in bases.items():
        eligible = definition.mask(crimes, public_place="public_place", domestic="domestic")
        eligible &= by_u25
        share_rows.append(
            {
                "base": base,
                "description": SHARE_BASES[base],
                "public": int((eligible & public).sum()),
                "offences": int(eligible.sum()),
            }
        )
    share = PublicPlaceShare(
        _share_table(pd.DataFrame(share_rows)),
        under25,
        _serious_violence_references(definitions, with_ages=True),
    )
    return figures, rows, share


def _flag(values: pd.Series) -> pd.Series:
    """Yes/no values as bool, unknown as False."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    text = values.astype("string").str.strip().str.lower()
    return text.isin(["true", "t", "1", "yes", "y"]).fillna(False).astype(bool)


def _share_table(counts: pd.DataFrame) -> pd.DataFrame:
    table = counts.copy()
    table["value"] = np.nan
    table["lowercl"] = np.nan
    table["uppercl"] = np.nan
    known = table["offences"] > 0
    if known.any():
        result = proportion(table.loc[known], "public", "offences")
        for column in ("value", "lowercl", "uppercl"):
            table.loc[known, column] = result[column].to_numpy()
    return table


def _serious_violence_references(
    definitions: Definitions, *, with_ages: bool
) -> tuple[DefinitionRef, ...]:
    """The definitions a serious-violence figure depends on: the definition, the offence
    codes it was checked against, and the age bands when under-25s are picked out."""
    names = ("serious-violence", "offence-codes", *(("age-bands",) if with_ages else ()))
    return definitions.references(*names)


def _hospital(
    definitions: Definitions, episodes: pd.DataFrame
) -> tuple[list[Figure], list[pd.DataFrame]]:
    masks = hospital_masks(definitions, episodes)
    figures: list[Figure] = []
    rows: list[pd.DataFrame] = []
    for measure in definitions.success_measures.measures:
        if measure.id not in masks:
            continue
        figures.append(
            Figure(
                measure.id,
                measure.label,
                "hospital",
                definitions.measure_references(measure.id),
                measure.age,
            )
        )
        rows.append(_counted(measure.id, episodes, masks[measure.id]))
    return figures, rows


def _ordered(figures: list[Figure], definitions: Definitions) -> list[Figure]:
    """Success measures in the file's order, then the serious-violence figures."""
    order = {measure_id: i for i, measure_id in enumerate(definitions.success_measures.ids)}
    order[SERIOUS_VIOLENCE] = len(order)
    order[SERIOUS_VIOLENCE_U25] = len(order)
    return sorted(figures, key=lambda figure: order[figure.id])


# --------------------------------------------------------------------------- tables


def _tables(
    figures: list[Figure],
    counted: list[pd.DataFrame],
    period: Period | None,
    population: pd.DataFrame | None,
    definitions: Definitions,
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ids = [figure.id for figure in figures]
    rows = (
        pd.concat(counted, ignore_index=True)
        if counted
        else pd.DataFrame({"measure": [], "month": [], "area_code": []})
    )
    labels = period.labels if period is not None else []

    labels_of_rows = month_text(rows["month"]) if len(rows) else rows["month"]
    monthly = rows.assign(month=labels_of_rows).groupby(["measure", "month"]).size()
    grid = pd.MultiIndex.from_product([ids, labels], names=["measure", "month"])
    by_month = monthly.reindex(grid, fill_value=0).rename("count").reset_index()

    areas = (
        rows.assign(area_code=rows["area_code"].fillna("")).groupby(["measure", "area_code"]).size()
    )
    residents = _residents(figures, population, definitions, notes)
    area_codes = sorted(set(areas.index.get_level_values(1)) - {""})
    if residents is not None:
        area_codes = sorted(set(area_codes) | set(residents.columns))
    has_unknown = "" in set(areas.index.get_level_values(1))
    area_grid = pd.MultiIndex.from_product(
        [ids, [*area_codes, *([""] if has_unknown else [])]], names=["measure", "area_code"]
    )
    by_area = areas.reindex(area_grid, fill_value=0).rename("count").reset_index()

    summary = pd.DataFrame(
        {
            "measure": ids,
            "label": [figure.label for figure in figures],
            "data_source": [figure.data_source for figure in figures],
            "count": rows.groupby("measure").size().reindex(ids, fill_value=0).to_numpy(int),
        }
    )
    if residents is not None and period is not None:
        residents = residents.reindex(index=ids)  # figures without a rate: all NaN
        stacked = residents.stack(future_stack=True)
        keys = pd.MultiIndex.from_arrays([by_area["measure"], by_area["area_code"]])
        by_area["population"] = stacked.reindex(keys).to_numpy(dtype=float)
        by_area = _rates(by_area, period)
        in_areas = by_area[by_area["area_code"].isin(residents.columns)]
        summary["count_in_areas"] = (
            in_areas.groupby("measure")["count"].sum().reindex(ids, fill_value=0).to_numpy(int)
        )
        summary["population"] = residents.sum(axis=1, min_count=1).to_numpy(dtype=float)
        summary = _rates(summary, period, count="count_in_areas")
    by_area["area_code"] = by_area["area_code"].where(by_area["area_code"] != "", None)
    by_area["count"] = by_area["count"].astype(int)
    by_month["count"] = by_month["count"].astype(int)
    return summary, by_month, by_area


def _rates(table: pd.DataFrame, period: Period, count: str = "count") -> pd.DataFrame:
    """Add person-years and the rate per 100,000 a year with 95% limits where the
    population is known and positive."""
    table = table.copy()
    table["person_years"] = table["population"] * period.months / 12
    for column in ("rate", "lowercl", "uppercl"):
        table[column] = np.nan
    table["method"] = None
    usable = table["person_years"].notna() & (table["person_years"] > 0)
    if usable.any():
        result = rate(table.loc[usable], count, "person_years", multiplier=RATE_PER)
        table.loc[usable, "rate"] = result["value"].to_numpy()
        table.loc[usable, "lowercl"] = result["lowercl"].to_numpy()
        table.loc[usable, "uppercl"] = result["uppercl"].to_numpy()
        table.loc[usable, "method"] = result["method"].to_numpy()
    return table


def _residents(
    figures: list[Figure],
    population: pd.DataFrame | None,
    definitions: Definitions,
    notes: list[str],
) -> pd.DataFrame | None:
    """Residents of each figure's ages by area (figures x areas), or ``None`` without a
    population. A figure whose ages the population's bands cannot give gets no rate."""
    if population is None:
        return None
    _require(population, POPULATION_COLUMNS, "population")
    table = population.copy()
    table["area_code"] = _area_codes(table["area_code"])
    table = table[table["area_code"].notna()]
    table["age_from"] = pd.to_numeric(table["age_from"], errors="raise")
    table["age_to"] = pd.to_numeric(table["age_to"], errors="coerce")
    table["population"] = pd.to_numeric(table["population"], errors="raise")
    # Open-ended bands ("65 and over") have no age_to; -1 stands for it in the keys.
    keys = list(zip(table["age_from"], table["age_to"].fillna(-1), strict=True))
    result: dict[str, pd.Series] = {}
    for figure in figures:
        if figure.age is None:
            keep = [True] * len(keys)
        else:
            age = figure.age
            verdicts = {key: _band_inside(age, *key, definitions) for key in set(keys)}
            partial = sorted(key for key, verdict in verdicts.items() if verdict is None)
            if partial:
                notes.append(
                    f"{figure.id}: no rate, since the population's age bands "
                    f"({', '.join(_band_label(*key) for key in partial)}) straddle its ages "
                    f"({figure.age})"
                )
                continue
            keep = [bool(verdicts[key]) for key in keys]
        result[figure.id] = table[keep].groupby("area_code")["population"].sum()
    areas = sorted(set(table["area_code"]))
    frame = pd.DataFrame(result, index=areas, dtype=float).T
    return frame.reindex(columns=areas)


def _band_inside(
    restriction: AgeRestriction, lower: float, upper: float, definitions: Definitions
) -> bool | None:
    """Whether the ages ``lower`` to ``upper`` (-1: and over) are all in the restriction
    (True), none are (False), or some are (None)."""
    scheme = definitions.age_bands[restriction.scheme]
    top = math.inf if upper < 0 else upper
    touched = [
        band.label in restriction.bands
        for band in scheme.bands
        if band.lower <= top and (band.upper is None or band.upper >= lower)
    ]
    if all(touched):
        return True
    if not any(touched):
        return False
    return None


def _band_label(lower: float, upper: float) -> str:
    return f"{lower:g}+" if upper < 0 else f"{lower:g}-{upper:g}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (NaN and NA as ``None``)."""
    records = []
    for row in frame.to_dict(orient="records"):
        records.append({str(key): _plain(value) for key, value in row.items()})
    return records


def _plain(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return None if math.isnan(number) else number
    return value

"""The dashboard's data: every event of the network, with the success-measure flags.

Built once per state of the loaded data from the problem profile's inputs for the whole
network (:class:`vrn.analytics.findings.ProfileInputs`), so the dashboard counts what the
profile counts. Each crime (and each victim and perpetrator, through their crime) carries
one boolean column per police figure, and each violence-related admission one per
hospital figure, from :func:`vrn.analytics.measures.police_masks` and
:func:`~vrn.analytics.measures.hospital_masks`: the same decision
:func:`~vrn.analytics.measures.compute_measures` counts. The figures themselves (for the
network and each area given) are ``compute_measures`` results, kept beside the events
for the headline tiles and the measure pages.

Text columns become pandas categoricals, so that a force's five years (about 600,000
crimes and their people) fit in memory and filter in milliseconds. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.findings import deprivation, indicators
from vrn.analytics.findings.base import NotComputed
from vrn.analytics.findings.inputs import ProfileInputs, Scope
from vrn.analytics.findings.registry import Computed, compute_all
from vrn.analytics.findings.success import episode_table, measures, police_tables
from vrn.analytics.measures import (
    MeasureResult,
    Period,
    hospital_masks,
    normalised_episode_table,
    normalised_police_tables,
    police_masks,
)
from vrn.definitions import Definitions

#: The measure that counts every crime of the force extract located in the area.
ALL_CRIME = "all_crime"
#: The findings of the risk factors page: the indicators against England and the
#: deprivation gradient.
RISK_FINDINGS = frozenset({*indicators.FINDINGS, *deprivation.FINDINGS})
#: Prefix of the flag columns (``measure:serious_violence``).
FLAG = "measure:"
#: The age-band scheme of the dashboard's age dimensions (as the profile's).
AGE_SCHEME = "sna"
#: Columns kept as categoricals (text with few distinct values).
CATEGORICAL = (
    "crime_group",
    "offence",
    "weapon",
    "injury",
    "month",
    "lsoa",
    "ward",
    "local_authority",
    "csp",
    "victim_age_band",
    "victim_sex",
    "victim_residence",
    "suspect_age_band",
    "suspect_sex",
    "suspect_residence",
    "role",
    "cause",
)


@dataclass(frozen=True)
class MeasureInfo:
    """A measure the dashboard can show: a success measure, serious violence, or all
    crime; ``source`` is ``police`` or ``hospital``."""

    id: str
    label: str
    source: str
    #: The age restriction in words ("0-24"), if any.
    age: str | None
    #: ``name@version#sha`` of the definitions behind it.
    definitions: tuple[str, ...]

    @property
    def flag(self) -> str:
        return FLAG + self.id


@dataclass(frozen=True, eq=False)
class DashboardEvents:
    """The network's events over ``period`` with the measure flags, and the measures'
    results for the network (key ``""``) and each area of ``areas``."""

    period: Period
    scope: Scope
    measures: tuple[MeasureInfo, ...]
    crimes: pd.DataFrame | None
    victims: pd.DataFrame | None
    perpetrators: pd.DataFrame | None
    admissions: pd.DataFrame | None
    #: Residents of each LSOA (all ages) with its location dimensions.
    population: pd.DataFrame
    synthetic: bool
    results: Mapping[str, MeasureResult] = field(default_factory=dict)
    #: The risk-factor and deprivation findings of the network ("") and each CSP.
    risk: Mapping[str, Computed] = field(default_factory=dict)
    #: Every definition in force: ``DefinitionRef.as_dict()`` each.
    definitions: tuple[dict[str, str], ...] = ()
    #: Each dataset read: ``dataset``, ``rows``, ``first`` and ``last`` month (``YYYY-MM``
    #: or None), ``synthetic`` (see ``vrn.profile.publish.sources_of``).
    sources: tuple[dict[str, Any], ...] = ()

    def measure(self, measure_id: str) -> MeasureInfo:
        for info in self.measures:
            if info.id == measure_id:
                return info
        raise KeyError(measure_id)

    @property
    def measure_ids(self) -> tuple[str, ...]:
        return tuple(info.id for info in self.measures)


def events_from_inputs(
    inputs: ProfileInputs,
    areas: Mapping[str, Sequence[str]] = {},
    sources: Sequence[dict[str, Any]] = (),
) -> DashboardEvents:
    """The dashboard's events from the network's profile inputs; ``areas`` (code ->
    local authority codes) are the areas whose measures are computed besides the
    network's; ``sources`` describe the datasets read. Raises
    :class:`~vrn.analytics.findings.NotComputed` when no measure can be counted (no crime
    extract or admissions in the network)."""
    definitions = inputs.definitions
    network = measures(inputs)
    results: dict[str, MeasureResult] = {"": network}
    risk: dict[str, Computed] = {"": compute_all(inputs, only=RISK_FINDINGS.__contains__)}
    for code, authorities in areas.items():
        within = _within(inputs, code, authorities)
        try:
            results[code] = measures(within)
        except NotComputed:
            continue  # nothing counted in this area: it is not offered
        if code in inputs.scope.csp_names:
            risk[code] = compute_all(within, only=RISK_FINDINGS.__contains__)
    infos = _infos(network, definitions)
    crimes, victims, perpetrators = _police_events(inputs)
    admissions = _admission_events(inputs)
    population = (
        inputs.population.groupby(
            ["lsoa", "ward", "local_authority", "csp", "imd_decile"], observed=True, dropna=False
        )["residents"]
        .sum()
        .reset_index()
    )
    return DashboardEvents(
        period=inputs.period,
        scope=inputs.scope,
        measures=infos,
        crimes=crimes,
        victims=victims,
        perpetrators=perpetrators,
        admissions=admissions,
        population=_compact(population),
        synthetic=inputs.synthetic,
        results=results,
        risk=risk,
        definitions=tuple(ref.as_dict() for ref in definitions.refs.values()),
        sources=tuple(sources),
    )


def _infos(network: MeasureResult, definitions: Definitions) -> tuple[MeasureInfo, ...]:
    shorts = network.measure_definitions
    infos = [
        MeasureInfo(
            figure.id,
            figure.label,
            figure.data_source,
            ", ".join(figure.age.bands) if figure.age is not None else None,
            shorts[figure.id],
        )
        for figure in network.figures
    ]
    if any(info.source == "police" for info in infos):
        infos.append(
            MeasureInfo(
                ALL_CRIME,
                "All crime recorded in the force extract",
                "police",
                None,
                (definitions.refs["offence-codes"].short_id,),
            )
        )
    return tuple(infos)


def _within(inputs: ProfileInputs, code: str, authorities: Sequence[str]) -> ProfileInputs:
    """The inputs of one area of the network (its authorities' events and residents)."""
    chosen = set(authorities)
    names = {c: n for c, n in inputs.scope.local_authorities.items() if c in chosen}
    kind = "csp" if code in inputs.scope.csp_names else "local_authority"
    scope = replace(
        inputs.scope,
        code=code,
        name=inputs.scope.name_of(code),
        kind=kind,
        local_authorities=names,
        counties={},
    )

    def part(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        return frame[frame["local_authority"].isin(chosen)]

    return replace(
        inputs,
        scope=scope,
        population=inputs.population[inputs.population["local_authority"].isin(chosen)],
        crimes=part(inputs.crimes),
        victims=part(inputs.victims),
        perpetrators=part(inputs.perpetrators),
        admissions=part(inputs.admissions),
        cache={},
    )


def _police_events(
    inputs: ProfileInputs,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    """Crimes located in the network with the measure flags, and their victims and
    perpetrators, each with ``crime_row``: the position of their crime in the crimes frame
    (where its flags are)."""
    crime_table, people = police_tables(inputs, [])
    if crime_table is None or people is None or inputs.crimes is None:
        return None, None, None
    table, people_table = normalised_police_tables(crime_table, people)
    masks = police_masks(inputs.definitions, table, people_table)
    flags = pd.DataFrame({FLAG + k: v.to_numpy() for k, v in masks.items()})
    flags[FLAG + ALL_CRIME] = True
    flags["crime_id"] = table["crime_id"].to_numpy()
    located = inputs.crimes[inputs.crimes["crime_id"].isin(table["crime_id"])]
    crimes = _compact(located.merge(flags, on="crime_id", how="left", validate="one_to_one"))
    row_of = pd.Series(np.arange(len(crimes), dtype=np.int64), index=crimes["crime_id"])

    def people_of(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        rows = frame["crime_id"].map(row_of)
        kept = frame.loc[rows.notna()].drop(columns=["person_key", "crime_id"], errors="ignore")
        kept["crime_row"] = rows.dropna().to_numpy(dtype=np.int64)
        return _compact(kept)

    return crimes, people_of(inputs.victims), people_of(inputs.perpetrators)


def _admission_events(inputs: ProfileInputs) -> pd.DataFrame | None:
    """Admissions of the network's residents, with the age and sex dimensions named as
    the victim's (the patient is the victim of the assault), flagged."""
    table = episode_table(inputs, [])
    if table is None or inputs.admissions is None:
        return None
    masks = hospital_masks(inputs.definitions, normalised_episode_table(table))
    chosen = inputs.admissions.loc[table.index]
    keep = [
        column
        for column in chosen.columns
        if not str(column).startswith("diag_") and column not in ("person_key",)
    ]
    frame = chosen[keep].reset_index(drop=True)
    frame["victim_age_band"] = inputs.definitions.age_bands.assign(
        AGE_SCHEME, frame["age"]
    ).to_numpy()
    frame["victim_sex"] = frame["sex"]
    for key, mask in masks.items():
        frame[FLAG + key] = mask.to_numpy()
    return _compact(frame)


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns of :data:`CATEGORICAL` as categoricals; the index reset."""
    result = frame.reset_index(drop=True)
    for column in CATEGORICAL:
        if column in result.columns and not isinstance(result[column].dtype, pd.CategoricalDtype):
            result[column] = result[column].astype("category")
    return result

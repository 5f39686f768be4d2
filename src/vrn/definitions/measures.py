"""The Home Office success measures, each a rule written with the other definitions.

A hospital measure names an ICD-10 code set of ``hospital.toml`` and which episodes count;
a police measure lists Home Office offence codes and whether a knife or sharp instrument
must be involved and domestic crimes left out. An under-25 variant names its parent
(``variant_of``), inherits its rule and adds an age restriction from ``age-bands.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from vrn.definitions import _frames
from vrn.definitions._files import DefinitionRef, Header, Table, open_definition
from vrn.definitions.ages import AgeBands, AgeRestriction, parse_age_restriction
from vrn.definitions.hospital import AdmissionRule, EpisodeColumns, HospitalDefinitions
from vrn.definitions.offences import OffenceCodes, normalise_offence_code

DATA_SOURCES = ("hospital", "police")


@dataclass(frozen=True)
class PoliceRule:
    """Crimes with one of ``offence_codes``; optionally only those flagged as involving a
    knife or sharp instrument, and optionally not those flagged domestic."""

    offence_codes: tuple[str, ...]
    knife_or_sharp_instrument: bool
    exclude_domestic: bool


@dataclass(frozen=True)
class CrimeColumns:
    """Column names of a table of police recorded crimes (one row per crime)."""

    offence_code: str = "offence_code"
    public_place: str = "public_place"
    domestic: str = "domestic"
    sexual: str | None = None
    knife_or_sharp_instrument: str = "knife_or_sharp_instrument"
    victim_age: str = "victim_age"


@dataclass(frozen=True)
class SuccessMeasure:
    id: str
    label: str
    description: str
    data_source: str
    quote: str
    rule: AdmissionRule | PoliceRule
    age: AgeRestriction | None = None
    variant_of: str | None = None

    @property
    def depends_on(self) -> tuple[str, ...]:
        """The definitions (by name) a result of this measure was produced with."""
        names = [
            "success-measures",
            "hospital" if self.data_source == "hospital" else "offence-codes",
        ]
        if self.age is not None:
            names.append("age-bands")
        return tuple(names)


@dataclass(frozen=True)
class SuccessMeasures:
    header: Header
    ref: DefinitionRef
    measures: tuple[SuccessMeasure, ...]

    def __getitem__(self, measure_id: str) -> SuccessMeasure:
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise KeyError(measure_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(measure.id for measure in self.measures)


def police_measure_mask(
    measure: SuccessMeasure,
    crimes: pd.DataFrame,
    age_bands: AgeBands,
    columns: CrimeColumns | None = None,
) -> pd.Series:
    """Boolean Series: the crimes a police measure counts.

    A missing knife flag does not count as a knife crime; a missing domestic flag counts
    as not domestic; a missing victim age is outside any age restriction.
    """
    if not isinstance(measure.rule, PoliceRule):
        raise ValueError(f"{measure.id} is a {measure.data_source} measure, not a police one")
    columns = columns or CrimeColumns()
    rule = measure.rule
    purpose = f"measure {measure.id}"
    codes = _frames.offence_codes(crimes, columns.offence_code, purpose)
    mask = codes.isin(rule.offence_codes).fillna(False)
    if rule.knife_or_sharp_instrument:
        mask &= _frames.flag(crimes, columns.knife_or_sharp_instrument, purpose).fillna(False)
    if rule.exclude_domestic:
        mask &= ~_frames.flag(crimes, columns.domestic, purpose).fillna(False)
    if measure.age is not None:
        ages = _frames.column(crimes, columns.victim_age, purpose)
        mask &= measure.age.mask(ages, age_bands)
    return mask.astype(bool)


def hospital_measure_mask(
    measure: SuccessMeasure,
    episodes: pd.DataFrame,
    hospital: HospitalDefinitions,
    age_bands: AgeBands,
    columns: EpisodeColumns | None = None,
) -> pd.Series:
    """Boolean Series: the hospital episodes a hospital measure counts (age at admission)."""
    if not isinstance(measure.rule, AdmissionRule):
        raise ValueError(f"{measure.id} is a {measure.data_source} measure, not a hospital one")
    columns = columns or EpisodeColumns()
    mask = hospital.admissions(measure.rule, episodes, columns)
    if measure.age is not None:
        ages = _frames.column(episodes, columns.age, f"measure {measure.id}")
        mask &= measure.age.mask(ages, age_bands)
    return mask.astype(bool)


def parse_success_measures(
    path: Path, offences: OffenceCodes, hospital: HospitalDefinitions, age_bands: AgeBands
) -> SuccessMeasures:
    definition = open_definition(path, "success-measures")
    body = definition.body
    measures: dict[str, SuccessMeasure] = {}
    for table in body.tables("measure"):
        measure_id = table.identifier("id")
        if measure_id in measures:
            table.fail("id", f"measure {measure_id!r} appears twice")
        parent: SuccessMeasure | None = None
        variant_of = table.optional_text("variant_of")
        if variant_of is not None:
            if variant_of not in measures:
                table.fail("variant_of", f"{variant_of!r} is not a measure listed before this one")
            parent = measures[variant_of]
        if parent is None:
            data_source = table.choice("data_source", DATA_SOURCES)
            quote = table.text("quote")
        else:
            data_source = table.choice("data_source", DATA_SOURCES, default=parent.data_source)
            if data_source != parent.data_source:
                table.fail("data_source", f"differs from {parent.id}'s ({parent.data_source})")
            quote = table.optional_text("quote") or parent.quote
        rule: AdmissionRule | PoliceRule
        if data_source == "hospital":
            rule = _hospital_rule(table, hospital, parent)
        else:
            rule = _police_rule(table, offences, parent)
        age_table = table.optional_table("age")
        age = parse_age_restriction(age_table, age_bands) if age_table else None
        if age is None and parent is not None:
            age = parent.age
        measures[measure_id] = SuccessMeasure(
            id=measure_id,
            label=table.text("label"),
            description=table.text("description"),
            data_source=data_source,
            quote=quote,
            rule=rule,
            age=age,
            variant_of=variant_of,
        )
        table.done()
    if not measures:
        body.fail("measure", "at least one [[measure]] is needed")
    body.done()
    return SuccessMeasures(
        header=definition.header, ref=definition.ref(), measures=tuple(measures.values())
    )


def _hospital_rule(
    table: Table, hospital: HospitalDefinitions, parent: SuccessMeasure | None
) -> AdmissionRule:
    base = parent.rule if parent is not None else None
    assert base is None or isinstance(base, AdmissionRule)
    code_set = table.optional_text("code_set") or (base.code_set if base else None)
    if code_set is None:
        table.fail("code_set", "is missing (an ICD-10 code set named in hospital.toml)")
    if code_set not in hospital.code_sets:
        table.fail(
            "code_set",
            f"{code_set!r} is not a code set in hospital.toml ({', '.join(hospital.code_sets)})",
        )
    emergency = table.flag("emergency_only", default=base.emergency_only if base else None)
    first = table.flag(
        "first_finished_episode_only",
        default=base.first_finished_episode_only if base else None,
    )
    return AdmissionRule(code_set, emergency, first)


def _police_rule(table: Table, offences: OffenceCodes, parent: SuccessMeasure | None) -> PoliceRule:
    base = parent.rule if parent is not None else None
    assert base is None or isinstance(base, PoliceRule)
    if table.has("offence_codes") or base is None:
        codes = []
        for position, written in enumerate(table.texts("offence_codes")):
            code = normalise_offence_code(written)
            if code not in offences:
                table.fail(
                    f"offence_codes[{position}]",
                    f"offence code {written!r} is not in offence-codes ({offences.table_file})",
                )
            if code in codes:
                table.fail(f"offence_codes[{position}]", f"offence code {code} is listed twice")
            codes.append(code)
        if not codes:
            table.fail("offence_codes", "is empty")
        rule = PoliceRule(tuple(codes), False, False)
    else:
        rule = base
    return replace(
        rule,
        knife_or_sharp_instrument=table.flag(
            "knife_or_sharp_instrument",
            default=base.knife_or_sharp_instrument if base else False,
        ),
        exclude_domestic=table.flag(
            "exclude_domestic", default=base.exclude_domestic if base else False
        ),
    )

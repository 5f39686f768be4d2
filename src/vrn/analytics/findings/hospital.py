"""Findings on violence-related hospital admissions and emergency-department attendances.

Admissions (``inputs.admissions``) are one row per violence-related admission as the
hospital definition counts them (the data layer applies its episode rules); their cause
group and condition flags are the definition's too. Every admission finding is of the
area's residents: admissions whose local authority of residence is one of the scope's
(the others are left out and counted in a note). Ids match the synthetic world's
``truth.json`` where a finding has a planted counterpart, and each estimates exactly the
quantity the truth file describes (see ``vrn.synth.truth``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vrn.analytics.findings.base import (
    DAYS,
    PROPORTION,
    WILSON,
    Estimate,
    Finding,
    NotComputed,
    design_effect,
    interval_text,
    number,
    percent,
    share,
    significance_of,
)
from vrn.analytics.findings.inputs import ProfileInputs, slug
from vrn.analytics.measures import UNDER_25
from vrn.analytics.stats import compare_with_benchmark, mean, proportion

STUDENT_T = "Student's t-distribution (mean -/+ t(n-1) x standard error)"
CLUSTERED = (
    "Wilson score interval on the effective sample size: attendances of the same person "
    "(by person key) are not independent, so the sample is divided by the design effect "
    "(Kish)"
)
#: The topic of every finding here.
TOPIC = "hospital"
#: Words of compare_with_benchmark's categories as base.significance_of says them.
SIGNIFICANCE_WORDS = {"Higher": "higher", "Lower": "lower", "Similar": "not significant"}
NOT_KNOWN = "not known"
ADMISSIONS_WHAT = "violence-related hospital admissions (admissions)"
ATTENDANCES_WHAT = "emergency-department assault attendances (istv)"


def _admission_rule(inputs: ProfileInputs) -> str:
    hospital = inputs.definitions.hospital
    violence = hospital.code_set(hospital.violence_related_admission.code_set)
    return (
        f"violence-related admissions (hospital definition {hospital.ref.short_id}: "
        f"{violence.label} in any diagnosis position, emergency admission method, first "
        "finished episode of the spell)"
    )


@dataclass(frozen=True, eq=False)
class Residents:
    """The admissions of the scope's residents, and how many others were left out."""

    rows: pd.DataFrame
    left_out: int

    def notes(self, count: Callable[[float], str]) -> tuple[str, ...]:
        """A note of those left out, their number shown by ``count`` (the policy's)."""
        if not self.left_out:
            return ()
        return (
            f"{count(self.left_out)} admissions of people living outside the area, or whose "
            "local authority of residence is not known, are left out.",
        )


def _residents(inputs: ProfileInputs) -> Residents:
    """Admissions of residents of the scope's local authorities."""
    admissions = inputs.need("admissions", ADMISSIONS_WHAT)
    inside = admissions["local_authority"].isin(list(inputs.scope.local_authorities))
    rows = admissions[inside.fillna(False).astype(bool)]
    if rows.empty:
        raise NotComputed(
            f"no violence-related admission of a resident of {inputs.scope.name} is loaded "
            f"for {inputs.period}"
        )
    return Residents(rows, int((~inside).sum()))


def _area_name(inputs: ProfileInputs, code: object) -> str:
    return inputs.scope.name_of(code) if isinstance(code, str) and code else NOT_KNOWN


@dataclass(frozen=True)
class Area:
    """An area findings are given for: the scope, one of its local authorities or a
    county (a group of them)."""

    name: str
    kind: str
    codes: tuple[str, ...]


def _areas(inputs: ProfileInputs) -> Iterator[Area]:
    """The scope itself, then each local authority, then each county of the scope. A scope
    of one local authority (a CSP of one authority) is that authority, given once."""
    scope = inputs.scope
    codes = tuple(scope.local_authorities)
    if len(codes) == 1:
        yield Area(scope.name, "local_authority", codes)
    else:
        yield Area(scope.name, scope.kind, codes)
        for code, name in scope.local_authorities.items():
            yield Area(name, "local_authority", (code,))
    for name, members in scope.counties.items():
        yield Area(name, "county", tuple(members))


def _shares(table: pd.DataFrame, x: str, n: str) -> pd.DataFrame:
    """``value``, ``lowercl``, ``uppercl`` (Wilson) of ``x / n`` for rows with ``n > 0``
    (missing elsewhere), added to a copy of ``table``."""
    table = table.reset_index(drop=True).copy()
    for column in ("value", "lowercl", "uppercl"):
        table[column] = np.nan
    usable = table[n] > 0
    if usable.any():
        result = proportion(table.loc[usable], x, n)
        for column in ("value", "lowercl", "uppercl"):
            table.loc[usable, column] = result[column].to_numpy()
    return table


def _compared(table: pd.DataFrame) -> pd.DataFrame:
    """``comparison`` of each row's limits with its ``benchmark`` (compare_with_benchmark)."""
    result = compare_with_benchmark(table, "benchmark")
    result["comparison"] = result["comparison"].astype(str)
    return result


# --------------------------------------------------------------------------- conditions


def admissions_condition_shares(inputs: ProfileInputs) -> list[Finding]:
    """For each condition flag of the hospital definition, the share of violence-related
    admissions with it: ``admissions_{flag}_share``."""
    residents = _residents(inputs)
    admissions = residents.rows
    hospital = inputs.definitions.hospital
    total = len(admissions)
    rule = _admission_rule(inputs)
    findings = []
    for flag in hospital.conditions:
        if flag.id not in admissions.columns:
            raise NotComputed(f"the admissions have no {flag.id} flag")
        flagged = admissions[flag.id].fillna(False).astype(bool)
        count = int(flagged.sum())
        estimate = share(count, total)
        by_area = (
            pd.DataFrame(
                {
                    "local_authority": admissions["local_authority"].to_numpy(),
                    "count": flagged.to_numpy(dtype=int),
                    "admissions": 1,
                }
            )
            .groupby("local_authority", sort=True)[["count", "admissions"]]
            .sum()
            .reset_index()
        )
        everyone = pd.DataFrame(
            {"local_authority": [None], "count": [count], "admissions": [total]}
        )
        data = _shares(pd.concat([by_area, everyone], ignore_index=True), "count", "admissions")
        data.insert(
            1,
            "name",
            [_area_name(inputs, code) for code in data["local_authority"].iloc[:-1]]
            + [inputs.scope.name],
        )
        data["benchmark"] = estimate.value
        data = _compared(data)
        label = flag.label[:1].lower() + flag.label[1:]
        higher = [
            str(name)
            for name, comparison in zip(
                data["name"].iloc[:-1], data["comparison"].iloc[:-1], strict=True
            )
            if comparison == "Higher"
        ]
        extra = (
            f" The share was significantly higher than the area's in {', '.join(higher)}."
            if higher and len(by_area) > 1
            else ""
        )
        findings.append(
            Finding(
                id=f"admissions_{flag.id}_share",
                title=f"Violence-related admissions {label.split(' (')[0]}",
                topic=TOPIC,
                value=estimate.value,
                lower=estimate.lower,
                upper=estimate.upper,
                unit=PROPORTION,
                sentence=(
                    f"{percent(estimate.value)} {interval_text(estimate, percent)} of the "
                    f"{inputs.count(total)} violence-related hospital admissions of residents of "
                    f"{inputs.scope.name} in {inputs.period} were {label}.{extra}"
                ),
                definition=(
                    f"Of {rule}, of residents of the area: those with a code of "
                    f"{hospital.code_set(flag.code_set).label} in any diagnosis position "
                    f"(condition flag {flag.id!r})."
                ),
                method=WILSON,
                period=str(inputs.period),
                area=inputs.scope.name,
                numerator=count,
                denominator=total,
                denominator_label="violence-related admissions of residents",
                definitions=(hospital.ref.short_id,),
                data=data,
                counts=("count", "admissions"),
                notes=residents.notes(inputs.count),
            )
        )
    if not findings:
        raise NotComputed("the hospital definition has no condition flags")
    return findings


# --------------------------------------------------------------------------- causes


def cause_table(inputs: ProfileInputs) -> pd.DataFrame:
    """Violence-related admissions of residents under 25 by area and cause group, with
    each cause's share of the area's admissions (Wilson) compared with the scope's.

    One row per area (:func:`_areas`) and cause group: ``area``, ``area_type``,
    ``local_authorities`` (codes, comma-separated), ``cause``, ``cause_label``, ``count``,
    ``admissions`` (of the area's under-25 residents), ``value``, ``lowercl``,
    ``uppercl``, ``benchmark`` (the scope's share), ``comparison`` (Higher, Similar, Lower,
    Not compared) and ``comparison_method``. Computed once per inputs (cached)."""
    cached = inputs.cache.get("hospital.causes")
    if isinstance(cached, pd.DataFrame):
        return cached
    admissions = _residents(inputs).rows
    young = admissions[UNDER_25.mask(admissions["age"], inputs.definitions.age_bands)]
    groups = inputs.definitions.hospital.cause_groups
    rows = []
    for area in _areas(inputs):
        chosen = young[young["local_authority"].isin(area.codes)]
        for group in groups:
            rows.append(
                {
                    "area": area.name,
                    "area_type": area.kind,
                    "local_authorities": ",".join(area.codes),
                    "cause": group.id,
                    "cause_label": group.label,
                    "count": int((chosen["cause"] == group.id).sum()),
                    "admissions": len(chosen),
                }
            )
    table = _shares(pd.DataFrame(rows), "count", "admissions")
    scope_rows = table["area"] == inputs.scope.name
    benchmark = table[scope_rows].set_index("cause")["value"]
    table["benchmark"] = table["cause"].map(benchmark)
    table = _compared(table)
    # The scope against itself is no comparison.
    table.loc[scope_rows, "comparison"] = "Not compared"
    inputs.cache["hospital.causes"] = table
    return table


def _young_definition(inputs: ProfileInputs) -> str:
    return (
        f"Of {_admission_rule(inputs)}, of patients aged under 25 at admission (age-bands "
        f"{UNDER_25}) living in the area"
    )


def _young_refs(inputs: ProfileInputs) -> tuple[str, ...]:
    return (inputs.definitions.hospital.ref.short_id, inputs.definitions.age_bands.ref.short_id)


def u25_admission_cause_shares(inputs: ProfileInputs) -> list[Finding]:
    """``u25_admissions_{cause}_share_{area}``: for each cause group of the hospital
    definition and each local authority and county of the scope, the share of the
    violence-related admissions of its residents under 25 with that cause."""
    table = cause_table(inputs)
    hospital = inputs.definitions.hospital
    findings = []
    for row in table.itertuples(index=False):
        if row.area_type not in ("local_authority", "county") or row.admissions <= 0:
            continue
        estimate = share(int(row.count), int(row.admissions))
        benchmark = number(row.benchmark)
        significance = SIGNIFICANCE_WORDS.get(str(row.comparison))
        label = row.cause_label[:1].lower() + row.cause_label[1:]
        compared = ""
        if significance is not None and benchmark is not None:
            compared = (
                f", {significance_text(significance)} the {percent(benchmark)} of "
                f"{inputs.scope.name} as a whole"
            )
        code_set = next(group.code_set for group in hospital.cause_groups if group.id == row.cause)
        cause_rule = (
            f"codes of {hospital.code_set(code_set).label}"
            if code_set is not None
            else "any other violence code"
        )
        findings.append(
            Finding(
                id=f"u25_admissions_{row.cause}_share_{slug(row.area)}",
                title=f"Under-25 violence admissions in {row.area}: {label}",
                topic=TOPIC,
                value=estimate.value,
                lower=estimate.lower,
                upper=estimate.upper,
                unit=PROPORTION,
                sentence=(
                    f"{percent(estimate.value)} {interval_text(estimate, percent)} of the "
                    f"{inputs.count(int(row.admissions))} violence-related hospital admissions of "
                    f"{row.area} residents under 25 in {inputs.period} were caused by "
                    f"{label}{compared}."
                ),
                definition=(
                    f"{_young_definition(inputs)} (local authorities "
                    f"{row.local_authorities}): those whose cause group is {row.cause!r} "
                    f"({cause_rule}; cause precedence {hospital.cause_precedence})."
                ),
                method=WILSON,
                period=str(inputs.period),
                area=row.area,
                numerator=int(row.count),
                denominator=int(row.admissions),
                denominator_label=f"violence-related admissions of {row.area} residents under 25",
                comparator=inputs.scope.name if significance is not None else None,
                comparator_value=benchmark if significance is not None else None,
                significance=significance,
                definitions=_young_refs(inputs),
                data=table[table["cause"] == row.cause].reset_index(drop=True),
                counts=("count", "admissions"),
            )
        )
    if not findings:
        raise NotComputed(
            f"no violence-related admission of a resident under 25 of {inputs.scope.name} "
            f"in {inputs.period}"
        )
    return findings


def significance_text(significance: str) -> str:
    """``"higher"`` -> ``"significantly higher than"``; otherwise ``"similar to"``."""
    if significance in ("higher", "lower"):
        return f"significantly {significance} than"
    return "not significantly different from"


def admission_causes_by_area(inputs: ProfileInputs) -> list[Finding]:
    """Every area's cause shares of under-25 violence admissions against the scope's."""
    table = cause_table(inputs)
    whole = table[table["area"] == inputs.scope.name]
    total = int(whole["admissions"].iloc[0])
    if total <= 0:
        raise NotComputed(
            f"no violence-related admission of a resident under 25 of {inputs.scope.name} "
            f"in {inputs.period}"
        )
    parts = [
        f"{percent(row.value)} {row.cause_label[:1].lower() + row.cause_label[1:]}"
        for row in whole.itertuples(index=False)
    ]
    different = [
        f"{row.area} ({row.cause_label.split(' (')[0].lower()}: {percent(row.value)}, "
        f"{str(row.comparison).lower()})"
        for row in table.itertuples(index=False)
        if row.comparison in ("Higher", "Lower")
    ]
    contrast = (
        " Significantly different from the area as a whole: " + "; ".join(different) + "."
        if different
        else " No local authority or county differed significantly from the area as a whole."
    )
    return [
        Finding(
            id="admission_causes_by_area",
            title="Causes of under-25 violence admissions by area",
            topic=TOPIC,
            value=total,
            value_is_count=True,
            lower=None,
            upper=None,
            unit="admissions",
            sentence=(
                f"Of the {inputs.count(total)} violence-related hospital admissions of "
                "residents under 25 "
                f"of {inputs.scope.name} in {inputs.period}, " + ", ".join(parts) + "." + contrast
            ),
            definition=(
                f"{_young_definition(inputs)}, by cause group of the hospital definition, for "
                "the area, each local authority and each county; each share compared with the "
                "area's (its 95% limits above or below the area's value)."
            ),
            method=WILSON + "; compared with the area's value by confidence interval",
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=None,
            denominator=total,
            denominator_label="violence-related admissions of residents under 25",
            comparator=inputs.scope.name,
            definitions=_young_refs(inputs),
            data=table,
            counts=("count", "admissions"),
        )
    ]


# --------------------------------------------------------------------------- deprivation


def admissions_most_deprived_shares(inputs: ProfileInputs) -> list[Finding]:
    """``{local authority}_admissions_most_deprived_share``: the share of violence-related
    admissions of each local authority's residents living in an LSOA of IMD decile 1."""
    residents = _residents(inputs)
    admissions = residents.rows
    decile = pd.to_numeric(admissions["imd_decile"].astype(object), errors="coerce")
    frame = pd.DataFrame(
        {
            "local_authority": admissions["local_authority"].to_numpy(),
            "admissions": 1,
            "with_decile": decile.notna().to_numpy(dtype=int),
            "decile_1": (decile == 1).to_numpy(dtype=int),
            "quintile_1": (decile <= 2).to_numpy(dtype=int),
        }
    )
    table = frame.groupby("local_authority")[list(frame.columns[1:])].sum()
    table = table.reindex(list(inputs.scope.local_authorities), fill_value=0).reset_index()
    table.insert(1, "name", [_area_name(inputs, c) for c in table["local_authority"]])
    table = table.join(_resident_shares(inputs), on="local_authority")
    for column in ("decile_1", "quintile_1"):
        shares = _shares(table[[column, "with_decile"]], column, "with_decile")
        table[f"{column}_share"] = shares["value"]
        table[f"{column}_lower"] = shares["lowercl"]
        table[f"{column}_upper"] = shares["uppercl"]
    refs = (inputs.definitions.hospital.ref.short_id,)
    findings = []
    for row in table.itertuples(index=False):
        if row.with_decile <= 0:
            continue
        estimate = share(int(row.decile_1), int(row.with_decile))
        quintile = Estimate(row.quintile_1_share, row.quintile_1_lower, row.quintile_1_upper)
        residents_share = number(row.residents_decile_1_share)
        significance = (
            significance_of(estimate, residents_share) if residents_share is not None else None
        )
        compared = ""
        if residents_share is not None and significance is not None:
            compared = (
                f" {percent(residents_share)} of its residents live in such areas, so "
                f"admissions were {significance_text(significance)} its population share."
            )
        unplaced = int(row.admissions - row.with_decile)
        notes = residents.notes(inputs.count)
        if unplaced:
            notes += (
                f"{inputs.count(unplaced)} admissions of {row.name} residents with no known "
                "LSOA of "
                "residence (so no decile) are left out.",
            )
        findings.append(
            Finding(
                id=f"{slug(row.name)}_admissions_most_deprived_share",
                title=f"Violence admissions of {row.name} residents from the most deprived areas",
                topic=TOPIC,
                value=estimate.value,
                lower=estimate.lower,
                upper=estimate.upper,
                unit=PROPORTION,
                sentence=(
                    f"{percent(estimate.value)} {interval_text(estimate, percent)} of the "
                    f"{inputs.count(int(row.with_decile))} violence-related hospital admissions of "
                    f"{row.name} residents in {inputs.period} were of people living in the "
                    f"most deprived 10% of neighbourhoods in England (IMD decile 1); "
                    f"{percent(quintile.value)} {interval_text(quintile, percent)} lived in the "
                    f"most deprived 20%.{compared}"
                ),
                definition=(
                    f"Of {_admission_rule(inputs)}, of residents of {row.name} with a known "
                    "LSOA of residence: those whose LSOA is in decile 1 of the Index of "
                    "Multiple Deprivation (the newest release loaded; deciles are national)."
                ),
                method=WILSON,
                period=str(inputs.period),
                area=row.name,
                numerator=int(row.decile_1),
                denominator=int(row.with_decile),
                denominator_label=f"violence-related admissions of {row.name} residents",
                comparator=(
                    f"residents of {row.name} living in decile 1" if significance else None
                ),
                comparator_value=residents_share if significance else None,
                significance=significance,
                definitions=refs,
                data=table,
                counts=("admissions", "with_decile", "decile_1", "quintile_1"),
                notes=notes,
            )
        )
    if not findings:
        raise NotComputed("no violence-related admission has a known LSOA of residence")
    return findings


def _resident_shares(inputs: ProfileInputs) -> pd.DataFrame:
    """Each local authority's share of residents living in decile 1
    (``residents_decile_1_share``; missing without a population)."""
    population = inputs.population
    needed = {"local_authority", "imd_decile", "residents"}
    if population is None or population.empty or not needed <= set(population.columns):
        return pd.DataFrame({"residents_decile_1_share": pd.Series(dtype=float)})
    decile = pd.to_numeric(population["imd_decile"].astype(object), errors="coerce")
    frame = pd.DataFrame(
        {
            "local_authority": population["local_authority"].to_numpy(),
            "all": population["residents"].to_numpy(dtype=float),
            "first": population["residents"].where(decile == 1, 0).to_numpy(dtype=float),
        }
    )
    sums = frame.groupby("local_authority")[["all", "first"]].sum()
    result = (sums["first"] / sums["all"].where(sums["all"] > 0)).rename("residents_decile_1_share")
    return result.to_frame()


# --------------------------------------------------------------------------- length of stay


def admissions_length_of_stay(inputs: ProfileInputs) -> list[Finding]:
    """The mean length of stay of violence-related admissions, with Student's t limits."""
    residents = _residents(inputs)
    admissions = residents.rows
    stays = admissions.assign(
        length_of_stay=pd.to_numeric(admissions["length_of_stay"], errors="coerce")
    )
    known = stays[stays["length_of_stay"].notna()].copy()
    if len(known) < 2:
        raise NotComputed(
            f"{len(known)} violence-related admission(s) of residents have a length of stay; "
            "a mean with limits needs two or more"
        )
    known["all"] = inputs.scope.name
    known["local_authority"] = [_area_name(inputs, c) for c in known["local_authority"]]
    known["cause"] = known["cause"].astype(object).fillna(NOT_KNOWN)
    tables = []
    for breakdown, column in (
        ("all", "all"),
        ("local authority of residence", "local_authority"),
        ("cause group", "cause"),
    ):
        result = mean(known, "length_of_stay", group_by=column)
        result = result.rename(columns={column: "group", "value_count": "admissions"})
        tables.append(result.assign(breakdown=breakdown))
    data = pd.concat(tables, ignore_index=True)[
        ["breakdown", "group", "admissions", "value", "lowercl", "uppercl", "stdev"]
    ]
    overall = data.iloc[0]
    estimate = Estimate(
        float(overall["value"]), number(overall["lowercl"]), number(overall["uppercl"])
    )
    median = float(known["length_of_stay"].median())
    notes = residents.notes(inputs.count)
    unknown = len(admissions) - len(known)
    if unknown:
        notes += (
            f"{inputs.count(unknown)} admissions with no length of stay recorded are left out.",
        )
    return [
        Finding(
            id="admissions_length_of_stay",
            title="Length of stay of violence-related admissions",
            topic=TOPIC,
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=DAYS,
            sentence=(
                f"Violence-related hospital admissions of residents of {inputs.scope.name} "
                f"in {inputs.period} lasted {estimate.value:.1f} days on average "
                f"{interval_text(estimate, lambda v: f'{v:.1f}')} (median {median:g} days, "
                f"{inputs.count(len(known))} admissions)."
            ),
            definition=(
                f"The mean length of stay in days (discharge date minus admission date, as "
                f"loaded) of {_admission_rule(inputs)}, of residents of the area."
            ),
            method=STUDENT_T,
            period=str(inputs.period),
            area=inputs.scope.name,
            denominator=len(known),
            denominator_label="admissions with a length of stay",
            definitions=(inputs.definitions.hospital.ref.short_id,),
            data=data,
            counts=("admissions",),
            notes=notes,
        )
    ]


# --------------------------------------------------------------------------- ED


def ed_assaults_unknown_to_police_share(inputs: ProfileInputs) -> list[Finding]:
    """The share of ED assault attendances whose patient is not a victim in the force
    extract (by pseudonymised person key).

    The victims are ``inputs.police_victim_keys`` (else those of ``inputs.victims``):
    victims of crimes of the force extract in the period, in any area. An
    attendance with no person key cannot be matched and counts as unknown to the police.
    For a network the attendances are all those loaded; for a smaller area, those of its
    residents.
    """
    attendances = inputs.need("attendances", ATTENDANCES_WHAT)
    victims = inputs.victims
    if victims is None or (len(victims) == 0 and (inputs.crimes is None or inputs.crimes.empty)):
        raise NotComputed(
            f"needs the force's crime extract (police-extract), and none is loaded for "
            f"{inputs.period}"
        )
    notes: list[str] = []
    if inputs.scope.kind != "network":
        inside = attendances["local_authority"].isin(list(inputs.scope.local_authorities))
        left_out = int((~inside).sum())
        attendances = attendances[inside.fillna(False).astype(bool)]
        if left_out:
            notes.append(
                f"{inputs.count(left_out)} attendances of people living outside the area, or whose "
                "residence is not known, are left out."
            )
        if attendances.empty:
            raise NotComputed(
                f"no ED assault attendance of a resident of {inputs.scope.name} in {inputs.period}"
            )
    if inputs.police_victim_keys is not None:
        victim_keys = set(inputs.police_victim_keys)
    else:
        keys = victims["person_key"].dropna().astype(str)
        victim_keys = set(keys[keys != ""])
    person = attendances["person_key"].astype(object)
    has_key = person.notna() & (person.astype(str) != "")
    matched = has_key & person.isin(victim_keys)
    unknown = ~matched
    count, total = int(unknown.sum()), len(attendances)
    appearances = np.concatenate(
        [
            person[has_key].astype(str).value_counts().to_numpy(dtype=float),
            np.ones(int((~has_key).sum())),
        ]
    )
    effect = design_effect(appearances)
    estimate = share(count, total, design_effect=effect)
    keyless = int((~has_key).sum())
    if keyless:
        notes.append(
            f"{inputs.count(keyless)} attendances have no person key; they cannot be matched "
            "and count "
            "as unknown to the police."
        )
    notes.append(
        "Victims are those of crimes of the period in the force extract: an attendance whose "
        "assault was recorded as a crime outside the period counts as unknown, so the share "
        "can overstate slightly near the period's ends."
    )
    frame = pd.DataFrame(
        {
            "means_of_assault": attendances["means_of_assault"].astype(object).fillna(NOT_KNOWN),
            "local_authority": [_area_name(inputs, c) for c in attendances["local_authority"]],
            "unknown_to_police": unknown.to_numpy(dtype=int),
            "attendances": 1,
        }
    )
    tables = []
    for breakdown, column in (
        ("means of assault", "means_of_assault"),
        ("local authority of residence", "local_authority"),
    ):
        grouped = frame.groupby(column)[["unknown_to_police", "attendances"]].sum()
        grouped = grouped.reset_index().rename(columns={column: "group"})
        tables.append(grouped.assign(breakdown=breakdown))
    data = _shares(pd.concat(tables, ignore_index=True), "unknown_to_police", "attendances")
    data = data[
        ["breakdown", "group", "attendances", "unknown_to_police", "value", "lowercl", "uppercl"]
    ]
    return [
        Finding(
            id="ed_assaults_unknown_to_police_share",
            title="Emergency-department assault attendances unknown to the police",
            topic=TOPIC,
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=PROPORTION,
            sentence=(
                f"{percent(estimate.value)} {interval_text(estimate, percent)} of the "
                f"{inputs.count(total)} emergency-department attendances for assault in "
                f"{inputs.period} "
                "were of patients not recorded as a victim of any crime of the period in the "
                "police extract."
            ),
            definition=(
                "Emergency-department assault attendances (ISTV) whose pseudonymised person "
                "key is not the key of a victim in the force's crime extract (victims of "
                "crimes of the period, any offence and area); attendances without a key count "
                "as not matched."
            ),
            method=CLUSTERED + f" (design effect {effect:.2f})",
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=count,
            denominator=total,
            denominator_label="ED assault attendances",
            data=data,
            counts=("attendances", "unknown_to_police"),
            notes=tuple(notes),
        )
    ]


FINDINGS = {
    "admissions_condition_shares": admissions_condition_shares,
    "u25_admissions_cause_shares": u25_admission_cause_shares,
    "admission_causes_by_area": admission_causes_by_area,
    "admissions_most_deprived_share": admissions_most_deprived_shares,
    "admissions_length_of_stay": admissions_length_of_stay,
    "ed_assaults_unknown_to_police_share": ed_assaults_unknown_to_police_share,
}

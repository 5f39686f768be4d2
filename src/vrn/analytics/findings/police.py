"""Findings on perpetrators, victims and repeats, from the force's crime extract.

Ids match the synthetic world's ``truth.json`` where a finding has a planted counterpart,
and each estimates exactly the quantity the truth file describes (see
``vrn.synth.truth``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vrn.analytics.crosstab import Rates, crosstab
from vrn.analytics.findings.base import (
    PROPORTION,
    RATE_INTERVALS,
    RATIO,
    WILSON,
    Finding,
    NotComputed,
    interval_text,
    percent,
    ratio_of_rates,
    share,
    times,
)
from vrn.analytics.findings.inputs import ProfileInputs, slug
from vrn.analytics.findings.violence import (
    UNDER_25_MAX_AGE,
    flag_of,
    perpetrator_groups,
    serious_violence,
)

EXACT_RATIO = "exact conditional interval for a ratio of Poisson rates (Clopper-Pearson)"
NESTED_RATIO = (
    "Wilson interval for the subgroup's share of the events, scaled by the population ratio "
    "(the subgroup is part of everyone)"
)
CLUSTERED = (
    "Wilson interval on the effective sample size: rows of the same person are not "
    "independent, so the sample is divided by the design effect (Kish)"
)
RATE_PER = 1_000
#: The smallest group (by age band, sex and residence) whose share of repeats is singled
#: out as the highest.
MIN_GROUP_RECORDS = 30


def u25_vs_25plus_rate_ratio(inputs: ProfileInputs) -> list[Finding]:
    counted = serious_violence(inputs)
    groups = perpetrator_groups(inputs)
    ids = counted.events["crime_id"]
    young = int(flag_of(ids, groups, "under_25").sum())
    older = int(flag_of(ids, groups, "over_25").sum())
    population_young = inputs.residents(0, UNDER_25_MAX_AGE)
    population_older = inputs.residents(UNDER_25_MAX_AGE + 1)
    estimate = ratio_of_rates(young, population_young, older, population_older)
    data = pd.DataFrame(
        {
            "suspects": ["under 25", "25 and over"],
            "count": [young, older],
            "population": [population_young, population_older],
        }
    )
    data["rate"] = data["count"] / (data["population"] * inputs.years) * RATE_PER
    return [
        Finding(
            id="u25_vs_25plus_rate_ratio",
            title="Serious violence by under-25s against 25 and over, per resident",
            topic="perpetrators",
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=RATIO,
            sentence=(
                f"The rate of {counted.label} by suspects or offenders under 25 was "
                f"{times(estimate.value)} that by those aged 25 and over "
                f"{interval_text(estimate)}: {inputs.count(young)} offences by under-25s and "
                f"{inputs.count(older)} by "
                f"over-25s in {inputs.period}, per resident of each age group."
            ),
            definition=(
                f"{counted.label.capitalize()} with a suspect or offender aged under 25 (any "
                "of them), per resident aged 0-24, divided by the same with one aged 25 or "
                "over, per resident aged 25 and over (Census 2021). A crime with suspects of "
                "both groups counts in both; one with none identified in neither."
            ),
            method=EXACT_RATIO,
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=young,
            denominator=older,
            denominator_label="offences by suspects aged 25 and over",
            comparator="suspects aged 25 and over",
            comparator_value=1.0,
            significance=estimate.significance,
            definitions=counted.definitions,
            data=data,
            counts=("count",),
        )
    ]


def u25_perpetrator_share_public_sv(inputs: ProfileInputs) -> list[Finding]:
    counted = serious_violence(inputs)
    groups = perpetrator_groups(inputs)
    people = inputs.need("perpetrators", "suspects and offenders of the force extract")
    # A crime whose suspects are all of unknown age cannot be placed: left out.
    ids = counted.events["crime_id"]
    unplaced = ids.isin(people["crime_id"]) & ~ids.isin(groups.index)
    young = int(flag_of(ids, groups, "under_25").sum())
    total = int((~unplaced).sum())
    estimate = share(young, total)
    data = pd.DataFrame({"suspects": ["under 25", "all"], "count": [young, total]})
    unknown = int(unplaced.sum())
    notes = (
        (f"{inputs.count(unknown)} offences whose suspects are all of unknown age are left out.",)
        if unknown
        else ()
    )
    return [
        Finding(
            id="u25_perpetrator_share_public_sv",
            title="Share of serious violence by under-25s",
            topic="perpetrators",
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=PROPORTION,
            sentence=(
                f"Suspects or offenders under 25 were responsible for "
                f"{percent(estimate.value)} {interval_text(estimate, percent)} of the "
                f"{inputs.count(total)} offences of {counted.label} (which are in public places by "
                f"definition) in {inputs.period}."
            ),
            definition=(
                f"Offences of {counted.label} with a suspect or offender under 25, out of all "
                "such offences (those with no suspect identified included; those whose "
                "suspects are all of unknown age left out)."
            ),
            method=WILSON,
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=young,
            denominator=total,
            denominator_label=f"offences of {counted.label}",
            definitions=counted.definitions,
            data=data,
            counts=("count",),
            notes=notes,
        )
    ]


def u25_public_knife_shares(inputs: ProfileInputs) -> list[Finding]:
    """Each local authority's share of knife offences by under-25s in public places."""
    if len(inputs.scope.local_authorities) < 2:
        raise NotComputed("a share between local authorities needs an area of two or more")
    crimes = inputs.need("crimes", "the force's crime extract (police-extract)")
    measure = inputs.definitions.success_measures["knife_enabled_serious_violence"]
    codes = getattr(measure.rule, "offence_codes", ())
    groups = perpetrator_groups(inputs)
    chosen = crimes[
        crimes["offence"].isin(codes)
        & (crimes["weapon"] == "knife_or_sharp")
        & crimes["public_place"]
        & flag_of(crimes["crime_id"], groups, "under_25")
    ]
    total = len(chosen)
    if total == 0:
        raise NotComputed(f"no knife offences by under-25s in public places in {inputs.period}")
    table = crosstab(chosen, ["local_authority"])
    table["name"] = table["local_authority"].map(inputs.scope.name_of)
    definitions = (
        inputs.definitions.success_measures.ref.short_id,
        inputs.definitions.offence_codes.ref.short_id,
    )
    findings = []
    for code, name in inputs.scope.local_authorities.items():
        count = int(table.loc[table["local_authority"] == code, "count"].sum())
        estimate = share(count, total)
        findings.append(
            Finding(
                id=f"u25_public_knife_{slug(name)}_share",
                title=f"Share of under-25 public-place knife offences in {name}",
                topic="place",
                value=estimate.value,
                lower=estimate.lower,
                upper=estimate.upper,
                unit=PROPORTION,
                sentence=(
                    f"{percent(estimate.value)} {interval_text(estimate, percent)} of the "
                    f"{inputs.count(total)} offences involving a knife or sharp instrument by "
                    "under-25s "
                    f"in public places in {inputs.scope.name} occurred in {name} "
                    f"({inputs.period})."
                ),
                definition=(
                    "Offences of the knife-enabled serious violence success measure's codes "
                    "with weapon knife or sharp instrument, a suspect or offender under 25 "
                    f"and a public place: those located in {name} out of all in the area."
                ),
                method=WILSON,
                period=str(inputs.period),
                area=name,
                numerator=count,
                denominator=total,
                denominator_label="under-25 public-place knife offences in the area",
                definitions=definitions,
                data=table[
                    ["local_authority", "name", "count", "share", "share_lower", "share_upper"]
                ],
                counts=("count",),
            )
        )
    return findings


def victim_rates_by_age_sex(inputs: ProfileInputs) -> list[Finding]:
    """Victims of serious violence per 1,000 residents a year by age band and sex, the
    highest-risk group and the males-15-19 ratio the Response Strategy names."""
    counted = serious_violence(inputs)
    victims = inputs.need("victims", "victims of the force extract")
    chosen = victims[victims["crime_id"].isin(counted.events["crime_id"])]
    scheme = inputs.definitions.age_bands["sna"]
    bands = pd.CategoricalDtype([band.label for band in scheme.bands])
    sexes = pd.CategoricalDtype(["male", "female"])
    population = pd.DataFrame(
        [
            (band.label, sex, inputs.residents(band.lower, band.upper, sex) * inputs.years)
            for band in scheme.bands
            for sex in sexes.categories
        ],
        columns=["age_band", "sex", "population"],
    ).astype({"age_band": bands, "sex": sexes})
    events = pd.DataFrame(
        {
            "age_band": chosen["victim_age_band"].astype(bands),
            "sex": chosen["victim_sex"].str.lower().astype(sexes),
        }
    )
    table = crosstab(
        events,
        ["age_band", "sex"],
        population=Rates(population, ("age_band", "sex"), per=RATE_PER),
    )
    rated = table.dropna(subset=["age_band", "sex"]).reset_index(drop=True)
    known = len(events) - int(rated["count"].sum())
    top = rated.loc[rated["rate"].idxmax()]
    findings = [
        Finding(
            id="victim_rates_by_age_sex",
            title="Victims of serious violence by age and sex, per 1,000 residents a year",
            topic="victims",
            value=f"{top['sex']} {top['age_band']}",
            lower=None,
            upper=None,
            unit="group",
            sentence=(
                f"{str(top['sex']).capitalize()}s aged {top['age_band']} were most at risk of "
                f"being a victim of {counted.label}: {top['rate']:.2f} per 1,000 a year "
                f"(95% CI {top['rate_lower']:.2f} to {top['rate_upper']:.2f}), {inputs.period}."
            ),
            definition=(
                f"Victims of {counted.label} (each victim of each crime) by age band "
                "(age-bands 'sna' scheme) and sex, per 1,000 residents of that age and sex a "
                "year (Census 2021 by age group, spread evenly over single years; sex by an "
                "assumed male share of each group)."
                + (
                    f" {inputs.count(known)} victims of unknown age or sex are left out."
                    if known
                    else ""
                )
            ),
            method=RATE_INTERVALS,
            period=str(inputs.period),
            area=inputs.scope.name,
            definitions=(*counted.definitions, inputs.definitions.age_bands.ref.short_id),
            data=rated[
                ["age_band", "sex", "count", "population", "rate", "rate_lower", "rate_upper"]
            ],
            counts=("count",),
        )
    ]
    # Victims of unknown age or sex cannot be placed in a group: left out of both rates.
    chosen = chosen[
        chosen["victim_age"].notna() & chosen["victim_sex"].str.lower().isin(["male", "female"])
    ]
    male_15_19 = chosen["victim_age"].between(15, 19) & (chosen["victim_sex"].str.lower() == "male")
    estimate = ratio_of_rates(
        int(male_15_19.sum()),
        inputs.residents(15, 19, "male"),
        len(chosen),
        inputs.residents(),
        nested=True,
    )
    findings.append(
        Finding(
            id="male_15_19_rate_ratio",
            title="Males aged 15-19 against all residents: rate of being a victim",
            topic="victims",
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=RATIO,
            sentence=(
                f"Males aged 15 to 19 were {times(estimate.value)} as likely as the average "
                f"resident to be a victim of {counted.label} {interval_text(estimate)} in "
                f"{inputs.period}."
            ),
            definition=(
                f"Victims of {counted.label} who were males aged 15-19, per male resident aged "
                "15-19, divided by all victims per resident (victims counted once per crime; "
                "those of unknown age or sex left out)."
            ),
            method=NESTED_RATIO,
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=int(male_15_19.sum()),
            denominator=len(chosen),
            denominator_label="victims of all ages",
            comparator="all residents",
            comparator_value=1.0,
            significance=estimate.significance,
            definitions=counted.definitions,
        )
    )
    return findings


def _repeat(inputs: ProfileInputs, side: str) -> list[Finding]:
    frame_name, prefix, noun = (
        ("victims", "victim", "victim")
        if side == "victim"
        else ("perpetrators", "suspect", "suspect or offender")
    )
    people = inputs.need(frame_name, f"{noun}s of the force extract")
    keyed = people[people["person_key"].fillna("") != ""]
    if keyed.empty:
        raise NotComputed(f"no {noun} has a pseudonymised key, so repeats cannot be found")
    # Integer codes for people and crimes: grouping on them is linear in the rows.
    person, _ = pd.factorize(keyed["person_key"])
    crime, crimes = pd.factorize(keyed["crime_id"])
    rows_per_person = np.bincount(person)
    pairs = np.unique(person.astype(np.int64) * len(crimes) + crime)
    crimes_per_person = np.bincount(pairs // len(crimes), minlength=len(rows_per_person))
    repeat_person = crimes_per_person >= 2
    repeated_people = int(repeat_person.sum())
    repeated = pd.Series(repeat_person[person], index=keyed.index)
    sizes = rows_per_person.astype(float)
    successes = sizes * repeat_person
    p = successes.sum() / sizes.sum()
    clusters = len(sizes)
    variance = ((successes - p * sizes) ** 2).sum() * clusters / max(clusters - 1, 1)
    effect = variance / (p * (1 - p) * sizes.sum()) if 0 < p < 1 else 1.0
    estimate = share(int(repeated.sum()), len(keyed), design_effect=effect)
    breakdown = keyed.assign(repeat=repeated)
    by = [f"{prefix}_age_band", f"{prefix}_sex", f"{prefix}_residence"]
    tables = []
    # Age band, sex and residence together: who is most at risk of repeats.
    residence = breakdown[f"{prefix}_residence"].map(
        lambda code: inputs.scope.name_of(code) if isinstance(code, str) else "not known"
    )
    breakdown["people"] = (
        breakdown[f"{prefix}_sex"].astype(str).str.lower()
        + " "
        + breakdown[f"{prefix}_age_band"].astype(str)
        + ", living in "
        + residence
    )
    for column in [*by, "people"]:
        table = crosstab(breakdown, [column, "repeat"], share_within=[column])
        table = table[table["repeat"]].drop(columns="repeat")
        table = table.rename(columns={column: "group"}).assign(breakdown=column)
        # The breakdown's limits are widened by the design effect of all the records.
        for row in table.index[table["count"] > 0]:
            count = int(table.at[row, "count"])
            total = round(count / float(table.at[row, "share"]))  # the group's records
            limits = share(count, total, design_effect=effect)
            table.loc[row, ["share_lower", "share_upper"]] = [limits.lower, limits.upper]
        tables.append(table)
    data = pd.concat(tables, ignore_index=True)
    data = data[["breakdown", "group", "count", "share", "share_lower", "share_upper"]]
    data["breakdown"] = data["breakdown"].replace({"people": "age band, sex and residence"})
    truth_id = "repeat_victim_share" if side == "victim" else "repeat_offender_share"
    records_per_group = breakdown["people"].value_counts()
    big = records_per_group[records_per_group >= MIN_GROUP_RECORDS].index
    groups = data[(data["breakdown"] == "age band, sex and residence") & data["group"].isin(big)]
    most = (
        f" The highest share among groups of {MIN_GROUP_RECORDS} records or more: "
        f"{groups.loc[groups['share'].idxmax(), 'group']}, "
        f"{percent(groups['share'].max())} (95% CI "
        f"{percent(groups.loc[groups['share'].idxmax(), 'share_lower'])} to "
        f"{percent(groups.loc[groups['share'].idxmax(), 'share_upper'])})."
        if len(groups) and groups["share"].notna().any()
        else ""
    )
    return [
        Finding(
            id=truth_id,
            title=f"Repeat {noun}s",
            topic="victims" if side == "victim" else "perpetrators",
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=PROPORTION,
            sentence=(
                f"{percent(estimate.value)} {interval_text(estimate, percent)} of {noun} "
                f"records in {inputs.period} were of people recorded as a {noun} of at least "
                f"one other crime in the period ({inputs.count(repeated_people)} people)." + most
            ),
            definition=(
                f"{noun.capitalize()} records (one per person per crime, all offences) whose "
                f"pseudonymised person key is a {noun} of at least one other crime in the "
                "period, out of all such records with a key."
            ),
            method=CLUSTERED + f" (design effect {max(effect, 1.0):.2f})",
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=int(repeated.sum()),
            denominator=len(keyed),
            denominator_label=f"{noun} records",
            definitions=(inputs.definitions.age_bands.ref.short_id,),
            data=data,
            counts=("count",),
        )
    ]


def repeat_victim_share(inputs: ProfileInputs) -> list[Finding]:
    return _repeat(inputs, "victim")


def repeat_offender_share(inputs: ProfileInputs) -> list[Finding]:
    return _repeat(inputs, "perpetrator")


def perpetrator_residence(inputs: ProfileInputs) -> list[Finding]:
    """Where suspects and offenders of serious violence live, per 1,000 residents a year."""
    counted = serious_violence(inputs)
    people = inputs.need("perpetrators", "suspects and offenders of the force extract")
    chosen = people[people["crime_id"].isin(counted.events["crime_id"])]
    population = inputs.population.groupby("local_authority")["residents"].sum() * inputs.years
    frame = population.rename("population").reset_index()
    frame = frame.rename(columns={"local_authority": "suspect_residence"})
    table = crosstab(
        chosen, ["suspect_residence"], population=Rates(frame, ("suspect_residence",), per=RATE_PER)
    )
    table["name"] = table["suspect_residence"].map(
        lambda code: inputs.scope.name_of(code) if isinstance(code, str) else "not known"
    )
    inside = table[table["suspect_residence"].isin(inputs.scope.local_authorities)]
    if inside.empty or inside["rate"].isna().all():
        raise NotComputed("no suspect or offender lives in the area's local authorities")
    top = inside.loc[inside["rate"].idxmax()]
    return [
        Finding(
            id="perpetrator_residence",
            title="Where suspects and offenders of serious violence live",
            topic="perpetrators",
            value=str(top["name"]),
            lower=None,
            upper=None,
            unit="area",
            sentence=(
                f"Residents of {top['name']} were the most often recorded as suspects or "
                f"offenders of {counted.label}: {top['rate']:.2f} per 1,000 residents a year "
                f"(95% CI {top['rate_lower']:.2f} to {top['rate_upper']:.2f}), {inputs.period}."
            ),
            definition=(
                f"Suspects and offenders of {counted.label} (one per person per crime) by "
                "local authority of residence, per 1,000 residents a year."
            ),
            method=RATE_INTERVALS,
            period=str(inputs.period),
            area=inputs.scope.name,
            definitions=counted.definitions,
            data=table,
            counts=("count",),
        )
    ]


FINDINGS = {
    "u25_vs_25plus_rate_ratio": u25_vs_25plus_rate_ratio,
    "u25_perpetrator_share_public_sv": u25_perpetrator_share_public_sv,
    "u25_public_knife_share_by_local_authority": u25_public_knife_shares,
    "victim_rates_by_age_sex": victim_rates_by_age_sex,
    "repeat_victim_share": repeat_victim_share,
    "repeat_offender_share": repeat_offender_share,
    "perpetrator_residence": perpetrator_residence,
}

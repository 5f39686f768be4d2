"""Which crimes the profile's place, time and deprivation findings count, from what is loaded.

With the force extract loaded, serious violence as the serious-violence definition says.
With only data.police.uk street-level crime, the police.uk category "Violence and sexual
offences", named as such: police.uk has no offence codes, places or domestic flags, so its
categories are never relabelled "serious violence".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vrn.analytics.findings.base import NotComputed
from vrn.analytics.findings.inputs import ProfileInputs

#: The police.uk category counted when only street-level data is loaded.
STREET_VIOLENCE = "Violence and sexual offences"
UNDER_25_MAX_AGE = 24


@dataclass(frozen=True, eq=False)
class Counted:
    """The crimes a finding counts, what to call them and the definitions behind them."""

    events: pd.DataFrame
    label: str
    definitions: tuple[str, ...]
    source: str  # "force extract" or "data.police.uk"


def serious_violence(inputs: ProfileInputs) -> Counted:
    """Serious violence of the force extract in the area and period, as defined."""
    crimes = inputs.need("crimes", "the force's crime extract (police-extract)")
    definition = inputs.definitions.serious_violence
    key = "serious_violence_mask"
    if key not in inputs.cache:
        inputs.cache[key] = definition.mask(
            crimes, offence_code="offence", public_place="public_place", domestic="domestic"
        )
    mask: pd.Series = inputs.cache[key]
    return Counted(
        crimes[mask],
        "serious violence",
        (definition.ref.short_id, inputs.definitions.offence_codes.ref.short_id),
        "force extract",
    )


def violence(inputs: ProfileInputs) -> Counted:
    """Serious violence where the force extract is loaded, else police.uk's violence and
    sexual offences; :class:`NotComputed` when neither is."""
    if inputs.crimes is not None and len(inputs.crimes):
        return serious_violence(inputs)
    street = inputs.street_crimes
    if street is None or not len(street):
        raise NotComputed(
            f"needs police-recorded crime (the force extract or data.police.uk) for "
            f"{inputs.period}, and none is loaded"
        )
    return Counted(
        street[street["crime_type"] == STREET_VIOLENCE],
        f'police.uk "{STREET_VIOLENCE}" (all violence and sexual offences; not the '
        "serious-violence definition, which police.uk data cannot apply)",
        (),
        "data.police.uk",
    )


def perpetrator_groups(inputs: ProfileInputs) -> pd.DataFrame:
    """Per crime with suspects or offenders of known age: ``under_25`` (any is 24 or
    younger) and ``over_25`` (any is 25 or older), indexed by ``crime_id``."""
    key = "perpetrator_groups"
    if key not in inputs.cache:
        people = inputs.need("perpetrators", "suspects and offenders of the force extract")
        ages = people[["crime_id", "suspect_age"]].dropna()
        inputs.cache[key] = pd.DataFrame(
            {
                "under_25": (ages["suspect_age"] <= UNDER_25_MAX_AGE)
                .groupby(ages["crime_id"])
                .any(),
                "over_25": (ages["suspect_age"] > UNDER_25_MAX_AGE).groupby(ages["crime_id"]).any(),
            }
        )
    groups: pd.DataFrame = inputs.cache[key]
    return groups


def flag_of(crime_ids: pd.Series, groups: pd.DataFrame, column: str) -> pd.Series:
    """Whether each crime has the perpetrator ``column`` flag (False with no perpetrator)."""
    return crime_ids.map(groups[column]).astype("boolean").fillna(False).astype(bool)

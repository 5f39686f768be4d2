"""Intervention reports: reach, journey, distance travelled, outcomes, matched comparison
and costs, for the network, one programme or one provider (docs/interventions.md).

:func:`build_report` reads the frames (``report_queries``) and computes every figure with
``vrn.analytics.interventions``; the same report feeds the pages, the CSVs, the API and
``vrn interventions report``. Figures are exact here; :mod:`vrn.interventions.published`
turns them into what an audience may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from vrn.analytics import interventions as analysis
from vrn.interventions import reference, report_queries
from vrn.interventions.models import Programme

#: Follow-up for re-offending and ED re-attendance after the referral (days).
FOLLOW_UP_DAYS = 365
#: The matched comparison's seed: fixed, so a report is the same every time it is built.
MATCHING_SEED = 20240401
#: Reachable moments whose referral follows an ED attendance (the comparison's index).
ED_MOMENTS = ("ae_attendance",)
#: A participant is indexed on an ED attendance at most this many days before referral.
INDEX_DAYS = 7


class ReportError(ValueError):
    """The selection names no programme or provider there is."""


@dataclass(frozen=True)
class Selection:
    """Which participants a report covers: every programme, one programme (by code) or
    every programme of one provider (by organisation code)."""

    programme: str | None = None
    provider: str | None = None

    @property
    def key(self) -> str:
        if self.programme:
            return f"programme-{self.programme}"
        if self.provider:
            return f"provider-{self.provider}"
        return "network"


@dataclass
class Comparison:
    """A matched comparison for one programme and one kind of event."""

    programme: str
    events: str  # "ED re-attendance" or "police record as suspect or offender"
    result: analysis.MatchedComparison


@dataclass
class InterventionReport:
    title: str
    selection: Selection
    programmes: pd.DataFrame
    journey: pd.DataFrame
    journey_total: pd.DataFrame
    groups: pd.DataFrame
    areas: pd.DataFrame
    distance: pd.DataFrame
    outcomes: pd.DataFrame
    costs: pd.DataFrame
    comparisons: list[Comparison]
    synthetic: bool
    notes: list[str] = field(default_factory=list)
    #: Counts of records left out: for exact audiences only (they are small numbers).
    data_quality: list[str] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)


def programme_codes(selection: Selection) -> list[str] | None:
    """The programmes a selection covers (None: all); ReportError if it names nothing."""
    if selection.programme:
        if not Programme.objects.filter(code=selection.programme).exists():
            raise ReportError(f"no programme has the code {selection.programme!r}")
        return [selection.programme]
    if selection.provider:
        codes = list(
            Programme.objects.filter(provider__code=selection.provider)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not codes:
            raise ReportError(f"no programme is delivered by {selection.provider!r}")
        return codes
    return None


def _title(selection: Selection, programmes: pd.DataFrame) -> str:
    if selection.programme and not programmes.empty:
        return f"{programmes.iloc[0]['name']} ({selection.programme})"
    if selection.provider and not programmes.empty:
        return f"Programmes of {programmes.iloc[0]['provider']}"
    return "Every VRN-funded intervention"


def _scales() -> dict[str, analysis.Scale]:
    return {
        scale.id: analysis.Scale(
            minimum=scale.minimum,
            maximum=scale.maximum,
            higher_is_better=scale.higher_is_better,
            reliability=scale.reliability,
        )
        for scale in reference.scales().scales
    }


def need_by_local_authority() -> pd.DataFrame | None:
    """Where the problem profile says need is: serious violence against people under 25
    (the definition's own measure), by the local authority where it happened (None
    without the force's person-level data)."""
    from vrn.dashboard import store

    try:
        events = store.current()
    except store.NoData:
        return None
    crimes = events.crimes
    flag = "measure:serious_violence_u25"
    if crimes is None or flag not in crimes.columns:
        return None
    chosen = crimes[crimes[flag].astype(bool)]
    need = chosen.groupby("local_authority", observed=True).size()
    frame = need.rename("need_count").rename_axis("area").reset_index()
    frame["area"] = frame["area"].astype(str)
    return frame[frame["need_count"] > 0].reset_index(drop=True)


def build_report(selection: Selection) -> InterventionReport:
    codes = programme_codes(selection)
    group_ids = [group.id for group in reference.priorities().groups]
    frames = report_queries.report_frames(codes, group_ids)
    participants = frames.participants
    codes_list = reference.codes()
    completed = codes_list.completed_exit_reasons
    journey = analysis.journey_counts(participants, completed, by=("programme",))
    journey_total = analysis.journey_counts(participants, completed, by=())
    need = need_by_local_authority()
    reach = analysis.reach(participants, need, by=())
    distance = analysis.distance_travelled(
        frames.reviews, _scales(), participants=participants, by=("programme",)
    )
    kinds = list(codes_list.ids("outcome_kind"))
    outcomes = analysis.outcome_rates(participants, frames.outcomes, kinds, by=("programme",))
    costs = analysis.costs(frames.programmes, journey, outcomes)
    data_quality = [
        f"{count:,} {kind} recorded for a participant no longer held were left out"
        for kind, count in frames.unmatched.items()
        if count
    ]
    notes: list[str] = []
    if need is None:
        notes.append(
            "Reach by area is not compared: the force's person-level crime data (the "
            "problem profile's source) is not loaded."
        )
    comparisons = _comparisons(participants, frames.programmes, notes, data_quality)
    definitions = {
        name: ref.short_id
        for name, ref in (
            ("intervention-codes", codes_list.ref),
            ("distance-scales", reference.scales().ref),
            ("risk-factors", reference.checklist().ref),
        )
    }
    return InterventionReport(
        title=_title(selection, frames.programmes),
        selection=selection,
        programmes=frames.programmes,
        journey=journey,
        journey_total=journey_total,
        groups=reach.groups,
        areas=reach.areas,
        distance=distance,
        outcomes=outcomes,
        costs=costs,
        comparisons=comparisons,
        synthetic=frames.synthetic,
        notes=notes,
        data_quality=data_quality,
        definitions=definitions,
    )


def _treated_at_attendance(
    chosen: pd.DataFrame, attendances: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """Participants indexed on their ED attendance (the latest in the :data:`INDEX_DAYS`
    up to the referral, under their person key), and how many had none."""
    keyed = chosen[chosen["person_key"].notna()][["person_key", "referral_date", "age", "sex"]]
    pairs = keyed.merge(attendances[["person_key", "event_date"]], on="person_key")
    gap = (pairs["referral_date"] - pairs["event_date"]).dt.days
    pairs = pairs[(gap >= 0) & (gap <= INDEX_DAYS)]
    latest = pairs.sort_values("event_date", kind="stable").drop_duplicates(
        "person_key", keep="last"
    )
    treated = pd.DataFrame(
        {
            "person_key": latest["person_key"],
            "index_date": latest["event_date"],
            "age_band": analysis.age_band(latest["age"]),
            "sex": latest["sex"],
        }
    )
    return treated, int(chosen["person_key"].nunique() + chosen["person_key"].isna().sum()) - len(
        treated
    )


def _comparisons(
    participants: pd.DataFrame,
    programmes: pd.DataFrame,
    notes: list[str],
    data_quality: list[str],
) -> list[Comparison]:
    """Re-attendance and re-offending against a matched comparison, for each programme
    whose linkage an information-sharing agreement allows and whose referrals are ED
    attendances (the comparison pool is other people attending the ED for an assault)."""
    allowed = set(Programme.objects.exclude(linkage_agreement="").values_list("code", flat=True))
    results: list[Comparison] = []
    for code in programmes["programme"]:
        chosen = participants[
            (participants["programme"] == code)
            & participants["start_date"].notna()
            & participants["reachable_moment"].isin(ED_MOMENTS)
        ]
        if chosen.empty:
            continue
        withdrawn = chosen["consent_status"] == "withdrawn"
        if withdrawn.any():
            data_quality.append(
                f"{code}: {int(withdrawn.sum()):,} participants who withdrew consent are not "
                "matched to police or ED data."
            )
            chosen = chosen[~withdrawn]
        if code not in allowed:
            notes.append(
                f"{code}: no information-sharing agreement allows matching participants to "
                "police and ED data, so re-offending and re-attendance are not measured."
            )
            continue
        since = chosen["referral_date"].min().date() - dt.timedelta(days=FOLLOW_UP_DAYS)
        attendances = report_queries.comparison_pool(since)
        if attendances.empty:
            notes.append(f"{code}: no pseudonymised ED attendances are loaded to match.")
            continue
        treated, unindexed = _treated_at_attendance(chosen, attendances)
        if unindexed:
            data_quality.append(
                f"{code}: {unindexed:,} participants who started had no ED attendance in the "
                f"{INDEX_DAYS} days up to their referral under the same person key (a key "
                "made from the provider's own person id, or names where the ED sends NHS "
                "numbers, cannot link); they are left out of the comparison."
            )
        referred = set(participants.loc[participants["programme"] == code, "person_key"].dropna())
        # Each attendee once, at their first attendance in the data (as a referral follows
        # an attendance), so a repeat visit is never an index of its own; anyone referred
        # to the programme, started or not, is not a comparison.
        first = attendances.sort_values("event_date", kind="stable").drop_duplicates("person_key")
        first = first[~first["person_key"].isin(referred)]
        pool = pd.DataFrame(
            {
                "person_key": first["person_key"],
                "index_date": first["event_date"],
                "age_band": analysis.age_band(first["age"]),
                "sex": first["sex"],
            }
        )
        data_end = attendances["event_date"].max()
        for label, events in (
            ("ED re-attendance for an assault", attendances[["person_key", "event_date"]]),
            ("a police record as suspect or offender", report_queries.police_events(since)),
        ):
            if events.empty:
                continue
            end = data_end if label.startswith("ED") else min(data_end, events["event_date"].max())
            result = analysis.matched_comparison(
                treated,
                pool,
                events,
                window_days=FOLLOW_UP_DAYS,
                data_end=end,
                seed=MATCHING_SEED,
            )
            results.append(Comparison(programme=str(code), events=label, result=result))
    return results

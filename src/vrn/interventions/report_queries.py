"""The frames intervention reports are computed from (``vrn.analytics.interventions``'s
inputs), read from the database in a few queries each, without building model objects.

Journey records find their participant by (provider, case reference): a record whose
participant is not (or no longer) held is left out of every frame and counted in
:attr:`ReportFrames.unmatched`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import TextField
from django.db.models.functions import Cast

from vrn.analytics.interventions._frames import GROUP_PREFIX
from vrn.interventions.models import Outcome, Participant, Programme, Review

_PARTICIPANT_FIELDS = (
    "pk",
    "programme__code",
    "provider__name",
    "provider_id",
    "case_reference",
    "referral_date",
    "start_date",
    "exit_date",
    "exit_reason",
    "age_at_referral",
    "sex",
    "ethnicity",
    "residence_local_authority_code",
    "person_key",
    "reachable_moment",
    "referral_source",
    "consent_status",
    "groups_text",
    "synthetic",
)
_SEX = {"M": "male", "F": "female", "X": "other", "U": "unknown"}


@dataclass
class ReportFrames:
    """Everything a report reads, for one selection of programmes."""

    participants: pd.DataFrame
    reviews: pd.DataFrame
    outcomes: pd.DataFrame
    programmes: pd.DataFrame
    #: Journey records with no participant held for their (provider, case reference).
    unmatched: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False


def _dates(values: Iterable[Any]) -> pd.Series[Any]:
    return pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")


def programmes_frame(codes: Iterable[str] | None = None) -> pd.DataFrame:
    rows = Programme.objects.order_by("code")
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    records = list(
        rows.values_list(
            "code", "name", "provider__name", "funding", "capacity", "period_start", "period_end"
        )
    )
    frame = pd.DataFrame(
        records,
        columns=[
            "programme",
            "name",
            "provider",
            "funding",
            "capacity",
            "period_start",
            "period_end",
        ],
    )
    frame["funding"] = pd.to_numeric(frame["funding"], errors="coerce").astype(float)
    frame["capacity"] = pd.to_numeric(frame["capacity"], errors="coerce").astype(float)
    for column in ("period_start", "period_end"):
        frame[column] = _dates(frame[column])
    return frame


def participants_frame(
    codes: Iterable[str] | None = None, group_ids: Iterable[str] = ()
) -> pd.DataFrame:
    """One row per participant of the programmes ``codes`` (all when None), with a
    ``group:<id>`` flag column for each of ``group_ids``, and the internal ``provider_id``
    and ``case_reference`` (to find journey records; never shown)."""
    rows = Participant.objects.order_by("pk")
    if codes is not None:
        rows = rows.filter(programme__code__in=list(codes))
    records = list(
        rows.annotate(groups_text=_as_text("priority_groups")).values_list(*_PARTICIPANT_FIELDS)
    )
    columns = [
        "participant_id",
        "programme",
        "provider",
        "provider_id",
        "case_reference",
        "referral_date",
        "start_date",
        "exit_date",
        "exit_reason",
        "age",
        "sex",
        "ethnicity",
        "residence_area",
        "person_key",
        "reachable_moment",
        "referral_source",
        "consent_status",
        "priority_groups",
        "synthetic",
    ]
    frame = pd.DataFrame(records, columns=columns)
    for column in ("referral_date", "start_date", "exit_date"):
        frame[column] = _dates(frame[column])
    frame["age"] = pd.to_numeric(frame["age"], errors="coerce").astype(float)
    frame["sex"] = frame["sex"].map(_SEX).fillna("unknown")
    frame["person_key"] = frame["person_key"].replace("", None)
    groups = _json_values(frame.pop("priority_groups"))
    for group in group_ids:
        frame[GROUP_PREFIX + group] = np.array(
            [group in (chosen or ()) for chosen in groups], dtype=bool
        )
    return frame


def _as_text(field: str) -> Cast:
    """A JSON column read as its text, to be parsed in one go (:func:`_json_values`):
    decoding each row on its own is most of the time a report of 150,000 reviews takes."""
    return Cast(field, output_field=TextField())


def _json_values(texts: Iterable[Any]) -> list[Any]:
    """The JSON texts of a column, parsed with one call."""
    listed = list(texts)
    if not listed:
        return []
    return list(json.loads("[" + ",".join(str(text) for text in listed) + "]"))


def _participant_ids(participants: pd.DataFrame) -> dict[tuple[int, str], int]:
    return dict(
        zip(
            zip(participants["provider_id"], participants["case_reference"], strict=True),
            participants["participant_id"],
            strict=True,
        )
    )


def _matched(
    keys: dict[tuple[int, str], int], provider_ids: list[int], references: list[str]
) -> np.ndarray[Any, Any]:
    return np.array(
        [
            keys.get((provider, reference), -1)
            for provider, reference in zip(provider_ids, references, strict=True)
        ],
        dtype=np.int64,
    )


def reviews_frame(participants: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per area score of every review of ``participants``; and how many reviews
    had no participant."""
    keys = _participant_ids(participants)
    providers = sorted(set(participants["provider_id"]))
    rows = list(
        Review.objects.filter(provider_id__in=providers)
        .order_by("pk")
        .annotate(scores_text=_as_text("scores"))
        .values_list("provider_id", "case_reference", "review_date", "scale", "scores_text")
    )
    if not rows:
        return pd.DataFrame(columns=["participant_id", "scale", "area", "review_date", "score"]), 0
    provider_ids, references, dates, scales, texts = (
        list(part) for part in zip(*rows, strict=True)
    )
    scores = _json_values(texts)
    ids = _matched(keys, provider_ids, references)
    counts = np.array([len(score) for score in scores], dtype=np.int64)
    areas = [area for score in scores for area in score]
    values = [float(value) for score in scores for value in score.values()]
    frame = pd.DataFrame(
        {
            "participant_id": np.repeat(ids, counts),
            "scale": np.repeat(np.asarray(scales, dtype=object), counts),
            "area": np.asarray(areas, dtype=object),
            "review_date": np.repeat(pd.to_datetime(pd.Series(dates)).to_numpy(), counts),
            "score": np.asarray(values, dtype=float),
        }
    )
    kept = frame["participant_id"] >= 0
    return frame[kept].reset_index(drop=True), _orphans(provider_ids, references, ids)


def outcomes_frame(participants: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    keys = _participant_ids(participants)
    providers = sorted(set(participants["provider_id"]))
    rows = list(
        Outcome.objects.filter(provider_id__in=providers)
        .order_by("pk")
        .values_list("provider_id", "case_reference", "kind", "outcome_date", "verified")
    )
    frame = pd.DataFrame(
        rows, columns=["provider_id", "case_reference", "kind", "outcome_date", "verified"]
    )
    ids = _matched(keys, list(frame["provider_id"]), list(frame["case_reference"]))
    orphans = _orphans(list(frame["provider_id"]), list(frame["case_reference"]), ids)
    frame.insert(0, "participant_id", ids)
    frame["outcome_date"] = _dates(frame["outcome_date"])
    frame["verified"] = frame["verified"].astype(bool)
    kept = frame["participant_id"] >= 0
    frame = frame[kept].drop(columns=["provider_id", "case_reference"]).reset_index(drop=True)
    return frame, orphans


def _orphans(provider_ids: list[int], references: list[str], ids: np.ndarray[Any, Any]) -> int:
    """Records of no participant their provider holds (not merely of another programme)."""
    unmatched = np.flatnonzero(ids < 0)
    if not len(unmatched):
        return 0
    providers = sorted({provider_ids[i] for i in unmatched})
    held = set(
        Participant.objects.filter(provider_id__in=providers).values_list(
            "provider_id", "case_reference"
        )
    )
    return sum((provider_ids[i], references[i]) not in held for i in unmatched)


def report_frames(codes: Iterable[str] | None, group_ids: Iterable[str]) -> ReportFrames:
    """The frames for the programmes ``codes`` (every programme when None)."""
    chosen = None if codes is None else list(codes)
    participants = participants_frame(chosen, group_ids)
    reviews, reviews_unmatched = reviews_frame(participants)
    outcomes, outcomes_unmatched = outcomes_frame(participants)
    return ReportFrames(
        participants=participants,
        reviews=reviews,
        outcomes=outcomes,
        programmes=programmes_frame(chosen),
        unmatched={"reviews": reviews_unmatched, "outcomes": outcomes_unmatched},
        synthetic=bool(participants["synthetic"].any()),
    )


def comparison_pool(since: dt.date) -> pd.DataFrame:
    """People with a pseudonymised ED assault attendance from ``since``: the pool a
    matched comparison draws from, and the events re-attendance counts (one row per
    attendance: ``person_key``, ``event_date``, ``age``, ``sex``)."""
    from vrn.health.models import EdAttendance

    rows = list(
        EdAttendance.objects.filter(arrival_date__gte=since)
        .exclude(person_key="")
        .order_by("pk")
        .values_list("person_key", "arrival_date", "age", "sex")
    )
    frame = pd.DataFrame(rows, columns=["person_key", "event_date", "age", "sex"])
    frame["event_date"] = _dates(frame["event_date"])
    frame["age"] = pd.to_numeric(frame["age"], errors="coerce").astype(float)
    frame["sex"] = frame["sex"].map(_SEX).fillna("unknown")
    return frame


def police_events(since: dt.date) -> pd.DataFrame:
    """Every pseudonymised suspect or offender record from ``since``, dated by its crime
    (``person_key``, ``event_date``): the events re-offending counts."""
    from vrn.police.models import Crime, Person

    crimes = pd.DataFrame(
        list(
            Crime.objects.filter(committed_date__gte=since)
            .order_by()
            .values_list("force_code", "crime_reference", "committed_date")
        ),
        columns=["force_code", "crime_reference", "event_date"],
    )
    people = pd.DataFrame(
        list(
            Person.objects.filter(
                role__in=["suspect", "offender"], crime_month__gte=since.replace(day=1)
            )
            .exclude(person_key="")
            .order_by()
            .values_list("force_code", "crime_reference", "person_key")
        ),
        columns=["force_code", "crime_reference", "person_key"],
    )
    events = people.merge(crimes, on=["force_code", "crime_reference"], how="inner")
    events["event_date"] = _dates(events["event_date"])
    return events[["person_key", "event_date"]].drop_duplicates().reset_index(drop=True)


def area_names(codes: Iterable[str]) -> dict[str, str]:
    """The name of each area code (codes with no area are left out)."""
    from vrn.geography.models import Area

    wanted = sorted({str(code) for code in codes if code})
    return dict(Area.objects.filter(code__in=wanted).values_list("code", "name"))


def programme_choices() -> list[tuple[str, str, str, str]]:
    """(code, name, provider code, provider name) of every programme, for navigation."""
    return [
        (code, name, provider_code or "", provider_name)
        for code, name, provider_code, provider_name in Programme.objects.order_by(
            "code"
        ).values_list("code", "name", "provider__code", "provider__name")
    ]

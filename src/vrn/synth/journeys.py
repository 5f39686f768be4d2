"""Intervention participants and their journeys, in the intervention formats.

A referral becomes a participant; a share start (``conversion``), have contacts at the
programme's interval (some missed), an entry assessment on the day they start, two to four
distance-travelled reviews, an exit with a reason (a share complete) and outcomes with
evidence. Nothing is dated after the world's last day: a journey the world ends in the
middle of is an open case. :class:`JourneyPlan` resolves each programme's codes against
the definitions in use (an id they do not have is left out with a note) and computes the
planted truth from the parameters (``interventions`` in ``truth.json``); the sampler
(``vrn.synth.generate``) gives it the referrals and a random stream.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from vrn.definitions import Definitions
from vrn.definitions.scales import Scale
from vrn.synth import calibration as cal
from vrn.synth.model import Model
from vrn.synth.programmes import OutcomeRate, ProgrammeSpec, ScaleEffect, Weights
from vrn.synth.sampling import cumulative, days_to_text, draw

Objects = npt.NDArray[Any]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: The files of the intervention formats, by part, in load order (participants first).
FILE_NAMES = {
    "participants": "intervention-participants.csv",
    "assessments": "intervention-assessments.csv",
    "contacts": "intervention-contacts.csv",
    "reviews": "intervention-reviews.csv",
    "outcomes": "intervention-outcomes.csv",
}
PARTICIPANT_COLUMNS = (
    "provider_code",
    "programme_code",
    "case_reference",
    "referral_date",
    "referral_source",
    "reachable_moment",
    "consent_status",
    "lawful_basis",
    "age",
    "sex",
    "ethnicity",
    "priority_groups",
    "residence_lsoa",
    "start_date",
    "exit_date",
    "exit_reason",
    "person_key",
    "synthetic",
)
CONTACT_COLUMNS = (
    "provider_code",
    "case_reference",
    "contact_date",
    "kind",
    "attendance",
    "duration_minutes",
    "synthetic",
)
OUTCOME_COLUMNS = (
    "provider_code",
    "case_reference",
    "kind",
    "outcome_date",
    "evidence",
    "synthetic",
)
#: The reviews file: these, one column per area of the scales used, then ``synthetic``.
REVIEW_LEAD = ("provider_code", "case_reference", "review_date", "scale")
#: The assessments file: these, one column per factor of the checklist, then ``synthetic``.
ASSESSMENT_LEAD = ("provider_code", "case_reference", "assessed_on", "stage")
#: The exit reason and consent status that go together when a participant withdraws.
WITHDRAWAL = ("withdrew_consent", "withdrawn")
#: Days in the window a re-attendance is counted in.
REATTENDANCE_WINDOW_DAYS = 365
#: What ``interventions`` in ``truth.json`` holds.
TRUTH_DESCRIPTION = (
    "The planted intervention journeys (Analytic: parameters and closed forms, never "
    "measured). `programmes`, by programme code: expected_referrals (expected value); "
    "conversion_rate P(start | referral); completion_rate P(exit reason counted completed | "
    "start); outcome_rates[kind]: P(outcome | start), and given completed or not; "
    "distance_travelled[scale]: planted_change of the latent level between a participant's "
    "first and last review, and expected_change, the expected change of the review score "
    "(the mean of the area scores, rounded and kept within the scale's range) for "
    "participants with two reviews or more; cohort_referred_by: every event of a journey "
    "referred on or before it is in the files (later journeys may be open), so rates are "
    "measured on that cohort. VIP ed_reattendance_12m: P(another ED assault attendance "
    "within 365 days after the attendance it was referred from) for starters, referrals that "
    "did not start and attendees not referred (ages in `ed_reattendance`); the repeat "
    "victims the police file already has add a little to every group. "
    "`ed_reattendance`: the ages, window, share for attendees who did not start, the expected "
    "re-attendance rows written, and the last index date whose whole window is in the files."
)


@dataclass
class Referrals:
    """People referred to one programme, one entry per referral."""

    person_key: Objects
    age: Ints
    male: Bools
    ethnicity: Objects
    lsoa: Objects
    #: Days since 1970-01-01.
    referral_day: Ints
    started: Bools

    def __len__(self) -> int:
        return len(self.person_key)


@dataclass
class JourneyFrames:
    """Rows of each intervention file, columns in file order."""

    participants: pd.DataFrame
    assessments: pd.DataFrame
    contacts: pd.DataFrame
    reviews: pd.DataFrame
    outcomes: pd.DataFrame

    def part(self, name: str) -> pd.DataFrame:
        frame: pd.DataFrame = getattr(self, name)
        return frame


@dataclass
class _Choice:
    """A categorical choice among code ids (empty: the value is blank)."""

    ids: Objects
    cum: Floats | None

    def pick(self, rng: np.random.Generator, n: int) -> Objects:
        if self.cum is None:
            rng.random(n)  # the same variates whether or not there is a choice
            return np.full(n, "", dtype=object)
        result: Objects = self.ids[draw(rng, self.cum, n=n)]
        return result


@dataclass
class Programme:
    """A programme resolved against the definitions in use."""

    index: int
    spec: ProgrammeSpec
    referral_sources: _Choice
    reachable_moments: _Choice
    exit_reasons: _Choice
    not_started_exit_reasons: _Choice
    contact_kinds: _Choice
    missed_attendance: _Choice
    completed_reason: str
    attended: str
    consent_status: str
    lawful_basis: str
    lawful_basis_after_withdrawal: str
    withdrawal: tuple[str, str] | None
    scales: list[tuple[ScaleEffect, Scale]]
    outcomes: list[tuple[OutcomeRate, _Choice]]
    #: Priority groups needing partner data: (id, share).
    group_shares: list[tuple[str, float]]
    #: P(present) for every factor of the checklist, in checklist order.
    factor_shares: Floats
    #: Community cohorts: cumulative weights over the world's days and local authorities.
    cum_days: Floats | None = None
    cum_la: Floats | None = None


class JourneyPlan:
    """The programmes of a world, resolved against its definitions, and their truth."""

    def __init__(self, model: Model, definitions: Definitions) -> None:
        self.model = model
        self.definitions = definitions
        self.notes: list[str] = []
        self.codes = definitions.intervention_codes
        self.checklist = definitions.risk_factors
        self.programmes = [
            self._resolve(index, spec) for index, spec in enumerate(model.parameters.programmes)
        ]
        used = {scale.id for programme in self.programmes for _, scale in programme.scales}
        self.scales = [s for s in definitions.distance_scales.scales if s.id in used]
        self.area_ids: list[str] = []
        for scale in self.scales:
            self.area_ids += [area.id for area in scale.areas if area.id not in self.area_ids]
        self.factor_ids = list(self.checklist.ids)
        self.columns: dict[str, tuple[str, ...]] = {
            "participants": PARTICIPANT_COLUMNS,
            "assessments": (*ASSESSMENT_LEAD, *self.factor_ids, "synthetic"),
            "contacts": CONTACT_COLUMNS,
            "reviews": (*REVIEW_LEAD, *self.area_ids, "synthetic"),
            "outcomes": OUTCOME_COLUMNS,
        }
        self.groups = definitions.priorities.groups

    @property
    def ed_programme(self) -> Programme | None:
        return next((p for p in self.programmes if p.spec.cohort == "ed_attendees"), None)

    # ------------------------------------------------------------------ resolving
    def _note(self, spec: ProgrammeSpec, text: str) -> None:
        self.notes.append(f"programme {spec.code}: {text}")

    def _choice(self, spec: ProgrammeSpec, list_name: str, weights: Weights) -> _Choice:
        known = set(self.codes.ids(list_name))
        kept = [(code, weight) for code, weight in weights if code in known and weight > 0]
        missing = [code for code, _ in weights if code not in known]
        if missing:
            self._note(spec, f"{list_name} {', '.join(missing)} not in the definitions; left out")
        if not kept:
            return _Choice(np.array([], dtype=object), None)
        return _Choice(
            np.array([code for code, _ in kept], dtype=object),
            cumulative([weight for _, weight in kept]),
        )

    def _fallback(self, choice: _Choice, ids: Sequence[str]) -> _Choice:
        """``choice``, or a uniform choice among ``ids`` when it has none."""
        if choice.cum is not None or not ids:
            return choice
        return _Choice(np.array(list(ids), dtype=object), cumulative(np.ones(len(ids))))

    def _code(self, spec: ProgrammeSpec, list_name: str, code: str) -> str:
        if self.codes.has(list_name, code):
            return code
        fallback = self.codes.ids(list_name)[0]
        self._note(spec, f"{list_name} {code} not in the definitions; {fallback} used")
        return fallback

    def _resolve(self, index: int, spec: ProgrammeSpec) -> Programme:
        codes = self.codes
        completed = codes.completed_exit_reasons
        others = [code for code in codes.ids("exit_reason") if code not in completed]
        missed = [code for code in codes.ids("attendance") if code not in codes.attended_codes]
        if not completed:
            self._note(spec, "no exit reason counts as completed; the first is used")
        scales: list[tuple[ScaleEffect, Scale]] = []
        for effect in spec.scales:
            scale = next(
                (
                    s
                    for s in self.definitions.distance_scales.scales
                    if s.perspective == effect.perspective
                ),
                None,
            )
            if scale is None:
                self._note(spec, f"no {effect.perspective} distance scale; its reviews left out")
            elif effect.share_reviewed > 0:
                scales.append((effect, scale))
        kinds = set(codes.ids("outcome_kind"))
        outcomes: list[tuple[OutcomeRate, _Choice]] = []
        for outcome in spec.outcomes:
            requirement_kept = outcome.requires is None or any(
                kept.kind == outcome.requires for kept, _ in outcomes
            )
            if outcome.kind not in kinds or not requirement_kept:
                self._note(spec, f"outcome {outcome.kind} not in the definitions; left out")
                continue
            evidence = self._fallback(
                self._choice(spec, "evidence_kind", outcome.evidence), codes.ids("evidence_kind")
            )
            outcomes.append((outcome, evidence))
        groups = {group.id: group for group in self.definitions.priorities.groups}
        group_shares = []
        for group_id, share in spec.priority_group_shares:
            if group_id not in groups:
                self._note(spec, f"priority group {group_id} not in the definitions; left out")
            elif not groups[group_id].identifiable_in_data:
                group_shares.append((group_id, share))
        overrides = dict(spec.factor_shares)
        for factor_id in overrides:
            if factor_id not in self.checklist.ids:
                self._note(spec, f"factor {factor_id} not in the checklist; left out")
        factor_shares = np.array(
            [
                overrides.get(
                    factor.id,
                    spec.risk_factor_share
                    if factor.kind == "risk"
                    else spec.protective_factor_share,
                )
                for factor in self.checklist.factors
            ]
        )
        withdrawal = (
            WITHDRAWAL
            if codes.has("exit_reason", WITHDRAWAL[0])
            and codes.has("consent_status", WITHDRAWAL[1])
            else None
        )
        programme = Programme(
            index=index,
            spec=spec,
            referral_sources=self._fallback(
                self._choice(spec, "referral_source", spec.referral_sources),
                codes.ids("referral_source"),
            ),
            reachable_moments=self._choice(spec, "reachable_moment", spec.reachable_moments),
            exit_reasons=self._fallback(
                self._choice(spec, "exit_reason", spec.exit_reasons), others
            ),
            not_started_exit_reasons=self._fallback(
                self._choice(spec, "exit_reason", spec.not_started_exit_reasons), others
            ),
            contact_kinds=self._fallback(
                self._choice(spec, "contact_kind", spec.contact_kinds), codes.ids("contact_kind")
            ),
            missed_attendance=self._fallback(
                self._choice(spec, "attendance", spec.missed_attendance), missed
            ),
            completed_reason=(completed or codes.ids("exit_reason"))[0],
            attended=codes.attended_codes[0]
            if codes.attended_codes
            else codes.ids("attendance")[0],
            consent_status=self._code(spec, "consent_status", spec.consent_status),
            lawful_basis=self._code(spec, "lawful_basis", spec.lawful_basis),
            lawful_basis_after_withdrawal=self._code(
                spec, "lawful_basis", spec.lawful_basis_after_withdrawal
            ),
            withdrawal=withdrawal,
            scales=scales,
            outcomes=outcomes,
            group_shares=group_shares,
            factor_shares=factor_shares,
        )
        if spec.cohort == "community":
            programme.cum_days, programme.cum_la = self._community_tables(spec)
        return programme

    def _community_tables(self, spec: ProgrammeSpec) -> tuple[Floats, Floats]:
        """Weights of the world's days (weekdays; school days: not August) and of its
        local authorities (population, times the weights of priority areas)."""
        model = self.model
        days = model.world_days
        weekday = ((days.astype(np.int64) + 3) % 7) < 5
        if spec.school_days:
            months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
            weekday &= months != 8
        day_weights = weekday.astype(float) if weekday.any() else np.ones(len(days))
        population = np.bincount(
            model.lsoa_la, weights=model.lsoa_population, minlength=model.n_la
        ).astype(float)
        areas = {area.id: area for area in self.definitions.priorities.areas}
        for area_id, weight in spec.area_weights:
            area = areas.get(area_id)
            code = area.codes.get("local_authority") if area is not None else None
            if code is None:
                self._note(spec, f"priority area {area_id} has no local authority; not weighted")
            elif code in model.la_codes:
                population[model.la_codes.index(code)] *= weight
        if population.sum() <= 0:
            population = np.ones(model.n_la)
        return cumulative(day_weights), cumulative(population)

    # ------------------------------------------------------------------ journeys
    def empty(self) -> JourneyFrames:
        frames = {part: pd.DataFrame(columns=list(self.columns[part])) for part in FILE_NAMES}
        return JourneyFrames(**frames)

    def priority_groups(
        self, referrals: Referrals, rng: np.random.Generator, programme: Programme
    ) -> Objects:
        """Each referral's priority groups, ids joined by ``;`` in the definition's order:
        groups of sex and age from the referral's, the others drawn at their shares."""
        n = len(referrals)
        ages = pd.Series(referrals.age, dtype="int64")
        shares = dict(programme.group_shares)
        members = []
        for group in self.groups:
            if group.identifiable_in_data:
                member = np.ones(n, dtype=bool)
                if group.sex is not None:
                    member &= referrals.male == (group.sex == "male")
                if group.age is not None:
                    member &= group.age.mask(ages, self.definitions.age_bands).to_numpy(bool)
                members.append((group.id, member))
            elif group.id in shares:
                members.append((group.id, rng.random(n) < shares[group.id]))
        out = np.full(n, "", dtype=object)
        for group_id, member in members:
            out = np.where(member, np.where(out == "", group_id, out + ";" + group_id), out)
        return out

    def journeys(
        self,
        rng: np.random.Generator,
        programme: Programme,
        referrals: Referrals,
        first_case: int,
    ) -> JourneyFrames:
        """Every record of the referrals' journeys (case references numbered from
        ``first_case + 1``), dated no later than the world's last day."""
        n = len(referrals)
        if n == 0:
            return self.empty()
        spec = programme.spec
        last = self.model.last_day
        provider = spec.provider_code
        case = np.array(
            [f"{spec.case_prefix}-{first_case + i + 1:06d}" for i in range(n)], dtype=object
        )
        referral = referrals.referral_day.astype(np.int64)
        started = referrals.started.astype(bool)

        source = programme.referral_sources.pick(rng, n)
        moment = programme.reachable_moments.pick(rng, n)
        groups = self.priority_groups(referrals, rng, programme)
        start = referral + rng.integers(spec.start_delay_days[0], spec.start_delay_days[1] + 1, n)
        completed = started & (rng.random(n) < spec.completion)
        done = rng.integers(spec.completed_days[0], spec.completed_days[1] + 1, n)
        stopped = rng.integers(spec.not_completed_days[0], spec.not_completed_days[1] + 1, n)
        planned = rng.integers(spec.completed_days[0], spec.completed_days[1] + 1, n)
        closed = referral + rng.integers(
            spec.not_started_close_days[0], spec.not_started_close_days[1] + 1, n
        )
        leave_reason = programme.exit_reasons.pick(rng, n)
        close_reason = programme.not_started_exit_reasons.pick(rng, n)
        exit_day = np.where(started, start + np.where(completed, done, stopped), closed)
        planned = np.where(completed, done, planned)
        reason = np.where(
            started, np.where(completed, programme.completed_reason, leave_reason), close_reason
        )
        start_written = started & (start <= last)
        exit_written = (exit_day <= last) & (start_written | ~started)

        consent = np.full(n, programme.consent_status, dtype=object)
        basis = np.full(n, programme.lawful_basis, dtype=object)
        if programme.withdrawal is not None:
            withdrew = exit_written & (reason == programme.withdrawal[0])
            consent[withdrew] = programme.withdrawal[1]
            basis[withdrew] = programme.lawful_basis_after_withdrawal
        participants = pd.DataFrame(
            {
                "provider_code": provider,
                "programme_code": spec.code,
                "case_reference": case,
                "referral_date": days_to_text(referral),
                "referral_source": source,
                "reachable_moment": moment,
                "consent_status": consent,
                "lawful_basis": basis,
                "age": referrals.age,
                "sex": np.where(referrals.male, "M", "F"),
                "ethnicity": referrals.ethnicity,
                "priority_groups": groups,
                "residence_lsoa": referrals.lsoa,
                "start_date": np.where(start_written, days_to_text(start), ""),
                "exit_date": np.where(exit_written, days_to_text(exit_day), ""),
                "exit_reason": np.where(exit_written, reason, ""),
                "person_key": referrals.person_key,
                "synthetic": "true",
            },
            columns=list(PARTICIPANT_COLUMNS),
        )
        who = _Journeys(
            case,
            provider,
            referral,
            start,
            exit_day,
            planned,
            completed,
            started,
            start_written,
            closed,
        )
        return JourneyFrames(
            participants=participants,
            assessments=self._assessments(rng, programme, who, referrals),
            contacts=self._contacts(rng, programme, who),
            reviews=self._reviews(rng, programme, who),
            outcomes=self._outcomes(rng, programme, who),
        )

    def _assessments(
        self, rng: np.random.Generator, programme: Programme, who: _Journeys, referrals: Referrals
    ) -> pd.DataFrame:
        present = rng.random((len(who.case), len(self.factor_ids))) < programme.factor_shares
        if cal.SEX_FACTOR in self.factor_ids:
            present[:, self.factor_ids.index(cal.SEX_FACTOR)] = referrals.male
        rows = np.flatnonzero(who.start_written)
        answers = np.where(present[rows], "yes", "no")
        frame = pd.DataFrame(
            {
                "provider_code": who.provider,
                "case_reference": who.case[rows],
                "assessed_on": days_to_text(who.start[rows]),
                "stage": "entry",
                **{factor: answers[:, i] for i, factor in enumerate(self.factor_ids)},
                "synthetic": "true",
            },
            columns=list(self.columns["assessments"]),
        )
        return frame

    def _contacts(
        self, rng: np.random.Generator, programme: Programme, who: _Journeys
    ) -> pd.DataFrame:
        spec = programme.spec
        last = self.model.last_day
        interval = spec.contact_interval_days
        # sessions from the start to the exit (or the world's end), one every interval
        end = np.minimum(who.exit_day, last)
        sessions = np.where(who.start_written, (end - who.start) // interval + 1, 0)
        person = np.repeat(np.arange(len(who.case)), sessions)
        step = np.arange(len(person)) - np.repeat(np.cumsum(sessions) - sessions, sessions)
        jitter = rng.integers(-2, 3, len(person))
        day = who.start[person] + step * interval + np.where(step > 0, jitter, 0)
        day = np.clip(day, who.start[person], end[person])
        missed_share = np.where(
            who.completed[person], spec.missed_share_completed, spec.missed_share_not_completed
        )
        attended = (step == 0) | (rng.random(len(person)) >= missed_share)
        # referrals that never start: one or two attempts to engage, not attended
        tries = np.where(~who.started, rng.integers(1, 3, len(who.case)), 0)
        other = np.repeat(np.arange(len(who.case)), tries)
        span = np.maximum(who.closed[other] - who.referral[other], 1)
        other_day = who.referral[other] + np.floor(rng.random(len(other)) * (span + 1)).astype(
            np.int64
        )
        person = np.r_[person, other]
        day = np.r_[day, other_day]
        attended = np.r_[attended, np.zeros(len(other), dtype=bool)]
        k = len(person)
        kind = programme.contact_kinds.pick(rng, k)
        missed = programme.missed_attendance.pick(rng, k)
        low, high = spec.duration_minutes
        minutes = 5 * np.round(rng.integers(low, high + 1, k) / 5).astype(np.int64)
        minutes = np.clip(minutes, max(low, 1), max(high, 1))
        keep = day <= last
        order = np.lexsort((day[keep], person[keep]))
        rows = np.flatnonzero(keep)[order]
        return pd.DataFrame(
            {
                "provider_code": who.provider,
                "case_reference": who.case[person[rows]],
                "contact_date": days_to_text(day[rows]),
                "kind": kind[rows],
                "attendance": np.where(attended[rows], programme.attended, missed[rows]),
                "duration_minutes": np.where(attended[rows], minutes[rows].astype(str), ""),
                "synthetic": "true",
            },
            columns=list(CONTACT_COLUMNS),
        )

    def _reviews(
        self, rng: np.random.Generator, programme: Programme, who: _Journeys
    ) -> pd.DataFrame:
        spec = programme.spec
        last = self.model.last_day
        n = len(who.case)
        count = rng.integers(spec.reviews[0], spec.reviews[1] + 1, n)
        count = np.where(who.start_written, count, 0)
        person = np.repeat(np.arange(n), count)
        step = np.arange(len(person)) - np.repeat(np.cumsum(count) - count, count)
        steps = np.maximum(count[person] - 1, 1)
        day = who.start[person] + np.round(step / steps * who.planned[person]).astype(np.int64)
        kept = (day <= who.exit_day[person]) & (day <= last)
        held = np.bincount(person[kept], minlength=n)
        person, step, day = person[kept], step[kept], day[kept]
        # the j-th of m reviews is j / (m - 1) of the way: the last shows the whole change
        fraction = np.where(held[person] > 1, step / np.maximum(held[person] - 1, 1), 0.0)
        frames = []
        for order, (effect, scale) in enumerate(programme.scales):
            reviewed = rng.random(n) < effect.share_reviewed
            baseline = rng.normal(effect.baseline_mean, effect.baseline_sd, n)
            change = rng.normal(effect.change, effect.change_sd, n)
            areas = [area.id for area in scale.areas]
            noise = rng.normal(0.0, effect.noise_sd, (len(person), len(areas)))
            latent = baseline[person] + fraction * change[person]
            scores = np.clip(np.round(latent[:, None] + noise), scale.minimum, scale.maximum)
            rows = np.flatnonzero(reviewed[person])
            columns = {
                area: (
                    scores[rows, areas.index(area)].astype(np.int64).astype(str)
                    if area in areas
                    else np.full(len(rows), "", dtype=object)
                )
                for area in self.area_ids
            }
            frames.append(
                pd.DataFrame(
                    {
                        "person": person[rows],
                        "step": step[rows],
                        "order": order,
                        "provider_code": who.provider,
                        "case_reference": who.case[person[rows]],
                        "review_date": days_to_text(day[rows]),
                        "scale": scale.id,
                        **columns,
                        "synthetic": "true",
                    }
                )
            )
        if not frames:
            return self.empty().reviews
        frame = pd.concat(frames, ignore_index=True).sort_values(
            ["person", "step", "order"], kind="stable"
        )
        return frame[list(self.columns["reviews"])].reset_index(drop=True)

    def _outcomes(
        self, rng: np.random.Generator, programme: Programme, who: _Journeys
    ) -> pd.DataFrame:
        spec = programme.spec
        n = len(who.case)
        got: dict[str, tuple[Bools, Ints]] = {}
        person_parts, day_parts, kind_parts, evidence_parts = [], [], [], []
        for outcome, evidence in programme.outcomes:
            chance = np.where(who.completed, outcome.completed, outcome.not_completed)
            has = who.started & (rng.random(n) < chance)
            day = who.start + rng.integers(spec.outcome_days[0], spec.outcome_days[1] + 1, n)
            if outcome.requires is not None:
                required, required_day = got[outcome.requires]
                has &= required
                day = required_day + outcome.lag_days
            got[outcome.kind] = (has, day)
            shown = evidence.pick(rng, n)
            rows = np.flatnonzero(has & who.start_written & (day <= self.model.last_day))
            person_parts.append(rows)
            day_parts.append(day[rows])
            kind_parts.append(np.full(len(rows), outcome.kind, dtype=object))
            evidence_parts.append(shown[rows])
        if not person_parts:
            return self.empty().outcomes
        person = np.concatenate(person_parts)
        day = np.concatenate(day_parts)
        order = np.lexsort((day, person))
        return pd.DataFrame(
            {
                "provider_code": who.provider,
                "case_reference": who.case[person[order]],
                "kind": np.concatenate(kind_parts)[order],
                "outcome_date": days_to_text(day[order]),
                "evidence": np.concatenate(evidence_parts)[order],
                "synthetic": "true",
            },
            columns=list(OUTCOME_COLUMNS),
        )

    # ------------------------------------------------------------------ truth
    def truth(self) -> dict[str, Any]:
        """The planted values of every programme (``interventions`` in ``truth.json``)."""
        model = self.model
        last = np.datetime64(model.last_day, "D").item()
        assert isinstance(last, dt.date)
        programmes: dict[str, Any] = {}
        for programme in self.programmes:
            spec = programme.spec
            c = spec.completion
            entry: dict[str, Any] = {
                "name": spec.name,
                "provider_code": spec.provider_code,
                "case_prefix": spec.case_prefix,
                "expected_referrals": _round(self._expected_referrals(spec)),
                "conversion_rate": spec.conversion,
                "completion_rate": c,
                "cohort_referred_by": (last - dt.timedelta(days=spec.follow_up_days)).isoformat(),
                "outcome_rates": {},
                "distance_travelled": {},
            }
            rates: dict[str, tuple[float, float]] = {}
            for outcome, _ in programme.outcomes:
                done, other = outcome.completed, outcome.not_completed
                if outcome.requires is not None:
                    done *= rates[outcome.requires][0]
                    other *= rates[outcome.requires][1]
                rates[outcome.kind] = (done, other)
                entry["outcome_rates"][outcome.kind] = {
                    "started": _round(c * done + (1 - c) * other),
                    "completed": _round(done),
                    "not_completed": _round(other),
                }
            for effect, scale in programme.scales:
                first = expected_score(effect.baseline_mean, _spread(effect, 0.0), scale)
                final = expected_score(
                    effect.baseline_mean + effect.change, _spread(effect, 1.0), scale
                )
                entry["distance_travelled"][scale.id] = {
                    "perspective": scale.perspective,
                    "share_reviewed": effect.share_reviewed,
                    "planted_change": effect.change,
                    "expected_first": _round(first),
                    "expected_last": _round(final),
                    "expected_change": _round(final - first),
                }
            if spec.cohort == "ed_attendees":
                entry["ed_reattendance_12m"] = {
                    "started": spec.reattendance_share_started,
                    "referred_not_started": model.parameters.ed_reattendance_share,
                    "not_referred": model.parameters.ed_reattendance_share,
                }
            programmes[spec.code] = entry
        low, high = model.parameters.ed_reattendance_ages
        return {
            "programmes": programmes,
            "ed_reattendance": {
                "ages": [low, high],
                "window_days": REATTENDANCE_WINDOW_DAYS,
                "share": model.parameters.ed_reattendance_share,
                "expected_rows": _round(
                    model.expected_reattendances_linked + model.expected_reattendances_ed_only
                ),
                "last_index_date_with_full_window": (
                    last - dt.timedelta(days=REATTENDANCE_WINDOW_DAYS)
                ).isoformat(),
            },
        }

    def _expected_referrals(self, spec: ProgrammeSpec) -> float:
        model = self.model
        if spec.cohort == "community":
            return spec.referrals_per_100k_crimes * model.n_crimes / 100_000
        return spec.ed_referral_share * model.expected_attendances_aged(*spec.ages)


@dataclass
class _Journeys:
    """What every part of a journey needs, one entry per referral."""

    case: Objects
    provider: str
    referral: Ints
    start: Ints
    exit_day: Ints
    planned: Ints
    completed: Bools
    started: Bools
    start_written: Bools
    closed: Ints = field(repr=False)


def _spread(effect: ScaleEffect, fraction: float) -> float:
    """Standard deviation of an area score's latent value at a fraction of the way."""
    return math.sqrt(
        effect.baseline_sd**2 + (fraction * effect.change_sd) ** 2 + effect.noise_sd**2
    )


def expected_score(mean: float, sd: float, scale: Scale) -> float:
    """E[clip(round(Y), minimum, maximum)] for Y ~ N(mean, sd): the minimum plus
    P(Y >= k + 0.5) for each step k up to the maximum."""
    if sd <= 0:
        return float(min(max(round(mean), scale.minimum), scale.maximum))
    steps = np.arange(scale.minimum, scale.maximum) + 0.5
    above = [0.5 * math.erfc((step - mean) / (sd * math.sqrt(2))) for step in steps]
    return float(scale.minimum + sum(above))


def _round(value: float) -> float:
    return round(float(value), 6)

"""The sampler: a synthetic world, block by block, in the partner formats.

Randomness: one :class:`numpy.random.SeedSequence` per (component, block), made from the
seed and a spawn key, so every component (crimes, people, emergency department,
admissions, repeat pools, person keys, indicators, re-attendances, intervention journeys)
has its own stream and changing one component's parameters does not change the draws of
another. Crimes are generated in blocks of
:data:`BLOCK_SIZE` (a fixed constant of the generator, not a tuning knob): the output
depends on the seed, the parameters, the world and the number of crimes, never on memory
or timing. Memory is bounded by one block whatever the number of crimes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from vrn.definitions import Definitions
from vrn.synth import calibration as cal
from vrn.synth.indicators import IndicatorPlan
from vrn.synth.journeys import TRUTH_DESCRIPTION, JourneyFrames, JourneyPlan, Programme, Referrals
from vrn.synth.model import NONE, O25, U25, Model
from vrn.synth.parameters import Parameters
from vrn.synth.sampling import (
    cumulative,
    days_to_text,
    draw,
    minutes_to_text,
    person_keys,
    scatter,
    skip_spring_forward,
)
from vrn.synth.truth import compute_truth
from vrn.synth.world import Skeleton, World

Objects = npt.NDArray[Any]
Ints = npt.NDArray[np.int64]

#: Crimes per block: the unit of randomness and of writing.
BLOCK_SIZE = 65_536
#: Independent random streams, by component.
STREAMS = {
    "pools": 0,
    "crimes": 1,
    "people": 2,
    "ed": 3,
    "admissions": 4,
    "keys": 5,
    "indicators": 6,
    "reattendance": 7,
    "repeats": 8,
    "journeys": 9,
    "programmes": 10,
}

#: Person numbers: fresh people of crime i are ``i * 8 + slot``; the pools and the patients
#: the police never hear of live in their own ranges.
_VICTIM_POOL = np.uint64(1 << 60)
_SUSPECT_POOL = np.uint64(2 << 60)
_ED_ONLY = np.uint64(3 << 60)
#: People of the programmes that do not take ED attendees: ``4 << 60 | programme << 40 | i``.
_PROGRAMME_PEOPLE = np.uint64(4 << 60)
_SUSPECT_SLOT = 3

CRIME_COLUMNS = (
    "crime_reference",
    "force_code",
    "offence_code",
    "offence_description",
    "committed_from",
    "committed_to",
    "latitude",
    "longitude",
    "lsoa_code",
    "location_type",
    "weapon",
    "domestic",
    "injury",
    "synthetic",
)
PEOPLE_COLUMNS = (
    "crime_reference",
    "force_code",
    "role",
    "person_key",
    "age",
    "sex",
    "ethnicity",
    "residence_lsoa",
    "synthetic",
)
ISTV_COLUMNS = (
    "attendance_id",
    "treatment_site_code",
    "arrival",
    "incident_date",
    "incident_time",
    "incident_location",
    "incident_latitude",
    "incident_longitude",
    "geocode_confidence",
    "incident_location_type",
    "means_of_assault",
    "age",
    "sex",
    "residence_lsoa",
    "person_key",
    "synthetic",
)
DIAGNOSES = 5
ADMISSION_COLUMNS = (
    "episode_id",
    "provider_code",
    "person_key",
    "admission_date",
    "admission_method",
    "episode_order",
    "episode_status",
    "episode_start",
    "episode_end",
    "discharge_date",
    "length_of_stay",
    *(f"diag_{i:02d}" for i in range(1, DIAGNOSES + 1)),
    "age",
    "sex",
    "residence_lsoa",
    "synthetic",
)


@dataclass
class Block:
    """One block of every output file, columns in file order, ready to write."""

    crimes: pd.DataFrame
    people: pd.DataFrame
    istv: pd.DataFrame
    admissions: pd.DataFrame
    n_crimes: int
    #: The journeys of the block's referrals from ED attendances (the VIP).
    journeys: JourneyFrames


@dataclass
class _People:
    """Attributes of a set of people (one entry per row)."""

    ids: npt.NDArray[np.uint64]
    age: Ints
    sex: Ints
    lsoa: Ints
    la: Ints
    ethnicity: Ints

    def take(self, rows: Ints) -> _People:
        return _People(
            self.ids[rows],
            self.age[rows],
            self.sex[rows],
            self.lsoa[rows],
            self.la[rows],
            self.ethnicity[rows],
        )


@dataclass
class _Attendances:
    """ISTV rows and what admissions and referrals need of them, one entry per row."""

    frame: pd.DataFrame
    patients: _People
    #: Minutes since 1970-01-01 (local time).
    incident: Ints
    arrival: Ints
    types: Ints
    means: Ints

    def joined(self, other: _Attendances) -> _Attendances:
        return _Attendances(
            frame=pd.concat([self.frame, other.frame], ignore_index=True),
            patients=_People(
                np.r_[self.patients.ids, other.patients.ids].astype(np.uint64),
                np.r_[self.patients.age, other.patients.age],
                np.r_[self.patients.sex, other.patients.sex],
                np.r_[self.patients.lsoa, other.patients.lsoa],
                np.r_[self.patients.la, other.patients.la],
                np.r_[self.patients.ethnicity, other.patients.ethnicity],
            ),
            incident=np.r_[self.incident, other.incident],
            arrival=np.r_[self.arrival, other.arrival],
            types=np.r_[self.types, other.types],
            means=np.r_[self.means, other.means],
        )


@dataclass
class _Counters:
    crimes: int = 0
    attendances: int = 0
    episodes: int = 0
    ed_only: int = 0
    cases: int = 0


@dataclass
class Synthesis:
    """A synthetic world: the model, its truth, and its rows block by block.

    ``crimes``: the number of crimes (pure mode, required); in augmented mode, at most this
    many of the skeleton's incidents (all of them when ``None``), in skeleton order.
    """

    world: World
    definitions: Definitions
    seed: int
    mode: str
    crimes: int | None = None
    skeleton: Skeleton | None = None
    parameters: Parameters = field(default_factory=Parameters)

    def __post_init__(self) -> None:
        if self.seed < 0:
            raise ValueError("the seed must be a non-negative integer")
        if self.mode == "augmented":
            if self.skeleton is None:
                raise ValueError("augmented mode needs the skeleton of real incidents")
            if self.crimes is not None:
                self.skeleton = Skeleton(self.skeleton.incidents.iloc[: self.crimes])
            n_crimes = len(self.skeleton)
        elif self.mode == "pure":
            if self.crimes is None or self.crimes < 1:
                raise ValueError("pure mode needs a number of crimes of at least 1")
            n_crimes = self.crimes
        else:
            raise ValueError(f"mode must be 'pure' or 'augmented', not {self.mode!r}")
        self.n_crimes = n_crimes
        self.model = Model(
            parameters=self.parameters,
            world=self.world,
            definitions=self.definitions,
            mode=self.mode,
            n_crimes=n_crimes,
            skeleton=self.skeleton,
        )
        self.indicators = IndicatorPlan(self.model)
        self.model.notes.extend(self.indicators.notes)
        self.journeys = JourneyPlan(self.model, self.definitions)
        self.model.notes.extend(self.journeys.notes)
        interventions = {
            "interventions": {
                "value": self.journeys.truth(),
                "description": TRUTH_DESCRIPTION,
            }
        }
        self.truth = dict(
            sorted(
                {
                    **compute_truth(self.model),
                    **self.indicators.truth(),
                    **interventions,
                }.items()
            )
        )
        self._prepare()

    @property
    def n_blocks(self) -> int:
        return (self.n_crimes + BLOCK_SIZE - 1) // BLOCK_SIZE

    def _rng(self, component: str, block: int = 0) -> np.random.Generator:
        sequence = np.random.SeedSequence(self.seed, spawn_key=(STREAMS[component], block))
        return np.random.Generator(np.random.PCG64(sequence))

    def indicator_rows(self) -> pd.DataFrame:
        """The rows of ``indicators.csv`` (:mod:`vrn.synth.indicators`), from their own
        random stream: they change no other file."""
        return self.indicators.frame(self._rng("indicators"))

    def community_journeys(self) -> Iterator[JourneyFrames]:
        """The journeys of each programme that does not take ED attendees (written after
        the blocks), each from its own random stream."""
        for programme in self.journeys.programmes:
            if programme.spec.cohort != "community":
                continue
            rng = self._rng("programmes", programme.index)
            referrals = self._community_referrals(rng, programme)
            yield self.journeys.journeys(rng, programme, referrals, first_case=0)

    def _community_referrals(self, rng: np.random.Generator, programme: Programme) -> Referrals:
        """New people referred over the world's days, living by population (priority areas
        weighted) and deprivation, as :class:`Referrals`."""
        m = self.model
        spec = programme.spec
        assert programme.cum_days is not None and programme.cum_la is not None
        n = int(rng.poisson(spec.referrals_per_100k_crimes * self.n_crimes / 100_000))
        day = m.world_days[draw(rng, programme.cum_days, n=n)].astype(np.int64)
        age = rng.integers(spec.ages[0], spec.ages[1] + 1, n)
        male = rng.random(n) < spec.male_share
        la = draw(rng, programme.cum_la, n=n)
        lsoa = draw(rng, self.cum_residence_lsoa, la)
        ethnicity = draw(rng, self.cum_ethnicity, la)
        started = rng.random(n) < spec.conversion
        ids = (
            _PROGRAMME_PEOPLE
            | (np.uint64(programme.index) << np.uint64(40))
            | np.arange(n, dtype=np.uint64)
        )
        return Referrals(
            person_key=person_keys(ids, self.salts),
            age=age.astype(np.int64),
            male=male,
            ethnicity=np.array(cal.ETHNICITIES, dtype=object)[ethnicity],
            lsoa=self.lsoa_codes[lsoa],
            referral_day=day,
            started=started,
        )

    # ------------------------------------------------------------------ preparation
    def _prepare(self) -> None:
        m = self.model
        n_codes = len(m.codes)
        self.cum_code = cumulative(m.p_code)
        self.cum_code_given_type = cumulative(
            np.where(m.type_has_codes[:, None], m.code_given_type, 1.0)
        )
        self.cum_location = cumulative(m.location_options)
        self.cum_ed_location = (
            cumulative(m.ed_location_options) if m.ed_location_options.sum() > 0 else None
        )
        if m.mode == "pure":
            self.cum_day = cumulative(m.day_weights)
            self.cum_day_nte = cumulative(m.day_weights_no_change[m.nte_profile])
        else:
            self.cum_month_day = cumulative(
                np.where(
                    m.month_day_weights.sum(axis=1, keepdims=True) > 0, m.month_day_weights, 1.0
                )
            )
        self.cum_hour = cumulative(m.hour_weights.reshape(-1, 24))
        self.cum_suspect = cumulative(m.p_suspect)
        self.cum_place = cumulative(m.p_place.reshape(n_codes * 3, 3))
        self.cum_weapon = cumulative(m.p_weapon.reshape(n_codes * 2, -1))
        self.cum_injury = cumulative(m.p_injury.reshape(n_codes * len(cal.WEAPONS), -1))
        self.cum_victims = cumulative(m.p_victims)
        self.cum_suspect_count = cumulative(cal.SUSPECT_COUNTS)
        self.cum_profile = cumulative(m.profile_cells)
        self.cum_suspect_cells = cumulative(m.suspect_cells)
        self.cum_residence_la = cumulative(m.p_residence_la)
        self.cum_residence_lsoa = cumulative(m.p_residence_lsoa)
        self.cum_ethnicity = cumulative(m.la_ethnicity)
        self.cum_means = cumulative(m.p_means)
        self.cum_means_ed = cumulative(m.p_means_ed.reshape(6, -1))
        self.cum_istv_type = cumulative([cal.ISTV_TYPE_BY_PLACE[p] for p in cal.PLACES])
        self.cum_istv_ed_only = cumulative(cal.ISTV_TYPE_ED_ONLY)
        self.cum_stay = cumulative(cal.LENGTH_OF_STAY)
        self.cum_means_again = cumulative(m.p_means_again)
        sequence = np.random.SeedSequence(self.seed, spawn_key=(STREAMS["keys"],))
        self.salts: npt.NDArray[np.uint64] = sequence.generate_state(4, dtype=np.uint64).astype(
            np.uint64
        )
        self.codes = np.array(m.codes, dtype=object)
        self.descriptions = np.array(m.descriptions, dtype=object)
        self.lsoa_codes = np.array([*m.lsoa_codes, ""], dtype=object)
        self.la_names = np.array([*m.la_names, ""], dtype=object)
        if m.skeleton is not None:
            incidents = m.skeleton.incidents
            self.skeleton_lat = incidents["latitude"].to_numpy(dtype=float)
            self.skeleton_lon = incidents["longitude"].to_numpy(dtype=float)
            self.skeleton_lsoa = incidents["lsoa_code"].to_numpy(dtype=object)
            self.skeleton_text = incidents["location"].to_numpy(dtype=object)
        self._make_pools()

    def _people_from(
        self,
        rng: np.random.Generator,
        cells: Ints,
        incident_la: Ints,
    ) -> tuple[Ints, Ints, Ints, Ints, Ints]:
        """Age, sex, residence LSOA, residence local authority and ethnicity of people with
        the given age-sex cells, for incidents in the given local authorities."""
        la = draw(rng, self.cum_residence_la, incident_la)
        lsoa = draw(rng, self.cum_residence_lsoa, la)
        ethnicity = draw(rng, self.cum_ethnicity, la)
        return self.model.cell_age[cells], self.model.cell_sex[cells], lsoa, la, ethnicity

    def _make_pools(self) -> None:
        """Members of the repeat-victim and repeat-suspect pools, drawn once per world."""
        m = self.model
        rng = self._rng("pools")
        sizes = m.victim_pool_size
        strata = m.victim_strata()
        profile = np.repeat([p for p, _ in strata], sizes)
        g = np.repeat([g for _, g in strata], sizes)
        cells = draw(rng, self.cum_profile, profile)
        age, sex, lsoa, la, ethnicity = self._people_from(rng, cells, g)
        member = np.concatenate([np.arange(size) for size in sizes]).astype(np.uint64)
        stratum = np.repeat(np.arange(len(strata)), sizes).astype(np.uint64)
        ids = _VICTIM_POOL | (stratum << np.uint64(32)) | member
        self.victim_pool = _People(ids, age, sex, lsoa, la, ethnicity)
        self.victim_pool_start = np.r_[0, np.cumsum(sizes)[:-1]]
        self.victim_stratum = np.full((len(m.profile_names), m.n_la + 1), -1, dtype=np.int64)
        for k, (profile_index, la_index) in enumerate(strata):
            self.victim_stratum[profile_index, la_index] = k

        sizes = m.suspect_pool_size
        sstrata = m.suspect_strata()
        table = np.repeat([p * 2 + (grp - 1) for p, grp, _ in sstrata], sizes)
        g = np.repeat([g for _, _, g in sstrata], sizes)
        cells = draw(rng, self.cum_suspect_cells, table)
        age, sex, lsoa, la, ethnicity = self._people_from(rng, cells, g)
        member = np.concatenate([np.arange(size) for size in sizes]).astype(np.uint64)
        stratum = np.repeat(np.arange(len(sstrata)), sizes).astype(np.uint64)
        ids = _SUSPECT_POOL | (stratum << np.uint64(32)) | member
        self.suspect_pool = _People(ids, age, sex, lsoa, la, ethnicity)
        self.suspect_pool_start = np.r_[0, np.cumsum(sizes)[:-1]]

    # ------------------------------------------------------------------ blocks
    def blocks(self) -> Iterator[Block]:
        counters = _Counters()
        for block in range(self.n_blocks):
            start = block * BLOCK_SIZE
            n = min(BLOCK_SIZE, self.n_crimes - start)
            yield self._block(block, start, n, counters)

    def _block(self, block: int, start: int, n: int, counters: _Counters) -> Block:
        crimes = self._crimes(block, start, n)
        people, victims, primary_victim = self._people(block, start, crimes)
        first = self._istv(block, start, crimes, victims, primary_victim, counters)
        again, referrals = self._again(block, first, counters)
        attendances = first.joined(again)
        admissions = self._admissions(
            block,
            attendances.patients,
            attendances.arrival,
            attendances.types,
            attendances.means,
            counters,
        )
        programme = self.journeys.ed_programme
        if programme is not None:
            journeys = self.journeys.journeys(
                self._rng("journeys", block), programme, referrals, counters.cases
            )
            counters.cases += len(referrals)
        else:
            journeys = self.journeys.empty()
        counters.crimes += n
        return Block(
            crimes=crimes["frame"],
            people=people,
            istv=attendances.frame,
            admissions=admissions,
            n_crimes=n,
            journeys=journeys,
        )

    # ------------------------------------------------------------------ crimes
    def _crimes(self, block: int, start: int, n: int) -> dict[str, Any]:
        m = self.model
        p = self.parameters
        rng = self._rng("crimes", block)
        if m.mode == "pure":
            code = draw(rng, self.cum_code, n=n)
            option = draw(rng, self.cum_location, m.code_location[code])
            lsoa = m.option_lsoa[option]
            location = lsoa
            hot = option < m.n_hot
            centre_lat = np.where(hot, self._hot_lat(option), m.lsoa_lat[lsoa])
            centre_lon = np.where(hot, self._hot_lon(option), m.lsoa_lon[lsoa])
            radius = np.where(hot, cal.HOTSPOT_SD_M, m.lsoa_radius[lsoa])
            lat_n, lon_n = scatter(rng, centre_lat, centre_lon, radius, normal=True)
            lat_d, lon_d = scatter(rng, centre_lat, centre_lon, radius * 0.7, normal=False)
            latitude = np.where(hot, lat_n, lat_d)
            longitude = np.where(hot, lon_n, lon_d)
            lsoa_text = self.lsoa_codes[lsoa]
            day = draw(rng, self.cum_day, m.code_time[code]) + m.days[0].astype(np.int64)
            place_text = self.la_names[m.lsoa_la[lsoa]]
        else:
            rows = np.arange(start, start + n)
            code = draw(rng, self.cum_code_given_type, m.skeleton_type[rows])
            location = m.skeleton_location[rows]
            latitude = self.skeleton_lat[rows]
            longitude = self.skeleton_lon[rows]
            lsoa_text = self.skeleton_lsoa[rows]
            month = m.skeleton_month[rows]
            n_months = len(m.month_names)
            day_of_month = draw(rng, self.cum_month_day, m.code_time[code] * n_months + month)
            day = m.month_firsts[month].astype(np.int64) + day_of_month
            place_text = self.skeleton_text[rows]
        weekend = ((day + 3) % 7) >= 5
        hour = draw(rng, self.cum_hour, m.code_time[code] * 2 + weekend)
        minute = rng.integers(0, 60, n)
        windowed = rng.random(n) < m.code_window[code]
        duration = rng.integers(30, 48 * 60, n)
        committed = skip_spring_forward(day * 1440 + hour * 60 + minute)
        suspect = draw(rng, self.cum_suspect, code)
        place = draw(rng, self.cum_place, code * 3 + suspect)
        domestic = rng.random(n) < m.p_domestic[code, place]
        leicester = m.loc_leicester[location].astype(np.int64)
        weapon = draw(rng, self.cum_weapon, code * 2 + leicester)
        injury = draw(rng, self.cum_injury, code * len(cal.WEAPONS) + weapon)
        n_victims = draw(rng, self.cum_victims, code)
        n_suspects = np.where(suspect != NONE, 1 + draw(rng, self.cum_suspect_count, n=n), 0)

        refs = np.array([f"SYN{start + i + 1:010d}" for i in range(n)], dtype=object)
        committed_from, _, _ = minutes_to_text(committed)
        committed_to, _, _ = minutes_to_text(committed + duration)
        frame = pd.DataFrame(
            {
                "crime_reference": refs,
                "force_code": p.force_code,
                "offence_code": self.codes[code],
                "offence_description": self.descriptions[code],
                "committed_from": committed_from,
                "committed_to": np.where(windowed, committed_to, ""),
                "latitude": latitude,
                "longitude": longitude,
                "lsoa_code": lsoa_text,
                "location_type": np.array(cal.PLACES, dtype=object)[place],
                "weapon": np.array(cal.WEAPONS, dtype=object)[weapon],
                "domestic": np.where(domestic, "Y", "N"),
                "injury": np.array(cal.INJURIES, dtype=object)[injury],
                "synthetic": "true",
            },
            columns=list(CRIME_COLUMNS),
        )
        return {
            "frame": frame,
            "refs": refs,
            "code": code,
            "location": location,
            "latitude": latitude,
            "longitude": longitude,
            "place_text": place_text,
            "committed": committed,
            "suspect": suspect,
            "place": place,
            "domestic": domestic,
            "weapon": weapon,
            "injury": injury,
            "n_victims": n_victims,
            "n_suspects": n_suspects,
        }

    def _hot_lat(self, option: Ints) -> npt.NDArray[np.float64]:
        lat = np.array([h.latitude for h in self.model.hotspots] or [np.nan])
        return lat[np.minimum(option, max(len(self.model.hotspots) - 1, 0))]

    def _hot_lon(self, option: Ints) -> npt.NDArray[np.float64]:
        lon = np.array([h.longitude for h in self.model.hotspots] or [np.nan])
        return lon[np.minimum(option, max(len(self.model.hotspots) - 1, 0))]

    # ------------------------------------------------------------------ people
    def _people(
        self, block: int, start: int, crimes: dict[str, Any]
    ) -> tuple[pd.DataFrame, _People, Ints]:
        m = self.model
        p = self.parameters
        rng = self._rng("people", block)
        code = crimes["code"]
        g = m.loc_la[crimes["location"]]
        n = len(code)

        # victims
        counts = crimes["n_victims"]
        crime = np.repeat(np.arange(n), counts)
        first = np.r_[0, np.cumsum(counts)[:-1]]
        slot = np.arange(len(crime)) - first[crime]
        profile = m.victim_profile[code[crime], crimes["domestic"][crime].astype(np.int64)]
        cells = draw(rng, self.cum_profile, profile)
        age, sex, lsoa, la, ethnicity = self._people_from(rng, cells, g[crime])
        ids = (np.uint64(start) + crime.astype(np.uint64)) * np.uint64(8) + slot.astype(np.uint64)
        victims = _People(ids.astype(np.uint64), age, sex, lsoa, la, ethnicity)
        flag = rng.random(len(crime)) < p.repeat_victim_fraction
        pick = rng.random(len(crime))
        stratum = self.victim_stratum[profile, g[crime]]
        pooled = flag & (slot == 0) & (stratum >= 0)
        if pooled.any():
            s = stratum[pooled]
            member = np.floor(pick[pooled] * m.victim_pool_size[s]).astype(np.int64)
            rows = self.victim_pool_start[s] + member
            self._replace(victims, pooled, self.victim_pool.take(rows))
        primary_victim = np.full(n, -1, dtype=np.int64)
        primary_victim[counts > 0] = first[counts > 0]

        # suspects
        scounts = crimes["n_suspects"]
        scrime = np.repeat(np.arange(n), scounts)
        sfirst = np.r_[0, np.cumsum(scounts)[:-1]]
        sslot = np.arange(len(scrime)) - sfirst[scrime]
        group = crimes["suspect"][scrime]
        sprofile = m.code_suspect_profile[code[scrime]]
        scells = draw(rng, self.cum_suspect_cells, sprofile * 2 + (group - 1))
        sage, ssex, slsoa, sla, seth = self._people_from(rng, scells, g[scrime])
        sids = (np.uint64(start) + scrime.astype(np.uint64)) * np.uint64(8) + (
            sslot + _SUSPECT_SLOT
        ).astype(np.uint64)
        suspects = _People(sids.astype(np.uint64), sage, ssex, slsoa, sla, seth)
        sflag = rng.random(len(scrime)) < p.repeat_offender_fraction
        spick = rng.random(len(scrime))
        offender = rng.random(len(scrime)) < cal.OFFENDER_SHARE
        n_la1 = m.n_la + 1
        sstratum = (sprofile * 2 + (group - 1)) * n_la1 + g[scrime]
        spooled = sflag & (sslot == 0) & ((group == U25) | (group == O25))
        if spooled.any():
            s = sstratum[spooled]
            member = np.floor(spick[spooled] * m.suspect_pool_size[s]).astype(np.int64)
            rows = self.suspect_pool_start[s] + member
            self._replace(suspects, spooled, self.suspect_pool.take(rows))

        refs = crimes["refs"]
        frame = pd.concat(
            [
                self._people_frame(refs[crime], "victim", victims),
                self._people_frame(
                    refs[scrime], np.where(offender, "offender", "suspect"), suspects
                ),
            ]
        )
        # victims then suspects of each crime, crimes in order
        order = np.argsort(np.r_[crime * 2, scrime * 2 + 1], kind="stable")
        frame = frame.iloc[order].reset_index(drop=True)
        return frame, victims, primary_victim

    @staticmethod
    def _replace(people: _People, mask: npt.NDArray[np.bool_], source: _People) -> None:
        people.ids[mask] = source.ids
        people.age[mask] = source.age
        people.sex[mask] = source.sex
        people.lsoa[mask] = source.lsoa
        people.la[mask] = source.la
        people.ethnicity[mask] = source.ethnicity

    def _people_frame(self, refs: Objects, role: Any, people: _People) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "crime_reference": refs,
                "force_code": self.parameters.force_code,
                "role": role,
                "person_key": person_keys(people.ids, self.salts),
                "age": people.age,
                "sex": np.array(["M", "F"], dtype=object)[people.sex],
                "ethnicity": np.array(cal.ETHNICITIES, dtype=object)[people.ethnicity],
                "residence_lsoa": self.lsoa_codes[people.lsoa],
                "synthetic": "true",
            },
            columns=list(PEOPLE_COLUMNS),
        )

    # ------------------------------------------------------------------ emergency dept
    def _istv(
        self,
        block: int,
        start: int,
        crimes: dict[str, Any],
        victims: _People,
        primary_victim: Ints,
        counters: _Counters,
    ) -> _Attendances:
        m = self.model
        rng = self._rng("ed", block)
        code = crimes["code"]
        n = len(code)

        # attendances of victims of recorded crimes
        attend = (rng.random(n) < m.p_attend[code, crimes["injury"]]) & (primary_victim >= 0)
        crime = np.flatnonzero(attend)
        linked = victims.take(primary_victim[crime])
        means_linked = draw(rng, self.cum_means, crimes["weapon"][crime])
        type_linked = draw(rng, self.cum_istv_type, crimes["place"][crime])
        incident_linked = crimes["committed"][crime]
        lat_linked = crimes["latitude"][crime]
        lon_linked = crimes["longitude"][crime]
        if m.mode == "pure":
            text_linked = self._place_text(type_linked, crimes["place_text"][crime])
        else:
            text_linked = crimes["place_text"][crime]

        # assaults the police never hear of
        k = int(rng.poisson(m.ed_only_rate * n)) if m.ed_only_rate > 0 else 0
        lat_ed, lon_ed, g_ed, near_text, incident_ed = self._unreported(rng, k)
        cells = draw(rng, self.cum_profile, np.full(k, m.profile_names.index("violence")))
        age, sex, res_lsoa, res_la, ethnicity = self._people_from(rng, cells, g_ed)
        ids = _ED_ONLY | (np.uint64(counters.ed_only) + np.arange(k, dtype=np.uint64))
        counters.ed_only += k
        ed_only = _People(ids, age, sex, res_lsoa, res_la, ethnicity)
        age_group = (age >= 25).astype(np.int64)
        means_ed = draw(rng, self.cum_means_ed, m.la_area[res_la] * 2 + age_group)
        type_ed = draw(rng, self.cum_istv_ed_only, n=k)
        text_ed = self._place_text(type_ed, near_text) if m.mode == "pure" else near_text

        patients = _People(
            np.r_[linked.ids, ed_only.ids].astype(np.uint64),
            np.r_[linked.age, ed_only.age],
            np.r_[linked.sex, ed_only.sex],
            np.r_[linked.lsoa, ed_only.lsoa],
            np.r_[linked.la, ed_only.la],
            np.r_[linked.ethnicity, ed_only.ethnicity],
        )
        incident = np.r_[incident_linked, incident_ed].astype(np.int64)
        return self._attendances(
            rng,
            patients,
            incident,
            np.r_[type_linked, type_ed].astype(np.int64),
            np.r_[means_linked, means_ed].astype(np.int64),
            np.r_[lat_linked, lat_ed],
            np.r_[lon_linked, lon_ed],
            np.r_[text_linked, text_ed].astype(object),
            counters,
        )

    def _place_text(self, types: Ints, names: Objects) -> Objects:
        """``"<kind of place>, <area>"`` (pure mode's incident locations)."""
        return np.array(
            [
                f"{cal.ISTV_PLACE_TEXT[cal.ISTV_LOCATION_TYPES[t]]}, {name}"
                for t, name in zip(types, names, strict=True)
            ],
            dtype=object,
        )

    def _unreported(
        self, rng: np.random.Generator, k: int, days: Ints | None = None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], Ints, Objects, Ints]:
        """Place and time of ``k`` assaults the police never hear of: latitude, longitude,
        local authority and text of the place, and the minute of the incident. Pure mode
        places them near the hotspots or by violence and population, augmented mode near a
        real violent incident; on ``days`` when given, else on a day of the night-time
        economy's profile."""
        m = self.model
        if m.mode == "pure":
            assert self.cum_ed_location is not None or k == 0
            option = (
                draw(rng, self.cum_ed_location, n=k)
                if self.cum_ed_location is not None
                else np.zeros(0, dtype=np.int64)
            )
            lsoa = m.option_lsoa[option]
            hot = option < m.n_hot
            centre_lat = np.where(hot, self._hot_lat(option), m.lsoa_lat[lsoa])
            centre_lon = np.where(hot, self._hot_lon(option), m.lsoa_lon[lsoa])
            radius = np.where(hot, cal.HOTSPOT_SD_M, m.lsoa_radius[lsoa])
            latitude, longitude = scatter(rng, centre_lat, centre_lon, radius, normal=True)
            la = m.lsoa_la[lsoa]
            if days is None:
                days = draw(rng, self.cum_day_nte, n=k) + m.days[0].astype(np.int64)
            text = self.la_names[la]
        else:
            near = m.near_rows[rng.integers(0, len(m.near_rows), k)]
            latitude, longitude = scatter(
                rng,
                self.skeleton_lat[near],
                self.skeleton_lon[near],
                np.full(k, cal.NEAR_REAL_SD_M),
                normal=True,
            )
            la = m.loc_la[m.skeleton_location[near]]
            if days is None:
                month = m.skeleton_month[near]
                n_months = len(m.month_names)
                days = m.month_firsts[month].astype(np.int64) + draw(
                    rng, self.cum_month_day, m.nte_profile * n_months + month
                )
            text = self.skeleton_text[near]
        weekend = ((days + 3) % 7) >= 5
        hour = draw(rng, self.cum_hour, m.nte_profile * 2 + weekend)
        minute = rng.integers(0, 60, k)
        incident = skip_spring_forward(days * 1440 + hour * 60 + minute)
        return latitude, longitude, la, text, incident

    def _attendances(
        self,
        rng: np.random.Generator,
        patients: _People,
        incident: Ints,
        types: Ints,
        means: Ints,
        latitude: npt.NDArray[np.float64],
        longitude: npt.NDArray[np.float64],
        text: Objects,
        counters: _Counters,
    ) -> _Attendances:
        """ISTV rows of attendances: arrival after the incident, geocode confidence,
        attendance ids numbered on from ``counters``."""
        total = len(incident)
        delay = np.minimum(10 + rng.gamma(2.0, 35.0, total), 18 * 60).astype(np.int64)
        arrival = skip_spring_forward(incident + delay)
        located = np.isfinite(latitude)
        confidence = np.where(
            located,
            np.where(
                types == cal.ISTV_LOCATION_TYPES.index("licensed_premises"), "exact", "street"
            ),
            "none",
        )
        arrival_text, _, _ = minutes_to_text(arrival)
        _, incident_date, incident_time = minutes_to_text(incident)
        ids_text = np.array(
            [f"SYNED{counters.attendances + i + 1:09d}" for i in range(total)], dtype=object
        )
        counters.attendances += total
        frame = pd.DataFrame(
            {
                "attendance_id": ids_text,
                "treatment_site_code": self.parameters.ed_site_code,
                "arrival": arrival_text,
                "incident_date": incident_date,
                "incident_time": incident_time,
                "incident_location": text,
                "incident_latitude": latitude,
                "incident_longitude": longitude,
                "geocode_confidence": confidence,
                "incident_location_type": np.array(cal.ISTV_LOCATION_TYPES, dtype=object)[types],
                "means_of_assault": np.array(cal.MEANS, dtype=object)[means],
                "age": patients.age,
                "sex": np.array(["M", "F"], dtype=object)[patients.sex],
                "residence_lsoa": self.lsoa_codes[patients.lsoa],
                "person_key": person_keys(patients.ids, self.salts),
                "synthetic": "true",
            },
            columns=list(ISTV_COLUMNS),
        )
        return _Attendances(frame, patients, incident, arrival, types, means)

    def _again(
        self, block: int, first: _Attendances, counters: _Counters
    ) -> tuple[_Attendances, Referrals]:
        """Re-attendances of the block's attendees, and its referrals to the programme of
        ED attendees.

        An attendee aged within ``ed_reattendance_ages`` is referred with the programme's
        ``ed_referral_share`` (when aged within its ages), starts with its ``conversion``,
        and is assaulted again ``REATTENDANCE_DAYS`` after the first assault with
        ``reattendance_share_started`` if they started, ``ed_reattendance_share``
        otherwise; a re-attendance after the world's last day is not written. The assault
        is one the police never hear of; its means of assault follows every attendance of
        the patient's residence area and age group, so no admission share moves."""
        m = self.model
        p = self.parameters
        rng = self._rng("reattendance", block)
        patients = first.patients
        n = len(patients.ids)
        refer_draw, start_draw, again_draw = rng.random(n), rng.random(n), rng.random(n)
        low, high = cal.REATTENDANCE_DAYS
        delay = rng.integers(low, high + 1, n)
        birthday = rng.random(n)
        age = patients.age
        young = (age >= p.ed_reattendance_ages[0]) & (age <= p.ed_reattendance_ages[1])
        chance = np.where(young, p.ed_reattendance_share, 0.0)
        referred = np.zeros(n, dtype=bool)
        started = np.zeros(n, dtype=bool)
        programme = self.journeys.ed_programme
        if programme is not None:
            spec = programme.spec
            eligible = (age >= spec.ages[0]) & (age <= spec.ages[1])
            referred = eligible & (refer_draw < spec.ed_referral_share)
            started = referred & (start_draw < spec.conversion)
            assert spec.reattendance_share_started is not None
            chance = np.where(started, spec.reattendance_share_started, chance)
        day = first.incident // 1440 + delay
        again = (again_draw < chance) & (day <= m.last_day)
        rows = np.flatnonzero(again)
        k = len(rows)

        details = self._rng("repeats", block)
        latitude, longitude, _, text, incident = self._unreported(details, k, day[rows])
        person = patients.take(rows)
        person.age = person.age + (birthday[rows] < delay[rows] / 365.0)
        types = draw(details, self.cum_istv_ed_only, n=k)
        group = (person.age >= 25).astype(np.int64)
        means = draw(details, self.cum_means_again, m.la_area[person.la] * 2 + group)
        if m.mode == "pure":
            text = self._place_text(types, text)
        attendances = self._attendances(
            details, person, incident, types, means, latitude, longitude, text, counters
        )

        chosen = np.flatnonzero(referred)
        referrals = Referrals(
            person_key=first.frame["person_key"].to_numpy(dtype=object)[chosen],
            age=age[chosen].astype(np.int64),
            male=patients.sex[chosen] == 0,
            ethnicity=np.array(cal.ETHNICITIES, dtype=object)[patients.ethnicity[chosen]],
            lsoa=self.lsoa_codes[patients.lsoa[chosen]],
            referral_day=(first.arrival[chosen] // 1440).astype(np.int64),
            started=started[chosen],
        )
        return attendances, referrals

    # ------------------------------------------------------------------ admissions
    def _admissions(
        self,
        block: int,
        patients: _People,
        arrival: Ints,
        types: Ints,
        means: Ints,
        counters: _Counters,
    ) -> pd.DataFrame:
        m = self.model
        p = self.parameters
        rng = self._rng("admissions", block)
        n = len(means)
        admitted = rng.random(n) < m.p_admit[means]
        stay = draw(rng, self.cum_stay, n=n)
        second = rng.random(n) < p.second_episode_share
        split = rng.random(n)
        flags = rng.random((n, 3)) < np.array(
            [
                p.admissions_mental_health_share,
                p.admissions_substance_misuse_share,
                p.admissions_alcohol_share,
            ]
        )
        injury_pick = rng.random(n)
        condition_pick = rng.random((n, 3))

        rows = np.flatnonzero(admitted)
        k = len(rows)
        admission_day = arrival[rows] // 1440
        length = stay[rows]
        discharge_day = admission_day + length
        two = second[rows]
        first_end = admission_day + np.floor(split[rows] * (length + 1)).astype(np.int64)
        first_end = np.where(two, first_end, discharge_day)

        diagnoses = np.full((k, DIAGNOSES), "", dtype=object)
        place_char = np.array(
            [cal.PLACE_CHARACTER[cal.ISTV_LOCATION_TYPES[t]] for t in types[rows]], dtype=object
        )
        for i, (mean, pick) in enumerate(zip(means[rows], injury_pick[rows], strict=True)):
            name = cal.MEANS[mean]
            codes = cal.INJURY_CODES[name]
            diagnoses[i, 0] = codes[int(pick * len(codes))]
            diagnoses[i, 1] = cal.EXTERNAL_CAUSE[name] + place_char[i]
        position = np.full(k, 2)
        for column, codes in enumerate(
            (cal.MENTAL_HEALTH_CODES, cal.SUBSTANCE_MISUSE_CODES, cal.ALCOHOL_CODES)
        ):
            has = flags[rows, column]
            chosen = np.array(codes, dtype=object)[
                np.floor(condition_pick[rows, column] * len(codes)).astype(np.int64)
            ]
            diagnoses[np.flatnonzero(has), position[has]] = chosen[has]
            position = position + has

        person = patients.take(rows)
        # one row per episode: first episodes, then the second of those with two, then sort
        spell = np.r_[np.arange(k), np.flatnonzero(two)]
        order_in_spell = np.r_[np.ones(k, dtype=np.int64), np.full(int(two.sum()), 2)]
        sort = np.lexsort((order_in_spell, spell))
        spell, order_in_spell = spell[sort], order_in_spell[sort]
        start_day = np.where(order_in_spell == 1, admission_day[spell], first_end[spell])
        end_day = np.where(order_in_spell == 1, first_end[spell], discharge_day[spell])
        ids = np.array(
            [f"SYNEP{counters.episodes + i + 1:09d}" for i in range(len(spell))], dtype=object
        )
        counters.episodes += len(spell)
        frame = pd.DataFrame(
            {
                "episode_id": ids,
                "provider_code": p.provider_code,
                "person_key": person_keys(person.ids[spell], self.salts),
                "admission_date": days_to_text(admission_day[spell]),
                "admission_method": "21",
                "episode_order": order_in_spell,
                "episode_status": "3",
                "episode_start": days_to_text(start_day),
                "episode_end": days_to_text(end_day),
                "discharge_date": days_to_text(discharge_day[spell]),
                "length_of_stay": length[spell],
                **{f"diag_{i + 1:02d}": diagnoses[spell, i] for i in range(DIAGNOSES)},
                "age": person.age[spell],
                "sex": np.array(["1", "2"], dtype=object)[person.sex[spell]],
                "residence_lsoa": self.lsoa_codes[person.lsoa[spell]],
                "synthetic": "true",
            },
            columns=list(ADMISSION_COLUMNS),
        )
        return frame


__all__ = [
    "ADMISSION_COLUMNS",
    "BLOCK_SIZE",
    "CRIME_COLUMNS",
    "ISTV_COLUMNS",
    "PEOPLE_COLUMNS",
    "STREAMS",
    "Block",
    "Synthesis",
]

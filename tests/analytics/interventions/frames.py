"""Small input frames for the intervention tests, built by hand or simulated with a seed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: R's `sleep` data (Student 1908): extra hours of sleep with drug 1 and drug 2.
SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def participants(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Participants with every documented column; each row overrides the defaults."""
    defaults: dict[str, Any] = {
        "programme": "mentoring",
        "provider": "Youth Trust",
        "referral_date": pd.Timestamp("2024-01-01"),
        "start_date": pd.NaT,
        "exit_date": pd.NaT,
        "exit_reason": "",
        "age": 16.0,
        "sex": "male",
        "ethnicity": "White",
        "residence_area": "",
        "person_key": None,
        "reachable_moment": "custody",
        "referral_source": "police",
    }
    records = [{"participant_id": i + 1, **defaults, **row} for i, row in enumerate(rows)]
    frame = pd.DataFrame(records)
    for column in ("referral_date", "start_date", "exit_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def journey_ten() -> pd.DataFrame:
    """10 referred, 7 started, 5 exited (3 completed, 2 disengaged), 1 closed unstarted."""
    started = {"start_date": "2024-02-01"}
    return participants(
        [
            *[{**started, "exit_date": "2024-08-01", "exit_reason": "completed"}] * 3,
            *[{**started, "exit_date": "2024-05-01", "exit_reason": "disengaged"}] * 2,
            *[started] * 2,
            {"exit_date": "2024-01-20", "exit_reason": "declined"},
            {},
            {},
        ]
    )


def reviews_from_pairs(
    before: list[float], after: list[float], scale: str = "wellbeing", area: str = "overall"
) -> pd.DataFrame:
    """Two reviews per participant, 90 days apart, one area."""
    rows = []
    for person, (first, last) in enumerate(zip(before, after, strict=True), start=1):
        rows.append((person, scale, area, pd.Timestamp("2024-01-01"), first))
        rows.append((person, scale, area, pd.Timestamp("2024-04-01"), last))
    return pd.DataFrame(rows, columns=["participant_id", "scale", "area", "review_date", "score"])


def planted_reviews(seed: int, people: int = 2_000, single: int = 50) -> pd.DataFrame:
    """A 1-10 scale with a mean improvement of exactly +1.5 and a change SD of 2.

    The change is 1.5 plus uniform noise on [-sqrt(3) * 2, sqrt(3) * 2] (SD 2), and first
    scores are uniform on [3.5, 4.5], so every score (and every area score, -/+ 0.5)
    stays inside 1-10 without clipping.
    Each review scores two areas at the participant's score -/+ 0.5 (their mean is the
    participant's score). ``single`` more participants have one review only.
    """
    rng = np.random.default_rng(seed)
    first = rng.uniform(3.5, 4.5, people)
    change = 1.5 + rng.uniform(-np.sqrt(12), np.sqrt(12), people)
    last = first + change
    rows = []
    start = pd.Timestamp("2023-01-01")
    for person in range(people):
        day = start + pd.Timedelta(days=int(rng.integers(0, 365)))
        middle = day + pd.Timedelta(days=60)
        end = day + pd.Timedelta(days=120)
        middle_score = (first[person] + last[person]) / 2
        for date, score in ((day, first[person]), (middle, middle_score), (end, last[person])):
            rows.append((person, "wellbeing", "home", date, score - 0.5))
            rows.append((person, "wellbeing", "school", date, score + 0.5))
    for person in range(people, people + single):
        rows.append((person, "wellbeing", "home", start, 4.0))
        rows.append((person, "wellbeing", "school", start, 5.0))
    return pd.DataFrame(rows, columns=["participant_id", "scale", "area", "review_date", "score"])


def planted_matching(
    seed: int, treated_people: int = 2_000, pool_people: int = 20_000
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Treated and pool with the same age band, sex and index date distributions.

    Within 365 days of the index date, treated people have an event with probability 0.2
    and pool people 0.3. Distractor events fall on the index date itself (not counted)
    and 400 days after it (outside the window). Index dates run from 2021-01-01 to
    2023-12-31; with data to 2024-06-30 and a 365-day window those after 2023-07-01 are
    ineligible. Fifty treated people also appear in the pool.
    """
    rng = np.random.default_rng(seed)
    bands = np.array(["10-13", "14-17", "18-20", "21-24"])
    sexes = np.array(["male", "female"])
    origin = pd.Timestamp("2021-01-01")

    def people(count: int, prefix: str, rate: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        frame = pd.DataFrame(
            {
                "person_key": [f"{prefix}{i:05d}" for i in range(count)],
                "index_date": origin + pd.to_timedelta(rng.integers(0, 1095, count), unit="D"),
                "age_band": bands[rng.integers(0, len(bands), count)],
                "sex": sexes[rng.integers(0, 2, count)],
            }
        )
        hit = rng.random(count) < rate
        offsets = rng.integers(1, 366, count)
        events = [
            pd.DataFrame(
                {
                    "person_key": frame["person_key"][hit],
                    "event_date": frame["index_date"][hit]
                    + pd.to_timedelta(offsets[hit], unit="D"),
                }
            )
        ]
        distract = rng.random(count) < 0.3
        for days in (0, 400):
            events.append(
                pd.DataFrame(
                    {
                        "person_key": frame["person_key"][distract],
                        "event_date": frame["index_date"][distract] + pd.Timedelta(days=days),
                    }
                )
            )
        return frame, pd.concat(events, ignore_index=True)

    treated, treated_events = people(treated_people, "T", 0.2)
    pool, pool_events = people(pool_people, "P", 0.3)
    overlap = treated.sample(50, random_state=seed).assign(age_band="14-17")
    pool = pd.concat([pool, overlap], ignore_index=True)
    events = pd.concat([treated_events, pool_events], ignore_index=True)
    return treated, pool, events

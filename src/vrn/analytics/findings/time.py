"""When serious violence happens: weekends against weekdays, and the day-by-hour profile."""

from __future__ import annotations

import pandas as pd
from scipy.stats import binomtest

from vrn.analytics.crosstab import crosstab
from vrn.analytics.findings.base import (
    HOUR,
    RATIO,
    Finding,
    NotComputed,
    interval_text,
    ratio_of_rates,
    times,
)
from vrn.analytics.findings.inputs import ProfileInputs
from vrn.analytics.findings.police import EXACT_RATIO
from vrn.analytics.findings.violence import Counted, serious_violence

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKEND = (6, 7)  # 1 = Monday
WEEKDAYS = pd.CategoricalDtype(range(1, 8))
HOURS = pd.CategoricalDtype(range(24))
#: A peak hour is called real when a one-sided exact test against the next busiest hour
#: gives a p-value below this.
PEAK_ALPHA = 0.05


def _timed(inputs: ProfileInputs) -> tuple[Counted, pd.DataFrame, int]:
    counted = serious_violence(inputs)
    timed = counted.events.dropna(subset=["weekday"])
    if timed.empty:
        raise NotComputed(
            f"no crime of {counted.label} has a date and time of day (police.uk data have "
            "months only)"
        )
    return counted, timed, len(counted.events) - len(timed)


def weekend_rate_ratio(inputs: ProfileInputs) -> list[Finding]:
    counted, timed, untimed = _timed(inputs)
    days = inputs.days()
    weekend_days = int((days.dayofweek >= 5).sum())
    weekdays = len(days) - weekend_days
    weekend = int(timed["weekday"].isin(WEEKEND).sum())
    weekday = len(timed) - weekend
    estimate = ratio_of_rates(weekend, weekend_days, weekday, weekdays)
    data = pd.DataFrame(
        {
            "days": ["Saturday and Sunday", "Monday to Friday"],
            "count": [weekend, weekday],
            "calendar_days": [weekend_days, weekdays],
        }
    )
    notes = (
        (f"{inputs.count(untimed)} crimes recorded without a date and time are left out.",)
        if untimed
        else ()
    )
    return [
        Finding(
            id="weekend_rate_ratio",
            title="Serious violence per day at weekends against weekdays",
            topic="time",
            value=estimate.value,
            lower=estimate.lower,
            upper=estimate.upper,
            unit=RATIO,
            sentence=(
                f"There were {times(estimate.value)} as many offences of {counted.label} a "
                f"day at weekends as on weekdays {interval_text(estimate)}: "
                f"{weekend / weekend_days:.1f} a day against {weekday / weekdays:.1f} "
                f"({inputs.period})."
            ),
            definition=(
                f"Offences of {counted.label} committed (start of the committed window) on "
                "Saturdays and Sundays per weekend day of the period, divided by those on "
                "Mondays to Fridays per weekday."
            ),
            method=EXACT_RATIO,
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=weekend,
            denominator=weekday,
            denominator_label="offences on weekdays",
            comparator="weekdays",
            comparator_value=1.0,
            significance=estimate.significance,
            definitions=counted.definitions,
            data=data,
            counts=("count",),
            notes=notes,
        )
    ]


def day_hour_profile(inputs: ProfileInputs) -> list[Finding]:
    counted, timed, untimed = _timed(inputs)
    timed = timed.assign(
        weekday=pd.to_numeric(timed["weekday"]).astype(WEEKDAYS),
        hour=pd.to_numeric(timed["hour"]).astype(HOURS),
    )
    table = crosstab(timed, ["weekday", "hour"]).dropna(subset=["weekday", "hour"])
    table = table[["weekday", "hour", "count"]].reset_index(drop=True)
    table["weekday"] = table["weekday"].astype(int)
    table["hour"] = table["hour"].astype(int)
    weekdays = table[table["weekday"] <= 5].groupby("hour")["count"].sum()
    if weekdays.sum() == 0:
        raise NotComputed(f"no offence of {counted.label} on a weekday has a time of day")
    ranked = weekdays.sort_values(ascending=False, kind="stable")
    peak, runner_up = int(ranked.index[0]), int(ranked.index[1])
    a, b = int(ranked.iloc[0]), int(ranked.iloc[1])
    # Two-sided: the peak was chosen as the busiest hour, so a one-sided test of it against
    # the runner-up would find a difference between two equal hours twice as often.
    p_value = float(binomtest(a, a + b, 0.5).pvalue) if a + b else 1.0
    real = p_value < PEAK_ALPHA
    # The hours that cannot be told from the peak: the peak is not significantly busier.
    plausible = [
        int(hour)
        for hour, count in weekdays.items()
        if int(hour) == peak or binomtest(a, a + int(count), 0.5).pvalue >= PEAK_ALPHA
    ]
    hours = weekdays.rename("count").reset_index()
    hours["plausible_peak"] = hours["hour"].astype(int).isin(plausible)
    verdict = (
        f"a real peak: more than the next busiest hour, {runner_up:02d}:00 ({inputs.count(b)}), "
        f"p = {p_value:.3g}"
        if real
        else f"not clearly busier than {runner_up:02d}:00 ({inputs.count(b)}; p = {p_value:.2g})"
    )
    return [
        Finding(
            id="day_hour_profile",
            title="Serious violence by day of the week and hour",
            topic="time",
            value=int(table["count"].sum()),
            value_is_count=True,
            lower=None,
            upper=None,
            unit="offences",
            sentence=(
                f"The {inputs.count(int(table['count'].sum()))} offences of {counted.label} "
                "with a time "
                f"of day in {inputs.period}, by day of the week and hour."
            ),
            definition=f"Offences of {counted.label} by weekday and hour of committed_from.",
            method="counts",
            period=str(inputs.period),
            area=inputs.scope.name,
            definitions=counted.definitions,
            data=table,
            counts=("count",),
            notes=(f"{inputs.count(untimed)} crimes without a time of day are left out.",)
            if untimed
            else (),
        ),
        Finding(
            id="weekday_peak_hour",
            title="The busiest hour on weekdays",
            topic="time",
            value=peak,
            lower=None,
            upper=None,
            unit=HOUR,
            sentence=(
                f"On weekdays {counted.label} peaked at {peak:02d}:00-{(peak + 1) % 24:02d}:00 "
                f"with {inputs.count(a)} offences, {verdict}"
                + (
                    "."
                    if len(plausible) == 1
                    else "; hours that cannot be told from it: "
                    + ", ".join(f"{hour:02d}:00" for hour in plausible if hour != peak)
                    + "."
                )
            ),
            definition=(
                f"The hour of the day (of committed_from) with the most offences of "
                f"{counted.label} on Mondays to Fridays."
            ),
            method=(
                "two-sided exact binomial test of the peak hour against the next busiest: "
                "given their total, is the peak's share one half? The same test against "
                "every hour gives the hours that cannot be told from the peak (plausible_peak)"
            ),
            period=str(inputs.period),
            area=inputs.scope.name,
            numerator=a,
            comparator=f"{runner_up:02d}:00, the next busiest ({inputs.count(b)} offences)",
            significance="real peak" if real else "not significant",
            p_value=p_value,
            definitions=counted.definitions,
            data=hours,
            counts=("count",),
        ),
    ]


FINDINGS = {
    "weekend_rate_ratio": weekend_rate_ratio,
    "day_hour_profile": day_hour_profile,
}

__all__ = ["FINDINGS", "WEEKDAY_NAMES"]

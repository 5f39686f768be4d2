"""Publishing a built profile: the dict ``profile.json`` holds, every count through the
disclosure policy, and the sources it was computed from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from vrn.analytics.findings import Finding, ProfileInputs, Scope
from vrn.analytics.findings.base import records
from vrn.analytics.measures import Period
from vrn.analytics.stats import DEFAULT_POLICY, DisclosurePolicy

#: Sections of the report, in order: topic id -> heading.
TOPICS = (
    ("success", "Home Office success measures"),
    ("perpetrators", "Perpetrators"),
    ("victims", "Victims"),
    ("place", "Place"),
    ("time", "Time"),
    ("deprivation", "Deprivation"),
    ("hospital", "Hospital and emergency department"),
    ("hotspots", "Hotspots and injury surveillance"),
    ("risk factors", "Risk and protective factors"),
)


@dataclass(frozen=True, eq=False)
class Profile:
    """The computed findings of one area and period, and what they were computed from."""

    scope: Scope
    period: Period
    findings: dict[str, Finding]
    not_computed: dict[str, str]
    sources: list[dict[str, Any]]
    definitions: list[dict[str, str]]
    synthetic: bool
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: What the findings were compared with (``--compare-to``): name and a note.
    compare_to: dict[str, str] | None = None

    def to_dict(self, policy: DisclosurePolicy = DEFAULT_POLICY) -> dict[str, Any]:
        """JSON-ready, every count of every finding through ``policy``."""
        return {
            "title": f"Problem profile: {self.scope.name}",
            "area": {"code": self.scope.code, "name": self.scope.name, "kind": self.scope.kind},
            "period": self.period.as_dict(),
            "generated": self.generated.isoformat(timespec="seconds"),
            "synthetic": self.synthetic,
            "disclosure": policy.description,
            "topics": [list(topic) for topic in TOPICS],
            "findings": {
                key: finding_dict(finding, policy) for key, finding in self.findings.items()
            },
            "not_computed": dict(self.not_computed),
            "compare_to": self.compare_to,
            "sources": self.sources,
            "definitions": self.definitions,
        }


def finding_dict(finding: Finding, policy: DisclosurePolicy) -> dict[str, Any]:
    """One finding as JSON-ready values, its counts published under ``policy``."""
    data = finding.data
    counts = [column for column in finding.counts if column in data.columns]
    if counts and len(data):
        data = policy.apply(data.fillna({column: 0 for column in counts}), counts)
    published: dict[str, Any] = {}
    for name in ("numerator", "denominator", "value"):
        value = getattr(finding, name)
        if name == "value" and not finding.value_is_count:
            published[name] = _plain(value)
            continue
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            frame = policy.apply(pd.DataFrame({"n": [int(value)]}), "n")
            published[name] = str(frame["n"].iloc[0])
        else:
            published[name] = value
    return {
        "id": finding.id,
        "title": finding.title,
        "topic": finding.topic,
        "lower": finding.lower,
        "upper": finding.upper,
        "unit": finding.unit,
        "sentence": finding.sentence,
        "definition": finding.definition,
        "method": finding.method,
        "period": finding.period,
        "area": finding.area,
        **published,
        "denominator_label": finding.denominator_label,
        "comparator": finding.comparator,
        "comparator_value": finding.comparator_value,
        "significance": finding.significance,
        "comparison_label": finding.comparison_label,
        "p_value": finding.p_value,
        "definitions": list(finding.definitions),
        "data": records(data),
        "counts": counts,
        "notes": list(finding.notes),
        "comparison": finding.comparison,
    }


def _plain(value: object) -> object:
    return records(pd.DataFrame({"v": [value]}))[0]["v"]


def sources_of(inputs: ProfileInputs) -> list[dict[str, Any]]:
    """Each dataset read: its rows, months and whether any row is synthetic."""
    names = {
        "crimes": "force crime extract (police-extract)",
        "victims": "force extract: victims",
        "perpetrators": "force extract: suspects and offenders",
        "street_crimes": "data.police.uk street-level crime",
        "admissions": "hospital admissions (violence-related)",
        "attendances": "emergency department assault attendances (ISTV)",
        "indicators": "risk and protective factor indicators (Fingertips format)",
    }
    sources = []
    for attribute, label in names.items():
        frame = getattr(inputs, attribute)
        if frame is None:
            continue
        months = frame["month"].dropna().astype(str) if "month" in frame else pd.Series([])
        sources.append(
            {
                "dataset": label,
                "rows": len(frame),
                "first": months.min() if len(months) else None,
                "last": months.max() if len(months) else None,
                "synthetic": bool(frame["synthetic"].any()) if "synthetic" in frame else False,
            }
        )
    if inputs.places is not None:
        sources.append(
            {
                "dataset": "LSOA 2021 boundaries on the British National Grid (rows: the "
                "hotspot grid's 250 m cells)",
                "rows": len(inputs.places.grid),
                "first": None,
                "last": None,
                "synthetic": False,
            }
        )
    sources.append(
        {
            "dataset": "Census 2021 usual residents by LSOA and age group; IoD2025 deciles",
            "rows": len(inputs.population),
            "first": None,
            "last": None,
            "synthetic": False,
        }
    )
    return sources

"""Youth Endowment Fund (YEF) Toolkit ratings of approaches (``evidence-ratings.toml``).

Reference data, as read from the toolkit on ``read_on``: the headline impact in YEF's
words, the estimated reduction where YEF states one, the evidence-quality and cost
ratings. A figure not found in the sources read is left out, and the approach's
``note`` says so. A programme names the approach it matches by id.

>>> from vrn.definitions import load_definitions
>>> ratings = load_definitions().evidence_ratings
>>> ratings.approach("mentoring").impact
'moderate'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vrn.definitions._files import DefinitionRef, Header, Table, open_definition
from vrn.definitions._values import date, optional_number, unique_id

#: YEF's words for the headline impact on violence.
IMPACTS = ("high", "moderate", "low", "no effect", "unclear", "harmful")
#: YEF's evidence-quality rating runs to 5; cost to 3.
EVIDENCE_SECURITY_RANGE = (0, 5)
COST_RANGE = (1, 3)


@dataclass(frozen=True)
class EvidenceApproach:
    id: str
    label: str
    url: str
    read_on: dt.date
    impact: str | None = None
    #: The headline estimated reduction, in per cent, and what it is a reduction of.
    impact_estimate: float | None = None
    estimate_outcome: str | None = None
    evidence_security: int | None = None
    cost: int | None = None
    #: Prevention levels YEF gives (ids of intervention-codes ``prevention_level``).
    prevention_levels: tuple[str, ...] = ()
    #: The words read, with the page they are on when that is not ``url``.
    quote: str | None = None
    note: str | None = None

    @property
    def complete(self) -> bool:
        """Whether every headline figure was found."""
        return None not in (self.impact, self.impact_estimate, self.evidence_security, self.cost)


@dataclass(frozen=True)
class EvidenceRatings:
    header: Header
    ref: DefinitionRef
    approaches: tuple[EvidenceApproach, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(approach.id for approach in self.approaches)

    def approach(self, approach_id: str) -> EvidenceApproach:
        for approach in self.approaches:
            if approach.id == approach_id:
                return approach
        raise KeyError(
            f"{approach_id!r} is not an approach in {self.ref.short_id}; "
            f"expected one of {', '.join(self.ids)}"
        )


def _rating(table: Table, key: str, bounds: tuple[int, int]) -> int | None:
    if not table.has(key):
        table.mark_read(key)
        return None
    value = table.integer(key)
    if not bounds[0] <= value <= bounds[1]:
        table.fail(key, f"{value} is outside YEF's scale of {bounds[0]} to {bounds[1]}")
    return value


def _read_approach(
    table: Table, seen: set[str], prevention_levels: tuple[str, ...]
) -> EvidenceApproach:
    approach_id = unique_id(table, seen, "approach")
    url = table.text("url")
    if not url.startswith("https://"):
        table.fail("url", f"{url!r} is not an https:// address")
    impact = table.choice("impact", IMPACTS) if table.has("impact") else None
    estimate = optional_number(table, "impact_estimate")
    estimate_outcome = table.optional_text("estimate_outcome")
    if (estimate is None) != (estimate_outcome is None):
        table.fail(
            "estimate_outcome" if estimate is not None else "impact_estimate",
            "impact_estimate and estimate_outcome (what it is a reduction of) go together",
        )
    levels = table.texts("prevention_levels", required=False)
    for position, level in enumerate(levels):
        if level not in prevention_levels:
            table.fail(
                f"prevention_levels[{position}]",
                f"{level!r} is not a prevention_level in intervention-codes "
                f"({', '.join(prevention_levels)})",
            )
    approach = EvidenceApproach(
        id=approach_id,
        label=table.text("label"),
        url=url,
        read_on=date(table, "read_on"),
        impact=impact,
        impact_estimate=estimate,
        estimate_outcome=estimate_outcome,
        evidence_security=_rating(table, "evidence_security", EVIDENCE_SECURITY_RANGE),
        cost=_rating(table, "cost", COST_RANGE),
        prevention_levels=levels,
        quote=table.optional_text("quote"),
        note=table.optional_text("note"),
    )
    if not approach.complete and approach.note is None:
        table.fail("note", "is missing: say which figures were not found, and where you looked")
    table.done()
    return approach


def parse_evidence_ratings(path: Path, prevention_levels: tuple[str, ...]) -> EvidenceRatings:
    """``prevention_levels``: the ids an approach's ``prevention_levels`` may use."""
    definition = open_definition(path, "evidence-ratings")
    body = definition.body
    seen: set[str] = set()
    approaches = tuple(
        _read_approach(table, seen, prevention_levels) for table in body.tables("approach")
    )
    if not approaches:
        body.fail("approach", "at least one [[approach]] is needed")
    body.done()
    return EvidenceRatings(header=definition.header, ref=definition.ref(), approaches=approaches)

"""The assessment-of-need checklist: risk and protective factors (``risk-factors.toml``).

The shipped checklist is the Response Strategy's risk and protective factors, by domain
of the social-ecological model; a deployment may replace the file with its own. An
assessment answers, factor by factor, whether the factor is present; :meth:`score` adds
the weights of the factors present.

>>> from vrn.definitions import load_definitions
>>> checklist = load_definitions().risk_factors
>>> result = checklist.score({"impulsivity": True, "social_isolation": False})
>>> (result.risk, result.protective, result.answered)
(1.0, 0.0, 2)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vrn.definitions._files import DefinitionRef, Header, open_definition
from vrn.definitions._values import optional_number, unique_id

KINDS = ("risk", "protective")
DOMAINS = ("individual", "close_relationships", "community_and_society")


@dataclass(frozen=True)
class Factor:
    id: str
    label: str
    kind: str
    domain: str
    #: The strategy's words for it.
    quote: str
    weight: float = 1.0
    note: str | None = None


@dataclass(frozen=True)
class FactorScore:
    """The weighted count of risk and protective factors present."""

    risk: float
    protective: float
    #: The scores if every factor of the kind were present.
    risk_max: float
    protective_max: float
    #: How many factors were answered (true or false).
    answered: int
    #: The factors not answered: whether they are present is unknown (scored as absent).
    unknown_ids: tuple[str, ...]


@dataclass(frozen=True)
class FactorChecklist:
    header: Header
    ref: DefinitionRef
    factors: tuple[Factor, ...]

    @property
    def risk_factors(self) -> tuple[Factor, ...]:
        return tuple(factor for factor in self.factors if factor.kind == "risk")

    @property
    def protective_factors(self) -> tuple[Factor, ...]:
        return tuple(factor for factor in self.factors if factor.kind == "protective")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(factor.id for factor in self.factors)

    def factor(self, factor_id: str) -> Factor:
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        raise KeyError(f"{factor_id!r} is not a factor of {self.ref.short_id}")

    def score(self, answers: Mapping[str, bool | None]) -> FactorScore:
        """Score answers ``factor id -> present``; ``None`` or a missing id is unanswered.

        Raises ``ValueError`` naming any key that is not a factor of this checklist, or
        any answer that is not true, false or ``None``.
        """
        factor_ids = set(self.ids)
        unknown_keys = sorted(key for key in answers if key not in factor_ids)
        if unknown_keys:
            raise ValueError(
                f"not factors of {self.ref.short_id}: {', '.join(map(repr, unknown_keys))}"
            )
        bad = sorted(
            key for key, value in answers.items() if not (value is None or isinstance(value, bool))
        )
        if bad:
            raise ValueError(f"answers must be true, false or empty: {', '.join(bad)}")
        present = {key for key, value in answers.items() if value is True}
        answered = {key for key, value in answers.items() if value is not None}
        return FactorScore(
            risk=sum((f.weight for f in self.risk_factors if f.id in present), 0.0),
            protective=sum((f.weight for f in self.protective_factors if f.id in present), 0.0),
            risk_max=sum((f.weight for f in self.risk_factors), 0.0),
            protective_max=sum((f.weight for f in self.protective_factors), 0.0),
            answered=len(answered),
            unknown_ids=tuple(f.id for f in self.factors if f.id not in answered),
        )


def parse_risk_factors(path: Path) -> FactorChecklist:
    definition = open_definition(path, "risk-factors")
    body = definition.body
    factors: list[Factor] = []
    seen: set[str] = set()
    for table in body.tables("factor"):
        factor_id = unique_id(table, seen, "factor")
        weight = optional_number(table, "weight")
        if weight is not None and weight < 0:
            table.fail("weight", f"{weight:g} is negative; use 0 to record a factor unscored")
        factors.append(
            Factor(
                id=factor_id,
                label=table.text("label"),
                kind=table.choice("kind", KINDS),
                domain=table.choice("domain", DOMAINS),
                quote=table.text("quote"),
                weight=1.0 if weight is None else weight,
                note=table.optional_text("note"),
            )
        )
        table.done()
    if not factors:
        body.fail("factor", "at least one [[factor]] is needed")
    body.done()
    return FactorChecklist(header=definition.header, ref=definition.ref(), factors=tuple(factors))

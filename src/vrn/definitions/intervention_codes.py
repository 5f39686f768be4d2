"""The code lists intervention monitoring records use (``intervention-codes.toml``).

Each list is an array of tables with ``id``, ``label`` and an optional ``description``;
some lists carry fields of their own (:data:`CODE_LISTS`), such as ``attended`` for an
attendance code or ``domain`` for an outcome. Records store the ids; forms take
:meth:`InterventionCodes.choices`.

>>> from vrn.definitions import load_definitions
>>> codes = load_definitions().intervention_codes
>>> codes.ids("prevention_level")
('contextual', 'primary', 'secondary', 'tertiary')
>>> codes.label("attendance", "did_not_attend")
'Did not attend'
>>> codes.completed_exit_reasons
('completed',)
>>> codes.life_course_stage_for_age(19)
'young_adulthood'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vrn.definitions._files import DefinitionRef, Header, Table, open_definition
from vrn.definitions._values import unique_id
from vrn.definitions.ages import AgeBandError, AgeBandScheme

#: A field that is ``true`` or ``false``.
FLAG = "flag"
#: A field that is an age band, ``lower-upper`` or ``lower+`` (as in ``age-bands.toml``).
AGES = "ages"

OUTCOME_DOMAINS = ("education_training_employment", "accommodation", "health", "justice", "other")

#: Every code list, in file order, and the fields its entries carry besides ``id``,
#: ``label`` and ``description``: :data:`FLAG`, :data:`AGES`, or the allowed values.
CODE_LISTS: Mapping[str, Mapping[str, str | tuple[str, ...]]] = {
    "prevention_level": {},
    "life_course_stage": {"ages": AGES},
    "referral_source": {},
    "reachable_moment": {},
    "lawful_basis": {},
    "consent_status": {},
    "contact_kind": {},
    "attendance": {"attended": FLAG},
    "outcome_kind": {"domain": OUTCOME_DOMAINS},
    "exit_reason": {"completed": FLAG, "planned": FLAG},
    "access_purpose": {},
    "evidence_kind": {"verified": FLAG},
}


@dataclass(frozen=True)
class Code:
    """One entry of a code list."""

    id: str
    label: str
    description: str | None = None
    #: The list's own fields (see :data:`CODE_LISTS`), e.g. ``{"attended": True}``.
    extra: Mapping[str, bool | str] = field(default_factory=dict)


@dataclass(frozen=True)
class InterventionCodes:
    header: Header
    ref: DefinitionRef
    prevention_level: tuple[Code, ...]
    life_course_stage: tuple[Code, ...]
    referral_source: tuple[Code, ...]
    reachable_moment: tuple[Code, ...]
    lawful_basis: tuple[Code, ...]
    consent_status: tuple[Code, ...]
    contact_kind: tuple[Code, ...]
    attendance: tuple[Code, ...]
    outcome_kind: tuple[Code, ...]
    exit_reason: tuple[Code, ...]
    access_purpose: tuple[Code, ...]
    evidence_kind: tuple[Code, ...]
    #: The life-course stages' ``ages`` as an age-band scheme, stage by stage.
    life_course_bands: AgeBandScheme

    def codes(self, list_name: str) -> tuple[Code, ...]:
        """The codes of one list; ``KeyError`` for a list that does not exist."""
        if list_name not in CODE_LISTS:
            raise KeyError(f"no code list {list_name!r}; expected one of {', '.join(CODE_LISTS)}")
        codes: tuple[Code, ...] = getattr(self, list_name)
        return codes

    def code(self, list_name: str, code_id: str) -> Code:
        """One code; ``KeyError`` naming the list's ids when it is not in the list."""
        codes = self.codes(list_name)
        for code in codes:
            if code.id == code_id:
                return code
        raise KeyError(
            f"{code_id!r} is not a {list_name} code; expected one of "
            f"{', '.join(code.id for code in codes)}"
        )

    def has(self, list_name: str, code_id: str) -> bool:
        return any(code.id == code_id for code in self.codes(list_name))

    def ids(self, list_name: str) -> tuple[str, ...]:
        return tuple(code.id for code in self.codes(list_name))

    def label(self, list_name: str, code_id: str) -> str:
        return self.code(list_name, code_id).label

    def choices(self, list_name: str) -> list[tuple[str, str]]:
        """``(id, label)`` pairs in file order, for Django ``choices``."""
        return [(code.id, code.label) for code in self.codes(list_name)]

    def _flagged(self, list_name: str, flag: str) -> tuple[str, ...]:
        return tuple(code.id for code in self.codes(list_name) if code.extra[flag] is True)

    @property
    def completed_exit_reasons(self) -> tuple[str, ...]:
        return self._flagged("exit_reason", "completed")

    @property
    def planned_exit_reasons(self) -> tuple[str, ...]:
        return self._flagged("exit_reason", "planned")

    @property
    def attended_codes(self) -> tuple[str, ...]:
        return self._flagged("attendance", "attended")

    @property
    def verified_evidence_kinds(self) -> tuple[str, ...]:
        return self._flagged("evidence_kind", "verified")

    def outcome_domain(self, outcome_kind: str) -> str:
        return str(self.code("outcome_kind", outcome_kind).extra["domain"])

    def life_course_stage_for_age(self, age: int | None) -> str | None:
        """The stage an age (completed years) falls in; ``None`` for a missing or
        negative age."""
        if age is None or age < 0:
            return None
        stages = zip(self.life_course_stage, self.life_course_bands.bands, strict=True)
        return next(stage.id for stage, band in stages if band.contains(age))


def _read_code(table: Table, list_name: str, seen: set[str]) -> Code:
    code_id = unique_id(table, seen, "code")
    extra: dict[str, bool | str] = {}
    for name, kind in CODE_LISTS[list_name].items():
        if kind == FLAG:
            extra[name] = table.flag(name)
        elif kind == AGES:
            extra[name] = table.text(name)
        else:
            extra[name] = table.choice(name, kind)
    if list_name == "exit_reason" and extra["completed"] and not extra["planned"]:
        table.fail("planned", "a completed exit is a planned one: set planned = true")
    code = Code(
        id=code_id,
        label=table.text("label"),
        description=table.optional_text("description"),
        extra=extra,
    )
    table.done()
    return code


def parse_intervention_codes(path: Path) -> InterventionCodes:
    definition = open_definition(path, "intervention-codes")
    body = definition.body
    lists: dict[str, tuple[Code, ...]] = {}
    for list_name in CODE_LISTS:
        seen: set[str] = set()
        lists[list_name] = tuple(
            _read_code(table, list_name, seen) for table in body.tables(list_name)
        )
        if not lists[list_name]:
            body.fail(list_name, "is empty; a code list needs at least one code")
    try:
        bands = AgeBandScheme.parse(
            "life_course_stage", [str(code.extra["ages"]) for code in lists["life_course_stage"]]
        )
    except AgeBandError as error:
        body.fail("life_course_stage", f"the stages' ages do not form age bands: {error}")
    body.done()
    return InterventionCodes(
        header=definition.header,
        ref=definition.ref(),
        prevention_level=lists["prevention_level"],
        life_course_stage=lists["life_course_stage"],
        referral_source=lists["referral_source"],
        reachable_moment=lists["reachable_moment"],
        lawful_basis=lists["lawful_basis"],
        consent_status=lists["consent_status"],
        contact_kind=lists["contact_kind"],
        attendance=lists["attendance"],
        outcome_kind=lists["outcome_kind"],
        exit_reason=lists["exit_reason"],
        access_purpose=lists["access_purpose"],
        evidence_kind=lists["evidence_kind"],
        life_course_bands=bands,
    )

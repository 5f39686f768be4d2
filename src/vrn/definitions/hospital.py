"""Hospital definitions: ICD-10 code sets, violence-related admission, causes, conditions.

``hospital.toml`` names ICD-10 code sets (``[code_sets.<name>]``), says which episodes
count (emergency admission methods, first finished episode), defines a violence-related
admission, the cause groups reported in the Response Strategy with their precedence rule,
and the related-condition flags. The functions here apply them to a table of hospital
episodes with one column per diagnosis position (``diag_01``, ``diag_02``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vrn.definitions import _frames
from vrn.definitions._files import DefinitionRef, Header, Table, open_definition
from vrn.definitions.icd import IcdCodeSet, IcdItemError, IcdRange

#: How a spell with several violence codes is given one cause group.
PRECEDENCE_RULES = ("first_position", "group_order")


@dataclass(frozen=True)
class EpisodeColumns:
    """Column names of a hospital episode table (defaults follow HES in lower case).

    ``diagnoses`` lists the diagnosis positions in order; ``None`` means every column named
    ``diag_<n>`` (any case), ordered by ``n``.
    """

    diagnoses: tuple[str, ...] | None = None
    admission_method: str = "admission_method"
    episode_order: str = "episode_order"
    episode_status: str = "episode_status"
    age: str = "age"

    def diagnosis_columns(self, episodes: pd.DataFrame) -> tuple[str, ...]:
        if self.diagnoses is not None:
            missing = [name for name in self.diagnoses if name not in episodes.columns]
            if missing:
                raise ValueError(f"diagnosis column(s) missing: {', '.join(missing)}")
            return self.diagnoses
        found = []
        for name in episodes.columns:
            match = re.fullmatch(r"diag_?(\d+)", str(name), flags=re.IGNORECASE)
            if match:
                found.append((int(match.group(1)), str(name)))
        if not found:
            raise ValueError(
                "no diagnosis columns: name them diag_01, diag_02, ... or pass "
                "EpisodeColumns(diagnoses=(...))"
            )
        return tuple(name for _, name in sorted(found))


@dataclass(frozen=True)
class EpisodeRules:
    """Which episodes count: HES admission method, episode order and status codes."""

    emergency_admission_methods: tuple[str, ...]
    first_episode_order: int
    finished_episode_status: int


@dataclass(frozen=True)
class AdmissionRule:
    """Episodes with a code of ``code_set`` in any diagnosis position, optionally only
    emergency admissions and only the first finished episode of the spell."""

    code_set: str
    emergency_only: bool
    first_finished_episode_only: bool


@dataclass(frozen=True)
class CauseGroup:
    """A cause group; ``code_set`` ``None`` is the rest of the violence codes."""

    id: str
    label: str
    code_set: str | None


@dataclass(frozen=True)
class ConditionFlag:
    """A related condition recorded in any diagnosis position (e.g. alcohol F10)."""

    id: str
    label: str
    code_set: str
    quote: str


@dataclass(frozen=True)
class HospitalDefinitions:
    header: Header
    ref: DefinitionRef
    code_sets: Mapping[str, IcdCodeSet]
    episodes: EpisodeRules
    violence_related_admission: AdmissionRule
    violence_quote: str
    cause_groups: tuple[CauseGroup, ...]
    cause_precedence: str
    cause_quote: str
    conditions: tuple[ConditionFlag, ...]

    def code_set(self, name: str) -> IcdCodeSet:
        return self.code_sets[name]

    def admissions(
        self, rule: AdmissionRule, episodes: pd.DataFrame, columns: EpisodeColumns | None = None
    ) -> pd.Series:
        """Boolean Series: the episodes ``rule`` counts."""
        columns = columns or EpisodeColumns()
        purpose = f"{self.ref.short_id} ({rule.code_set})"
        mask = self.code_sets[rule.code_set].any_position(
            episodes, columns.diagnosis_columns(episodes)
        )
        if rule.emergency_only:
            methods = _frames.codes(episodes, columns.admission_method, purpose)
            mask &= methods.isin(self.episodes.emergency_admission_methods).fillna(False)
        if rule.first_finished_episode_only:
            order = _frames.numbers(episodes, columns.episode_order, purpose)
            status = _frames.numbers(episodes, columns.episode_status, purpose)
            mask &= (order == self.episodes.first_episode_order) & (
                status == self.episodes.finished_episode_status
            )
        return mask.astype(bool)

    def violence_related(
        self, episodes: pd.DataFrame, columns: EpisodeColumns | None = None
    ) -> pd.Series:
        """Boolean Series: violence-related admissions (by default X85-Y09 in any
        position, emergency, first finished episode)."""
        return self.admissions(self.violence_related_admission, episodes, columns)

    def cause_group(
        self, episodes: pd.DataFrame, columns: EpisodeColumns | None = None
    ) -> pd.Series:
        """The cause group id of each episode with a violence code (``<NA>`` otherwise).

        ``first_position``: the first violence code in diagnosis order decides (as HES's
        derived ``CAUSE`` field takes the first external cause). ``group_order``: the first
        group, in the order listed, with a code in any position; the rest group last.
        """
        columns = columns or EpisodeColumns()
        diagnoses = columns.diagnosis_columns(episodes)
        violence = self.code_sets[self.violence_related_admission.code_set]
        groups = [(g.id, g.code_set) for g in self.cause_groups if g.code_set is not None]
        rest = next(g.id for g in self.cause_groups if g.code_set is None)
        result = pd.Series(pd.NA, index=episodes.index, dtype="string")
        if self.cause_precedence == "first_position":
            for column in diagnoses:
                open_rows = result.isna()
                is_violence = violence.matches(episodes[column]) & open_rows
                assigned = pd.Series(False, index=episodes.index, dtype=bool)
                for group_id, code_set in groups:
                    hit = (
                        is_violence & ~assigned & self.code_sets[code_set].matches(episodes[column])
                    )
                    result[hit] = group_id
                    assigned |= hit
                result[is_violence & ~assigned] = rest
        else:
            for group_id, code_set in groups:
                hit = result.isna() & self.code_sets[code_set].any_position(episodes, diagnoses)
                result[hit] = group_id
            result[result.isna() & violence.any_position(episodes, diagnoses)] = rest
        return result

    def condition_flags(
        self, episodes: pd.DataFrame, columns: EpisodeColumns | None = None
    ) -> pd.DataFrame:
        """One boolean column per related condition (any diagnosis position)."""
        columns = columns or EpisodeColumns()
        diagnoses = columns.diagnosis_columns(episodes)
        return pd.DataFrame(
            {
                flag.id: self.code_sets[flag.code_set].any_position(episodes, diagnoses)
                for flag in self.conditions
            },
            index=episodes.index,
        )


def parse_admission_rule(table: Table, code_sets: Mapping[str, IcdCodeSet]) -> AdmissionRule:
    code_set = table.text("code_set")
    if code_set not in code_sets:
        table.fail(
            "code_set", f"{code_set!r} is not a code set in hospital.toml ({', '.join(code_sets)})"
        )
    return AdmissionRule(
        code_set=code_set,
        emergency_only=table.flag("emergency_only"),
        first_finished_episode_only=table.flag("first_finished_episode_only"),
    )


def _code_set(name: str, table: Table) -> IcdCodeSet:
    ranges: dict[str, list[IcdRange]] = {"include": [], "exclude": []}
    for key, required in (("include", True), ("exclude", False)):
        for position, item in enumerate(table.texts(key, required=required)):
            try:
                ranges[key].append(IcdRange.parse(item))
            except IcdItemError as error:
                table.fail(f"{key}[{position}]", str(error))
    if not ranges["include"]:
        table.fail("include", "is empty")
    label = table.text("label")
    table.done()
    return IcdCodeSet(name, tuple(ranges["include"]), tuple(ranges["exclude"]), label)


def parse_hospital(path: Path) -> HospitalDefinitions:
    definition = open_definition(path, "hospital")
    body = definition.body

    code_sets: dict[str, IcdCodeSet] = {}
    for name, table in body.subtables("code_sets"):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            table.fail(None, f"code set name {name!r} must be lower_case_with_underscores")
        code_sets[name] = _code_set(name, table)

    episodes_table = body.table("episodes")
    methods = tuple(code.upper() for code in episodes_table.texts("emergency_admission_methods"))
    episodes = EpisodeRules(
        emergency_admission_methods=methods,
        first_episode_order=episodes_table.integer("first_episode_order"),
        finished_episode_status=episodes_table.integer("finished_episode_status"),
    )
    episodes_table.text("note")
    episodes_table.done()

    violence_table = body.table("violence_related_admission")
    violence_rule = parse_admission_rule(violence_table, code_sets)
    violence_quote = violence_table.text("quote")
    violence_table.done()
    violence = code_sets[violence_rule.code_set]

    causes = body.table("causes")
    precedence = causes.choice("precedence", PRECEDENCE_RULES)
    cause_quote = causes.text("quote")
    groups: list[CauseGroup] = []
    group_tables = causes.tables("group")
    for index, table in enumerate(group_tables):
        group_id = table.identifier("id")
        if any(existing.id == group_id for existing in groups):
            table.fail("id", f"cause group {group_id!r} appears twice")
        is_rest = table.flag("rest", default=False)
        code_set: str | None = None
        if is_rest:
            if table.has("code_set"):
                table.fail("code_set", "a rest group takes the remaining violence codes; drop it")
            if index != len(group_tables) - 1:
                table.fail("rest", "the rest group must be the last group")
        else:
            code_set = table.text("code_set")
            if code_set not in code_sets:
                table.fail("code_set", f"{code_set!r} is not a code set in hospital.toml")
            if not code_sets[code_set].is_subset_of(violence):
                table.fail(
                    "code_set",
                    f"{code_set} ({code_sets[code_set]}) is not within the violence-related "
                    f"admission codes ({violence})",
                )
            for earlier in groups:
                assert earlier.code_set is not None
                if code_sets[earlier.code_set].overlaps(code_sets[code_set]):
                    table.fail(
                        "code_set",
                        f"{code_set} overlaps the codes of group {earlier.id!r}; "
                        "cause groups must not share codes",
                    )
        groups.append(CauseGroup(group_id, table.text("label"), code_set))
        table.done()
    if not groups or groups[-1].code_set is not None:
        causes.fail("group", "the last cause group must be the rest group (rest = true)")
    causes.done()

    conditions: list[ConditionFlag] = []
    for table in body.tables("condition"):
        condition_id = table.identifier("id")
        if any(existing.id == condition_id for existing in conditions):
            table.fail("id", f"condition {condition_id!r} appears twice")
        code_set = table.text("code_set")
        if code_set not in code_sets:
            table.fail("code_set", f"{code_set!r} is not a code set in hospital.toml")
        conditions.append(
            ConditionFlag(condition_id, table.text("label"), code_set, table.text("quote"))
        )
        table.done()
    body.done()
    return HospitalDefinitions(
        header=definition.header,
        ref=definition.ref(),
        code_sets=code_sets,
        episodes=episodes,
        violence_related_admission=violence_rule,
        violence_quote=violence_quote,
        cause_groups=tuple(groups),
        cause_precedence=precedence,
        cause_quote=cause_quote,
        conditions=tuple(conditions),
    )

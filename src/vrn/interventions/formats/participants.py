"""Participants (``vrn ingest intervention-participants``): one row per person referred
to a programme, pseudonymised at ingest (docs/formats/interventions.md).

A file is the authority for the (provider, programme, month of referral) of its rows: a
corrected file replaces the participants of the earlier load of those partitions. Their
contacts, reviews, outcomes and assessments are kept by case reference, not by row, so
they survive the replacement (and those recorded through the web forms are never in a
load at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import (
    Column,
    Layout,
    PartnerTable,
    check_code,
    check_required,
    choices,
    file_synthetic,
    flag_duplicates,
    flag_outside_period,
    iso_dates,
    lookup_records,
    months,
    optional_integers,
    parse_dates,
    parse_whole_numbers,
    partitions,
    read_partner_table,
    record_keys,
    synthetic_flags,
)
from vrn.ingest.period import Period
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.places import Places
from vrn.ingest.pseudonymise import PERSON_COLUMNS, check_age_from_birth, pseudonymise, secret_for
from vrn.ingest.reading import RawFile
from vrn.interventions import checks, reference
from vrn.interventions.formats import common
from vrn.interventions.models import Ethnicity, Participant, Programme, Sex

KIND = "participants"
#: Separates the ids of ``priority_groups``.
GROUP_SEPARATOR = ";"

LAYOUT = Layout(
    kind="intervention participants file",
    columns=(
        Column("provider_code", required=True),
        Column("programme_code", required=True),
        Column("case_reference", required=True),
        Column("referral_date", required=True),
        Column("referral_source", required=True),
        Column("reachable_moment"),
        Column("consent_status", required=True),
        Column("lawful_basis", required=True),
        Column("age"),
        Column("sex"),
        Column("ethnicity"),
        Column("priority_groups"),
        Column("residence_lsoa"),
        Column("start_date"),
        Column("exit_date"),
        Column("exit_reason"),
        *(Column(name) for name in PERSON_COLUMNS),
        Column("synthetic"),
    ),
)


@dataclass(frozen=True)
class Programmes:
    """Programmes by code (matched ignoring case): id, code as stored and provider."""

    by_code: dict[str, tuple[int, str, int]]

    @classmethod
    def load(cls) -> Programmes:
        found = Programme.objects.values_list("pk", "code", "provider_id")
        return cls({code.casefold(): (pk, code, provider) for pk, code, provider in found})


class InterventionParticipants(Dataset):
    name = common.NAME
    model = Participant
    fields = [
        *common.COMMON_FIELDS,
        "programme",
        "person_key",
        "key_basis",
        "referral_date",
        "referral_source",
        "reachable_moment",
        "consent_status",
        "lawful_basis",
        "age_at_referral",
        "sex",
        "ethnicity",
        "priority_groups",
        "residence_postcode_district",
        "residence_lsoa21_code",
        "residence_local_authority_code",
        "start_date",
        "exit_date",
        "exit_reason",
    ]
    field_headings = {
        **common.COMMON_HEADINGS,
        "programme": "programme_code",
        "age_at_referral": "age",
        "residence_lsoa21_code": "residence_lsoa",
    }

    def __init__(self) -> None:
        self.places = Places()

    def batch_order(self, paths: Any) -> list[Any]:
        return common.in_batch_order(paths)

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        common.require_kind(raw, KIND)
        table = read_partner_table(raw, LAYOUT)
        secret = secret_for(raw.name, table.identifier_columns())
        problems = Problems(len(table))
        check_required(table, problems)
        organisations = common.Organisations.load()
        own = common.own_organisation(raw, context, organisations)
        provider_code, provider_id = common.check_providers(table, problems, own, organisations)
        programmes = Programmes.load()
        programme_code, programme_id = _check_programmes(
            table, problems, programmes, provider_code, provider_id
        )
        case_reference = common.check_case_references(table, problems)
        referral = parse_dates(table, problems, "referral_date", context.today)
        codes = reference.codes()
        values = {
            name: check_code(table, problems, name, codes.ids(name))
            for name in ("referral_source", "reachable_moment", "consent_status", "lawful_basis")
        }
        conflict = _pairs(values["consent_status"], values["lawful_basis"], checks.consent_problem)
        problems.flag(conflict != None, "lawful_basis", lambda rows: conflict[rows].tolist())  # noqa: E711
        age = parse_whole_numbers(table, problems, "age", *checks.AGE_RANGE)
        sex = check_code(table, problems, "sex", choices(Sex))
        ethnicity = check_code(table, problems, "ethnicity", choices(Ethnicity))
        groups = _priority_groups(table, problems)
        lsoa = self._lsoas(raw, table, problems)
        start = parse_dates(table, problems, "start_date", context.today)
        exit_date = parse_dates(table, problems, "exit_date", context.today)
        exit_reason = check_code(table, problems, "exit_reason", codes.ids("exit_reason"))
        _check_progress(problems, referral, start, exit_date, exit_reason)
        people = pseudonymise(table, problems, provider_code, secret, required=False)
        ages = check_age_from_birth(problems, age, people.date_of_birth, referral, "referral")
        flags = synthetic_flags(table, problems)
        month = months(referral)
        flag_outside_period(problems, month, context.period, "referral_date")
        flag_duplicates(
            problems,
            record_keys(provider_code, case_reference),
            table.line_numbers,
            "case_reference",
            "case reference",
            ignore=case_reference == "",
        )
        is_synthetic = file_synthetic(raw.name, flags, np.flatnonzero(~problems.found))
        _flag_held_elsewhere(
            problems,
            programmes,
            provider_code=provider_code,
            provider_id=provider_id,
            programme_code=programme_code,
            case_reference=case_reference,
            month=month,
            synthetic=is_synthetic,
            period=context.period,
        )

        valid = np.flatnonzero(~problems.found)
        nowhere = np.full(len(valid), np.nan)
        placed = self.places.place(lsoa[valid], nowhere, nowhere)
        stored_sex = sex[valid]
        stored_sex[stored_sex == ""] = Sex.UNKNOWN.value
        stored_ethnicity = ethnicity[valid]
        stored_ethnicity[stored_ethnicity == ""] = Ethnicity.NOT_STATED.value
        rows = ColumnRows(
            [
                *common.common_columns(
                    table, valid, is_synthetic, provider_id, case_reference, context
                ),
                [int(pk) for pk in programme_id[valid]],
                [key or "" for key in people.key[valid].tolist()],
                people.basis[valid].tolist(),
                iso_dates(referral[valid]),
                values["referral_source"][valid].tolist(),
                values["reachable_moment"][valid].tolist(),
                values["consent_status"][valid].tolist(),
                values["lawful_basis"][valid].tolist(),
                optional_integers(ages[valid]),
                stored_sex.tolist(),
                stored_ethnicity.tolist(),
                [common.json_text(value) for value in groups[valid]],
                people.postcode_district[valid].tolist(),
                placed.lsoa21.tolist(),
                placed.local_authority.tolist(),
                iso_dates(start[valid]),
                iso_dates(exit_date[valid]),
                exit_reason[valid].tolist(),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(
                is_synthetic,
                [KIND],
                provider_code[valid],
                programme_code[valid],
                month[valid],
                period=context.period,
            ),
            rows=rows,
            rejections=common.protected(table, table.rejections(problems)),
            synthetic=is_synthetic,
        )

    def _lsoas(self, raw: RawFile, table: PartnerTable, problems: Problems) -> Any:
        """LSOAs of residence, 2021 or 2011 (checked against the reference geography,
        which must be loaded only when a row gives one)."""
        codes = table.text("residence_lsoa")
        if not (codes != "").any():
            return codes
        self.places.require_reference(raw.name)
        return self.places.check_lsoas(codes, problems, "residence_lsoa")


def _pairs(first: Any, second: Any, rule: Any) -> Any:
    """``rule(a, b)`` for each row's pair, computed once per distinct pair."""
    frame = pd.DataFrame({"a": first, "b": second})
    distinct = frame.drop_duplicates()
    results = {(a, b): rule(a, b) for a, b in distinct.itertuples(index=False)}
    return np.array([results[(a, b)] for a, b in zip(first, second, strict=True)], dtype=object)


def _check_programmes(
    table: PartnerTable,
    problems: Problems,
    programmes: Programmes,
    provider_code: Any,
    provider_id: Any,
) -> tuple[Any, Any]:
    """Each row's programme (code as stored, id): a known programme, delivered by the
    row's provider."""
    column = table.distinct("programme_code")
    found = column.apply(lambda code: programmes.by_code.get(code.casefold()) if code else None)
    texts = column.uniques
    unknown = np.array(
        [value is None and text != "" for value, text in zip(found, texts, strict=True)],
        dtype=bool,
    )
    problems.flag(
        column.spread(unknown),
        "programme_code",
        lambda rows: [f"'{texts[code]}' is not a programme's code" for code in column.codes[rows]],
    )
    per_row = column.spread(found)
    other = np.array(
        [
            value is not None and provider is not None and value[2] != provider
            for value, provider in zip(per_row, provider_id, strict=True)
        ],
        dtype=bool,
    )
    problems.flag(
        other,
        "programme_code",
        lambda rows: [
            f"{per_row[row][1]} is not delivered by {provider_code[row]}" for row in rows
        ],
    )
    codes = np.array([value[1] if value else "" for value in per_row], dtype=object)
    ids = np.array([value[0] if value else None for value in per_row], dtype=object)
    return codes, ids


def _priority_groups(table: PartnerTable, problems: Problems) -> Any:
    """Each row's priority group ids (a list; ``;`` between them), each a known group."""
    column = table.distinct("priority_groups")
    known = {group.id.casefold(): group.id for group in reference.priorities().groups}

    def parsed(text: str) -> tuple[list[str], str | None]:
        given = [part.strip() for part in text.split(GROUP_SEPARATOR) if part.strip()]
        ids = [known.get(part.casefold(), part) for part in given]
        return list(dict.fromkeys(ids)), checks.priority_groups_problem(ids)

    results = column.apply(parsed)
    reasons = np.array([reason for _, reason in results], dtype=object)
    problems.flag(
        column.spread(reasons != None),  # noqa: E711 (element-wise)
        "priority_groups",
        lambda rows: reasons[column.codes[rows]].tolist(),
    )
    groups = np.empty(len(results), dtype=object)
    groups[:] = [ids for ids, _ in results]
    return column.spread(groups)


def _check_progress(
    problems: Problems, referral: Any, start: Any, exit_date: Any, exit_reason: Any
) -> None:
    """Dates in order and exits with reasons (:func:`checks.progress_problems`)."""
    fields = np.full(len(referral), None, dtype=object)
    reasons = np.full(len(referral), None, dtype=object)
    for row, (referred, started, left, reason) in enumerate(
        zip(
            common.as_dates(referral),
            common.as_dates(start),
            common.as_dates(exit_date),
            exit_reason.tolist(),
            strict=True,
        )
    ):
        if started is None and left is None and not reason:
            continue
        found = checks.progress_problems(referred, started, left, reason)
        if found:
            fields[row], reasons[row] = next(iter(found.items()))
    common.flag_each(problems, fields, reasons)


def _flag_held_elsewhere(
    problems: Problems,
    programmes: Programmes,
    *,
    provider_code: Any,
    provider_id: Any,
    programme_code: Any,
    case_reference: Any,
    month: Any,
    synthetic: bool,
    period: Period | None,
) -> None:
    """Rows whose case reference the provider already holds, other than in a load this file
    replaces: entered through a form or the API, or loaded for a partition (programme and
    month, real or synthetic) this file does not cover."""
    rows = ~problems.found
    if not rows.any():
        return
    sources = np.array([-1 if pk is None else pk for pk in provider_id], dtype=object)
    held = lookup_records(
        Participant,
        "provider",
        "case_reference",
        sources,
        case_reference,
        rows,
        ("load_id", "programme", "referral_date", "synthetic"),
    )
    if held.empty:
        return
    covered = {
        tuple(partition)
        for partition in partitions(
            synthetic,
            [KIND],
            provider_code[rows],
            programme_code[rows],
            month[rows],
            period=period,
        )
    }
    code_of = {pk: code for pk, code, _ in programmes.by_code.values()}
    position = held.index.get_indexer(record_keys(sources, case_reference))
    reasons = np.full(len(rows), None, dtype=object)
    for row in np.flatnonzero(rows & (position >= 0)):
        load_id, programme, referred, was_synthetic = held.iloc[position[row]][
            ["load_id", "programme", "referral_date", "synthetic"]
        ]
        if load_id is None or pd.isna(load_id):
            reasons[row] = (
                f"{provider_code[row]} already holds this case reference for a participant "
                "entered through the web form or the API; change that record there"
            )
            continue
        held_month = str(np.datetime64(referred, "M"))
        held_code = code_of.get(int(programme), "")
        partition = (
            *(["synthetic"] if bool(was_synthetic) else []),
            KIND,
            provider_code[row],
            held_code,
            held_month,
        )
        if partition not in covered:
            reasons[row] = (
                f"is already loaded for {'synthetic ' if bool(was_synthetic) else ''}"
                f"{held_code} {held_month} (load {int(load_id)}); a correction must come "
                "in a file for that programme and month"
            )
    problems.flag(
        reasons != None,  # noqa: E711 (element-wise)
        "case_reference",
        lambda found: reasons[found].tolist(),
    )

"""Every case of the hostile corpus (corpus.py) through the real ``load_file``: the same
outcome on SQLite and PostgreSQL (the suite runs on both), never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrn.ingest.pipeline import LoadContext

from .checks import check_case, counts, load, load_crimes_for_people
from .corpus import KINDS, Case, all_cases

CASES = all_cases()


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_file(
    case: Case, reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> None:
    if case.needs_crimes:
        load_crimes_for_people(tmp_path, context)
    path = tmp_path / case.name
    path.write_bytes(case.content)
    before = counts()

    result = load(case.format, path, context)

    check_case(case, result, before)


def test_corpus_covers_every_format() -> None:
    formats = {case.format for case in CASES}
    assert formats == {"police-uk", "police-extract", "istv", "admissions", "indicators"}
    for kind in KINDS:
        assert sum(case.kind is kind for case in CASES) >= 30, kind.name

"""``vrn ingest FORMAT f1 f2 f3``: a file that fails does not stop the later ones; each file
gets its own accounting line; the exit status is 1 when any file was refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrn.ingest.pipeline import LoadContext

from .corpus import CSV_FIELD_LIMIT, ISTV, POLICE_UK, police_uk_row
from .test_authority import ingest

pytestmark = pytest.mark.django_db


def test_a_bad_file_does_not_stop_the_batch(
    reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> None:
    good = tmp_path / "istv-RWEAA-2024-01.csv"
    good.write_bytes(ISTV.data())
    nul = tmp_path / "istv-nul.csv"
    nul.write_bytes(ISTV.data().replace(b"ED-0001", b"ED-\x000001"))
    open_quote = tmp_path / "istv-open-quote.csv"
    rows = ISTV.rows()
    open_quote.write_text(ISTV.text([rows[0], '"' + ISTV.line(rows[1]), rows[2]]))
    huge = tmp_path / "istv-huge-field.csv"
    huge_rows = [
        row | {"attendance_id": f"EH-{i}", "arrival": "2024-02-05 10:00", "incident_date": ""}
        for i, row in enumerate(rows)
    ]
    huge_rows[1] = huge_rows[1] | {"incident_location": "A" * (CSV_FIELD_LIMIT + 1)}
    huge.write_text(ISTV.text([huge_rows[0], "", *huge_rows[1:]]))
    later = tmp_path / "istv-RWEAA-2024-03.csv"
    later.write_bytes(
        ISTV.data(
            [
                row
                | {"attendance_id": f"EM-{i}", "arrival": "2024-03-05 10:00", "incident_date": ""}
                for i, row in enumerate(rows)
            ]
        )
    )
    files = [nul, good, open_quote, huge, later]

    status, results = ingest("istv", *files)

    assert status == 1
    assert [result["file"] for result in results] == [path.name for path in files]
    by_file = {result["file"]: result for result in results}
    assert by_file[nul.name]["status"] == "refused"
    assert by_file[open_quote.name]["status"] == "refused"
    assert by_file[huge.name]["status"] in ("refused", "loaded")
    for path in (good, later):
        assert by_file[path.name]["status"] == "loaded", by_file[path.name]
        assert by_file[path.name]["rows_loaded"] == 4
    for result in results:
        assert result["rows_read"] == result["rows_loaded"] + result["rows_quarantined"]
        if result["status"] == "refused":
            assert result["message"], result


def test_police_uk_batch_with_garbage_between_good_files(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    january = tmp_path / POLICE_UK.file_name
    january.write_bytes(POLICE_UK.data())
    garbage = tmp_path / "2024-02-leicestershire-street.csv"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    march = tmp_path / "2024-03-leicestershire-street.csv"
    march.write_bytes(POLICE_UK.data([police_uk_row(i, "2024-03") for i in range(4)]))
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()

    status, results = ingest("police-uk", january, garbage, folder, march)

    assert status == 1
    assert [result["status"] for result in results] == ["loaded", "refused", "refused", "loaded"]

"""The upload page: only a caseworker, only for their own organisation; the accounting
and the first rows not loaded; the size limit; the audit of the records changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from vrn.audit.models import AuditEvent
from vrn.ingest.models import FileLoad
from vrn.interventions import audit
from vrn.interventions.models import Participant
from vrn.interventions.upload import MAX_BYTES, stored_name, upload_file

from .conftest import PARTICIPANT, PARTICIPANTS, rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_upload_page"),
]

URL = "/interventions/upload/"
HEADER = [name for name in PARTICIPANTS if name not in ("residence_lsoa", "nhs_number")]
Write = Callable[..., Path]
ClientFor = Callable[[Any], Client]


@pytest.fixture
def _upload_page() -> Any:
    with override_settings(ROOT_URLCONF="tests.interventions.formats.urls"):
        yield


def csv_file(write: Write, name: str, content: list[dict[str, str]]) -> SimpleUploadedFile:
    path = write(name, HEADER, content)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def mixed(write: Write, name: str = "referrals.csv") -> SimpleUploadedFile:
    """Two of turning-point's participants, then one of leics-cares."""
    return csv_file(
        write,
        name,
        rows(
            PARTICIPANT,
            {"case_reference": "TP-0001"},
            {"case_reference": "TP-0002"},
            {"case_reference": "LC-1", "provider_code": "leics-cares", "programme_code": "UP"},
        ),
    )


def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


@pytest.mark.parametrize("who", ["analyst", "board_member"])
def test_only_caseworkers_may_upload(
    who: str, request: pytest.FixtureRequest, client_for: ClientFor, write: Write
) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)

    assert client.get(URL).status_code == 403
    response = client.post(URL, {"format": "intervention-participants", "file": mixed(write)})
    assert response.status_code == 403
    assert not FileLoad.objects.exists()


def test_the_page_offers_the_six_formats(provider_a: Any, client_for: ClientFor) -> None:
    response = client_for(provider_a.caseworker).get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Upload a file of records" in text and "Turning Point" in text
    assert 'enctype="multipart/form-data"' in text and f'action="{URL}"' in text
    for value in (
        "intervention-participants",
        "intervention-assessments",
        "intervention-contacts",
        "intervention-reviews",
        "intervention-outcomes",
        "outcomes-star",
    ):
        assert f'value="{value}"' in text
    assert "style=" not in text and "<script>" not in text


def test_a_caseworker_uploads_for_their_own_organisation_only(
    provider_a: Any, provider_b: Any, client_for: ClientFor, write: Write
) -> None:
    client = client_for(provider_a.caseworker)

    response = client.post(URL, {"format": "intervention-participants", "file": mixed(write)})

    assert response.status_code == 200
    text = response.content.decode()
    assert "referrals.csv was loaded" in text
    assert [row.rows_loaded for row in [response.context["uploaded"].result]] == [2]
    problems = response.context["uploaded"].problems
    assert [(p.line_number, p.field, p.reason) for p in problems] == [
        (4, "provider_code", "you can upload only for your own organisation (turning-point)")
    ]
    assert "you can upload only for your own organisation (turning-point)" in text
    assert sorted(Participant.objects.values_list("case_reference", "provider__code")) == [
        ("TP-0001", "turning-point"),
        ("TP-0002", "turning-point"),
    ]
    load = FileLoad.objects.get()
    assert (load.file_name, load.loaded_by, load.rows_quarantined) == (
        "referrals.csv",
        "caseworker-a",
        1,
    )
    assert set(Participant.objects.values_list("recorded_by", "load_id")) == {
        ("caseworker-a", load.pk)
    }
    event = AuditEvent.objects.get(action=audit.CHANGE)
    assert (event.actor, event.detail["purpose"], event.detail["via"]) == (
        "caseworker-a",
        "casework",
        "upload",
    )
    assert event.detail["participants"] == sorted(Participant.objects.values_list("pk", flat=True))


def test_the_same_file_again_changes_nothing_and_a_corrected_one_replaces_it(
    provider_a: Any, provider_b: Any, client_for: ClientFor, write: Write
) -> None:
    client = client_for(provider_a.caseworker)
    client.post(URL, {"format": "intervention-participants", "file": mixed(write)})

    again = client.post(URL, {"format": "intervention-participants", "file": mixed(write)})
    corrected = csv_file(write, "referrals.csv", rows(PARTICIPANT, {"case_reference": "TP-0001"}))
    replaced = client.post(URL, {"format": "intervention-participants", "file": corrected})

    assert "referrals.csv was uploaded before: nothing changed" in again.content.decode()
    assert "was loaded in place of your earlier upload" in replaced.content.decode()
    assert list(Participant.objects.values_list("case_reference", flat=True)) == ["TP-0001"]


def test_a_refused_file_says_why(provider_a: Any, client_for: ClientFor, write: Write) -> None:
    header = [name for name in HEADER if name != "consent_status"]
    path = write("referrals.csv", header, rows(PARTICIPANT, {}))
    upload = SimpleUploadedFile("referrals.csv", path.read_bytes(), content_type="text/csv")

    response = client_for(provider_a.caseworker).post(
        URL, {"format": "intervention-participants", "file": upload}
    )

    text = response.content.decode()
    assert "referrals.csv was not loaded: nothing from it was stored" in text
    assert "required columns missing: &#x27;consent_status&#x27;" in text
    assert not Participant.objects.exists() and not FileLoad.objects.exists()


def test_the_form_names_what_is_missing(provider_a: Any, client_for: ClientFor) -> None:
    response = client_for(provider_a.caseworker).post(URL, {})

    text = response.content.decode()
    assert "There is a problem" in text
    assert "Select what the file holds" in text and "Select a CSV file" in text
    assert not FileLoad.objects.exists()


def test_a_file_over_the_limit_is_not_read(provider_a: Any, client_for: ClientFor) -> None:
    big = SimpleUploadedFile("big.csv", b"x" * (MAX_BYTES + 1), content_type="text/csv")

    response = client_for(provider_a.caseworker).post(
        URL, {"format": "intervention-participants", "file": big}
    )

    assert "The selected file must be smaller than 20 MB" in response.content.decode()
    assert not FileLoad.objects.exists()


def test_an_upload_needs_the_form_token(provider_a: Any, write: Write) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(provider_a.caseworker)

    response = client.post(URL, {"format": "intervention-participants", "file": mixed(write)})

    assert response.status_code == 403
    assert not FileLoad.objects.exists()


def test_the_service_loads_under_the_files_own_name(provider_a: Any, write: Write) -> None:
    path = write("x.csv", HEADER, rows(PARTICIPANT, {}))

    uploaded = upload_file(
        username="caseworker-a",
        organisation_code="turning-point",
        format_name="intervention-participants",
        file_name="C:\\Users\\me\\référrals 2024.csv",
        chunks=[path.read_bytes()],
    )

    assert (uploaded.result.status, uploaded.result.file) == ("loaded", "r_f_rrals_2024.csv")
    assert uploaded.participant_ids == [Participant.objects.get().pk]
    assert stored_name("../../etc/passwd") == "passwd"
    assert stored_name("..") == "upload.csv"


# --- A file with the same content as another organisation's ----------------------------

STAR = ["Client ID", "Date of reading", "Reading number", "Keeping safe", "Money"]
READINGS = [
    {"Client ID": "TP-0001", "Date of reading": "12/04/2024", "Reading number": "1"}
    | {"Keeping safe": "3", "Money": "4"},
    {"Client ID": "TP-0001", "Date of reading": "14/06/2024", "Reading number": "2"}
    | {"Keeping safe": "11", "Money": "5"},
    {"Client ID": "TP-0002", "Date of reading": "10/05/2024", "Reading number": "1"}
    | {"Keeping safe": "6", "Money": "6"},
    {"Client ID": "TP-0002", "Date of reading": "10/07/2024", "Reading number": "2"}
    | {"Keeping safe": "7", "Money": "7"},
]


def star_export(write: Write) -> bytes:
    """An Outcomes Star-style export: no provider_code, so whose it is comes from the
    uploader; one reading out of range."""
    return write("star.csv", STAR, READINGS).read_bytes()


def test_a_copy_of_another_organisations_file_shows_nothing_of_its_load(
    provider_a: Any, provider_b: Any, client_for: ClientFor, write: Write
) -> None:
    content = star_export(write)
    client_for(provider_a.caseworker).post(
        URL, {"format": "intervention-participants", "file": mixed(write)}
    )
    first = client_for(provider_a.caseworker).post(
        URL, {"format": "outcomes-star", "file": SimpleUploadedFile("star.csv", content)}
    )
    assert first.context["uploaded"].result.status == "loaded", first.context["uploaded"].result
    theirs = FileLoad.objects.get(pk=first.context["uploaded"].result.load_id)
    assert (theirs.rows_read, theirs.rows_loaded, theirs.rows_quarantined) == (4, 3, 1)
    reasons = [p.reason for p in first.context["uploaded"].problems]
    assert reasons == ["must be between 1 and 10"]

    response = client_for(provider_b.caseworker).post(
        URL, {"format": "outcomes-star", "file": SimpleUploadedFile("readings.csv", content)}
    )

    assert response.status_code == 200
    uploaded = response.context["uploaded"]
    assert uploaded.elsewhere and uploaded.problems == [] and uploaded.participant_ids == []
    result = uploaded.result
    assert (result.status, result.load_id, result.rows_read, result.rows_quarantined) == (
        "unchanged",
        None,
        0,
        0,
    )
    text = response.content.decode()
    assert "readings.csv was not loaded: a file with identical content is already loaded" in text
    assert "provider_code" in text and "or contact the network&#x27;s analysts" in text
    assert f"load {theirs.pk}" not in text and "already loaded as load" not in text
    assert f"{theirs.loaded_at:%Y-%m-%d}" not in text
    assert 'id="upload-accounting"' not in text and 'id="upload-problems"' not in text
    assert "Rows read" not in text and "Rows not loaded" not in text
    for reason in reasons:
        assert reason not in text
    assert "TP-0" not in text and "star.csv" not in text and "caseworker-a" not in text
    # Nothing was loaded for B, and B is not recorded as having changed A's participants.
    assert FileLoad.objects.filter(loaded_by="caseworker-b").count() == 0
    assert not AuditEvent.objects.filter(actor="caseworker-b", action=audit.CHANGE).exists()


def test_a_copy_of_a_file_of_the_uploaders_organisation_shows_its_load(
    provider_a: Any, client_for: ClientFor, write: Write
) -> None:
    from vrn.accounts.models import User

    colleague = User.objects.create_user(
        username="caseworker-a2", password="x" * 20, organisation=provider_a.organisation
    )
    colleague.groups.set(provider_a.caseworker.groups.all())
    first = client_for(provider_a.caseworker).post(
        URL, {"format": "intervention-participants", "file": mixed(write)}
    )

    again = client_for(colleague).post(
        URL, {"format": "intervention-participants", "file": mixed(write)}
    )

    uploaded = again.context["uploaded"]
    assert not uploaded.elsewhere
    assert uploaded.result.load_id == first.context["uploaded"].result.load_id
    assert [p.line_number for p in uploaded.problems] == [4]
    text = again.content.decode()
    assert "referrals.csv was uploaded before: nothing changed" in text
    assert f"already loaded as load {uploaded.result.load_id}" in text
    assert 'id="upload-problems"' in text

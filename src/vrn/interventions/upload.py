"""Uploading a bulk file of intervention records from the web: a caseworker's file, loaded
for their own organisation through the one ingest pipeline (docs/formats/interventions.md),
exactly as ``vrn ingest FORMAT FILE --organisation CODE`` would load it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from vrn.ingest import registry
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import FileResult, LoadContext, load_file
from vrn.interventions.models import Participant

#: The largest file accepted (bytes).
MAX_BYTES = 20 * 1024 * 1024
#: The formats a caseworker may upload, and what each holds.
FORMATS = (
    ("intervention-participants", "Participants: referrals, starts and exits"),
    ("intervention-assessments", "Assessments of need (risk and protective factors)"),
    ("intervention-contacts", "Contacts and sessions"),
    ("intervention-reviews", "Distance-travelled reviews"),
    ("intervention-outcomes", "Confirmed outcomes"),
    ("outcomes-star", "An Outcomes Star-style export of readings"),
)
#: Quarantined rows shown after an upload, at most.
SHOWN_PROBLEMS = 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(ValueError):
    """The upload itself is not acceptable (``field``: which form field, and why)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Problem:
    line_number: int
    field: str
    reason: str


#: What the uploader is told when a file with the same content was loaded for another
#: organisation (or by someone not of theirs): nothing of that load.
LOADED_ELSEWHERE = (
    "A file with identical content is already loaded, so nothing from this file was "
    "stored. If it holds your organisation's records, change the file (for example, add "
    "a provider_code column giving your organisation's code on every row) and upload it "
    "again, or contact the network's analysts."
)


@dataclass(frozen=True)
class Uploaded:
    """The pipeline's accounting for the file, its first quarantined rows, and the
    participants whose records it made or changed (for the audit). ``elsewhere``: the
    same content was loaded before, not by the uploader's organisation; then nothing of
    that load is kept here (no id, counts or rows)."""

    result: FileResult
    problems: list[Problem]
    participant_ids: list[int]
    elsewhere: bool = False

    @property
    def more_problems(self) -> int:
        return max(0, self.result.rows_quarantined - len(self.problems))


def too_big_message() -> str:
    return f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"


def upload_file(
    *,
    username: str,
    organisation_code: str,
    format_name: str,
    file_name: str,
    chunks: Iterable[bytes],
) -> Uploaded:
    """Save the upload in a temporary folder under its own (cleaned) name, so that a
    corrected copy of a file replaces it, and load it for ``organisation_code``."""
    if format_name not in dict(FORMATS):
        raise UploadRefused("format", "Select what the file holds")
    if not organisation_code:
        raise UploadRefused(
            "file",
            "Your organisation has no code, so the file's rows cannot be matched to it; "
            "ask an administrator to give it one",
        )
    context = LoadContext(
        loaded_by=username, today=timezone.localdate(), organisation=organisation_code
    )
    with tempfile.TemporaryDirectory(prefix="vrn-upload-") as folder:
        path = Path(folder) / stored_name(file_name)
        written = 0
        with open(path, "wb") as handle:
            for chunk in chunks:
                written += len(chunk)
                if written > MAX_BYTES:
                    raise UploadRefused("file", too_big_message())
                handle.write(chunk)
        result = load_file(registry.dataset_for(format_name), path, context)
    if result.status == "unchanged" and not loaded_by_organisation(
        result.load_id, organisation_code
    ):
        # The pipeline knows content across the whole dataset: the earlier load is another
        # organisation's, so its id, date, counts and rows are not the uploader's to see.
        hidden = FileResult(
            file=result.file, sha256=result.sha256, status="unchanged", message=LOADED_ELSEWHERE
        )
        return Uploaded(hidden, [], [], elsewhere=True)
    return Uploaded(result, first_problems(result), changed_participants(result))


def loaded_by_organisation(load_id: int | None, organisation_code: str) -> bool:
    """Whether the load was made by a user of the organisation (a load by someone of
    another organisation, of none, or by a name that is no user's: not)."""
    if load_id is None or not organisation_code:
        return False
    loaded_by = FileLoad.objects.filter(pk=load_id).values_list("loaded_by", flat=True).first()
    if not loaded_by:
        return False
    user_model = get_user_model()
    codes = user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: loaded_by}
    ).values_list("organisation__code", flat=True)
    return organisation_code in list(codes)


def stored_name(file_name: str) -> str:
    """The file's own name (no folders), with characters other than letters, digits and
    ``. _ -`` replaced."""
    name = _UNSAFE.sub("_", Path(file_name.replace("\\", "/")).name).strip("._")
    return name[:200] or "upload.csv"


def first_problems(result: FileResult, limit: int = SHOWN_PROBLEMS) -> list[Problem]:
    """The first quarantined rows of the load (line, column, reason; never the values)."""
    if result.load_id is None or not result.rows_quarantined:
        return []
    found = (
        QuarantinedRow.objects.filter(load_id=result.load_id)
        .order_by("line_number", "pk")
        .values_list("line_number", "field", "reason")[:limit]
    )
    return [Problem(line, field, reason) for line, field, reason in found]


def changed_participants(result: FileResult) -> list[int]:
    """The participants a new load made, or whose journey records it added."""
    if result.status not in ("loaded", "replaced") or result.load_id is None:
        return []
    table = FileLoad.objects.filter(pk=result.load_id).values_list("table", flat=True).first()
    if not table:
        return []
    model = apps.get_model(table)
    if model is Participant:
        return list(Participant.objects.filter(load_id=result.load_id).values_list("pk", flat=True))
    pairs = model._default_manager.filter(load_id=result.load_id).values_list(
        "provider_id", "case_reference"
    )
    by_provider: dict[int, set[str]] = {}
    for provider, case_reference in pairs.distinct():
        by_provider.setdefault(provider, set()).add(case_reference)
    if not by_provider:
        return []
    wanted = Q()
    for provider, references in by_provider.items():
        wanted |= Q(provider_id=provider, case_reference__in=sorted(references))
    return sorted(Participant.objects.filter(wanted).values_list("pk", flat=True))

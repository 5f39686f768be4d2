"""The upload page (``/interventions/upload/``): a caseworker uploads a CSV of records for
their own organisation and sees what was loaded and which rows were not, and why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from vrn.interventions import access, audit
from vrn.interventions import upload as service


class UploadForm(forms.Form):
    format = forms.ChoiceField(
        choices=service.FORMATS,
        error_messages={
            "required": "Select what the file holds",
            "invalid_choice": "Select what the file holds",
        },
    )
    file = forms.FileField(
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
        }
    )


class _SizeLimit(FileUploadHandler):
    """Stops reading an upload once it is larger than the limit, so that an oversized file
    is never written to disk in full."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > service.MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # only so that the size limit is in place before the body is read
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not access.is_caseworker(request.user):
        raise PermissionDenied
    limit = _SizeLimit(request)
    request.upload_handlers = [limit, *request.upload_handlers]
    return _upload(request, limit)


@csrf_protect
def _upload(request: HttpRequest, limit: _SizeLimit) -> HttpResponse:
    organisation = getattr(request.user, "organisation", None)
    assert organisation is not None  # a caseworker has one (access.is_caseworker)
    context: dict[str, Any] = {"organisation": organisation, "max_mb": service.MAX_BYTES >> 20}
    if request.method != "POST":
        context["form"] = UploadForm()
        return render(request, "interventions/upload.html", context)
    form = UploadForm(request.POST, request.FILES)
    if limit.exceeded:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", service.too_big_message())
    elif form.is_valid():
        uploaded_file = form.cleaned_data["file"]
        try:
            uploaded = service.upload_file(
                username=request.user.get_username(),
                organisation_code=organisation.code,
                format_name=form.cleaned_data["format"],
                file_name=uploaded_file.name or "",
                chunks=uploaded_file.chunks(),
            )
        except service.UploadRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            if uploaded.participant_ids:
                audit.audit_request(
                    request,
                    audit.CHANGE,
                    uploaded.participant_ids,
                    purpose="casework",
                    via="upload",
                    what=f"bulk file: load {uploaded.result.load_id}",
                )
            context["uploaded"] = uploaded
            form = UploadForm()
    context["form"] = form
    return render(request, "interventions/upload.html", context)

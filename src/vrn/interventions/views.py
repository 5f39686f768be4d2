"""The intervention-monitoring pages: the caseworker's journey (a referral, then its
progress, assessments, contacts, reviews, outcomes and case notes) and the participant
pages the network's team sees pseudonymised.

Every view checks access on the server (:mod:`~vrn.interventions.access`), reads through
:mod:`~vrn.interventions.queries`, records through :mod:`~vrn.interventions.entry` and
audits every view, list and export of participant records with the purpose the user
declared (:func:`purpose`; asked again after :data:`PURPOSE_HOURS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from vrn.interventions import access, audit, entry, forms, programmes, queries, reference
from vrn.interventions.models import Participant
from vrn.web.downloads import csv_response
from vrn.web.signin import client_address

#: Where the declared purpose is kept in the session: {"code": ..., "at": ISO time}.
PURPOSE_SESSION_KEY = "interventions_purpose"
#: A declared purpose lasts this long; then the user is asked again.
PURPOSE_HOURS = 8

View = Callable[..., HttpResponse]


# --------------------------------------------------------------------------- purpose


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    declared_at: dt.datetime


def declared_purpose(request: HttpRequest) -> Purpose | None:
    """The purpose the user declared in this session, if still valid."""
    stored = request.session.get(PURPOSE_SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    code = str(stored.get("code") or "")
    at = parse_datetime(str(stored.get("at") or ""))
    if at is None or code not in reference.codes().ids("access_purpose"):
        return None
    if timezone.now() - at > dt.timedelta(hours=PURPOSE_HOURS):
        return None
    return Purpose(code, reference.codes().label("access_purpose", code), at)


def declare_purpose(request: HttpRequest, code: str) -> None:
    request.session[PURPOSE_SESSION_KEY] = {"code": code, "at": timezone.now().isoformat()}


def _purpose_url(next_url: str) -> str:
    return f"{reverse('interventions:purpose')}?{urlencode({'next': next_url})}"


def _safe_next(request: HttpRequest, candidate: str) -> str:
    """``candidate`` if it is a path on this site; else the participant list."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("interventions:participants")


# --------------------------------------------------------------------------- access


def records_page(view: View) -> View:
    """Signed-in users who see participant records (a caseworker or the network's team),
    with a purpose declared (else sent to declare one, and back); passes the purpose."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.sees_records(request.user):
            raise PermissionDenied
        purpose = declared_purpose(request)
        if purpose is None:
            return redirect(_purpose_url(request.get_full_path()))
        return view(request, purpose, *args, **kwargs)

    return login_required(wrapped)


def casework_page(view: View) -> View:
    """As :func:`records_page`, for a provider's caseworker only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_caseworker(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return records_page(wrapped)


def _visible(request: HttpRequest, pk: int) -> Participant:
    """The participant if the user may see it; 404 whether or not it exists."""
    participant = queries.participant(request.user, pk)
    if participant is None:
        raise Http404("No such participant.")
    return participant


def _recordable(request: HttpRequest, pk: int) -> Participant:
    participant = _visible(request, pk)
    if not access.may_record_for(request.user, participant):
        raise PermissionDenied
    return participant


def _audit(request: HttpRequest, action: str, ids: list[int], purpose: Purpose, what: str) -> None:
    audit.audit_request(request, action, ids, purpose=purpose.code, via="web", what=what)


def _actor(request: HttpRequest) -> entry.Actor:
    declared = declared_purpose(request)
    return entry.actor_for(
        request.user,
        address=client_address(request) or "",
        via="web",
        purpose=declared.code if declared else "casework",
    )


# --------------------------------------------------------------------------- pages


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A caseworker's programmes and what to do next; the network team's programmes."""
    if not access.sees_records(request.user):
        raise PermissionDenied
    caseworker = access.is_caseworker(request.user)
    try:
        upload_url: str | None = reverse("interventions-upload:upload")
    except NoReverseMatch:
        upload_url = None
    context = {
        "caseworker": caseworker,
        "organisation": request.user.organisation if caseworker else None,  # type: ignore[union-attr]
        "programmes": queries.programme_rows(request.user),
        "upload_url": upload_url,
        "purpose": declared_purpose(request),
    }
    return render(request, "interventions/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def purpose(request: HttpRequest) -> HttpResponse:
    """Why the user opens participant records: asked once a session (every 8 hours),
    written with every audit event."""
    if not access.sees_records(request.user):
        raise PermissionDenied
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    current = declared_purpose(request)
    if request.method == "POST":
        form = forms.PurposeForm(request.POST)
        if form.is_valid():
            declare_purpose(request, form.cleaned_data["purpose"])
            return HttpResponseRedirect(next_url)
    else:
        form = forms.PurposeForm(initial={"purpose": current.code if current else ""})
    context = {"form": form, "next": next_url, "current": current}
    return render(request, "interventions/purpose.html", context)


def _filters(request: HttpRequest) -> tuple[forms.FilterForm, queries.Filters | None]:
    """The list's filter form and its filters (None when a filter is wrong)."""
    form = forms.FilterForm(
        request.GET if request.GET else None,
        programmes=list(queries.visible_programmes(request.user)),
        search=access.is_caseworker(request.user),
    )
    if not form.is_bound:
        return form, queries.Filters()
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, queries.Filters(
        programme=data.get("programme"),
        status=data.get("status") or "",
        case_reference=str(data.get("case_reference") or "").strip(),
    )


@records_page
@require_GET
def participant_list(request: HttpRequest, purpose: Purpose) -> HttpResponse:
    """The participants the user may see, filtered, 50 a page."""
    form, filters = _filters(request)
    page = queries.participant_page(request.user, filters, request.GET.get("page"))
    rows = queries.participant_rows(request.user, page.object_list)
    what = (
        f"participant list page {page.number}; {filters.describe() if filters else 'wrong filters'}"
    )
    _audit(request, audit.LIST, [row.pk for row in rows], purpose, what)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "pages": _pagination(page.number, page.paginator.num_pages, query.urlencode()),
        "query": query.urlencode(),
        "caseworker": access.is_caseworker(request.user),
        "purpose": purpose,
    }
    return render(request, "interventions/participants.html", context)


@records_page
@require_GET
def participant_csv(request: HttpRequest, purpose: Purpose) -> HttpResponse:
    """The list as filtered, every page, as CSV."""
    _, filters = _filters(request)
    if filters is None:
        return HttpResponseBadRequest("A filter is wrong: check the list's filters.")
    records = list(queries.participants(request.user, filters))
    _audit(
        request,
        audit.EXPORT,
        [record.pk for record in records],
        purpose,
        f"participant list CSV; {filters.describe()}",
    )
    rows = queries.export_rows(request.user, records)
    synthetic = any(record.synthetic for record in records)
    return csv_response(rows, "participants.csv", synthetic=synthetic)


@records_page
@require_GET
def participant(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    """A participant's journey (pseudonymised for the network's team)."""
    record = _visible(request, pk)
    _audit(request, audit.VIEW, [record.pk], purpose, "participant page")
    codes = reference.codes()
    groups = {group.id: group.label for group in reference.priorities().groups}
    context = {
        "participant": record,
        "case_reference": access.shows_case_reference(request.user, record),
        "may_record": access.may_record_for(request.user, record),
        "status": queries.STATUSES[queries.status(record)],
        "labels": {
            "referral_source": queries.label("referral_source", record.referral_source),
            "reachable_moment": queries.label("reachable_moment", record.reachable_moment),
            "consent_status": queries.label("consent_status", record.consent_status),
            "lawful_basis": queries.label("lawful_basis", record.lawful_basis),
            "exit_reason": queries.label("exit_reason", record.exit_reason),
            "priority_groups": [groups.get(g, g) for g in record.priority_groups],
            "completed": record.exit_reason in codes.completed_exit_reasons,
        },
        "journey": queries.journey(request.user, record),
        "purpose": purpose,
    }
    return render(request, "interventions/participant.html", context)


@sensitive_variables()
@sensitive_post_parameters(*forms.ReferralForm.identifier_inputs())
@casework_page
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, purpose: Purpose) -> HttpResponse:
    """Refer a participant to one of the caseworker's organisation's programmes."""
    programmes = queries.own_programmes(request.user)
    form = forms.ReferralForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        pk = form.programme_id()
        chosen = queries.programme(pk) if pk is not None else None
        try:
            created = entry.new_participant(_actor(request), form.entry_values(chosen))
        except entry.EntryError as error:
            form.add_entry_errors(error.errors)
        else:
            messages.success(request, f"Referral recorded: {created}")
            return redirect("interventions:participant", pk=created.pk)
    context = {"form": form, "programmes": programmes, "purpose": purpose}
    return render(request, "interventions/participant_new.html", context)


# --------------------------------------------------------------------------- recording

Save = Callable[[entry.Actor, Participant, Any], str]


def _record(
    request: HttpRequest,
    purpose: Purpose,
    participant: Participant,
    form: forms.JourneyForm,
    save: Save,
    template: str,
    what: str,
    **extra: Any,
) -> HttpResponse:
    """A form on the participant: on a valid POST, ``save`` records through ``entry``
    (which audits the change) and the journey page says what was recorded; otherwise
    the form (again, with its errors), audited as a view of the participant."""
    if request.method == "POST" and form.is_valid():
        try:
            done = save(_actor(request), participant, form)
        except entry.EntryError as error:
            form.add_entry_errors(error.errors)
        else:
            if not form.errors:
                messages.success(request, done)
                return redirect("interventions:participant", pk=participant.pk)
    _audit(request, audit.VIEW, [participant.pk], purpose, f"{what} form")
    context = {
        "form": form,
        "participant": participant,
        "case_reference": access.shows_case_reference(request.user, participant),
        "purpose": purpose,
        **extra,
    }
    return render(request, template, context)


@casework_page
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    record = _recordable(request, pk)
    form = forms.ProgressForm(request.POST or None, initial=forms.ProgressForm.initial_for(record))

    def save(actor: entry.Actor, participant: Participant, form: forms.ProgressForm) -> str:
        entry.update_progress(actor, participant, form.cleaned_data)
        return "Progress recorded"

    return _record(request, purpose, record, form, save, "interventions/progress.html", "progress")


@casework_page
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    record = _recordable(request, pk)
    stage = "review" if queries.assessed(request.user, record) else "entry"
    form = forms.AssessmentForm(request.POST or None, initial={"stage": stage})

    def save(actor: entry.Actor, participant: Participant, form: forms.AssessmentForm) -> str:
        answers = form.answers()
        if form.errors:
            return ""
        entry.new_assessment(
            actor,
            participant,
            assessed_on=form.cleaned_data["assessed_on"],
            stage=form.cleaned_data["stage"],
            answers=answers,
        )
        return "Assessment recorded"

    template = "interventions/assessment.html"
    return _record(request, purpose, record, form, save, template, "assessment")


@casework_page
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    record = _recordable(request, pk)
    form = forms.ContactForm(request.POST or None)

    def save(actor: entry.Actor, participant: Participant, form: forms.ContactForm) -> str:
        data = form.cleaned_data
        entry.new_contact(
            actor,
            participant,
            contact_date=data["contact_date"],
            kind=data["kind"],
            attendance=data["attendance"],
            duration_minutes=data["duration_minutes"],
        )
        return "Contact recorded"

    return _record(request, purpose, record, form, save, "interventions/contact.html", "contact")


@casework_page
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    """First the scale (skipped when the programme has one), then a score for each area."""
    record = _recordable(request, pk)
    known = reference.scales().ids
    scale_ids = [s for s in record.programme.scales if s in known] or list(known)
    chosen = request.POST.get("scale") or request.GET.get("scale") or ""
    if chosen == "" and len(scale_ids) == 1:
        chosen = scale_ids[0]
    if chosen not in scale_ids:
        picker = forms.ScaleForm(
            request.GET if "scale" in request.GET else None, scale_ids=scale_ids
        )
        if picker.is_bound:
            picker.is_valid()
        _audit(request, audit.VIEW, [record.pk], purpose, "review form")
        context = {
            "form": picker,
            "participant": record,
            "case_reference": access.shows_case_reference(request.user, record),
            "purpose": purpose,
        }
        return render(request, "interventions/review_scale.html", context)
    form = forms.ReviewForm(request.POST or None, scale_id=chosen)

    def save(actor: entry.Actor, participant: Participant, form: forms.ReviewForm) -> str:
        entry.new_review(
            actor,
            participant,
            review_date=form.cleaned_data["review_date"],
            scale=form.scale.id,
            scores=form.scores(),
        )
        return f"Review recorded on the scale {form.scale.label}"

    template = "interventions/review.html"
    return _record(
        request, purpose, record, form, save, template, "review", choose=len(scale_ids) > 1
    )


@casework_page
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    record = _recordable(request, pk)
    form = forms.OutcomeForm(request.POST or None)

    def save(actor: entry.Actor, participant: Participant, form: forms.OutcomeForm) -> str:
        data = form.cleaned_data
        entry.new_outcome(
            actor,
            participant,
            kind=data["kind"],
            outcome_date=data["outcome_date"],
            evidence=data["evidence"],
        )
        return "Outcome recorded"

    return _record(request, purpose, record, form, save, "interventions/outcome.html", "outcome")


@casework_page
@require_http_methods(["GET", "POST"])
def note(request: HttpRequest, purpose: Purpose, pk: int) -> HttpResponse:
    record = _recordable(request, pk)
    form = forms.NoteForm(request.POST or None)

    def save(actor: entry.Actor, participant: Participant, form: forms.NoteForm) -> str:
        data = form.cleaned_data
        entry.new_case_note(actor, participant, text=data["text"], visibility=data["visibility"])
        return "Case note recorded"

    return _record(request, purpose, record, form, save, "interventions/note.html", "case note")


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str
    current: bool


def _pagination(current: int, count: int, query: str) -> list[PageLink]:
    """The GOV.UK pagination's numbers: the first, the last, and those next to the current
    one, with ellipses between."""
    prefix = f"{query}&" if query else ""
    shown = sorted({1, count, current - 1, current, current + 1} & set(range(1, count + 1)))
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, "", False))
        links.append(PageLink(number, f"?{prefix}page={number}", number == current))
    return links


# --------------------------------------------------------------------------- programmes

#: Changing a programme's facts: programme managers.
CHANGE_PROGRAMME = "interventions.change_programme"


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A programme's facts, for a programme manager; checked as the programme files are
    (:func:`vrn.interventions.programmes.programme_values`) and audited."""
    if not request.user.has_perm(CHANGE_PROGRAMME):
        raise PermissionDenied
    programme = queries.programme_by_code(code)
    if programme is None:
        raise Http404("No such programme")
    form = forms.ProgrammeForm(
        request.POST or None, initial=forms.ProgrammeForm.initial_for(programme)
    )
    if request.method == "POST" and form.is_valid():
        try:
            programmes.update_programme(
                form.entry(programme),
                actor=request.user.get_username(),
                address=client_address(request) or "",
            )
        except programmes.ProgrammeError as error:
            form.add_entry_errors({error.field: error.message})
        else:
            messages.success(request, f"{programme.name} saved")
            return redirect("interventions:home")
    context = {"form": form, "programme": programme}
    return render(request, "interventions/programme_edit.html", context)

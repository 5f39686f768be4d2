"""The API's endpoints: check access (``permissions.py``, then ``queries.py`` finds only
what the caller may see), call ``entry`` to record, audit every read of participant
records with its declared purpose, answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from vrn.interventions import access, audit, entry
from vrn.interventions.api import queries
from vrn.interventions.api import serializers as s
from vrn.interventions.api.errors import NOT_FOUND, entry_errors_as_400
from vrn.interventions.api.permissions import Caseworkers, SeesProgrammes, SeesRecords
from vrn.interventions.api.schema import ERRORS
from vrn.interventions.models import Participant
from vrn.web.signin import client_address

VIA = "api"


class Pages(LimitOffsetPagination):  # type: ignore[misc]
    default_limit = 50
    max_limit = 500


def _purpose(request: Any) -> str:
    """The purpose the caller declares (``?purpose=``); 400 naming it if missing or not
    one of the access purposes."""
    query = s.PurposeQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    purpose: str = query.validated_data["purpose"]
    return purpose


def _audit(request: Any, action: str, ids: Iterable[int], purpose: str, what: str) -> None:
    audit.audit_request(request, action, ids, purpose=purpose, via=VIA, what=what)


def _actor(request: Any) -> entry.Actor:
    return entry.actor_for(request.user, address=client_address(request) or "", via=VIA)


def _participant(request: Any, participant_id: int, *, changing: bool = False) -> Participant:
    """The participant if the caller may see them; 404 otherwise (another provider's
    participant is as unknown to a caseworker as a number that names no one). To change
    their records the caller must be a caseworker of the holding provider (403)."""
    found = queries.participant(request.user, participant_id)
    if found is None:
        raise exceptions.NotFound(NOT_FOUND)
    if changing and not access.may_record_for(request.user, found):
        raise exceptions.PermissionDenied("Only the holding provider's caseworkers change these.")
    return found


def _shown(request: Any, participants: Iterable[Participant]) -> list[dict[str, Any]]:
    people = list(participants)
    own = {p.pk: access.shows_case_reference(request.user, p) for p in people}
    shown = s.ParticipantSerializer(
        people, many=True, context={"shows_case_reference": own, "request": request}
    )
    data: list[dict[str, Any]] = shown.data
    return data


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


# --- Programmes -------------------------------------------------------------------------


@extend_schema(tags=["programmes"])
@extend_schema_view(
    get=extend_schema(
        operation_id="programmes_list",
        responses={200: s.ProgrammeSerializer(many=True), **_errors(401, 403)},
    )
)
class ProgrammeList(generics.ListAPIView):  # type: ignore[misc]
    """Every programme of the network: facts about it, nothing about any person."""

    permission_classes = [SeesProgrammes]
    serializer_class = s.ProgrammeSerializer
    pagination_class = Pages

    def get_queryset(self) -> Any:
        return queries.programmes()


@extend_schema(tags=["programmes"])
class ProgrammeDetail(generics.GenericAPIView):  # type: ignore[misc]
    permission_classes = [SeesProgrammes]
    serializer_class = s.ProgrammeSerializer

    @extend_schema(
        operation_id="programmes_retrieve",
        responses={200: s.ProgrammeSerializer, **_errors(401, 403, 404)},
    )
    def get(self, request: Any, programme_code: str) -> Response:
        """One programme, by its code."""
        programme = queries.programme(programme_code)
        if programme is None:
            raise exceptions.NotFound(NOT_FOUND)
        return Response(s.ProgrammeSerializer(programme).data)


# --- Participants -----------------------------------------------------------------------


@method_decorator(sensitive_post_parameters(*s.IDENTIFIER_FIELDS), name="dispatch")
@extend_schema(tags=["participants"])
class ParticipantList(generics.GenericAPIView):  # type: ignore[misc]
    permission_classes = [SeesRecords]
    serializer_class = s.ParticipantSerializer
    pagination_class = Pages

    @extend_schema(
        operation_id="participants_list",
        parameters=[s.ParticipantQuery],
        responses={200: s.ParticipantSerializer(many=True), **_errors(400, 401, 403)},
    )
    def get(self, request: Any) -> Response:
        """The participants you may see (a caseworker: their organisation's; the network's
        team: all, pseudonymised), narrowed by the filters. Audited with the purpose."""
        query = s.ParticipantQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        purpose = values.pop("purpose")
        if "case_reference" in values and not access.is_caseworker(request.user):
            raise exceptions.ValidationError(
                {"case_reference": ["is searched only by the holding provider's caseworkers"]}
            )
        found = queries.participants(request.user, queries.ParticipantFilters(**values))
        page = self.paginate_queryset(found)
        _audit(request, audit.LIST, [p.pk for p in page], purpose, "participants")
        return self.get_paginated_response(_shown(request, page))

    @sensitive_variables()
    @extend_schema(
        operation_id="participants_create",
        request=s.ReferralSerializer,
        responses={201: s.ParticipantSerializer, **_errors(400, 401, 403)},
    )
    def post(self, request: Any) -> Response:
        """Refer a participant to one of your organisation's programmes. The identifiers
        become the person key and are neither stored nor returned."""
        referral = s.ReferralSerializer(data=request.data)
        referral.is_valid(raise_exception=True)
        values = referral.entry_values()
        programme = queries.programme(values["programme"])
        if programme is None:
            raise exceptions.ValidationError({"programme": ["is not a programme's code"]})
        values["programme"] = programme
        participant = entry_errors_as_400(lambda: entry.new_participant(_actor(request), values))
        return Response(_shown(request, [participant])[0], status=status.HTTP_201_CREATED)


@extend_schema(tags=["participants"])
class ParticipantDetail(generics.GenericAPIView):  # type: ignore[misc]
    permission_classes = [SeesRecords]
    serializer_class = s.ParticipantSerializer

    @extend_schema(
        operation_id="participants_retrieve",
        parameters=[s.PurposeQuery],
        responses={200: s.ParticipantSerializer, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Any, participant_id: int) -> Response:
        """One participant. Audited with the purpose."""
        purpose = _purpose(request)
        participant = _participant(request, participant_id)
        _audit(request, audit.VIEW, [participant.pk], purpose, "participant")
        return Response(_shown(request, [participant])[0])

    @extend_schema(
        operation_id="participants_progress",
        request=s.ProgressSerializer,
        responses={200: s.ParticipantSerializer, **_errors(400, 401, 403, 404)},
    )
    def patch(self, request: Any, participant_id: int) -> Response:
        """Record a start, an exit (date and reason) or a change of consent."""
        participant = _participant(request, participant_id, changing=True)
        progress = s.ProgressSerializer(data=request.data)
        progress.is_valid(raise_exception=True)
        if not progress.validated_data:
            raise exceptions.ValidationError(
                {"non_field_errors": ["give at least one of " + ", ".join(progress.fields)]}
            )
        entry_errors_as_400(
            lambda: entry.update_progress(_actor(request), participant, progress.validated_data)
        )
        return Response(_shown(request, [participant])[0])


# --- Journey records --------------------------------------------------------------------


class JourneyRecords(generics.GenericAPIView):  # type: ignore[misc]
    """A participant's records of one kind: read (audited with the purpose) and added."""

    permission_classes = [SeesRecords]
    pagination_class = Pages
    kind: ClassVar[str]
    shown: ClassVar[type[s.RecordSerializer]]
    given: ClassVar[type[s.Input]]

    def records(self, participant: Participant) -> Any:
        return queries.journey(self.request.user, self.kind, participant)

    def record(
        self, actor: entry.Actor, participant: Participant, values: Mapping[str, Any]
    ) -> Any:
        raise NotImplementedError

    def get_serializer_class(self) -> type[Any]:
        return self.shown

    def get(self, request: Any, participant_id: int) -> Response:
        purpose = _purpose(request)
        participant = _participant(request, participant_id)
        page = self.paginate_queryset(self.records(participant))
        _audit(request, audit.VIEW, [participant.pk], purpose, self.kind)
        shown = self.shown(page, many=True, context={"participant_id": participant.pk})
        return self.get_paginated_response(shown.data)

    def post(self, request: Any, participant_id: int) -> Response:
        participant = _participant(request, participant_id, changing=True)
        given = self.given(data=request.data)
        given.is_valid(raise_exception=True)
        record = entry_errors_as_400(
            lambda: self.record(_actor(request), participant, given.validated_data)
        )
        shown = self.shown(record, context={"participant_id": participant.pk})
        return Response(shown.data, status=status.HTTP_201_CREATED)


def _journey_schema(
    name: str, shown: type[Any], given: type[Any], readers: str
) -> Callable[[type[Any]], type[Any]]:
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"participants_{name}_list",
            summary=f"The participant's {name.replace('_', ' ')}",
            description=f"Read by {readers}. Audited with the purpose.",
            parameters=[s.PurposeQuery],
            responses={200: shown(many=True), **_errors(400, 401, 403, 404)},
            tags=["journey records"],
        ),
        post=extend_schema(
            operation_id=f"participants_{name}_create",
            summary=f"Add to the participant's {name.replace('_', ' ')}",
            description="By a caseworker of the holding provider.",
            request=given,
            responses={201: shown, **_errors(400, 401, 403, 404)},
            tags=["journey records"],
        ),
    )


_READERS = "the holding provider's caseworkers and the network's team"


@_journey_schema("contacts", s.ContactSerializer, s.NewContactSerializer, _READERS)
class Contacts(JourneyRecords):
    kind = "contacts"
    shown = s.ContactSerializer
    given = s.NewContactSerializer

    def record(
        self, actor: entry.Actor, participant: Participant, values: Mapping[str, Any]
    ) -> Any:
        return entry.new_contact(actor, participant, **values)


@_journey_schema("assessments", s.AssessmentSerializer, s.NewAssessmentSerializer, _READERS)
class Assessments(JourneyRecords):
    kind = "assessments"
    shown = s.AssessmentSerializer
    given = s.NewAssessmentSerializer

    def record(
        self, actor: entry.Actor, participant: Participant, values: Mapping[str, Any]
    ) -> Any:
        return entry.new_assessment(actor, participant, **values)


@_journey_schema("reviews", s.ReviewSerializer, s.NewReviewSerializer, _READERS)
class Reviews(JourneyRecords):
    kind = "reviews"
    shown = s.ReviewSerializer
    given = s.NewReviewSerializer

    def record(
        self, actor: entry.Actor, participant: Participant, values: Mapping[str, Any]
    ) -> Any:
        return entry.new_review(actor, participant, **values)


@_journey_schema("outcomes", s.OutcomeSerializer, s.NewOutcomeSerializer, _READERS)
class Outcomes(JourneyRecords):
    kind = "outcomes"
    shown = s.OutcomeSerializer
    given = s.NewOutcomeSerializer

    def record(
        self, actor: entry.Actor, participant: Participant, values: Mapping[str, Any]
    ) -> Any:
        return entry.new_outcome(actor, participant, **values)


@_journey_schema(
    "case_notes",
    s.CaseNoteSerializer,
    s.NewCaseNoteSerializer,
    "the holding provider's caseworkers only (a note kept to its author: by its author)",
)
class CaseNotes(JourneyRecords):
    kind = "case notes"
    permission_classes = [Caseworkers]
    shown = s.CaseNoteSerializer
    given = s.NewCaseNoteSerializer

    def records(self, participant: Participant) -> Any:
        return queries.case_notes(self.request.user, participant)

    def record(
        self, actor: entry.Actor, participant: Participant, values: Mapping[str, Any]
    ) -> Any:
        return entry.new_case_note(actor, participant, **values)


# --- Documentation ----------------------------------------------------------------------


@login_required
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation (Swagger UI, served from this site) for anyone signed in."""
    return render(request, "interventions_api/docs.html", {"schema_url": reverse("api:schema")})

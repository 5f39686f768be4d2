"""Errors as JSON: ``{"detail": "..."}``, or for a 400 the fields at fault, each with its
messages (``{"referral_date": ["is in the future"]}``; a nested field by its path,
``"scores.feeling_safe"``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from vrn.interventions.entry import EntryError

T = TypeVar("T")

NOT_FOUND = "Not found."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, with a 400's fields flattened to paths."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        data = response.data
        if not isinstance(data, dict):
            data = {"non_field_errors": data}
        response.data = dict(_flatten(data, ""))
    return response


def _flatten(detail: Any, path: str) -> Iterator[tuple[str, list[str]]]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, f"{path}.{key}" if path else str(key))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            if item:
                yield from _flatten(item, f"{path}.{index}")
    else:
        messages = detail if isinstance(detail, list) else [detail]
        yield path or "non_field_errors", [str(message) for message in messages]


def entry_errors_as_400(record: Callable[[], T]) -> T:
    """``record()``, with an :class:`EntryError` raised as a 400 naming each field."""
    try:
        return record()
    except EntryError as error:
        raise exceptions.ValidationError(
            {field: [message] for field, message in error.errors.items()}
        ) from error


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under ``/api/``: a JSON 404, whoever asks."""
    return JsonResponse({"detail": NOT_FOUND}, status=404)

"""What the OpenAPI schema (``/api/schema/``) says beyond what drf-spectacular finds: the
codes in force for each code field (from the definitions, when the schema is made) and
the error responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse

#: An error's body: ``detail``, or each field at fault with its messages.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "detail: what is wrong; or, for a 400, each field at fault (a nested one by its "
        "path, e.g. scores.feeling_safe) with its messages"
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

_ERROR = {"$ref": "#/components/schemas/Error"}

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(_ERROR, description="Bad request: the fields (or parameters) at fault"),
    401: OpenApiResponse(_ERROR, description="Not signed in: send a token"),
    403: OpenApiResponse(
        _ERROR, description="Your role may not do this (or a CSRF token is missing)"
    ),
    404: OpenApiResponse(
        _ERROR,
        description="No such record, or not one you may see (the two are not told apart)",
    ),
}


def finish_schema(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: the ``Error`` component the error responses refer to, and
    request bodies closed to fields they do not have (the API refuses those)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in components.items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    components["Error"] = ERROR_SCHEMA
    return result


class CodeFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A code field: text, one of the codes in force."""

    target_class = "vrn.interventions.api.serializers.CodeField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        codes = list(field.codes())
        if getattr(field, "allow_blank", False):
            codes.append("")
        schema: dict[str, Any] = {"type": "string", "enum": codes}
        doc = field.codes.__doc__
        if doc and not field.help_text:
            schema["description"] = doc.strip()
        return schema


class KeyedFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A JSON object keyed by codes in force: each a property, no others."""

    target_class = "vrn.interventions.api.serializers.KeyedField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        value = auto_schema._map_serializer_field(field.child, direction)
        return {
            "type": "object",
            "properties": dict.fromkeys(field.keys(), value),
            "additionalProperties": False,
        }


class CaseReferenceFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A case reference: text of the form ``entry`` accepts."""

    target_class = "vrn.interventions.api.serializers.CaseReferenceField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["pattern"] = self.target.pattern
        return schema

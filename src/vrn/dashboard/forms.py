"""The dashboard's filter form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms


class CrimeTypeForm(forms.Form):
    """Which crime type to chart beside all crime; the choices are the types loaded."""

    crime_type = forms.ChoiceField(
        label="Crime type",
        error_messages={
            "required": "Select a crime type",
            "invalid_choice": "Select a crime type from the list",
        },
    )

    def __init__(self, *args: Any, crime_types: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["crime_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in crime_types]

"""Which datasets ``vrn ingest FORMAT`` knows. Apps register theirs in ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable

from vrn.ingest.pipeline import Dataset

_FORMATS: dict[str, Callable[[], Dataset]] = {}


def register(format_name: str, factory: Callable[[], Dataset]) -> None:
    _FORMATS[format_name] = factory


def format_names() -> list[str]:
    return sorted(_FORMATS)


def dataset_for(format_name: str) -> Dataset:
    """A fresh dataset for one ``vrn ingest`` run; KeyError for an unknown format."""
    return _FORMATS[format_name]()

"""The examples in the package's docstrings (the suite collects doctests from analytics only)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module", ["vrn.definitions", "vrn.definitions.icd", "vrn.definitions.ages"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0

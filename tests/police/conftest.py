"""Fixtures for the partner-format tests (tests/partners.py)."""

from ..partners import context, no_pseudonym_key, pseudonym_key, reference

__all__ = ["context", "no_pseudonym_key", "pseudonym_key", "reference"]

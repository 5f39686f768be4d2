"""The findings of the problem profile (the Strategic Needs Assessment), as named functions.

Each module holds the findings of one topic in ``FINDINGS``: a mapping from the finding's
key (its id, or the stem of the ids it produces, one per area) to a function that takes a
:class:`ProfileInputs` and returns a list of :class:`Finding`, or raises
:class:`NotComputed` saying why the loaded data cannot support it. :func:`compute_all`
runs them all. Pure: pandas and :mod:`vrn.analytics.stats`, no Django. See
docs/profile.md for every finding's definition, method and coverage.
"""

from vrn.analytics.findings.base import Estimate, Finding, NotComputed
from vrn.analytics.findings.inputs import ProfileInputs, Scope
from vrn.analytics.findings.registry import FINDINGS, compute_all

__all__ = [
    "FINDINGS",
    "Estimate",
    "Finding",
    "NotComputed",
    "ProfileInputs",
    "Scope",
    "compute_all",
]

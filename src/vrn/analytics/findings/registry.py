"""Every finding function of the profile, in the order the report presents them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from vrn.analytics.findings import (
    deprivation,
    hospital,
    hotspots,
    indicators,
    place,
    police,
    success,
    time,
)
from vrn.analytics.findings.base import Finding, NotComputed
from vrn.analytics.findings.inputs import ProfileInputs

FindingFunction = Callable[[ProfileInputs], list[Finding]]

#: key -> function, topic by topic.
FINDINGS: Mapping[str, FindingFunction] = {
    **success.FINDINGS,
    **police.FINDINGS,
    **place.FINDINGS,
    **time.FINDINGS,
    **deprivation.FINDINGS,
    **hospital.FINDINGS,
    **hotspots.FINDINGS,
    **indicators.FINDINGS,
}


@dataclass(frozen=True)
class Computed:
    """The findings computed, by id, and for each key not computed, the reason."""

    findings: dict[str, Finding]
    not_computed: dict[str, str]
    #: The keys whose function raised an error other than NotComputed (also in
    #: ``not_computed``): tests assert there are none on well-formed data.
    failed: dict[str, Exception] = field(default_factory=dict)


def compute_all(
    inputs: ProfileInputs,
    only: Callable[[str], bool] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Computed:
    """Run every finding function (or those whose key ``only`` accepts)."""
    findings: dict[str, Finding] = {}
    not_computed: dict[str, str] = {}
    failed: dict[str, Exception] = {}
    for key, function in FINDINGS.items():
        if only is not None and not only(key):
            continue
        if progress is not None:
            progress(key)
        try:
            results = function(inputs)
        except NotComputed as reason:
            not_computed[key] = str(reason)
            continue
        except (ValueError, ArithmeticError) as error:
            # Data the statistics refuse (e.g. a population of zero) stop one finding, not
            # the profile; the reason is published with the others.
            not_computed[key] = f"the loaded data could not support it: {error}"
            failed[key] = error
            continue
        for finding in results:
            findings[finding.id] = finding
    return Computed(findings, not_computed, failed)

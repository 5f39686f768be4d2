"""The definitions intervention records are checked against, as in force for the site
(the shipped files, or a deployment's own in ``VRN_DEFINITIONS_DIR``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vrn.web.active_definitions import active_definitions

if TYPE_CHECKING:
    from vrn.definitions import (
        DistanceScales,
        EvidenceRatings,
        FactorChecklist,
        InterventionCodes,
        Priorities,
    )


def codes() -> InterventionCodes:
    return active_definitions().intervention_codes


def checklist() -> FactorChecklist:
    return active_definitions().risk_factors


def scales() -> DistanceScales:
    return active_definitions().distance_scales


def evidence() -> EvidenceRatings:
    return active_definitions().evidence_ratings


def priorities() -> Priorities:
    return active_definitions().priorities

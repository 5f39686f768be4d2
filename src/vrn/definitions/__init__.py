"""Definitions as data: versioned files that say what the analyses count.

Pure Python (no Django), so :mod:`vrn.analytics` and any script can use the parsed
objects. The shipped files live in ``files/``; an analyst overrides any of them by
pointing ``VRN_DEFINITIONS_DIR`` at a folder of edited copies (settings read the variable
with :func:`definitions_dir_from_environment`; nothing here reads the environment).

>>> definitions = load_definitions()
>>> definitions.serious_violence.ref.short_id.startswith("serious-violence@")
True
>>> definitions.hospital.code_set("violence").contains("X99.1")
True

Every parsed definition carries a :class:`DefinitionRef` (name, version, sha256 of its
canonical content); store ``ref.as_dict()`` with each result. See docs/definitions.md.
"""

from vrn.definitions._files import DefinitionError, DefinitionRef, Header
from vrn.definitions.ages import UNKNOWN, AgeBand, AgeBands, AgeBandScheme, AgeRestriction
from vrn.definitions.evidence import EvidenceApproach, EvidenceRatings
from vrn.definitions.factors import Factor, FactorChecklist, FactorScore
from vrn.definitions.hospital import (
    AdmissionRule,
    CauseGroup,
    ConditionFlag,
    EpisodeColumns,
    EpisodeRules,
    HospitalDefinitions,
)
from vrn.definitions.icd import IcdCodeSet, IcdRange, normalise_icd
from vrn.definitions.intervention_codes import CODE_LISTS, Code, InterventionCodes
from vrn.definitions.loader import (
    DEFINITION_NAMES,
    ENVIRONMENT_VARIABLE,
    Definitions,
    definitions_dir_from_environment,
    export_definitions,
    fingerprint,
    load_definitions,
    shipped_directory,
)
from vrn.definitions.measures import (
    CrimeColumns,
    PoliceRule,
    SuccessMeasure,
    SuccessMeasures,
    hospital_measure_mask,
    police_measure_mask,
)
from vrn.definitions.offences import (
    ExcludedOffences,
    OffenceCode,
    OffenceCodes,
    OffenceGrouping,
    SeriousViolence,
    normalise_offence_code,
)
from vrn.definitions.priorities import Priorities, PriorityArea, PriorityGroup
from vrn.definitions.scales import DistanceScales, Scale, ScaleArea, normalise_heading

__all__ = [
    "CODE_LISTS",
    "DEFINITION_NAMES",
    "ENVIRONMENT_VARIABLE",
    "UNKNOWN",
    "AdmissionRule",
    "AgeBand",
    "AgeBandScheme",
    "AgeBands",
    "AgeRestriction",
    "CauseGroup",
    "Code",
    "ConditionFlag",
    "CrimeColumns",
    "DefinitionError",
    "DefinitionRef",
    "Definitions",
    "DistanceScales",
    "EpisodeColumns",
    "EpisodeRules",
    "EvidenceApproach",
    "EvidenceRatings",
    "ExcludedOffences",
    "Factor",
    "FactorChecklist",
    "FactorScore",
    "Header",
    "HospitalDefinitions",
    "IcdCodeSet",
    "IcdRange",
    "InterventionCodes",
    "OffenceCode",
    "OffenceCodes",
    "OffenceGrouping",
    "PoliceRule",
    "Priorities",
    "PriorityArea",
    "PriorityGroup",
    "Scale",
    "ScaleArea",
    "SeriousViolence",
    "SuccessMeasure",
    "SuccessMeasures",
    "definitions_dir_from_environment",
    "export_definitions",
    "fingerprint",
    "hospital_measure_mask",
    "load_definitions",
    "normalise_heading",
    "normalise_icd",
    "normalise_offence_code",
    "police_measure_mask",
    "shipped_directory",
]

"""Loading every definition together, from the shipped files or an analyst's folder."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vrn.definitions._files import DefinitionRef, fail
from vrn.definitions.ages import AgeBands, parse_age_bands
from vrn.definitions.evidence import EvidenceRatings, parse_evidence_ratings
from vrn.definitions.factors import FactorChecklist, parse_risk_factors
from vrn.definitions.hospital import EpisodeColumns, HospitalDefinitions, parse_hospital
from vrn.definitions.intervention_codes import InterventionCodes, parse_intervention_codes
from vrn.definitions.measures import (
    CrimeColumns,
    SuccessMeasures,
    hospital_measure_mask,
    parse_success_measures,
    police_measure_mask,
)
from vrn.definitions.offences import (
    OffenceCodes,
    SeriousViolence,
    parse_offence_codes,
    parse_serious_violence,
)
from vrn.definitions.priorities import Priorities, parse_priorities
from vrn.definitions.scales import DistanceScales, parse_distance_scales

#: The definitions, by name; each is ``<name>.toml``.
DEFINITION_NAMES = (
    "offence-codes",
    "serious-violence",
    "hospital",
    "success-measures",
    "age-bands",
    "priorities",
    "intervention-codes",
    "risk-factors",
    "distance-scales",
    "evidence-ratings",
)

#: The environment variable naming an analyst's folder of definition files.
ENVIRONMENT_VARIABLE = "VRN_DEFINITIONS_DIR"


def shipped_directory() -> Path:
    """The folder of definition files shipped inside the package."""
    return Path(__file__).resolve().parent / "files"


def definitions_dir_from_environment(environ: Mapping[str, str]) -> Path | None:
    """For settings: the folder named by ``VRN_DEFINITIONS_DIR``, or ``None`` for the shipped
    definitions. The folder must exist (a typo should not silently fall back)."""
    value = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not value:
        return None
    directory = Path(value).expanduser().resolve()
    if not directory.is_dir():
        raise ValueError(f"{ENVIRONMENT_VARIABLE}={value!r} is not a folder")
    return directory


@dataclass(frozen=True)
class Definitions:
    """All definitions, loaded and checked against each other."""

    offence_codes: OffenceCodes
    serious_violence: SeriousViolence
    hospital: HospitalDefinitions
    success_measures: SuccessMeasures
    age_bands: AgeBands
    priorities: Priorities
    intervention_codes: InterventionCodes
    risk_factors: FactorChecklist
    distance_scales: DistanceScales
    evidence_ratings: EvidenceRatings
    #: The file each definition was read from, by name.
    paths: Mapping[str, Path]

    @property
    def refs(self) -> dict[str, DefinitionRef]:
        """Every definition's reference, by name."""
        return {
            "offence-codes": self.offence_codes.ref,
            "serious-violence": self.serious_violence.ref,
            "hospital": self.hospital.ref,
            "success-measures": self.success_measures.ref,
            "age-bands": self.age_bands.ref,
            "priorities": self.priorities.ref,
            "intervention-codes": self.intervention_codes.ref,
            "risk-factors": self.risk_factors.ref,
            "distance-scales": self.distance_scales.ref,
            "evidence-ratings": self.evidence_ratings.ref,
        }

    def references(self, *names: str) -> tuple[DefinitionRef, ...]:
        """The references of the named definitions, to store with a result."""
        refs = self.refs
        unknown = [name for name in names if name not in refs]
        if unknown:
            raise KeyError(f"unknown definition(s): {', '.join(unknown)}")
        return tuple(refs[name] for name in names)

    def measure_references(self, measure_id: str) -> tuple[DefinitionRef, ...]:
        """What a result of one success measure must record: the measures file and every
        definition its rule uses."""
        return self.references(*self.success_measures[measure_id].depends_on)

    def overridden(self) -> tuple[str, ...]:
        """Names of the definitions read from outside the shipped files."""
        shipped = shipped_directory()
        return tuple(name for name, path in self.paths.items() if path.parent != shipped)

    def measure_mask(
        self,
        measure_id: str,
        frame: pd.DataFrame,
        columns: CrimeColumns | EpisodeColumns | None = None,
    ) -> pd.Series:
        """Boolean Series: the rows (crimes or hospital episodes) a success measure counts."""
        measure = self.success_measures[measure_id]
        if measure.data_source == "hospital":
            if columns is not None and not isinstance(columns, EpisodeColumns):
                raise ValueError(f"{measure_id} is a hospital measure: pass EpisodeColumns")
            return hospital_measure_mask(measure, frame, self.hospital, self.age_bands, columns)
        if columns is not None and not isinstance(columns, CrimeColumns):
            raise ValueError(f"{measure_id} is a police measure: pass CrimeColumns")
        return police_measure_mask(measure, frame, self.age_bands, columns)


def fingerprint(directory: str | os.PathLike[str] | None = None) -> str:
    """A hash of every definition file :func:`load_definitions` would read from
    ``directory`` and the shipped folder (their names and bytes): it changes when any file
    is edited, and costs a millisecond where loading costs a few hundred."""
    digest = hashlib.sha256()
    folders = [shipped_directory(), *([Path(directory)] if directory is not None else [])]
    for folder in folders:
        if not folder.is_dir():
            digest.update(f"missing:{folder}".encode())
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".toml", ".csv") and path.is_file():
                digest.update(f"{folder}/{path.name}:".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def load_definitions(directory: str | os.PathLike[str] | None = None) -> Definitions:
    """Load and cross-check every definition.

    ``directory`` (settings pass ``VRN_DEFINITIONS_DIR``) may hold edited copies of any
    of the files; each file found there replaces the shipped one of the same name, the
    rest come from the package. A ``.toml`` file there that is not a definition is an
    error, so a misnamed copy is not silently ignored. Raises :class:`DefinitionError`.
    """
    shipped = shipped_directory()
    paths = {name: shipped / f"{name}.toml" for name in DEFINITION_NAMES}
    if directory is not None:
        override = Path(directory)
        if not override.is_dir():
            fail(str(override), "folder", "is not a folder of definition files")
        for candidate in sorted(override.glob("*.toml")):
            if candidate.stem not in DEFINITION_NAMES:
                fail(
                    str(candidate),
                    "file name",
                    f"is not a definition file; expected one of "
                    f"{', '.join(name + '.toml' for name in DEFINITION_NAMES)}",
                )
            paths[candidate.stem] = candidate
    offences = parse_offence_codes(paths["offence-codes"], shipped)
    age_bands = parse_age_bands(paths["age-bands"])
    hospital = parse_hospital(paths["hospital"])
    intervention_codes = parse_intervention_codes(paths["intervention-codes"])
    return Definitions(
        offence_codes=offences,
        serious_violence=parse_serious_violence(paths["serious-violence"], offences),
        hospital=hospital,
        success_measures=parse_success_measures(
            paths["success-measures"], offences, hospital, age_bands
        ),
        age_bands=age_bands,
        priorities=parse_priorities(paths["priorities"], age_bands),
        intervention_codes=intervention_codes,
        risk_factors=parse_risk_factors(paths["risk-factors"]),
        distance_scales=parse_distance_scales(paths["distance-scales"]),
        evidence_ratings=parse_evidence_ratings(
            paths["evidence-ratings"], intervention_codes.ids("prevention_level")
        ),
        paths=paths,
    )


def export_definitions(target: str | os.PathLike[str], names: tuple[str, ...] = ()) -> list[Path]:
    """Copy shipped definition files into ``target`` for editing; never overwrites.

    ``names`` limits the copy to some definitions (all by default); copying
    ``offence-codes`` also copies its CSV table and that table's licence. Returns the
    files written.
    """
    unknown = [name for name in names if name not in DEFINITION_NAMES]
    if unknown:
        raise ValueError(f"unknown definition(s): {', '.join(unknown)}")
    shipped = shipped_directory()
    destination = Path(target)
    destination.mkdir(parents=True, exist_ok=True)
    wanted = [shipped / f"{name}.toml" for name in names or DEFINITION_NAMES]
    if shipped / "offence-codes.toml" in wanted:
        offences = parse_offence_codes(shipped / "offence-codes.toml", shipped)
        wanted.append(shipped / offences.table_file)
        wanted.extend(sorted(shipped.glob("LICENSE*")))
    clashes = [path.name for path in wanted if (destination / path.name).exists()]
    if clashes:
        raise FileExistsError(f"{destination} already has {', '.join(clashes)}; not overwritten")
    written = []
    for path in wanted:
        written.append(Path(shutil.copy2(path, destination / path.name)))
    return written

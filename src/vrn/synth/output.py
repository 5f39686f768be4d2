"""Writing a synthetic world to a folder, deterministically.

Files are UTF-8 CSV with ``\\n`` line endings, coordinates with six decimals, blank for
missing, minimal quoting; ``truth.json`` has sorted keys and values rounded to six
decimals; ``README.txt`` names the seed and the command but no time or machine path. So
the same seed, parameters, world and command give byte-identical files. Each file is
written as ``NAME.partial`` block by block and renamed when complete; ``indicators.csv``
(small) is written whole after the blocks. The intervention files get the journeys of
each block's ED referrals block by block, then those of the other programmes.

``manifest.json``, written last by :func:`write_manifest`, records the fingerprint of the
inputs (``vrn.synth.fingerprint``) and the sha256 of every file, so that
:func:`check_manifest` can tell whether a folder already holds the world a seed and inputs
would give, without generating it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO

import pandas as pd

from vrn.synth.generate import (
    ADMISSION_COLUMNS,
    BLOCK_SIZE,
    CRIME_COLUMNS,
    ISTV_COLUMNS,
    PEOPLE_COLUMNS,
    Synthesis,
)
from vrn.synth.indicators import INDICATOR_COLUMNS
from vrn.synth.journeys import FILE_NAMES as INTERVENTION_FILES
from vrn.synth.parameters import Parameters, parameter_sources

#: Output file of each part of a block, and its header.
FILES = {
    "crimes": ("police-crimes.csv", CRIME_COLUMNS),
    "people": ("police-people.csv", PEOPLE_COLUMNS),
    "istv": ("istv.csv", ISTV_COLUMNS),
    "admissions": ("admissions.csv", ADMISSION_COLUMNS),
}
#: The indicators file (Fingertips all-data layout), written whole after the blocks.
INDICATORS = "indicators.csv"
TRUTH = "truth.json"
README = "README.txt"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Written:
    """What was written: rows per file name."""

    directory: Path
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _csv(frame: pd.DataFrame, handle: IO[str]) -> None:
    frame.to_csv(
        handle, header=False, index=False, lineterminator="\n", float_format="%.6f", na_rep=""
    )


def truth_text(synthesis: Synthesis) -> str:
    return json.dumps(synthesis.truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_world(
    synthesis: Synthesis,
    directory: str | os.PathLike[str],
    *,
    command: str,
    on_block: Callable[[int], None] | None = None,
) -> Written:
    """Write every file of ``synthesis`` into ``directory`` (created if needed).

    ``command`` is recorded in the README (give it without machine paths); ``on_block`` is
    called with the number of crimes after each block (for a progress bar).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        **FILES,
        **{
            part: (name, synthesis.journeys.columns[part])
            for part, name in INTERVENTION_FILES.items()
        },
    }
    rows = dict.fromkeys(files, 0)

    def write(part: str, frame: pd.DataFrame) -> None:
        _csv(frame, handles[part])
        rows[part] += len(frame)

    with ExitStack() as stack:
        handles: dict[str, IO[str]] = {}
        for part, (name, columns) in files.items():
            path = folder / f"{name}.partial"
            handles[part] = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
            handles[part].write(",".join(columns) + "\n")
        for block in synthesis.blocks():
            for part in FILES:
                write(part, getattr(block, part))
            for part in INTERVENTION_FILES:
                write(part, block.journeys.part(part))
            if on_block is not None:
                on_block(block.n_crimes)
        for journeys in synthesis.community_journeys():
            for part in INTERVENTION_FILES:
                write(part, journeys.part(part))
    for name, _ in files.values():
        os.replace(folder / f"{name}.partial", folder / name)
    indicators = synthesis.indicator_rows()
    with open(folder / f"{INDICATORS}.partial", "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(INDICATOR_COLUMNS) + "\n")
        _csv(indicators, handle)
    os.replace(folder / f"{INDICATORS}.partial", folder / INDICATORS)
    (folder / TRUTH).write_text(truth_text(synthesis), encoding="utf-8", newline="\n")
    by_file = {files[part][0]: count for part, count in rows.items() if part in FILES}
    by_file[INDICATORS] = len(indicators)
    by_file.update({files[part][0]: rows[part] for part in INTERVENTION_FILES})
    (folder / README).write_text(
        readme_text(synthesis, command, by_file), encoding="utf-8", newline="\n"
    )
    return Written(folder, by_file)


def readme_text(synthesis: Synthesis, command: str, rows: dict[str, int]) -> str:
    model = synthesis.model
    lines = [
        "SYNTHETIC DATA. Every row in this folder was invented by `vrn synth`. No row",
        "describes a real person or a real crime; person keys are random, not derived from",
        "any identifier. Every row carries synthetic=true.",
        "",
        f"Command: {command}",
        f"Mode: {synthesis.mode}",
        f"Seed: {synthesis.seed}",
        f"Crimes: {synthesis.n_crimes}",
        f"Generator block size: {BLOCK_SIZE} crimes",
    ]
    if synthesis.mode == "augmented":
        months = model.month_names
        lines += [
            f"Skeleton: {synthesis.n_crimes} real data.police.uk incidents "
            f"({months[0]} to {months[-1]}); each keeps its month, crime type and location.",
        ]
    lines += [
        f"Network: {len(model.lsoa_codes)} LSOAs in {len(model.la_codes)} local authorities",
        "",
        "Files (rows):",
        *(f"  {name}: {count}" for name, count in rows.items()),
        f"  {TRUTH}: the planted findings (id -> value, description)",
        "",
        f"Indicators in {INDICATORS} (synthetic ids, NOT real Fingertips indicator ids), "
        f"financial years {', '.join(p.label for p in synthesis.indicators.periods)}:",
        *(
            f"  {spec.indicator_id} {spec.name} ({spec.age})"
            for spec in synthesis.parameters.indicators
        ),
        "",
        "Intervention programmes in the intervention-*.csv files (every rate, duration and "
        "effect our assumption; the planted values are `interventions` in truth.json):",
        *(
            f"  {spec.code} {spec.name}: provider {spec.provider_name} ({spec.provider_code}), "
            f"case references {spec.case_prefix}-000001...; "
            + (
                "referred from ED assault attendances"
                if spec.cohort == "ed_attendees"
                else "new people"
            )
            for spec in synthesis.parameters.programmes
        ),
        "",
        "Definitions used (name@version#sha256):",
        *(f"  {ref.short_id}" for ref in synthesis.definitions.refs.values()),
    ]
    changed = _changed_parameters(synthesis.parameters)
    if changed:
        lines += ["", "Parameters: the defaults (docs/synthetic-data.md), except:"]
        lines += [f"  {name} = {value!r}" for name, value in changed]
    else:
        lines += ["", "Parameters: the defaults, calibrated to the LLR VRN Response Strategy."]
    if model.notes:
        lines += ["", "Notes:", *(f"  {note}" for note in model.notes)]
    lines += [
        "",
        "Parameter sources:",
        *(f"  {name}: {source}" for name, _, source in parameter_sources(synthesis.parameters)),
        "",
        "Indicator sources:",
        *(
            f"  {spec.indicator_id} {spec.short_name}: {spec.source}"
            for spec in synthesis.parameters.indicators
        ),
    ]
    return "\n".join(lines) + "\n"


def _changed_parameters(parameters: Parameters) -> list[tuple[str, object]]:
    default = Parameters()
    return [
        (item.name, getattr(parameters, item.name))
        for item in fields(parameters)
        if getattr(parameters, item.name) != getattr(default, item.name)
    ]


@dataclass(frozen=True)
class Manifest:
    """What a folder holds: the world's seed, mode and crimes, the fingerprint of its
    inputs, the sha256 of each file (data files, truth, README) and the rows of each data
    file."""

    seed: int
    mode: str
    crimes: int
    fingerprint: str
    files: dict[str, str]
    rows: dict[str, int]

    def as_json(self) -> str:
        values = {
            "seed": self.seed,
            "mode": self.mode,
            "crimes": self.crimes,
            "fingerprint": self.fingerprint,
            "files": self.files,
            "rows": self.rows,
        }
        return json.dumps(values, sort_keys=True, indent=2) + "\n"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(synthesis: Synthesis, written: Written, fingerprint: str) -> Manifest:
    """Write ``manifest.json`` beside a world just written (last, so that a folder with a
    manifest is complete)."""
    folder = written.directory
    names = [*written.rows, TRUTH, README]
    manifest = Manifest(
        seed=synthesis.seed,
        mode=synthesis.mode,
        crimes=synthesis.n_crimes,
        fingerprint=fingerprint,
        files={name: file_sha256(folder / name) for name in names},
        rows=dict(written.rows),
    )
    path = folder / f"{MANIFEST}.partial"
    path.write_text(manifest.as_json(), encoding="utf-8", newline="\n")
    os.replace(path, folder / MANIFEST)
    return manifest


def read_manifest(directory: str | os.PathLike[str]) -> Manifest | None:
    """The manifest of a folder, or None when there is none or it cannot be read."""
    try:
        values = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            seed=int(values["seed"]),
            mode=str(values["mode"]),
            crimes=int(values["crimes"]),
            fingerprint=str(values["fingerprint"]),
            files={str(k): str(v) for k, v in values["files"].items()},
            rows={str(k): int(v) for k, v in values["rows"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def check_manifest(
    directory: str | os.PathLike[str], fingerprint: str
) -> tuple[Manifest | None, str]:
    """The folder's manifest if the folder holds exactly the world of ``fingerprint`` (same
    inputs, every file present with its recorded sha256); else None and the reason."""
    folder = Path(directory)
    manifest = read_manifest(folder)
    if manifest is None:
        return None, f"there is no complete world there (no readable {MANIFEST})"
    if manifest.fingerprint != fingerprint:
        return None, (
            "the inputs changed since the world there was written (seed, loaded police.uk "
            "incidents, reference geography, definitions, parameters or generator)"
        )
    for name, sha256 in sorted(manifest.files.items()):
        path = folder / name
        if not path.is_file():
            return None, f"{name} is missing"
        if file_sha256(path) != sha256:
            return None, f"{name} was changed since it was written"
    return manifest, "the same seed and inputs, every file unchanged"

"""Writing a synthetic world to a folder, deterministically.

Files are UTF-8 CSV with ``\\n`` line endings, coordinates with six decimals, blank for
missing, minimal quoting; ``truth.json`` has sorted keys and values rounded to six
decimals; ``README.txt`` names the seed and the command but no time or machine path. So
the same seed, parameters, world and command give byte-identical files. Each file is
written as ``NAME.partial`` block by block and renamed when complete.
"""

from __future__ import annotations

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
from vrn.synth.parameters import Parameters, parameter_sources

#: Output file of each part of a block, and its header.
FILES = {
    "crimes": ("police-crimes.csv", CRIME_COLUMNS),
    "people": ("police-people.csv", PEOPLE_COLUMNS),
    "istv": ("istv.csv", ISTV_COLUMNS),
    "admissions": ("admissions.csv", ADMISSION_COLUMNS),
}
TRUTH = "truth.json"
README = "README.txt"


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
    rows = dict.fromkeys(FILES, 0)
    with ExitStack() as stack:
        handles: dict[str, IO[str]] = {}
        for part, (name, columns) in FILES.items():
            path = folder / f"{name}.partial"
            handles[part] = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
            handles[part].write(",".join(columns) + "\n")
        for block in synthesis.blocks():
            for part in FILES:
                frame: pd.DataFrame = getattr(block, part)
                _csv(frame, handles[part])
                rows[part] += len(frame)
            if on_block is not None:
                on_block(block.n_crimes)
    for name, _ in FILES.values():
        os.replace(folder / f"{name}.partial", folder / name)
    (folder / TRUTH).write_text(truth_text(synthesis), encoding="utf-8", newline="\n")
    by_file = {FILES[part][0]: count for part, count in rows.items()}
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
    ]
    return "\n".join(lines) + "\n"


def _changed_parameters(parameters: Parameters) -> list[tuple[str, object]]:
    default = Parameters()
    return [
        (item.name, getattr(parameters, item.name))
        for item in fields(parameters)
        if getattr(parameters, item.name) != getattr(default, item.name)
    ]

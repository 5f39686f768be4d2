"""One digest of everything a world's bytes depend on, so a caller can tell whether files
written before are what the generator would write now without generating them again.

The files of a world depend only on the seed, the mode, the number of crimes, the
parameters, the definitions, the world (geography), the skeleton (augmented mode), the
generator's code and the numpy and pandas versions (docs/synthetic-data.md, "Determinism").
:func:`inputs_fingerprint` hashes exactly these: the world and skeleton by content, the
definitions by their sha256, the code by the sha256 of the generator's source files. Equal
fingerprints mean byte-identical files; a different one means they may differ.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from vrn.definitions import Definitions
from vrn.synth.generate import BLOCK_SIZE
from vrn.synth.parameters import Parameters
from vrn.synth.world import Skeleton, World

#: Bumped if the fingerprint itself changes meaning.
FINGERPRINT_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent


def frame_digest(frame: pd.DataFrame) -> str:
    """sha256 of a data frame's columns, dtypes and values, row by row (pandas' stable
    row hashes, whose key is fixed), without its index."""
    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)
    digest.update(hashes.tobytes())
    return digest.hexdigest()


def code_digest() -> str:
    """sha256 of the generator's source: every module of this package, by name."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs_fingerprint(
    *,
    world: World,
    definitions: Definitions,
    seed: int,
    mode: str,
    crimes: int | None = None,
    skeleton: Skeleton | None = None,
    parameters: Parameters | None = None,
) -> str:
    """The digest of what ``Synthesis(world, definitions, seed, mode, crimes, skeleton,
    parameters)`` written by ``write_world`` depends on (see the module docstring)."""
    inputs = {
        "version": FINGERPRINT_VERSION,
        "seed": seed,
        "mode": mode,
        "crimes": crimes,
        "block_size": BLOCK_SIZE,
        "parameters": repr(parameters or Parameters()),
        "definitions": sorted(ref.short_id for ref in definitions.refs.values()),
        "world": [
            frame_digest(world.lsoas),
            frame_digest(world.population),
            sorted(world.local_authority_names.items()),
        ],
        "skeleton": None if skeleton is None else frame_digest(skeleton.incidents),
        "code": code_digest(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()

"""A seeded synthetic LLR world in the partner formats, with its planted truth.

``vrn synth --mode augmented|pure --seed N [--crimes N] --out DIR`` writes police crimes
and people, emergency-department assault attendances (ISTV) and hospital admissions in the
formats of docs/formats/, every row marked synthetic, plus ``truth.json``: the findings the
world plants, by finding id, computed from the model rather than measured.

The core (parameters, model, truth, sampler, writer) is pure numpy/pandas and never
imports Django; ``sources`` and the management command read the database. See
docs/synthetic-data.md.
"""

from vrn.synth.generate import BLOCK_SIZE, Block, Synthesis
from vrn.synth.output import FILES, README, TRUTH, Written, write_world
from vrn.synth.parameters import Hotspot, Parameters, parameter_sources
from vrn.synth.world import Skeleton, World

__all__ = [
    "BLOCK_SIZE",
    "FILES",
    "README",
    "TRUTH",
    "Block",
    "Hotspot",
    "Parameters",
    "Skeleton",
    "Synthesis",
    "World",
    "Written",
    "parameter_sources",
    "write_world",
]

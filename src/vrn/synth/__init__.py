"""A seeded synthetic LLR world in the partner formats, with its planted truth.

``vrn synth --mode augmented|pure --seed N [--crimes N] --out DIR`` writes police crimes
and people, emergency-department assault attendances (ISTV), hospital admissions,
risk-factor indicators (Fingertips layout, synthetic indicator ids 9000xx) and the
participants of three intervention programmes with their journeys (``programmes``,
``journeys``) in the formats of docs/formats/, every row marked synthetic, plus
``truth.json``: the findings the world plants, by finding id, computed from the model
rather than measured.

The core (parameters, model, truth, indicators, journeys, sampler, writer, fingerprint) is
pure numpy/pandas and never imports Django; ``sources`` reads the database, ``models`` and
``records`` record the worlds written (so a load can be traced to its seed), and so does
the management command.
See docs/synthetic-data.md.
"""

from vrn.synth.fingerprint import inputs_fingerprint
from vrn.synth.generate import BLOCK_SIZE, Block, Synthesis
from vrn.synth.journeys import FILE_NAMES as INTERVENTION_FILES
from vrn.synth.output import (
    FILES,
    INDICATORS,
    MANIFEST,
    README,
    TRUTH,
    Manifest,
    Written,
    check_manifest,
    write_manifest,
    write_world,
)
from vrn.synth.parameters import Hotspot, Parameters, parameter_sources
from vrn.synth.world import Skeleton, World

__all__ = [
    "BLOCK_SIZE",
    "FILES",
    "INDICATORS",
    "INTERVENTION_FILES",
    "MANIFEST",
    "README",
    "TRUTH",
    "Block",
    "Hotspot",
    "Manifest",
    "Parameters",
    "Skeleton",
    "Synthesis",
    "World",
    "Written",
    "check_manifest",
    "inputs_fingerprint",
    "parameter_sources",
    "write_manifest",
    "write_world",
]

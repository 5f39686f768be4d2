"""Which local authorities make up the Violence Reduction Network this deployment serves.

Pure Python (no Django): settings build a :class:`Network` from the environment, and
everything else asks ``settings.VRN_NETWORK``. LLR is the default; another network is
a change of environment variables, not of code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Network:
    """A network: a name, a short slug, and the ONS codes of its local authorities."""

    name: str
    short_name: str
    local_authority_codes: tuple[str, ...]

    def contains_local_authority(self, code: str | None) -> bool:
        return code in self.local_authority_codes


#: Leicester, Leicestershire and Rutland: Leicester, Rutland and the seven county districts.
LLR = Network(
    name="Leicester, Leicestershire and Rutland",
    short_name="LLR",
    local_authority_codes=(
        "E06000016",  # Leicester
        "E06000017",  # Rutland
        "E07000129",  # Blaby
        "E07000130",  # Charnwood
        "E07000131",  # Harborough
        "E07000132",  # Hinckley and Bosworth
        "E07000133",  # Melton
        "E07000134",  # North West Leicestershire
        "E07000135",  # Oadby and Wigston
    ),
)


def network_from_environment(environ: Mapping[str, str]) -> Network:
    """Build the network from ``VRN_NETWORK_*`` variables, defaulting to LLR.

    ``VRN_NETWORK_LOCAL_AUTHORITIES`` is a comma-separated list of local authority codes;
    ``VRN_NETWORK_NAME`` and ``VRN_NETWORK_SHORT_NAME`` name the network.
    """
    codes_text = environ.get("VRN_NETWORK_LOCAL_AUTHORITIES", "").strip()
    if not codes_text:
        return LLR
    codes = tuple(code.strip().upper() for code in codes_text.split(",") if code.strip())
    invalid = [code for code in codes if len(code) != 9 or not code[1:].isdigit()]
    if invalid:
        raise ValueError(
            "VRN_NETWORK_LOCAL_AUTHORITIES must list 9-character ONS codes such as "
            f"E06000016; these are not: {', '.join(invalid)}"
        )
    name = environ.get("VRN_NETWORK_NAME", "").strip() or "Violence Reduction Network"
    short_name = environ.get("VRN_NETWORK_SHORT_NAME", "").strip() or "VRN"
    return Network(name=name, short_name=short_name, local_authority_codes=codes)

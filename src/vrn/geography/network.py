"""Which local authorities make up the Violence Reduction Network this deployment serves.

Pure Python (no Django): settings build a :class:`Network` from the environment, and
everything else asks ``settings.VRN_NETWORK``. LLR is the default; another network is
a change of environment variables, not of code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Network:
    """A network: a name, a short slug, the ONS codes of its local authorities and the
    counties (two-tier areas reported together, by name) its districts make up."""

    name: str
    short_name: str
    local_authority_codes: tuple[str, ...]
    counties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

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
    counties={
        "Leicestershire": tuple(f"E07000{number}" for number in range(129, 136)),
    },
)


def network_from_environment(environ: Mapping[str, str]) -> Network:
    """Build the network from ``VRN_NETWORK_*`` variables, defaulting to LLR.

    ``VRN_NETWORK_LOCAL_AUTHORITIES`` is a comma-separated list of local authority codes;
    ``VRN_NETWORK_NAME`` and ``VRN_NETWORK_SHORT_NAME`` name the network;
    ``VRN_NETWORK_COUNTIES`` lists its counties as ``Name=CODE CODE ...;Name=...``.
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
    counties = _counties(environ.get("VRN_NETWORK_COUNTIES", ""), codes)
    return Network(name=name, short_name=short_name, local_authority_codes=codes, counties=counties)


def _counties(text: str, codes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    counties: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (item.strip() for item in text.split(";"))):
        name, _, members = part.partition("=")
        districts = tuple(code.upper() for code in members.split())
        if not name.strip() or not districts:
            raise ValueError(
                f"VRN_NETWORK_COUNTIES: {part!r} is not like 'Name=E07000129 E07000130'"
            )
        outside = [code for code in districts if code not in codes]
        if outside:
            raise ValueError(
                f"VRN_NETWORK_COUNTIES: {', '.join(outside)} of {name.strip()} are not among "
                "VRN_NETWORK_LOCAL_AUTHORITIES"
            )
        counties[name.strip()] = districts
    return counties

"""The ``vrn`` command.

Subcommands are Django management commands, so ``vrn load-reference`` runs the
``load_reference`` command and any of Django's own commands pass through unchanged
(``vrn migrate``, ``vrn createsuperuser``, ``vrn shell``).
"""

from __future__ import annotations

import os
import sys

#: Our subcommands, spelled with hyphens on the command line.
SUBCOMMANDS = {
    "load-reference": "load_reference",
    "ingest": "ingest",
    "demo": "demo",
    "serve": "serve",
    "api-token": "api_token",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
    if len(args) > 1:
        args[1] = SUBCOMMANDS.get(args[1], args[1])
    else:
        args.append("help")
    args[0] = "vrn"

    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()

"""``python -m vrn.definitions``: check definition files, or copy the shipped ones to edit.

``check [DIR]`` validates the definitions (files in DIR replacing the shipped ones) and
prints each one's reference; ``export DIR [NAME ...]`` copies shipped files into DIR.
"""

from __future__ import annotations

import argparse
import sys

from vrn.definitions.loader import (
    DEFINITION_NAMES,
    export_definitions,
    load_definitions,
    shipped_directory,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vrn.definitions", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate definitions and print references")
    check.add_argument("directory", nargs="?", help="folder of edited definition files")
    export = commands.add_parser("export", help="copy the shipped files to a folder to edit")
    export.add_argument("directory")
    export.add_argument("names", nargs="*", metavar="NAME", help=", ".join(DEFINITION_NAMES))
    args = parser.parse_args(argv)

    if args.command == "export":
        try:
            written = export_definitions(args.directory, tuple(args.names))
        except (FileExistsError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        for path in written:
            print(path)
        return 0

    try:
        definitions = load_definitions(args.directory)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    shipped = shipped_directory()
    for name, ref in definitions.refs.items():
        path = definitions.paths[name]
        origin = "shipped" if path.parent == shipped else str(path)
        print(f"{ref.short_id:<40} {origin}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

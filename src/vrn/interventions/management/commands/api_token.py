"""``vrn api-token USERNAME [--revoke] [--user NAME]``: a token for the API."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vrn.interventions.api import tokens


class Command(BaseCommand):
    help = (
        "Issue a new API token for a user and print it (any token they had stops working), "
        "or revoke their token with --revoke. Both are recorded in the audit trail; the "
        "token is shown only here, once. The API gives the user their role's access."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="USERNAME", help="whose token")
        parser.add_argument("--revoke", action="store_true", help="revoke the user's token")
        parser.add_argument(
            "--user", default=None, help="who is acting (default: the operating-system user)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        actor = options["user"] or getpass.getuser()
        if options["revoke"]:
            if tokens.revoke(username, actor=actor):
                self.stdout.write(f"Revoked the API token of {username}.")
            else:
                self.stdout.write(f"{username} had no API token.")
            return
        try:
            key = tokens.issue(username, actor=actor)
        except tokens.TokenRefused as refused:
            raise CommandError(f"No token issued: {refused}.", returncode=1) from refused
        self.stdout.write(key)

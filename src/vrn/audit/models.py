"""One row per audited event: sign-in failures and lockouts, withdrawals of loads, ...

Events are written with :func:`vrn.audit.events.record` and never changed or deleted
through the application (the admin shows them read-only).
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    #: A dotted name, e.g. "ingest.withdraw", "sign-in.failed", "sign-in.locked-out".
    action = models.CharField(max_length=64, db_index=True)
    #: Who did it: a user name, the operating-system user of a command, or "" if unknown.
    actor = models.CharField(max_length=150, blank=True)
    #: The network address of a web request ("" for commands).
    address = models.CharField(max_length=64, blank=True)
    #: What it was done to, e.g. "load 12 (2023-01-leicestershire-street.csv)".
    target = models.CharField(max_length=255, blank=True)
    #: Figures and facts about the event (never person-level values).
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}".strip()

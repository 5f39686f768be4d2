"""Writing audit events."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from vrn.audit.models import AuditEvent


def record(
    action: str, *, actor: str = "", address: str = "", target: str = "", **detail: Any
) -> AuditEvent:
    """Store one audit event now (inside the caller's transaction, if any)."""
    return AuditEvent.objects.create(
        at=timezone.now(),
        action=action,
        actor=actor[:150],
        address=address[:64],
        target=target[:255],
        detail=detail,
    )

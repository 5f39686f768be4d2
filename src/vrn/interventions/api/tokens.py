"""API tokens: one per user, issued and revoked with ``vrn api-token`` and recorded in the
audit trail (never the token itself)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from vrn.audit.events import record

ISSUED = "api.token_issued"
REVOKED = "api.token_revoked"


class TokenRefused(ValueError):
    """Why no token was issued (no such user, or an inactive one)."""


def issue(username: str, *, actor: str) -> str:
    """A new token for ``username``, replacing any they had (which stops working)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TokenRefused(f"there is no user {username!r}")
    if not user.is_active:
        raise TokenRefused(f"the user {username!r} is not active")
    with transaction.atomic():
        replaced: bool = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        record(ISSUED, actor=actor, target=f"user {username}", replaced=replaced)
    key: str = token.key
    return key


def revoke(username: str, *, actor: str) -> bool:
    """Revoke the user's token; False if they had none."""
    with transaction.atomic():
        deleted: bool = Token.objects.filter(user__username=username).delete()[0] > 0
        if deleted:
            record(REVOKED, actor=actor, target=f"user {username}")
    return deleted

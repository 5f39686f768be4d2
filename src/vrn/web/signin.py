"""Sign-in protection: django-axes throttling, wired to the audit trail and the site's pages.

django-axes counts failed sign-ins per username and per address (``AXES_*`` settings, from
``VRN_SIGN_IN_*``) and refuses sign-ins, the right password too, while either is locked
out. This module is its configuration's code:

- :class:`AuditedAxesHandler` records every failed sign-in (``sign-in.failed``) and every
  sign-in refused by a lockout, or that starts one (``sign-in.locked-out``), in the audit
  trail, with the username tried and the address; never the password.
- :func:`client_address` is the client's address behind ``VRN_PROXY_COUNT`` reverse proxies.
- :func:`locked_out` is the page a locked-out sign-in gets (HTTP 429).
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vrn.audit.events import record
from vrn.ingest.identifiers import redact

FAILED = "sign-in.failed"
LOCKED_OUT = "sign-in.locked-out"


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from: the one that connected (``REMOTE_ADDR``), or with
    ``VRN_PROXY_COUNT`` = n proxies in front, the n-th address from the right of
    ``X-Forwarded-For`` (the one the outermost proxy saw; those to its left are whatever
    the client sent, so are never trusted)."""
    count = settings.VRN_PROXY_COUNT
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if count and len(forwarded) >= count:
        address = _address(forwarded[-count])
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def cool_off_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request) or timedelta(0)
    return max(1, round(cool_off.total_seconds() / 60))


class AuditedAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler, recording failures and lockouts in the audit trail."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:  # not a sign-in over the web: nothing to count or attribute
            super().user_login_failed(sender, credentials, request, **kwargs)
            return
        # Locked before this attempt: it was refused without checking the password.
        refused = self.is_locked(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        # ``credentials`` come cleansed by Django (no password); only the username is kept.
        username = _audited_username(str(get_client_username(request, credentials) or ""))
        address = getattr(request, "axes_ip_address", None) or ""
        failures = getattr(request, "axes_failures_since_start", None)
        if not refused:
            record(FAILED, actor=username, address=address, target=request.path, failures=failures)
        if refused or getattr(request, "axes_locked_out", False):
            record(
                LOCKED_OUT,
                actor=username,
                address=address,
                target=request.path,
                failures=failures,
                started=not refused,
                cool_off_minutes=cool_off_minutes(request),
            )


def _audited_username(username: str) -> str:
    """The username tried, if an account has it; otherwise only its shape, since a name
    that is no account is often a password typed into the wrong box."""
    if username and get_user_model().objects.filter(username=username).exists():
        return username
    return f"(no such account: {redact(username)})" if username else ""


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page for a sign-in refused because of too many failed attempts."""
    context = {"minutes": cool_off_minutes(request)}
    return render(request, "web/locked_out.html", context, status=429)

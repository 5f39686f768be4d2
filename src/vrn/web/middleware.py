"""Response headers that every page of the site carries.

``SecurityHeadersMiddleware`` (first in ``MIDDLEWARE``, so it sees every response, static
files and HTTPS redirects included) adds:

- ``Permissions-Policy``: the browser features the site never uses are switched off for it
  and for anything it might embed;
- ``Cache-Control: no-store`` (with Django's other never-cache headers) on every response to
  a signed-in user and on every download, so that pages and files with partner data are
  not kept by the browser or a shared cache.

The Content-Security-Policy comes from django-csp (``CONTENT_SECURITY_POLICY`` in the
settings); the other security headers from Django's ``SecurityMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers

#: Features denied to the site and to any frame: none of them is used.
DENIED_FEATURES = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


def is_download(response: HttpResponseBase) -> bool:
    """Whether ``response`` is a file to save (``Content-Disposition: attachment``)."""
    disposition = response.get("Content-Disposition", "")
    return disposition.strip().lower().startswith("attachment")


def is_signed_in(request: HttpRequest) -> bool:
    # No ``user`` when the response came before authentication ran (a static file, an
    # HTTPS redirect): no one is signed in as far as that response is concerned.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_download(response) or is_signed_in(request):
            add_never_cache_headers(response)
        return response

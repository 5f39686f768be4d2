"""Fill the page caches of the dashboard ahead of the first visitor.

After a load, :func:`vrn.dashboard.store.current` builds the data; this renders every
page of :func:`vrn.dashboard.sitemap.pages` once, in this process, so that its content is
in the shared cache (``VRN_CACHE_DIR``) under the new state's key. The content cached is
the same for every user who may see the page; the request is made by a stand-in user with
every permission, used for nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.dashboard.sitemap import pages


class _Renderer(AnonymousUser):
    """A signed-in stand-in with every permission: it only renders pages into the cache."""

    @property
    def is_anonymous(self) -> bool:  # type: ignore[override]
        return False

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True

    def get_username(self) -> str:
        return "dashboard warm"

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True

    def has_perms(self, perm_list: object, obj: object = None) -> bool:
        return True

    def has_module_perms(self, module: str) -> bool:
        return True


def warm_pages(
    events: DashboardEvents, progress: Callable[[str], None] | None = None
) -> list[tuple[str, int]]:
    """Render every page once; returns each path with its status."""
    factory = RequestFactory()
    results = []
    for page in pages(events):
        request = factory.get(page.path, secure=True)
        request.user = _Renderer() if page.signed_in else AnonymousUser()
        match = resolve(request.path_info)
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        results.append((page.path, response.status_code))
        if progress is not None:
            progress(page.name)
    return results

"""The two faces of the dashboard: signed in (exact figures, every page) and public (the
disclosure policy on every figure; no Explore), and the URLs of each."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from vrn.dashboard.published import Audience
from vrn.web.views import public_policy

#: Map levels from the finest to the coarsest.
MAP_LEVELS = ("lsoa", "ward", "local_authority")


@dataclass(frozen=True)
class Site:
    namespace: str  # "dashboard" (signed in) or "public"

    @property
    def public(self) -> bool:
        return self.namespace == "public"

    @property
    def audience(self) -> Audience:
        """Exact figures when signed in; the public disclosure policy in public."""
        return Audience(public_policy() if self.public else None)

    def url(self, name: str, *args: str, area: str = "", **params: str) -> str:
        """The URL of page ``name`` of this face, for ``area`` ("" the network)."""
        query = {"area": area} if area else {}
        query.update({k: v for k, v in params.items() if v})
        path = reverse(f"{self.namespace}:{name}", args=args)
        return f"{path}?{urlencode(query)}" if query else path

    @property
    def map_levels(self) -> tuple[str, ...]:
        """The map levels this face may show: in public, none finer than
        ``VRN_PUBLIC_MAP_LEVEL``."""
        if not self.public:
            return MAP_LEVELS
        coarsest = MAP_LEVELS.index(settings.VRN_PUBLIC_MAP_LEVEL)
        return MAP_LEVELS[coarsest:]


SIGNED_IN = Site("dashboard")
PUBLIC = Site("public")

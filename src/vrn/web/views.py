from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from vrn.analytics.stats.disclosure import DisclosurePolicy
from vrn.dashboard.published import Audience
from vrn.geography.queries import latest_reference_load
from vrn.ingest.queries import current_loads_by_dataset, loaded_rows, synthetic_loads
from vrn.synth.records import LoadedWorld, worlds_of

T = TypeVar("T")

#: Exact counts of what is loaded (and how many files) are for users who may see the
#: record of loads; everyone else sees them through :func:`public_policy`.
DATA_QUALITY = "accounts.view_data_quality"


def public_policy() -> DisclosurePolicy:
    """The disclosure control of every count on a page open to visitors
    (``VRN_PUBLIC_DISCLOSURE``: the NHS HES rule unless configured otherwise)."""
    policy: DisclosurePolicy = settings.VRN_PUBLIC_DISCLOSURE_POLICY
    return policy


def home(request: HttpRequest) -> HttpResponse:
    """What the platform is, with the way in: sign in or go to the dashboard."""
    return render(request, "web/home.html")


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: the dashboard for those who see it, a caseworker's
    intervention records, otherwise the home page."""
    if request.user.has_perm("accounts.view_network_dashboard"):
        return redirect("dashboard:overview")
    if request.user.has_perm("accounts.record_casework"):
        return redirect("interventions:home")
    return redirect("web:home")


@require_GET
def synthetic_data(request: HttpRequest) -> HttpResponse:
    """What is synthetic and what is real here: the page the notice on every page links to.
    Open to everyone, like the notice; it shows counts, never rows, and to visitors (anyone
    without the data-quality permission) only counts that passed the disclosure policy."""
    exact = request.user.has_perm(DATA_QUALITY)
    loads = synthetic_loads()
    worlds = worlds_of(loads)
    traced = {pk for world in worlds for pk in world.load_ids}
    synthetic_rows = [r for r in loaded_rows() if r.synthetic]
    real_loads = [d for d in current_loads_by_dataset() if not d.synthetic]
    context = {
        "exact_counts": exact,
        "policy": public_policy(),
        "synthetic_rows": _with_counts(synthetic_rows, [r.rows for r in synthetic_rows], exact),
        "synthetic_loads": loads,
        "worlds": [
            {
                "world": w.world,
                "crimes": crimes,
                "truth": _shown_path(w, request),
                "loads": len(w.load_ids),
            }
            for w, crimes in _with_counts(worlds, [w.world.crimes for w in worlds], exact)
        ],
        # Loads from files that no world recorded here wrote (e.g. copied from elsewhere).
        "untraced_loads": [load for load in loads if load.pk not in traced],
        "real_loads": _with_counts(real_loads, [d.rows for d in real_loads], exact),
        "reference": latest_reference_load(),
    }
    return render(request, "web/synthetic_data.html", context)


def _with_counts(items: Sequence[T], counts: Sequence[int], exact: bool) -> list[tuple[T, str]]:
    """Each item with its count as shown: exact, or as :func:`public_policy` publishes it
    (every count on the page is sub-national); with thousands separators."""
    texts = Audience(None if exact else public_policy()).counts(counts)
    return list(zip(items, texts, strict=True))


def _shown_path(world: LoadedWorld, request: HttpRequest) -> str | None:
    """The truth file's location: relative to the data directory (``VRN_DATA_DIR``) when
    it is inside it; else the full path, for staff only (None for others)."""
    path = world.truth_path
    try:
        return f"{Path(path).relative_to(settings.DATA_DIR)} in the data directory (VRN_DATA_DIR)"
    except ValueError:
        return str(path) if request.user.is_staff else None

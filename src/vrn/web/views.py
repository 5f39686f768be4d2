from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vrn.geography.models import ReferenceLoad
from vrn.ingest.queries import current_loads_by_dataset, loaded_rows, synthetic_loads
from vrn.synth.records import LoadedWorld, worlds_of


def home(request: HttpRequest) -> HttpResponse:
    """What the platform is, with the way in: sign in or go to the dashboard."""
    return render(request, "web/home.html")


@require_GET
def synthetic_data(request: HttpRequest) -> HttpResponse:
    """What is synthetic and what is real here: the page the notice on every page links to.
    Open to everyone, like the notice; it shows counts, never rows."""
    loads = synthetic_loads()
    worlds = worlds_of(loads)
    traced = {pk for world in worlds for pk in world.load_ids}
    context = {
        "synthetic_rows": [r for r in loaded_rows() if r.synthetic],
        "synthetic_loads": loads,
        "worlds": [
            {"world": w.world, "truth": _shown_path(w, request), "loads": len(w.load_ids)}
            for w in worlds
        ],
        # Loads from files that no world recorded here wrote (e.g. copied from elsewhere).
        "untraced_loads": [load for load in loads if load.pk not in traced],
        "real_loads": [d for d in current_loads_by_dataset() if not d.synthetic],
        "reference": ReferenceLoad.objects.order_by("-loaded_at").first(),
    }
    return render(request, "web/synthetic_data.html", context)


def _shown_path(world: LoadedWorld, request: HttpRequest) -> str | None:
    """The truth file's location: relative to the data directory (``VRN_DATA_DIR``) when
    it is inside it; else the full path, for staff only (None for others)."""
    path = world.truth_path
    try:
        return f"{Path(path).relative_to(settings.DATA_DIR)} in the data directory (VRN_DATA_DIR)"
    except ValueError:
        return str(path) if request.user.is_staff else None

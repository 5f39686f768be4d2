"""Every page of the dashboard for the data loaded now: for the benchmark, the browser
and accessibility tests, and anyone who wants the list."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.dashboard import store


@dataclass(frozen=True)
class Page:
    """A page: its kind (one per template), a name, its path and whether it needs a
    signed-in user with the dashboard permission."""

    kind: str
    name: str
    path: str
    signed_in: bool


def pages(events: DashboardEvents) -> list[Page]:
    """The network's pages of each kind, each face, and each CSP's overview."""
    found: list[Page] = []
    for namespace, signed_in in (("dashboard", True), ("public", False)):
        face = "signed in" if signed_in else "public"
        overview = reverse(f"{namespace}:overview")
        found.append(Page("overview", f"{face}: overview", overview, signed_in))
        for code in sorted(c for c in events.results if c):
            path = f"{overview}?{urlencode({'area': code})}"
            found.append(Page("overview", f"{face}: overview of {code}", path, signed_in))
        for info in events.measures:
            path = reverse(f"{namespace}:measure", args=[info.id])
            found.append(Page("measure", f"{face}: measure {info.id}", path, signed_in))
        map_url = reverse(f"{namespace}:map")
        found.append(Page("map", f"{face}: map", map_url, signed_in))
        path = f"{map_url}?{urlencode({'level': 'local_authority'})}"
        found.append(Page("map", f"{face}: map by local authority", path, signed_in))
    explore = reverse("dashboard:explore")
    found += [
        Page("explore", "signed in: explore", explore, True),
        Page(
            "explore",
            "signed in: explore by ward",
            f"{explore}?{urlencode([('measure', 'serious_violence'), ('by', 'ward')])}",
            True,
        ),
        Page(
            "explore",
            "signed in: explore by day and hour, knives",
            f"{explore}?"
            + urlencode(
                [
                    ("measure", "serious_violence"),
                    ("by", "weekday"),
                    ("by2", "hour"),
                    ("weapon", "knife_or_sharp"),
                ]
            ),
            True,
        ),
        Page("risk", "signed in: risk factors", reverse("dashboard:risk"), True),
        Page("hotspots", "signed in: hotspots", reverse("dashboard:hotspots"), True),
        Page("tasking", "signed in: tasking list", reverse("dashboard:tasking"), True),
        Page("hidden", "signed in: hidden hotspots", reverse("dashboard:hidden-hotspots"), True),
        Page("about", "public: about this data", reverse("public:about"), False),
    ]
    return found


def benchmark_pages() -> list[Page]:
    """:func:`pages` of the data loaded now."""
    return pages(store.current())

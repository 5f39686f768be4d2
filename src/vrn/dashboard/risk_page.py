"""The risk factors page: the loaded indicators against England with Fingertips-style
comparison labels, and the deprivation gradient, for the network or a CSP.

The findings are the problem profile's (``risk_factors`` and the deprivation findings),
computed with the dashboard's events (:attr:`DashboardEvents.risk`) and drawn by the
profile's report, so the page and the profile never disagree.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.profile.publish import Profile
from vrn.profile.report import render_html


def risk_html(events: DashboardEvents, area: str) -> SafeString:
    """The findings as the profile's report draws them (its body, without title page)."""
    computed = events.risk[area]
    result = events.results[area]
    scope = events.scope
    if area:
        scope = type(scope)(
            code=area,
            name=scope.name_of(area),
            kind="csp",
            local_authorities=scope.local_authorities,
            ward_names=scope.ward_names,
            csp_names=scope.csp_names,
        )
    profile = Profile(
        scope=scope,
        period=result.period or events.period,
        findings=computed.findings,
        not_computed=computed.not_computed,
        sources=list(events.sources),
        definitions=list(events.definitions),
        synthetic=events.synthetic,
    )
    data: dict[str, Any] = profile.to_dict()
    return mark_safe(render_html(data, {}, fragment=True))  # the report escapes its text

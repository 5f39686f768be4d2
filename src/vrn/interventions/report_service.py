"""Reports for the web: who may see which report and how exactly, and the report for the
current state of the records, built once and kept in the cache.

The state is the ingest pipeline's (every load, correction or withdrawal) and the newest
change recorded through a form or the API (each is in the audit trail), so a report is
never older than the records.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.cache import cache

from vrn.audit.models import AuditEvent
from vrn.dashboard.published import Audience
from vrn.ingest.queries import data_state
from vrn.interventions import access, audit, published, report_queries
from vrn.interventions.models import Programme
from vrn.interventions.reports import InterventionReport, ReportError, Selection, build_report
from vrn.web.views import public_policy

if TYPE_CHECKING:
    from vrn.interventions.access import AnyUser

#: Bump when the pickled report changes shape.
FORMAT = "1"
DASHBOARD_PERMISSION = "accounts.view_network_dashboard"

__all__ = ["ReportError", "Selection", "audience_for", "current_report", "page"]


def state_key() -> str:
    latest = (
        AuditEvent.objects.filter(action=audit.CHANGE)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    text = "|".join([FORMAT, data_state(), str(latest)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_report(selection: Selection) -> InterventionReport:
    """The report for the records as they are now (ReportError for an unknown selection)."""
    key = f"interventions-report:{state_key()}:{selection.key}"
    report: InterventionReport | None = cache.get(key)
    if report is None:
        report = build_report(selection)
        cache.set(key, report)
    return report


def audience_for(user: AnyUser, selection: Selection) -> Audience | None:
    """How exactly ``user`` may see the report of ``selection``; None: not at all.

    Exact for the network's team and for a caseworker's own organisation's programmes;
    under disclosure control for other users who see the dashboard (board members)."""
    if access.sees_exact_reports(user):
        return Audience(policy=None)
    own = access.organisation_id(user)
    if own is not None and _delivered_by(selection, own):
        return Audience(policy=None)
    if user.is_authenticated and user.has_perm(DASHBOARD_PERMISSION):
        return Audience(policy=public_policy())
    return None


def _delivered_by(selection: Selection, organisation_id: int) -> bool:
    if selection.programme:
        return Programme.objects.filter(
            code=selection.programme, provider_id=organisation_id
        ).exists()
    if selection.provider:
        return Programme.objects.filter(
            provider__code=selection.provider, provider_id=organisation_id
        ).exists()
    return False


def page(selection: Selection, audience: Audience) -> dict[str, object]:
    """What a report page shows."""
    report = current_report(selection)
    names = report_queries.area_names(report.areas["area"]) if not report.areas.empty else {}
    return {
        "report": report,
        "tables": published.tables(report, audience, names),
        "programmes": report_queries.programme_choices(),
        "audience": audience,
    }


def csv_rows(selection: Selection, audience: Audience) -> tuple[list[list[str]], bool]:
    report = current_report(selection)
    names = report_queries.area_names(report.areas["area"]) if not report.areas.empty else {}
    return published.csv_rows(
        published.tables(report, audience, names), report.title
    ), report.synthetic

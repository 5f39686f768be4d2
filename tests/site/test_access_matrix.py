"""The access matrix: every URL of the site, for a visitor and for each role, as the site
runs in production.

Every URL pattern the resolver knows (the admin's included: each model's list, add,
change, delete and history pages) is requested with GET by a visitor and by a user of each
role (as ``vrn demo`` creates them: the administrator is staff, nobody is a superuser).
A URL with parameters is requested three times: with real values (an existing object, a
real CSP code and period), a missing one (no such object) and a malformed one. Each status
is compared with :data:`EXPECTED`, the one table of who may reach what; a URL pattern
missing from the table, or a row of the table no URL has, fails the test, so a new page
comes with its row.

The matrix runs in a pytest subprocess with production settings (``VRN_ENV=production``, a
strong ``SECRET_KEY``, ``ALLOWED_HOSTS``: ``tests/site/production.py``; static files
collected as in a deployment; HTTPS requests, as behind the redirect to HTTPS) on the
same database engine as the outer run (``DATABASE_URL``), in a test database of its own.
A failure shows the measured rows that differ; ``ACCESS_MATRIX_PRINT=1 pytest -s
tests/site/test_access_matrix.py`` prints the whole measured table in the same format.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.audit import events
from vrn.crime.police_uk import PoliceUkStreet
from vrn.dashboard import services
from vrn.ingest.pipeline import LoadContext, load_files
from vrn.interventions import entry
from vrn.interventions.models import Participant, Programme
from vrn.interventions.views import PURPOSE_SESSION_KEY

from ..partners import pseudonym_key, write_csv
from . import production

__all__ = ["pseudonym_key"]

#: The columns of the table: a visitor, then one user per role.
COLUMNS = {
    "anon": None,
    "admin": Role.ADMINISTRATOR,
    "analyst": Role.ANALYST,
    "manager": Role.PROGRAMME_MANAGER,
    "board": Role.BOARD_MEMBER,
    "casewk": Role.PROVIDER_CASEWORKER,
    "public": Role.PUBLIC,
}

#: What each user gets from each URL (GET). A cell is one outcome for every parameter
#: variant, or "real/wrong" (the missing and malformed values alike), or
#: "real/missing/malformed", for a URL with parameters. Outcomes: an HTTP status, or
#: "login" for a redirect to a sign-in page (the site's or the admin's). Rows are URL names
#: ("namespace:name"), or the route of a pattern without a name.
EXPECTED_TABLE = """
url                                        anon  admin   analyst manager board   casewk public
# The admin: staff only (of the roles' users, the administrator); everyone else is sent to
# sign in. 403: staff without the permission. A missing or malformed object: 302 to the index.
admin:index                                login 200     login   login   login   login  login
admin:login                                200   302     200     200     200     200    200
admin:logout                               302   405     302     302     302     302    302
admin:password_change                      login 200     login   login   login   login  login
admin:password_change_done                 login 200     login   login   login   login  login
admin:autocomplete                         login 403     login   login   login   login  login
admin:jsi18n                               login 200     login   login   login   login  login
admin:view_on_site                         login 404     login   login   login   login  login
# Roles are groups set from accounts/roles.py after every migrate: not edited in the admin.
admin:auth_group_changelist                login 403     login   login   login   login  login
admin:auth_group_add                       login 403     login   login   login   login  login
admin:auth_group_history                   login 403/302 login   login   login   login  login
admin:auth_group_delete                    login 403     login   login   login   login  login
admin:auth_group_change                    login 403     login   login   login   login  login
admin/auth/group/<object_id>/              login 302     login   login   login   login  login
# Sign-in attempts (django-axes): the administrator sees lockouts and lifts them (delete);
# the access and failure logs are for superusers only.
admin:axes_accessattempt_changelist        login 200     login   login   login   login  login
admin:axes_accessattempt_add               login 403     login   login   login   login  login
admin:axes_accessattempt_history           login 200/302 login   login   login   login  login
admin:axes_accessattempt_delete            login 200/302 login   login   login   login  login
admin:axes_accessattempt_change            login 200/302 login   login   login   login  login
admin/axes/accessattempt/<object_id>/      login 302     login   login   login   login  login
admin:axes_accesslog_changelist            login 403     login   login   login   login  login
admin:axes_accesslog_add                   login 403     login   login   login   login  login
admin:axes_accesslog_history               login 403/302 login   login   login   login  login
admin:axes_accesslog_delete                login 403     login   login   login   login  login
admin:axes_accesslog_change                login 403     login   login   login   login  login
admin/axes/accesslog/<object_id>/          login 302     login   login   login   login  login
admin:axes_accessfailurelog_changelist     login 403     login   login   login   login  login
admin:axes_accessfailurelog_add            login 403     login   login   login   login  login
admin:axes_accessfailurelog_history        login 403/302 login   login   login   login  login
admin:axes_accessfailurelog_delete         login 403     login   login   login   login  login
admin:axes_accessfailurelog_change         login 403     login   login   login   login  login
admin/axes/accessfailurelog/<object_id>/   login 302     login   login   login   login  login
# Users and organisations: added, changed and seen by the administrator, never deleted.
admin:auth_user_password_change            login 200/404 login   login   login   login  login
admin:accounts_user_changelist             login 200     login   login   login   login  login
admin:accounts_user_add                    login 200     login   login   login   login  login
admin:accounts_user_history                login 200/302 login   login   login   login  login
admin:accounts_user_delete                 login 403     login   login   login   login  login
admin:accounts_user_change                 login 200/302 login   login   login   login  login
admin/accounts/user/<object_id>/           login 302     login   login   login   login  login
admin:accounts_organisation_changelist     login 200     login   login   login   login  login
admin:accounts_organisation_add            login 200     login   login   login   login  login
admin:accounts_organisation_history        login 200/302 login   login   login   login  login
admin:accounts_organisation_delete         login 403     login   login   login   login  login
admin:accounts_organisation_change         login 200/302 login   login   login   login  login
admin/accounts/organisation/<object_id>/   login 302     login   login   login   login  login
# The audit trail: read-only, for the administrator.
admin:audit_auditevent_changelist          login 200     login   login   login   login  login
admin:audit_auditevent_add                 login 403     login   login   login   login  login
admin:audit_auditevent_history             login 200/302 login   login   login   login  login
admin:audit_auditevent_delete              login 403     login   login   login   login  login
admin:audit_auditevent_change              login 200/302 login   login   login   login  login
admin/audit/auditevent/<object_id>/        login 302     login   login   login   login  login
# Reference tables: read-only (they change through vrn load-reference), superusers only.
admin:geography_area_changelist            login 403     login   login   login   login  login
admin:geography_area_add                   login 403     login   login   login   login  login
admin:geography_area_history               login 403/302 login   login   login   login  login
admin:geography_area_delete                login 403     login   login   login   login  login
admin:geography_area_change                login 403     login   login   login   login  login
admin/geography/area/<object_id>/          login 302     login   login   login   login  login
admin:geography_lsoachange_changelist      login 403     login   login   login   login  login
admin:geography_lsoachange_add             login 403     login   login   login   login  login
admin:geography_lsoachange_history         login 403/302 login   login   login   login  login
admin:geography_lsoachange_delete          login 403     login   login   login   login  login
admin:geography_lsoachange_change          login 403     login   login   login   login  login
admin/geography/lsoachange/<object_id>/    login 302     login   login   login   login  login
admin:geography_deprivation_changelist     login 403     login   login   login   login  login
admin:geography_deprivation_add            login 403     login   login   login   login  login
admin:geography_deprivation_history        login 403/302 login   login   login   login  login
admin:geography_deprivation_delete         login 403     login   login   login   login  login
admin:geography_deprivation_change         login 403     login   login   login   login  login
admin/geography/deprivation/<object_id>/   login 302     login   login   login   login  login
admin:geography_population_changelist      login 403     login   login   login   login  login
admin:geography_population_add             login 403     login   login   login   login  login
admin:geography_population_history         login 403/302 login   login   login   login  login
admin:geography_population_delete          login 403     login   login   login   login  login
admin:geography_population_change          login 403     login   login   login   login  login
admin/geography/population/<object_id>/    login 302     login   login   login   login  login
admin:geography_boundary_changelist        login 403     login   login   login   login  login
admin:geography_boundary_add               login 403     login   login   login   login  login
admin:geography_boundary_history           login 403/302 login   login   login   login  login
admin:geography_boundary_delete            login 403     login   login   login   login  login
admin:geography_boundary_change            login 403     login   login   login   login  login
admin/geography/boundary/<object_id>/      login 302     login   login   login   login  login
admin:geography_referenceload_changelist   login 403     login   login   login   login  login
admin:geography_referenceload_add          login 403     login   login   login   login  login
admin:geography_referenceload_history      login 403/302 login   login   login   login  login
admin:geography_referenceload_delete       login 403     login   login   login   login  login
admin:geography_referenceload_change       login 403     login   login   login   login  login
admin/geography/referenceload/<object_id>/ login 302     login   login   login   login  login
# File loads and their quarantine (accounts.view_data_quality): loads are withdrawn, with
# accounts.load_data, never deleted; quarantined rows are never changed or deleted.
admin:ingest_fileload_withdraw             login 302     login   login   login   login  login
admin:ingest_fileload_changelist           login 200     login   login   login   login  login
admin:ingest_fileload_add                  login 403     login   login   login   login  login
admin:ingest_fileload_history              login 200/302 login   login   login   login  login
admin:ingest_fileload_delete               login 403     login   login   login   login  login
admin:ingest_fileload_change               login 200/302 login   login   login   login  login
admin/ingest/fileload/<object_id>/         login 302     login   login   login   login  login
admin:ingest_quarantinedrow_changelist     login 200     login   login   login   login  login
admin:ingest_quarantinedrow_add            login 403     login   login   login   login  login
admin:ingest_quarantinedrow_history        login 200/302 login   login   login   login  login
admin:ingest_quarantinedrow_delete         login 403     login   login   login   login  login
admin:ingest_quarantinedrow_change         login 200/302 login   login   login   login  login
admin/ingest/quarantinedrow/<object_id>/   login 302     login   login   login   login  login
# Person-level rows: only with accounts.view_person_level_data, which no staff role has.
admin:police_crime_changelist              login 403     login   login   login   login  login
admin:police_crime_add                     login 403     login   login   login   login  login
admin:police_crime_history                 login 302     login   login   login   login  login
admin:police_crime_delete                  login 403     login   login   login   login  login
admin:police_crime_change                  login 403     login   login   login   login  login
admin/police/crime/<object_id>/            login 302     login   login   login   login  login
admin:police_person_changelist             login 403     login   login   login   login  login
admin:police_person_add                    login 403     login   login   login   login  login
admin:police_person_history                login 302     login   login   login   login  login
admin:police_person_delete                 login 403     login   login   login   login  login
admin:police_person_change                 login 403     login   login   login   login  login
admin/police/person/<object_id>/           login 302     login   login   login   login  login
admin:health_edattendance_changelist       login 403     login   login   login   login  login
admin:health_edattendance_add              login 403     login   login   login   login  login
admin:health_edattendance_history          login 302     login   login   login   login  login
admin:health_edattendance_delete           login 403     login   login   login   login  login
admin:health_edattendance_change           login 403     login   login   login   login  login
admin/health/edattendance/<object_id>/     login 302     login   login   login   login  login
admin:health_admissionepisode_changelist   login 403     login   login   login   login  login
admin:health_admissionepisode_add          login 403     login   login   login   login  login
admin:health_admissionepisode_history      login 302     login   login   login   login  login
admin:health_admissionepisode_delete       login 403     login   login   login   login  login
admin:health_admissionepisode_change       login 403     login   login   login   login  login
admin/health/admissionepisode/<object_id>/ login 302     login   login   login   login  login
# The admin's app pages and anything else under /admin/.
admin:app_list                             login 200/404 login   login   login   login  login
admin/(?P<url>.*)$                         login 404     login   login   login   login  login
# The dashboard: roles with accounts.view_network_dashboard; CSV downloads with
# accounts.download_dashboard_data too. A malformed measure or breakdown matches no URL.
dashboard:overview                         login 200     200     200     200     403    403
dashboard:measure       login/login/404 200/404 200/404 200/404 200/404 403/403/404 403/403/404
dashboard:measure-csv   login/login/404 200/404 200/404 200/404 200/404 403/403/404 403/403/404
dashboard:explore                          login 200     200     200     200     403    403
dashboard:explore-csv                      login 200     200     200     200     403    403
dashboard:map                              login 200     200     200     200     403    403
dashboard:map-csv                          login 200     200     200     200     403    403
dashboard:risk                             login 200     200     200     200     403    403
dashboard:risk-csv                         login 200     200     200     200     403    403
dashboard:hotspots                         login 200     200     200     200     403    403
dashboard:hotspots-csv                     login 200     200     200     200     403    403
dashboard:tasking                          login 200     200     200     200     403    403
dashboard:tasking-csv                      login 200     200     200     200     403    403
dashboard:hidden-hotspots                  login 200     200     200     200     403    403
# (No ED assault here is in the network's area: the comparison's CSV is not found.)
dashboard:hidden-hotspots-csv              login 404     404     404     404     403    403
# The public dashboard: everyone, signed in or not.
public:overview                            200   200     200     200     200     200    200
public:measure                             200/404 200/404 200/404 200/404 200/404 200/404 200/404
public:measure-csv                         200/404 200/404 200/404 200/404 200/404 200/404 200/404
public:map                                 200   200     200     200     200     200    200
public:map-csv                             200   200     200     200     200     200    200
public:about                               200   200     200     200     200     200    200
dashboard:street                          login 200     200     200     200     403    403
dashboard:street-monthly-csv              login 200     200     200     200     403    403
dashboard:street-types-csv                login 200     200     200     200     403    403
dashboard:street-rates-csv                login 200/404 200/404 200/404 200/404 403    403
dashboard:street-csp                              login 200/404 200/404 200/404 200/404 403    403
dashboard:street-csp-monthly-csv                  login 200/404 200/404 200/404 200/404 403    403
dashboard:street-csp-types-csv                    login 200/404 200/404 200/404 200/404 403    403
dashboard:street-csp-rates-csv                    login 200/404 200/404 200/404 200/404 403    403
# The problem profile: as the dashboard; its JSON and PDF need the download permission too.
profile:network                            login 200     200     200     200     403    403
profile:network-json                       login 200     200     200     200     403    403
profile:network-pdf                        login 200     200     200     200     403    403
profile:csp                                login 200/404 200/404 200/404 200/404 403    403
profile:csp-json                           login 200/404 200/404 200/404 200/404 403    403
profile:csp-pdf                            login 200/404 200/404 200/404 200/404 403    403
# Intervention monitoring: the provider's caseworker (records their own organisation's
# participants) and the network's team (analyst, programme manager: every participant,
# pseudonymised; no form). The matrix's users have declared a purpose. A participant the
# user may not see is not found, nor is an id past any database's integers (malformed).
interventions:home                         login 403     200     200     403     200    403
interventions:purpose                      login 403     200     200     403     200    403
interventions:programme-edit               login 403     403     200/404 403     403    403
interventions:participants                 login 403     200     200     403     200    403
interventions:participants-csv             login 403     200     200     403     200    403
interventions:participant-new              login 403     403     403     403     200    403
interventions:participant                  login 403     200/404 200/404 403     200/404 403
interventions:progress                     login 403     403     403     403     200/404 403
interventions:assessment                   login 403     403     403     403     200/404 403
interventions:contact                      login 403     403     403     403     200/404 403
interventions:review                       login 403     403     403     403     200/404 403
interventions:outcome                      login 403     403     403     403     200/404 403
interventions:note                         login 403     403     403     403     200/404 403
# The REST API (docs/api.md): JSON; a visitor is asked for a token (401). Schema and docs:
# anyone signed in. Programmes: roles that deal with interventions. Participant records:
# caseworkers (own) and the network's team; a read without ?purpose= is 400. Case notes:
# caseworkers only. A malformed code matches only the API's JSON 404. Reports: exact for
# the network's team and a provider's own programmes, published tables for the board.
api:schema                                 401   200     200     200     200     200    200
api:docs                                   login 200     200     200     200     200    200
api:programmes                             401   200     200     200     200     200    403
api:programme              401/401/404 200/404 200/404 200/404 200/404 200/404 403/403/404
api:participants                           401   403     400     400     403     400    403
api:participant                            401   403     400     400     403     400    403
api:contacts                               401   403     400     400     403     400    403
api:assessments                            401   403     400     400     403     400    403
api:reviews                                401   403     400     400     403     400    403
api:outcomes                               401   403     400     400     403     400    403
api:case-notes                             401   403     403     403     403     400    403
api:report-network                         401   200     200     200     200     403    403
api:report-programme       401/401/404 200/404 200/404 200/404 200/404 200/403/404 403/403/404
api:report-provider        401/401/404 200/404 200/404 200/404 200/404 200/403/404 403/403/404
api:not-found                              404   404     404     404     404     404    404
# Intervention reports: as the API's reports; the public report is open to everyone.
reports:network                            login 200     200     200     200     403    403
reports:network-csv                        login 200     200     200     200     403    403
reports:programme           login/login/404 200/404 200/404 200/404 200/404 200/403/404 403/403/404
reports:programme-csv       login/login/404 200/404 200/404 200/404 200/404 200/403/404 403/403/404
reports:provider            login/login/404 200/404 200/404 200/404 200/404 200/403/404 403/403/404
reports:provider-csv        login/login/404 200/404 200/404 200/404 200/404 200/403/404 403/403/404
public-interventions:report                200   200     200     200     200     200    200
public-interventions:report-csv            200   200     200     200     200     200    200
# A provider's bulk upload: caseworkers only (their own organisation's rows).
interventions-upload:upload                login 403     403     403     403     200    403
# Open to everyone. Signing out is a POST. Start: where signing in leads (a redirect).
web:home                                   200   200     200     200     200     200    200
web:synthetic-data                         200   200     200     200     200     200    200
web:start                                  302   302     302     302     302     302    302
web:sign-in                                200   200     200     200     200     200    200
web:sign-out                               405   405     405     405     405     405    405
"""


# --- The table ---------------------------------------------------------------------------


def parse_table(text: str) -> dict[str, dict[str, str]]:
    """The table as {url: {column: cell}}; lines starting with # are comments."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line[0].startswith("#")]
    header, rows = lines[0], lines[1:]
    assert header[1:] == list(COLUMNS), f"the table's columns must be {list(COLUMNS)}"
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        assert len(row) == len(header), f"row {row[0]} needs {len(header) - 1} cells"
        assert row[0] not in table, f"row {row[0]} is in the table twice"
        table[row[0]] = dict(zip(header[1:], row[1:], strict=True))
    return table


EXPECTED = parse_table(EXPECTED_TABLE)


def render_table(rows: dict[str, dict[str, str]]) -> str:
    """Rows in the format of :data:`EXPECTED_TABLE`, to read or to paste."""
    header = ["url", *COLUMNS]
    lines = [header, *([key, *(cells[c] for c in COLUMNS)] for key, cells in rows.items())]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        " ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


# --- Every URL, with real and wrong parameters -------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route of a pattern without a name
    parts: tuple[str, ...]  # the route (or regex) of each level, from the root
    parameters: tuple[str, ...]


def routes() -> list[Route]:
    """Every URL pattern of the site, in the resolver's order."""
    found: list[Route] = []

    def walk(patterns: list[Any], parts: tuple[str, ...], namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            here = (*parts, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern.url_patterns, here, spaces)
            elif isinstance(pattern, URLPattern):
                key = ":".join((*namespaces, pattern.name)) if pattern.name else _route(here)
                names = tuple(n for part in here for n in _parameter_names(part))
                found.append(Route(key, here, names))

    walk(get_resolver().url_patterns, (), ())
    return found


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def _route(parts: tuple[str, ...]) -> str:
    """A pattern's route, ``<path:object_id>`` written ``<object_id>``."""
    return "".join(_CONVERTER.sub(lambda m: f"<{m.group(2)}>", part) for part in parts)


def _is_regex(part: str) -> bool:
    return part.startswith("^") or "(?P<" in part


def _parameter_names(part: str) -> list[str]:
    if _is_regex(part):
        return _GROUP.findall(part)
    return [m.group(2) for m in _CONVERTER.finditer(part)]


def _fill(parts: tuple[str, ...], values: dict[str, str]) -> str:
    """The URL of a route with these parameter values (as given, even if the route's
    converter would not match them: a malformed value is requested as it is)."""
    path = ""
    for part in parts:
        if _is_regex(part):
            part = _GROUP.sub(lambda m: quote(values[m.group(1)], safe="/"), part)
            part = part.removeprefix("^").removesuffix("$")
        else:
            part = _CONVERTER.sub(lambda m: quote(values[m.group(2)], safe=""), part)
        path += part
    return "/" + path


VARIANTS = ("real", "missing", "malformed")


def parameter_values(route: Route) -> dict[str, dict[str, str]]:
    """{variant: {parameter: value}} for a route with parameters."""
    model = _admin_model(route)
    real: dict[str, str] = {}
    missing: dict[str, str] = {}
    malformed: dict[str, str] = {}
    for name in route.parameters:
        if name in ("object_id", "id") and model is not None:
            real[name] = str(_first_pk(model))
            missing[name], malformed[name] = "987654321", "not an id"
        elif name == "object_id":  # the admin's view-on-site shortcut
            real[name] = str(_first_pk(User))
            missing[name], malformed[name] = "987654321", "not an id"
        elif name == "content_type_id":
            real[name] = str(ContentType.objects.get_for_model(User).pk)
            missing[name], malformed[name] = "987654321", "not an id"
        elif name == "app_label":
            real[name], missing[name], malformed[name] = "ingest", "nosuchapp", "no such app"
        elif name == "url":  # the admin's catch-all
            real[name], missing[name], malformed[name] = "nowhere/", "nowhere", "no where/"
        elif name == "csp_code":
            real[name] = services.partnerships(settings.VRN_NETWORK)[0].code
            missing[name], malformed[name] = "E22999999", "not a code"
        elif name == "measure_id":
            real[name], missing[name], malformed[name] = "serious_violence", "no_such", "not a slug"
        elif name == "by":
            real[name], missing[name], malformed[name] = "month", "nothing", "not a slug"
        elif name in ("pk", "participant_id"):  # a participant of the matrix caseworker's
            real[name] = str(Participant.objects.order_by("pk").values_list("pk", flat=True)[0])
            # Not found either: an id no database integer holds (not a server error).
            missing[name], malformed[name] = "987654321", "99999999999999999999"
        elif name in ("programme_code", "code", "provider_code"):  # a programme's or provider's
            first = Programme.objects.select_related("provider").order_by("pk")[0]
            provider = name == "provider_code" or (name == "code" and ":provider" in route.key)
            real[name] = first.provider.code if provider else first.code
            missing[name], malformed[name] = "no-such", "not a slug"
        elif name == "period":
            data = services.load(settings.VRN_NETWORK, services.network_scope(settings.VRN_NETWORK))
            real[name] = data.periods[0].key
            missing[name], malformed[name] = "1999-01-to-1999-12", "soon"
        else:
            raise AssertionError(
                f"{route.key}: no values for the parameter {name!r}; add them to "
                "parameter_values() in tests/site/test_access_matrix.py"
            )
    return {"real": real, "missing": missing, "malformed": malformed}


def _admin_model(route: Route) -> type[Any] | None:
    """The model of an admin page (``admin/<app>/<model>/...``), or None."""
    if len(route.parts) < 3 or route.parts[0] != "admin/":
        return None
    match = re.fullmatch(r"(\w+)/(\w+)/", route.parts[1])
    if not match:
        return None
    model = apps.get_model(match.group(1), match.group(2))
    return model if admin.site.is_registered(model) else None


def _first_pk(model: type[Any]) -> Any:
    first = model._default_manager.order_by("pk").first()
    assert first is not None, (
        f"no {model._meta.label} row to request its admin pages with: create one in "
        "site_data() in tests/site/test_access_matrix.py"
    )
    return first.pk


def url_variants() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every URL pattern (its key) with the URL of each parameter variant: one URL ("")
    for a pattern without parameters, else one per :data:`VARIANTS`."""
    found = []
    for route in routes():
        if not route.parameters:
            found.append((route.key, [("", _fill(route.parts, {}))]))
        else:
            values = parameter_values(route)
            found.append((route.key, [(v, _fill(route.parts, values[v])) for v in VARIANTS]))
    return found


# --- The matrix --------------------------------------------------------------------------

LOGIN_PAGES = (reverse("web:sign-in"), reverse("admin:login"))


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"].split("?")[0]
        if location.removeprefix("https://testserver") in LOGIN_PAGES:
            return "login"
    return str(status)


def site_data(tmp_path: Path) -> None:
    """At least one row of every table the admin shows, data.police.uk crime for the
    dashboard, and the demo's users."""
    from vrn.demo import setup

    from ..partners import REFERENCE
    from ..web.test_public_disclosure import load_small_files

    call_command("load_reference", str(REFERENCE), stdout=io.StringIO(), stderr=io.StringIO())
    context = LoadContext(loaded_by="tester", today=timezone.localdate())
    [street] = load_files(PoliceUkStreet(), [_street_file(tmp_path)], context)
    assert street.status == "loaded", street.message
    load_small_files(tmp_path, context)
    events.record("test.event", actor="tester", target="the access matrix")
    setup.create_demo_accounts()
    _participant()
    if apps.is_installed("axes"):
        _axes_rows()


def _participant() -> None:
    """A participant of the matrix caseworker's organisation (on its first programme, or
    one made for it)."""
    caseworker = User.objects.filter(groups__name=Role.PROVIDER_CASEWORKER.label).order_by("pk")[0]
    organisation = caseworker.organisation
    assert organisation is not None
    programme = Programme.objects.filter(provider=organisation).order_by("pk").first()
    if programme is None:
        programme = Programme.objects.create(
            code="matrix",
            name="The access matrix's programme",
            provider=organisation,
            prevention_level="secondary",
            period_start=dt.date(2024, 4, 1),
        )
    values = {
        "programme": programme,
        "case_reference": "M-1",
        "referral_date": dt.date(2024, 5, 1),
        "referral_source": "school",
        "consent_status": "given",
        "lawful_basis": "consent",
    }
    entry.new_participant(entry.actor_for(caseworker), values)


def _street_file(tmp_path: Path) -> Path:
    """A month of data.police.uk street-level crime in the reference fixture's Leicester."""
    header = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude"]
    header += ["Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category"]
    header += ["Context"]
    rows = [
        {
            "Crime ID": f"{i:064x}",
            "Month": "2024-01",
            "Reported by": "Leicestershire Police",
            "Falls within": "Leicestershire Police",
            "Longitude": "-1.151298",
            "Latitude": "52.625221",
            "Location": "On or near the Clock Tower",
            "LSOA code": "E01013776",
            "LSOA name": "Leicester 001A",
            "Crime type": "Violence and sexual offences",
        }
        for i in range(1, 13)
    ]
    return write_csv(tmp_path / "2024-01-leicestershire-street.csv", header, rows)


def _axes_rows() -> None:
    now = timezone.now()
    seen = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "someone"}
    seen |= {"http_accept": "*/*", "path_info": "/sign-in/", "attempt_time": now}
    for model in apps.get_app_config("axes").get_models():
        if not admin.site.is_registered(model) or model._default_manager.exists():
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
        model._default_manager.create(**{k: v for k, v in (seen | extra).items() if k in fields})


def clients() -> dict[str, Client]:
    """A client per column: a visitor, and each role's demo user signed in (with the
    purpose of access to participant records declared, as the pages ask first)."""
    found = {}
    for column, role in COLUMNS.items():
        client = Client()
        if role is not None:
            user = User.objects.filter(groups__name=role.label).order_by("pk").first()
            assert user is not None, f"no demo user has the role {role.label}"
            assert not user.is_superuser
            client.force_login(user)
            session = client.session
            session[PURPOSE_SESSION_KEY] = {"code": "casework", "at": timezone.now().isoformat()}
            session.save()
        found[column] = client
    return found


def measure() -> Iterator[tuple[str, str, list[str]]]:
    """(url key, column, outcome of each variant) for every cell."""
    users = clients()
    for key, variants in url_variants():
        for column, client in users.items():
            yield key, column, [outcome(client.get(url, secure=True)) for _, url in variants]


def _cell(outcomes: list[str]) -> str:
    """One outcome; "real/wrong" when the missing and malformed values give the same."""
    if len(set(outcomes)) == 1:
        return outcomes[0]
    if len(outcomes) == 3 and outcomes[1] == outcomes[2]:
        return "/".join(outcomes[:2])
    return "/".join(outcomes)


def _expected(cell: str, variants: int) -> list[str]:
    parts = cell.split("/")
    if len(parts) == 1:
        return parts * variants
    return [parts[0], parts[1], parts[1]] if len(parts) == 2 else parts


def test_every_url_has_a_row_and_every_row_a_url() -> None:
    """The quick half of the matrix, in any settings: a new URL needs a row in the table."""
    keys = [route.key for route in routes()]
    assert sorted(set(keys) - set(EXPECTED)) == [], "add these URLs to EXPECTED_TABLE"
    assert sorted(set(EXPECTED) - set(keys)) == [], "these rows of EXPECTED_TABLE have no URL"


@pytest.mark.django_db
def test_access_matrix(tmp_path: Path, pseudonym_key: str) -> None:
    """Run with production settings only (the outer test below starts it so)."""
    if not settings.PRODUCTION:
        pytest.skip("runs with VRN_ENV=production, in test_access_matrix_in_production")
    site_data(tmp_path)
    actual: dict[str, dict[str, str]] = {}
    cells = unexpected = 0
    wrong_rows: set[str] = set()
    for key, column, outcomes in measure():
        actual.setdefault(key, {})[column] = _cell(outcomes)
        cells += len(outcomes)
        expected = EXPECTED.get(key, {}).get(column)
        want = _expected(expected, len(outcomes)) if expected else None
        if want is None or len(want) != len(outcomes):
            misses = len(outcomes)
        else:
            misses = sum(a != b for a, b in zip(outcomes, want, strict=True))
        if misses:
            unexpected += misses
            wrong_rows.add(key)
    stale = sorted(set(EXPECTED) - set(actual))
    summary = {
        "database": connection.vendor,
        "urls": len(actual),
        "cells": cells,
        "unexpected": unexpected,
        "not_in_table": sorted(set(actual) - set(EXPECTED)),
        "stale_rows": stale,
        "wrong_rows": sorted(wrong_rows),
        "matrix": render_table(actual),
    }
    if report := os.environ.get("ACCESS_MATRIX_REPORT"):
        Path(report).write_text(json.dumps(summary, indent=1))
    assert not unexpected and not stale, (
        f"{unexpected} of {cells} cells differ from EXPECTED_TABLE (rows "
        f"{', '.join(sorted(wrong_rows))}); rows for URLs that no longer exist: {stale}. "
        "Measured:\n" + render_table({k: actual[k] for k in sorted(wrong_rows)})
    )


def _production_environment(tmp_path: Path, report: Path) -> dict[str, str]:
    """The production environment of the other subprocess tests, on this run's database
    (DATABASE_URL), with requests to ``testserver``."""
    variables = {"ALLOWED_HOSTS": "testserver", "ACCESS_MATRIX_REPORT": str(report)}
    if os.environ.get("DATABASE_URL"):
        variables["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if connection.vendor != "sqlite":
        # A test database of its own beside the one this run is using.
        variables["VRN_TEST_DATABASE_NAME"] = f"{connection.settings_dict['NAME']}_matrix"
    return production.environment(tmp_path / "data", **variables)


@pytest.mark.django_db
def test_access_matrix_in_production(tmp_path: Path) -> None:
    """Runs :func:`test_access_matrix` in a pytest subprocess with production settings."""
    if settings.PRODUCTION:
        pytest.skip("already in production settings: test_access_matrix runs here")
    report = tmp_path / "matrix.json"
    env = _production_environment(tmp_path, report)
    collect = subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert collect.returncode == 0, collect.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{__file__}::test_access_matrix",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "--show-capture=no",
            f"--basetemp={tmp_path / 'inner'}",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    summary = json.loads(report.read_text()) if report.exists() else {}
    print(
        f"access matrix ({summary.get('database')}, production settings): "
        f"{summary.get('urls')} URLs, {summary.get('cells')} cells, "
        f"{summary.get('unexpected')} unexpected"
    )
    if os.environ.get("ACCESS_MATRIX_PRINT"):
        print(summary.get("matrix", ""))
    assert result.returncode == 0 and "1 passed" in result.stdout, (
        result.stdout[-20000:] + result.stderr[-5000:]
    )

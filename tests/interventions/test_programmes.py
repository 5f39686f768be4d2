"""Programmes and their providers from plain entries: created once, updated in place,
checked against the definitions, nothing saved when an entry is wrong."""

from __future__ import annotations

import copy
import datetime as dt
import io
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from vrn.accounts.models import Organisation
from vrn.demo.setup import PROGRAMMES_FILE
from vrn.interventions.models import Programme
from vrn.interventions.programmes import ProgrammeError, upsert_programmes

pytestmark = pytest.mark.django_db


def _entries() -> list[dict[str, Any]]:
    with open(PROGRAMMES_FILE, "rb") as handle:
        entries: list[dict[str, Any]] = tomllib.load(handle)["programme"]
    return entries


def test_creates_programmes_and_providers_once() -> None:
    first = upsert_programmes(_entries())
    again = upsert_programmes(_entries())

    assert [p.pk for p in first] == [p.pk for p in again]
    assert Programme.objects.count() == 3
    vip = Programme.objects.get(code="VIP")
    assert vip.name == "Violence Intervention Project"
    assert (vip.provider.name, vip.provider.code, vip.provider.kind) == (
        "Turning Point",
        "turning-point",
        Organisation.Kind.PROVIDER,
    )
    assert vip.prevention_level == "tertiary"
    assert vip.evidence_approach == "ae_navigators"
    assert vip.scales == ["vrn_self_report_journey", "vrn_practitioner_journey"]
    assert vip.funding == Decimal("450000.00")
    assert (vip.period_start, vip.period_end) == (dt.date(2022, 4, 1), dt.date(2025, 3, 31))
    assert vip.synthetic is True
    assert "Continuing the Violence Intervention Project (VIP)" in vip.strategy_actions[0]
    assert {p.provider.code for p in Programme.objects.all()} == {
        "turning-point",
        "mvp-schools",
        "leicestershire-cares",
    }
    assert Organisation.objects.count() == 3


def test_updates_in_place_and_adopts_an_organisation_by_name() -> None:
    existing = Organisation.objects.create(name="Turning Point", kind=Organisation.Kind.HEALTH)
    entries = _entries()
    upsert_programmes(entries)
    entries[0]["capacity"] = 1200
    entries[0]["target_areas"] = []
    upsert_programmes(entries)

    vip = Programme.objects.get(code="VIP")
    assert vip.provider_id == existing.pk
    existing.refresh_from_db()
    assert (existing.code, existing.kind) == ("turning-point", Organisation.Kind.PROVIDER)
    assert (vip.capacity, vip.target_areas) == (1200, [])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("prevention_level", "quaternary", "programme UP: prevention_level is not one of"),
        ("scales", ["no_such_scale"], "programme UP: scales has unknown ids no_such_scale"),
        ("target_groups", ["everyone"], "programme UP: target_groups has unknown ids everyone"),
        ("evidence_approach", "magic", "programme UP: evidence_approach is not an approach"),
        ("period_end", dt.date(2020, 1, 1), "programme UP: period_end is before period_start"),
        ("funding", -5, "programme UP: funding must be an amount in pounds, not negative"),
        ("capacity", 1.5, "programme UP: capacity must be a whole number"),
        ("provider", {"code": "x"}, "programme UP: provider.name is required"),
    ],
)
def test_a_wrong_entry_names_its_field_and_saves_nothing(
    field: str, value: object, message: str
) -> None:
    entries = copy.deepcopy(_entries())
    entries[2][field] = value

    with pytest.raises(ProgrammeError, match=message):
        upsert_programmes(entries)
    assert not Programme.objects.exists()
    assert not Organisation.objects.exists()


def test_a_code_given_twice_is_refused() -> None:
    entries = _entries()
    with pytest.raises(ProgrammeError, match="programme VIP: code is given twice"):
        upsert_programmes([entries[0], entries[0]])


def test_the_command_loads_a_programmes_file_and_refuses_a_typo(tmp_path: Path) -> None:
    good = tmp_path / "programmes.toml"
    good.write_text(
        """
[[programme]]
code = "KNIFE"
name = "Knife crime education"
provider = { code = "youth-trust", name = "Youth Trust", kind = "provider" }
prevention_level = "primary"
period_start = 2025-04-01
funding = 20000
""",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("interventions", "programmes", str(good), stdout=out)
    assert "KNIFE: Knife crime education (Youth Trust)" in out.getvalue()
    assert Programme.objects.get(code="KNIFE").provider.code == "youth-trust"
    bad = tmp_path / "typo.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace("funding =", "fundng ="))
    with pytest.raises(CommandError, match="programme KNIFE: fundng is not a programme field"):
        call_command("interventions", "programmes", str(bad))
    with pytest.raises(CommandError, match=r"missing\.toml cannot be read"):
        call_command("interventions", "programmes", str(tmp_path / "missing.toml"))

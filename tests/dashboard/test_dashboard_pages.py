"""The serious violence dashboard on a loaded synthetic world: the overview's tiles are the
success measures' own figures, every breakdown has its table and a CSV of exactly what it
shows, Explore keeps its state in the URL and explains bad parameters, the public face
rounds and hides, and a load or a withdrawal is never served stale."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from vrn.accounts.roles import Role
from vrn.analytics.explore import Query, explore
from vrn.analytics.headlines import headlines
from vrn.analytics.stats import DEFAULT_POLICY
from vrn.dashboard import store
from vrn.ingest import withdrawal
from vrn.ingest.models import FileLoad

from ..profile.test_command import world
from .conftest import sign_in

__all__ = ["sign_in", "world"]

pytestmark = pytest.mark.django_db

LEICESTER_CSP = "E22000168"
SV, SV_U25 = "serious_violence", "serious_violence_u25"


def _csv(response: object) -> list[dict[str, str]]:
    content = response.content.decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(content)))


def test_the_overview_tiles_are_the_measures_figures(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    client = sign_in(Role.BOARD_MEMBER)
    html = client.get(reverse("dashboard:overview"), {"area": LEICESTER_CSP}).content.decode()
    events = store.current()
    tiles = {tile.measure: tile for tile in headlines(events.results[LEICESTER_CSP])}
    u25 = tiles[SV_U25]
    assert u25.change is not None
    assert f'<span class="vrn-tile__number">{u25.change.later_count:,}</span>' in html
    assert f"A year earlier: {u25.change.earlier_count:,}" in html
    assert reverse("dashboard:measure", args=[SV_U25]) + f"?area={LEICESTER_CSP}" in html
    assert 'class="vrn-sparkline"' in html
    month_csv = reverse("dashboard:measure-csv", args=[SV_U25, "month"]) + f"?area={LEICESTER_CSP}"
    assert month_csv in html
    assert "Data used on this page" in html and "Synthetic" in html


def test_a_measure_page_has_each_breakdown_with_its_table_and_csv(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    client = sign_in(Role.BOARD_MEMBER)
    html = client.get(reverse("dashboard:measure", args=[SV])).content.decode()
    for by in ("month", "csp", "victim_age_band", "victim_sex", "public_place", "weekday-hour"):
        url = reverse("dashboard:measure-csv", args=[SV, by])
        assert f'href="{url}"' in html, by
        rows = _csv(client.get(url))
        assert rows and all(row["measure"] == "Serious violence" for row in rows)
        assert all(row["definitions"].startswith("serious-violence@") for row in rows)
    by_csp = _csv(client.get(reverse("dashboard:measure-csv", args=[SV, "csp"])))
    result = explore(store.current(), Query(SV, by=("csp",)))
    assert [int(row["count"]) for row in by_csp] == list(result.table["count"])
    assert "Show the figures as a table" in html and "Trend" in html


def test_explore_keeps_its_state_in_the_url_and_its_csv_matches(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    client = sign_in(Role.ANALYST)
    params = {"measure": SV, "by": "victim_age_band", "weapon": "knife_or_sharp"}
    html = client.get(reverse("dashboard:explore"), params).content.decode()
    assert 'value="knife_or_sharp" checked' in html
    assert "Weapon: Knife or sharp instrument" in html
    rows = _csv(client.get(reverse("dashboard:explore-csv"), params))
    query = Query(SV, by=("victim_age_band",), filters={"weapon": frozenset({"knife_or_sharp"})})
    result = explore(store.current(), query)
    assert [int(row["count"]) for row in rows] == list(result.table["count"])
    assert {row["unit"] for row in rows} == {"victims"}
    everything = explore(store.current(), Query(SV, by=("victim_age_band",)))
    assert result.table["count"].sum() < everything.table["count"].sum()


def test_explore_explains_bad_parameters(world: Path, sign_in: Callable[..., Client]) -> None:
    client = sign_in(Role.ANALYST)
    response = client.get(
        reverse("dashboard:explore"), {"measure": "nothing", "from": "1999-01", "by": "colour"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error: " in html
    assert 'href="#measure">Choose a measure from the list' in html
    assert 'href="#from">Choose a month from' in html
    bad_csv = client.get(reverse("dashboard:explore-csv"), {"by": "colour"})
    assert bad_csv.status_code == 400


def test_the_public_face_rounds_hides_and_keeps_to_its_map_level(
    world: Path, client: Client
) -> None:
    rows = _csv(client.get(reverse("public:measure-csv", args=[SV, "csp"])))
    for row in rows:
        assert row["count"] == "*" or int(row["count"]) % 5 == 0
        assert row["disclosure_policy"] == DEFAULT_POLICY.description
        if row["count"] == "*":
            assert row["rate"] == "" and row["share"] == ""
    assert client.get(reverse("public:map"), {"level": "ward"}).status_code == 200
    refused = client.get(reverse("public:map"), {"level": "lsoa"}).content.decode()
    assert "The public map shows areas no smaller than wards" in refused
    assert client.get(reverse("public:map-csv"), {"level": "lsoa"}).status_code == 400
    assert client.get(reverse("dashboard:explore")).status_code == 302  # sign in first
    about = client.get(reverse("public:about")).content.decode()
    for link in (reverse("public:measure-csv", args=[SV, "month"]), reverse("public:map-csv")):
        assert link in about


def test_a_caseworker_sees_only_the_public_face(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    client = sign_in(Role.PROVIDER_CASEWORKER)
    assert client.get(reverse("dashboard:overview")).status_code == 403
    assert client.get(reverse("dashboard:explore-csv")).status_code == 403
    assert client.get(reverse("public:overview")).status_code == 200


def test_a_withdrawal_is_never_served_stale(world: Path, sign_in: Callable[..., Client]) -> None:
    client = sign_in(Role.ANALYST)
    url = reverse("dashboard:measure", args=["sharp_object_admissions"])
    assert "Hospital admissions" in client.get(url).content.decode()
    before = store.state_key()
    cached = list(store.cache_dir().glob("*.pickle"))
    assert len(cached) == 1
    admissions = FileLoad.objects.get(dataset="admissions", status=FileLoad.Status.CURRENT)
    withdrawal.withdraw([admissions.pk], actor="tester")
    assert store.state_key() != before
    assert client.get(url).status_code == 404  # the measure has no data now
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert "Hospital admissions for assault by a sharp object" not in overview
    assert not cached[0].exists()  # the old build is removed


def test_without_police_or_hospital_data_the_pages_say_so(
    sign_in: Callable[..., Client], client: Client
) -> None:
    for response in (
        sign_in(Role.BOARD_MEMBER).get(reverse("dashboard:overview")),
        client.get(reverse("public:map")),
    ):
        assert response.status_code == 200
        assert "No data to show yet" in response.content.decode()
    assert client.get(reverse("public:measure-csv", args=[SV, "month"])).status_code == 404


def test_warm_builds_the_data_and_renders_every_page_ahead_of_the_first_visitor(
    world: Path, sign_in: Callable[..., Client], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import call_command

    from vrn.dashboard import pages, sitemap

    out = io.StringIO()
    call_command("dashboard", "warm", "--no-progress", stdout=out)
    listed = sitemap.pages(store.current())
    assert f"{len(listed)} pages rendered" in out.getvalue()
    assert len(list(store.cache_dir().glob("*.pickle"))) == 1

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page was computed again")

    monkeypatch.setattr(pages, "tiles", not_again)
    monkeypatch.setattr(pages, "breakdown", not_again)
    board = sign_in(Role.BOARD_MEMBER)
    for page in listed:
        response = (board if page.signed_in else client).get(page.path)
        assert response.status_code == 200, page.path
    assert "Signed in as user" in board.get(reverse("dashboard:overview")).content.decode()


def test_each_page_names_the_data_it_uses(world: Path, client: Client) -> None:
    def used(url: str) -> str:
        html = client.get(url).content.decode()
        return html[html.index("Data used on this page") :]

    hospital = used(reverse("public:measure", args=["sharp_object_admissions"]))
    assert "Hospital admissions (violence-related): <time" in hospital
    assert "Force crime extract" not in hospital and "Census 2021" in hospital
    police = used(reverse("public:measure", args=[SV]))
    assert "Force crime extract (police-extract): <time" in police
    assert "Hospital admissions" not in police
    assert "Synthetic" in police  # the synthetic world is flagged
    overview = used(reverse("public:overview"))
    assert "Force crime extract" in overview and "Hospital admissions" in overview


@pytest.mark.parametrize("level", ["lsoa", "ward", "local_authority"])
def test_the_map_draws_every_area_of_its_level(
    world: Path, sign_in: Callable[..., Client], level: str
) -> None:
    from vrn.dashboard.boundaries import map_boundaries

    events = store.current()
    drawn = map_boundaries(events, level)
    codes = set(events.population[level].dropna().astype(str))
    assert drawn and set(drawn) <= codes
    html = sign_in(Role.ANALYST).get(reverse("dashboard:map"), {"level": level}).content.decode()
    assert html.count('class="vrn-chart__area ') == len(drawn)


def test_the_risk_page_compares_each_area_with_england(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    html = sign_in(Role.BOARD_MEMBER).get(reverse("dashboard:risk")).content.decode()
    findings = store.current().risk[""].findings
    per_area = [
        f for key, f in findings.items() if key.startswith("risk_factor_9") and key.count("_") > 2
    ]
    assert per_area
    for finding in per_area:
        assert finding.comparison_label in ("Better", "Worse", "Similar", "Higher", "Lower")
    assert html.count('class="govuk-tag govuk-tag--') >= len(per_area)
    assert "The deprivation gradient" in html and 'id="by-decile-title"' in html
    assert findings["deprivation_rates_by_decile"].sentence in html
    client = sign_in(Role.ANALYST)
    rows = _csv(client.get(reverse("dashboard:risk-csv")))
    data = findings["deprivation_rates_by_decile"].data
    assert [int(row["count"]) for row in rows] == [int(c) for c in data["count"]]
    assert reverse("dashboard:risk-csv") in html
    from vrn.dashboard.risk_page import GRADIENT

    for key in GRADIENT:  # those the fixture's few deciles allow
        assert key not in findings or findings[key].sentence in html


def test_a_filter_of_many_values_is_a_list_box(
    world: Path, sign_in: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vrn.dashboard import explore_form

    events = store.current()
    lsoas = explore_form.values_of(events, events.measure(SV), "lsoa")
    monkeypatch.setattr(explore_form, "MANY_VALUES", len(lsoas) - 1)  # the fixture has few
    chosen = lsoas[:2]
    params = {"measure": SV, "lsoa": chosen}
    html = sign_in(Role.ANALYST).get(reverse("dashboard:explore"), params).content.decode()
    assert 'class="govuk-select vrn-full-width vrn-list-box" id="lsoa" name="lsoa" multiple' in html
    assert 'id="weapon-1" name="weapon" type="checkbox"' in html  # a short list stays boxes
    for code in chosen:
        assert f'<option value="{code}" selected>' in html
    expected = explore(events, Query(SV, filters={"lsoa": frozenset(chosen)})).total
    assert f'<dd class="govuk-summary-list__value">{expected:,}</dd>' in html

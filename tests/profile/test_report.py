"""The problem profile as an HTML document and PDF, from a JSON-ready profile dict.

:func:`sample_profile` and :func:`sample_boundaries` build a realistic profile (every topic,
every chart kind, suppressed counts) to develop and test against.
"""

from __future__ import annotations

import copy
import math
import random
import re
import xml.etree.ElementTree as ET
import zlib
from typing import Any

import pytest
from django.utils.safestring import SafeString

from vrn.profile.report import format_value, render_html, render_pdf, report_context

DISCLOSURE = (
    "Counts from 1 to 4 are shown as *; other counts are rounded to the nearest 5. "
    "Totals are rounded separately."
)
AGE_BANDS = ("0-9", "10-14", "15-19", "20-24", "25-34", "35-49", "50-64", "65+")
WARDS = [f"E05{900000 + i}" for i in range(12)]
LSOAS = [f"E01{900000 + i}" for i in range(36)]


def _controlled(count: int) -> str:
    """A count as disclosure control publishes it."""
    if 1 <= count <= 4:
        return "*"
    return str(5 * round(count / 5))


def _rate_row(count: int, population: float, per: float = 1000) -> dict[str, Any]:
    rate = count / population * per
    spread = 1.96 * math.sqrt(max(count, 1)) / population * per
    return {
        "count": _controlled(count),
        "population": round(population),
        "rate": rate,
        "rate_lower": max(rate - spread, 0.0),
        "rate_upper": rate + spread,
    }


def _finding(id: str, topic: str, unit: str, value: Any, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": id,
        "title": id.replace("_", " ").capitalize(),
        "topic": topic,
        "value": value,
        "lower": None,
        "upper": None,
        "unit": unit,
        "sentence": f"Sentence of {id}.",
        "definition": f"Definition of {id}.",
        "method": "Wilson score interval",
        "period": "2023-01 to 2024-12",
        "area": "Testshire VRN",
        "numerator": None,
        "denominator": None,
        "denominator_label": "",
        "comparator": None,
        "comparator_value": None,
        "significance": None,
        "p_value": None,
        "definitions": ["serious-violence@3#1a2b3c4d"],
        "data": [],
        "counts": [],
        "notes": [],
    }
    base.update(fields)
    return base


def _square(lon: float, lat: float, width: float, height: float) -> list[list[float]]:
    return [
        [lon, lat],
        [lon + width, lat],
        [lon + width, lat + height],
        [lon, lat + height],
        [lon, lat],
    ]


def sample_boundaries() -> dict[str, dict[str, Any]]:
    """Wards in a 4 x 3 grid around Leicester, each split into 3 LSOAs; one ward is a
    MultiPolygon with a hole; the last LSOA has no boundary."""
    boundaries: dict[str, dict[str, Any]] = {}
    for i, code in enumerate(WARDS):
        lon, lat = -1.25 + (i % 4) * 0.06, 52.58 + (i // 4) * 0.04
        if i == 5:
            outer = _square(lon, lat, 0.06, 0.04)
            hole = _square(lon + 0.02, lat + 0.01, 0.01, 0.01)[::-1]
            islet = _square(lon + 0.065, lat + 0.045, 0.004, 0.003)
            boundaries[code] = {"type": "MultiPolygon", "coordinates": [[outer, hole], [islet]]}
        else:
            boundaries[code] = {"type": "Polygon", "coordinates": [_square(lon, lat, 0.06, 0.04)]}
        for j in range(3):
            lsoa = LSOAS[3 * i + j]
            if lsoa != LSOAS[-1]:
                ring = _square(lon + j * 0.02, lat, 0.02, 0.04)
                boundaries[lsoa] = {"type": "Polygon", "coordinates": [ring]}
    return boundaries


def sample_profile(synthetic: bool = True) -> dict[str, Any]:
    """A full profile: every topic, every chart, suppressed counts and a not-computed key."""
    rng = random.Random(20240701)
    months = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
    trend = [{"month": m, "count": _controlled(rng.randint(20, 60))} for m in months]
    trend[3]["count"] = "*"
    findings = [
        _finding(
            "success_knife_crime",
            "success",
            "percentage change",
            -12.4,
            title="Knife-enabled serious violence",
            sentence="Knife-enabled serious violence fell by 12.4% between 2023 and 2024.",
            data=trend,
            counts=["count"],
        ),
        _finding(
            "success_hospital_admissions",
            "success",
            "rate per 100,000 residents a year",
            31.2,
            lower=27.9,
            upper=34.8,
            title="Hospital admissions for assault with a sharp object",
            sentence="There were 31.2 hospital admissions per 100,000 residents a year.",
            data=[{"month": m, "count": _controlled(rng.randint(0, 9))} for m in months],
            counts=["count"],
        ),
        _finding(
            "u25_vs_25plus_rate_ratio",
            "perpetrators",
            "rate ratio",
            3.41,
            lower=3.02,
            upper=3.85,
            numerator=812,
            denominator=1430,
            denominator_label="crimes with a perpetrator of known age",
            comparator="residents aged 25 and over",
            comparator_value=1.0,
            significance="higher",
            p_value=0.00001,
            method="exact conditional rate ratio",
            sentence="Under-25s were 3.4 times as likely as residents aged 25 and over to be "
            "recorded as perpetrators of serious violence (95% CI 3.02 to 3.85).",
            data=[
                {"group": "under 25", "count": "810", "population": 301200},
                {"group": "25 and over", "count": "620", "population": 790400},
            ],
            counts=["count"],
        ),
        _finding(
            "repeat_victim_share",
            "victims",
            "proportion",
            0.138,
            lower=0.121,
            upper=0.157,
            numerator=342,
            denominator=2478,
            denominator_label="victim records",
            method="Wilson interval widened by the design effect (design effect 1.31)",
            sentence="14% (95% CI 12% to 16%) of victim records were of people recorded as a "
            "victim of at least one other crime.",
            data=[
                {
                    "breakdown": "victim_sex",
                    "group": "female",
                    "count": "150",
                    "share": 0.15,
                    "share_lower": 0.13,
                    "share_upper": 0.17,
                },
                {
                    "breakdown": "victim_sex",
                    "group": "male",
                    "count": "190",
                    "share": 0.13,
                    "share_lower": 0.11,
                    "share_upper": 0.15,
                },
                {
                    "breakdown": "victim_age_band",
                    "group": "65+",
                    "count": "*",
                    "share": None,
                    "share_lower": None,
                    "share_upper": None,
                },
            ],
            counts=["count"],
            notes=["People without a pseudonymised key are left out."],
        ),
        _finding(
            "victim_rates_by_age_sex",
            "victims",
            "group",
            "male 15-19",
            sentence="Males aged 15-19 were most at risk of being a victim of serious violence: "
            "6.51 per 1,000 a year (95% CI 5.63 to 7.49).",
            method="exact Poisson interval below 10 events, Byar's from 10",
            data=[
                {"age_band": band, "sex": sex, **_rate_row(count, population)}
                for band, base in zip(AGE_BANDS, (4, 60, 210, 170, 190, 150, 60, 3), strict=True)
                for sex, count, population in (
                    ("male", base, 16000.0),
                    ("female", base // 2, 15500.0),
                )
            ],
            counts=["count"],
        ),
        _finding(
            "day_hour_profile",
            "time",
            "hour of the day",
            22,
            sentence="Serious violence peaked at 22:00, on Saturday nights.",
            data=[
                {
                    "weekday": day,
                    "hour": hour,
                    "count": _controlled(
                        rng.randint(0, 6) + (20 if hour >= 20 and day >= 5 else 0)
                    ),
                }
                for day in range(1, 8)
                for hour in range(24)
            ],
            counts=["count"],
        ),
        _finding(
            "deprivation_rates_by_decile",
            "deprivation",
            "rate per 1,000 residents a year",
            2.8,
            lower=2.3,
            upper=3.4,
            comparator="least deprived decile",
            comparator_value=1.0,
            significance="higher",
            sentence="Residents of the most deprived tenth of areas were 2.8 times as likely "
            "to be victims as those of the least deprived (RII 2.8, 95% CI 2.3 to 3.4).",
            method="RII by simulation",
            data=[
                {"imd_decile": d, **_rate_row(max(2, 200 - 18 * d), 30000.0 + 500 * d)}
                for d in range(1, 11)
            ],
            counts=["count"],
        ),
    ]
    for kind, codes in (("ward", WARDS), ("lsoa", LSOAS)):
        rows = []
        for i, code in enumerate(codes):
            count = rng.randint(0, 80) if i % 7 else 90
            row = {
                "area": code,
                "name": f"{kind.upper()} {i + 1}",
                **_rate_row(count, rng.uniform(4000, 9000)),
            }
            row["significance"] = "High (0.025)" if i % 7 == 0 else "Not significant"
            rows.append(row)
        rows[1]["rate"] = rows[1]["rate_lower"] = rows[1]["rate_upper"] = None
        findings.append(
            _finding(
                f"rates_by_{kind}",
                "place",
                "rate per 1,000 residents a year",
                rows[0]["name"],
                sentence=f"{rows[0]['name']} had the highest rate of serious violence.",
                comparator="Testshire VRN",
                data=rows,
                counts=["count"],
            )
        )
    findings += [
        _finding(
            "ae_assault_attendances",
            "hospital",
            "rate per 100,000 residents a year",
            412.3,
            lower=398.1,
            upper=426.9,
            sentence="A&E attendances for assault: 412.3 per 100,000 residents a year.",
        ),
        _finding(
            "days_between_repeat_victimisation",
            "risk factors",
            "days",
            41.5,
            lower=33.0,
            upper=50.0,
            method="Student's t interval of the mean",
            sentence="Repeat victims were victims again after 41.5 days on average.",
        ),
    ]
    return {
        "title": "Serious violence problem profile",
        "area": {"code": "E99999999", "name": "Testshire VRN", "kind": "network"},
        "period": {"first": "2023-01", "last": "2024-12", "months": 24},
        "generated": "2025-03-14T09:30:00+00:00",
        "synthetic": synthetic,
        "disclosure": DISCLOSURE,
        "findings": {f["id"]: f for f in findings},
        "not_computed": {
            "knife_admissions_under_25": "needs hospital admissions (HES) for 2023-01 to "
            "2024-12, and none is loaded",
            "school_exclusions": "needs school exclusions <by pupil> & none is loaded",
        },
        "sources": [
            {
                "dataset": "police-extract",
                "rows": 48213,
                "first": "2023-01",
                "last": "2024-12",
                "synthetic": synthetic,
            },
            {
                "dataset": "census-2021-population",
                "rows": 5420,
                "first": None,
                "last": None,
                "synthetic": False,
            },
        ],
        "definitions": [
            {
                "name": "serious-violence",
                "version": "3",
                "sha256": "1a2b3c4d" + "e" * 56,
                "source": "Home Office Serious Violence Duty guidance",
                "id": "serious-violence@3#1a2b3c4d",
            },
            {
                "name": "age-bands",
                "version": "2024-04-01",
                "sha256": "9f" * 32,
                "source": "VRN analysts",
            },
        ],
        "topics": [
            ["success", "Home Office success measures"],
            ["victims", "Victims"],
            ["perpetrators", "Perpetrators"],
            ["place", "Place"],
            ["time", "Time"],
            ["deprivation", "Deprivation"],
            ["hospital", "Hospital data"],
            ["risk factors", "Risk factors"],
        ],
    }


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(sample_profile(), sample_boundaries())


def test_every_finding_sentence_is_in_the_report(html: str) -> None:
    import html as html_module

    text = html_module.unescape(html)
    for finding in sample_profile()["findings"].values():
        assert finding["sentence"] in text
    # Key findings come first, before any topic section.
    assert html.index('id="key-findings"') < html.index('id="topic-success"')


def test_synthetic_banner_only_for_synthetic_data(html: str) -> None:
    banner = 'class="vrn-report__synthetic"'
    assert banner in html and "SYNTHETIC data" in html
    real = render_html(sample_profile(synthetic=False), sample_boundaries())
    assert banner not in real
    assert "SYNTHETIC" not in real


def test_not_computed_reasons_are_listed_and_escaped(html: str) -> None:
    assert "needs hospital admissions (HES) for 2023-01 to 2024-12, and none is loaded" in html
    assert "school exclusions &lt;by pupil&gt; &amp; none is loaded" in html
    assert "<by pupil>" not in html


def test_no_scripts_and_nothing_fetched_from_elsewhere(html: str) -> None:
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    # The only absolute URL is the SVG namespace, which is a name, not a request.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"(src|href)=\"(?!#)", html)


def test_charts_are_inline_svg_of_each_kind(html: str) -> None:
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    for svg in svgs:
        ET.fromstring(svg)  # well-formed
    ids = {re.search(r'aria-labelledby="([^ "]+)-title', svg).group(1) for svg in svgs}  # type: ignore[union-attr]
    assert ids == {
        "chart-success-knife-crime",
        "chart-success-hospital-admissions",
        "chart-victim-rates-by-age-sex",
        "chart-day-hour-profile",
        "chart-deprivation-rates-by-decile",
        "chart-rates-by-ward",
        "chart-rates-by-lsoa",
    }
    ward_map = next(svg for svg in svgs if "chart-rates-by-ward-title" in svg)
    assert ward_map.count('class="vrn-chart__area ') == len(WARDS)
    lsoa_map = next(svg for svg in svgs if "chart-rates-by-lsoa-title" in svg)
    assert lsoa_map.count('class="vrn-chart__area ') == len(LSOAS) - 1  # one has no boundary
    assert "1 areas have no boundary and are not drawn" in lsoa_map


def test_counts_are_shown_exactly_as_given(html: str) -> None:
    context = report_context(sample_profile(), sample_boundaries())
    victims = next(s for s in context["sections"] if s["id"] == "topic-victims")
    repeat = next(f for f in victims["findings"] if f["id"] == "repeat_victim_share")
    cells = [text for row in repeat["table"]["rows"] for text, _ in row]
    assert cells[:3] == ["victim_sex", "female", "150"]
    assert "*" in cells and "15.0%" in cells
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">*</td>' in html
    assert DISCLOSURE in html
    day_hour = next(
        f for s in context["sections"] for f in s["findings"] if f["id"] == "day_hour_profile"
    )
    assert len(day_hour["table"]["rows"]) == 7 and len(day_hour["table"]["rows"][0]) == 25


def test_findings_tables_values_limits_and_comparators(html: str) -> None:
    assert "3.41" in html and "3.02 to 3.85" in html
    assert "residents aged 25 and over (1.00)" in html
    assert "higher (p = &lt;0.001)" in html
    assert "13.8%" in html and "12.1% to 15.7%" in html
    assert "1,430 crimes with a perpetrator of known age" in html


def test_definitions_sources_and_methods(html: str) -> None:
    assert "serious-violence@3#1a2b3c4d" in html
    assert "age-bands@2024-04-01#9f9f9f9f" in html
    assert "48,213" in html and "January 2023 to December 2024" in html
    assert "not dated" in html
    for method in ("Wilson", "Byar", "Exact conditional", "Student", "design effect", "SII"):
        assert method in html


def test_fragment_is_the_body_without_the_title_page(html: str) -> None:
    fragment = render_html(sample_profile(), sample_boundaries(), fragment=True)
    assert isinstance(fragment, SafeString)  # goes into the site's page unescaped
    assert "<html" not in fragment and "<style" not in fragment
    assert 'id="report-title"' not in fragment and 'class="vrn-report__synthetic"' not in fragment
    assert 'id="key-findings"' in fragment and "<svg " in fragment
    assert 'id="report-title"' in html


def test_a_profile_with_nothing_computed_still_renders() -> None:
    profile = copy.deepcopy(sample_profile())
    profile["findings"] = {}
    html = render_html(profile, {})
    assert "No finding could be computed" in html
    assert "needs hospital admissions" in html


def test_format_value_by_unit() -> None:
    assert format_value(0.5, "proportion") == "50.0%"
    assert format_value(3, "hour of the day") == "03:00"
    assert format_value(2.345, "rate per 1,000 residents a year") == "2.35"
    assert format_value(12.0, "percentage change") == "+12.0%"
    assert format_value("male 15-19", "group") == "male 15-19"


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: its /Type /Page objects, whether or not in compressed streams."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts)


def test_pdf_has_several_pages(html: str) -> None:
    pytest.importorskip("weasyprint")
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) > 1

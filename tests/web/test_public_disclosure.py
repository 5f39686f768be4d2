"""No page open to visitors publishes a small number: with small real partner files loaded
through the real pipeline, an anonymous crawl of every public page (found from the URL
resolver and from the links on the pages, with any CSV they link to) finds no count that
the default disclosure policy (the NHS HES rule) would not publish as it stands.

Every number in a page's text is taken for a count, except where the page says otherwise:
inside ``<time>``, or inside an element with the ``data-not-count`` attribute (a seed, a
file name, a year in a title, the policy's own footnote). In a CSV, the columns its header
names as counts (``count``, ``..._count``, ``rows``, ``crimes``) are checked. Numbers with
a decimal point are rates or intervals, which the rule exempts. A published count must be
a fixed point of the policy: publishing it again changes nothing (so 0, 10, 15, ... pass;
1 to 7, and 12, fail).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.analytics.stats.disclosure import DEFAULT_POLICY
from vrn.ingest.models import FileLoad
from vrn.ingest.pipeline import FileResult, LoadContext
from vrn.synth.models import SyntheticWorld

from ..health.test_admissions import GOOD as ADMISSION_ROW
from ..health.test_admissions import KEYED_HEADER
from ..health.test_istv import GOOD as ATTENDANCE_ROW
from ..health.test_istv import PLAIN_HEADER
from ..partners import PARTNERS, context, load, pseudonym_key, reference, write_csv
from ..site.test_access_matrix import site_data, url_variants

__all__ = ["context", "pseudonym_key", "reference"]

pytestmark = pytest.mark.django_db

# Valid rows of the format tests, with a person key instead of identifiers.
ADMISSIONS_HEADER, ADMISSION = KEYED_HEADER, ADMISSION_ROW
ISTV_HEADER, ATTENDANCE = PLAIN_HEADER, ATTENDANCE_ROW


def load_small_files(tmp_path: Path, context: LoadContext) -> dict[str, FileResult]:
    """Small partner files through the real pipeline: real admissions (3 rows and 1
    quarantined), real ED attendances (2 rows), the police extract fixtures (crimes, and
    people with person keys) and a synthetic ED file of 3 rows from a recorded world of 3
    crimes. Returns each load's result by name."""
    admissions = [
        {**ADMISSION, "episode_id": f"EP-{i}", "person_key": f"{i:x}" * 64} for i in (1, 2, 3, 4)
    ]
    admissions[3]["admission_method"] = "99"  # quarantined
    attendances = [{**ATTENDANCE, "attendance_id": f"ED-{i}"} for i in (1, 2)]
    synthetic = [
        {**ATTENDANCE, "attendance_id": f"SYN-{i}", "synthetic": "true"} for i in (1, 2, 3)
    ]
    synthetic_path = write_csv(tmp_path / "istv-synthetic.csv", ISTV_HEADER, synthetic)
    results = {
        "admissions": load(
            "admissions",
            write_csv(tmp_path / "admissions.csv", ADMISSIONS_HEADER, admissions),
            context,
        ),
        "istv": load("istv", write_csv(tmp_path / "istv.csv", ISTV_HEADER, attendances), context),
        "crimes": load("police-extract", PARTNERS / "police-crimes.csv", context),
        "people": load("police-extract", PARTNERS / "police-people.csv", context),
        "synthetic": load("istv", synthetic_path, context),
    }
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(results, "loaded")
    assert [results[n].rows_loaded for n in ("admissions", "istv", "synthetic")] == [3, 2, 3]
    assert results["admissions"].rows_quarantined == 1
    sha256 = FileLoad.objects.get(pk=results["synthetic"].load_id).sha256
    SyntheticWorld.objects.create(
        directory=str(tmp_path / "synthetic" / "seed-4"),
        seed="4",
        mode="augmented",
        crimes=3,
        command="vrn synth --mode augmented --seed 4 --out DIR",
        files={"istv.csv": sha256},
        rows={"istv.csv": 3},
        written_at=datetime(2024, 7, 1, tzinfo=UTC),
    )
    return results


# --- Reading the numbers a page publishes ------------------------------------------------

#: A number standing on its own (not part of a code such as E06000016 or LE3): digits with
#: optional thousands separators and decimals.
NUMBER = re.compile(r"(?<![\w.,-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,-])|(?<![\w.,-])\d+(?:\.\d+)?")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


class _Text(HTMLParser):
    """The text of a page (the title included; scripts and styles not), skipping what is
    inside ``<time>`` and ``[data-not-count]``; and the links (``<a href>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is skipped)
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "a" and names.get("href"):
            self.links.append(str(names["href"]))
        if tag in VOID:
            return
        inherited = bool(self.stack and self.stack[-1][1])
        skipped = tag in {"time", "script", "style"} or "data-not-count" in names
        self.stack.append((tag, inherited or skipped))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.text.append(data)


def page_numbers(html: str) -> tuple[list[str], list[str]]:
    """Every number in the page's text, as written, and the page's links."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return NUMBER.findall(" ".join(parser.text)), parser.links


#: The columns of a CSV that hold counts: the header names them (codes of months, hours
#: or deciles, rates and limits are numbers that are not counts).
COUNT_COLUMNS = re.compile(r"(count|.*_count|rows|crimes)")


def csv_numbers(content: str) -> list[str]:
    """Every cell of a CSV's count columns (below its header) that is a number."""
    rows = list(csv.reader(io.StringIO(content)))
    if not rows:
        return []
    columns = [i for i, name in enumerate(rows[0]) if COUNT_COLUMNS.fullmatch(name.strip())]
    return [
        row[i].strip()
        for row in rows[1:]
        for i in columns
        if i < len(row) and NUMBER.fullmatch(row[i].strip())
    ]


def unpublishable(numbers: list[str]) -> list[str]:
    """The numbers (as written) that the default policy would not publish as they stand:
    whole numbers it would hide or round; decimals (rates, intervals) are exempt."""
    counts = [n for n in numbers if "." not in n]
    if not counts:
        return []
    values = [int(n.replace(",", "")) for n in counts]
    published = DEFAULT_POLICY.apply(pd.DataFrame({"n": values}), "n")["n"]
    return [
        n for n, value, shown in zip(counts, values, published, strict=True) if shown != str(value)
    ]


# --- The crawl -------------------------------------------------------------------------


def public_start_urls() -> list[str]:
    """Every URL pattern of the site with every variant of its parameters (see the access
    matrix), so that pages no link reaches are crawled too."""
    return [url for _, variants in url_variants() for _, url in variants]


def crawl(client: Client, start: list[str], limit: int = 2000) -> Iterator[tuple[str, object]]:
    """Each URL reached from ``start`` by following links and redirects within the site,
    with its response (GET, as a visitor)."""
    queue, seen = list(start), set(start)
    while queue:
        url = queue.pop(0)
        assert len(seen) <= limit, "the crawl does not end: too many URLs"
        response = client.get(url, secure=True)
        yield url, response
        found: list[str] = []
        if response.status_code in (301, 302, 303, 307, 308):
            found.append(response["Location"])
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found += page_numbers(response.content.decode())[1]
        for link in found:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.path.startswith("/static/"):
                continue
            # A sign-in page differs by its ?next= only in a hidden field: crawled once.
            query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "next"])
            local = parts.path + (f"?{query}" if query else "")
            if local not in seen:
                seen.add(local)
                queue.append(local)


def check_public_pages(client: Client) -> tuple[list[str], dict[str, list[str]]]:
    """The URLs of the pages and CSV files a visitor can read, and the unpublishable
    numbers on each."""
    public, problems = [], {}
    for url, response in crawl(client, public_start_urls()):
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "text/html" in kind:
            numbers = page_numbers(response.content.decode())[0]
        elif "text/csv" in kind:
            numbers = csv_numbers(response.content.decode())
        else:
            continue
        public.append(url)
        if bad := unpublishable(numbers):
            problems[url] = bad
    return public, problems


def test_no_public_page_publishes_a_small_or_unrounded_count(
    client: Client, tmp_path: Path
) -> None:
    # The small files of load_small_files, a row in every table the admin shows, a month
    # of street-level crime for the dashboard, and the demo's users.
    site_data(tmp_path)

    public, problems = check_public_pages(client)

    assert problems == {}
    page = reverse("web:synthetic-data")
    assert {reverse("web:home"), page, reverse("web:sign-in"), reverse("admin:login")} <= set(
        public
    )
    # The small counts are there, as the policy shows them: suppressed.
    text = _text(client.get(page, secure=True).content.decode())
    assert "admissions *" in text and "istv *" in text
    assert "ED assault attendances Synthetic *" in text
    assert "augmented, * crimes" in text
    assert DEFAULT_POLICY.description in text


def test_exact_counts_are_for_users_who_may_see_the_record_of_loads(
    client: Client,
    make_user: Callable[..., User],
    reference: None,
    context: LoadContext,
    pseudonym_key: str,
    tmp_path: Path,
) -> None:
    load_small_files(tmp_path, context)
    page = reverse("web:synthetic-data")

    client.force_login(make_user("board", Role.BOARD_MEMBER))
    assert "admissions *" in _text(client.get(page).content.decode())

    client.force_login(make_user("admin", Role.ADMINISTRATOR))
    text = _text(client.get(page).content.decode())
    assert "admissions 1 3" in text and "istv 1 2" in text  # files, rows
    assert "ED assault attendances Synthetic 3" in text
    assert "Files loaded 1" in text


@pytest.mark.parametrize(
    ("numbers", "bad"),
    [
        (["0", "10", "15", "1,235", "2.5", "0.1"], []),
        (["1", "3", "7", "5", "8", "12", "1,234"], ["1", "3", "7", "5", "8", "12", "1,234"]),
    ],
)
def test_the_check_finds_small_and_unrounded_counts(numbers: list[str], bad: list[str]) -> None:
    assert unpublishable(numbers) == bad


def test_numbers_are_read_from_the_text_but_not_from_times_and_marked_elements() -> None:
    html = (
        "<html><head><title>3 things</title><script>var a = 4;</script></head><body>"
        '<p>Rows 12<br>of E06000016 in LE3, 2.5 per 1,000</p><time datetime="x">1 May</time>'
        '<span data-not-count>Seed <b>6</b></span><a href="/next/">1,234 more</a></body></html>'
    )
    numbers, links = page_numbers(html)
    assert numbers == ["3", "12", "2.5", "1,000", "1,234"]
    assert links == ["/next/"]
    table = "area,decile_code,count,rate,rows\nE06000016,1,3,2.5,12\nE06000017,2,10,,\n"
    assert csv_numbers(table) == ["3", "12", "10"]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())

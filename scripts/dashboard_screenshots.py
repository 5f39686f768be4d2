"""Screenshots of each page type of the dashboard for docs/dashboard.md.

Usage (from the checkout, with the demo served: ``make demo``, or ``vrn demo --no-serve``
then ``vrn serve``)::

    .venv/bin/python scripts/dashboard_screenshots.py [--base-url http://127.0.0.1:8000]
        [--username board --password demo-board] [--out docs/images]

Signs in through the real sign-in page in headless Chromium (Debian's package) and saves
a whole-page PNG per page type and face, reduced to 256 colours so the docs stay small.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import django

ROOT = Path(__file__).resolve().parent.parent
#: (file name, path, signed in): one of each page type and face, for Leicester's CSP where
#: the page has an area.
CSP = "E22000168"
PAGES = [
    ("overview-signed-in", f"/dashboard/?area={CSP}", True),
    ("overview-public", "/public/", False),
    ("measure-signed-in", f"/dashboard/measure/serious_violence_u25/?area={CSP}", True),
    ("measure-public", "/public/measure/serious_violence_u25/", False),
    (
        "explore-signed-in",
        "/dashboard/explore/?"
        + urlencode([("measure", "serious_violence_u25"), ("area", CSP), ("by", "ward")]),
        True,
    ),
    ("map-signed-in", "/dashboard/map/?level=lsoa", True),
    ("map-public", "/public/map/?level=ward", False),
    ("risk-signed-in", "/dashboard/risk-factors/", True),
    ("about-public", "/public/about/", False),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="board")
    parser.add_argument("--password", default="demo-board")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrn.site.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from PIL import Image
    from tests.web.browser import chromium_driver, require_chromium, sign_in

    require_chromium()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        for signed_in in (False, True):
            with chromium_driver(Path(profile) / str(signed_in)) as driver:
                if signed_in:
                    sign_in(driver, args.base_url, args.username, args.password)
                for name, path, needs_sign_in in PAGES:
                    if needs_sign_in != signed_in:
                        continue
                    driver.get(f"{args.base_url}{path}")
                    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
                    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"]}
                    shot = driver.execute_cdp_cmd(
                        "Page.captureScreenshot",
                        {
                            "format": "png",
                            "captureBeyondViewport": True,
                            "clip": clip | {"scale": 1},
                        },
                    )
                    image = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
                    target = args.out / f"dashboard-{name}.png"
                    image.quantize(colors=256).save(target, optimize=True)
                    print(f"{target.relative_to(ROOT)}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()

"""Take the screenshots of the static site for docs/site.md into this folder.

Run from anywhere: ``python docs/img/make_site_pictures.py`` (needs the
``site`` extra, Playwright and Chromium, as the browser tests do). It builds the
HCMC site with its DTI page into a temporary folder and photographs the home
page and indicator 3.1 at desktop (1280 px) and phone (360 px) width.
Existing pictures are replaced; PNGs are reduced to a 256-colour palette.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

import dxplan as dx
from dxplan.render.site import build_site

HERE = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
SHOTS = (
    ("en/index.html", 1280, 1100, "site_home_en.png"),
    ("en/indicator/3.1.html", 1280, 1100, "site_indicator_3_1_en.png"),
    ("vi/indicator/3.1.html", 360, 1500, "site_indicator_3_1_vi_phone.png"),
)


def main() -> None:
    """Build the site and write site_home_en.png and the two pictures of indicator 3.1."""
    plan = dx.load_plan("hcmc-2024")
    chromium = os.environ.get("DXPLAN_CHROMIUM") or shutil.which("chromium") or "chromium"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        out = Path(folder) / "site"
        build_site(
            plan,
            dx.bundled_observations("hcmc-2024", plan),
            out,
            index=dx.indices.dti_922(),
            data=dx.datasets.dti_2022(),
        )
        browser = driver.chromium.launch(executable_path=chromium, args=ARGS)
        for page_name, width, height, picture in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((out / page_name).as_uri(), wait_until="load")
            path = HERE / picture
            page.screenshot(path=str(path))
            page.close()
            with Image.open(path) as image:
                small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
            small.save(path, optimize=True)
            print(f"{picture}: {path.stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    main()

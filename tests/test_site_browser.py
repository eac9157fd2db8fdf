"""The HCMC site in a real browser: headless Chromium (Debian's package) driven by Playwright.

Every page is loaded from ``file://``: no console error, every link resolves,
the language switch leads to the same page in the other language, every chart
has its text alternative, headings come in order, nothing is wider than a
320 px screen, text has a contrast of 4.5:1 or more, print hides the menus.
Screenshots at 1280 px and 360 px are saved under ``test-artifacts/site/``
(ignored by git).

The tests skip, saying why, only where Chromium or Playwright is missing;
``.ci/run`` installs Chromium. Playwright's own browser download is never used.
"""

from __future__ import annotations

import itertools
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

import dxplan as dx
from dxplan.render.site import build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "site"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    found = os.environ.get("DXPLAN_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan = dx.load_plan("hcmc-2024")
    out = tmp_path_factory.mktemp("browser") / "hcmc"
    build_site(
        plan,
        dx.bundled_observations("hcmc-2024", plan),
        out,
        index=dx.indices.dti_922(),
        data=dx.datasets.dti_2022(),
    )
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the browser tests need playwright (pip install playwright; in the test group)")
    executable = _chromium()
    if executable is None:
        pytest.skip(
            "the browser tests need Chromium: apt-get install chromium chromium-driver "
            "(.ci/run does), or set DXPLAN_CHROMIUM to its path"
        )
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _path_of(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


# Reads the live page: links (SVG ones too), charts' text alternatives, headings,
# whether anything is wider than the window, and the language switch.
_INSPECT = """() => {
  const links = Array.from(document.querySelectorAll('a[href], link[href]')).map(a =>
    new URL(a.getAttribute('href'), document.baseURI).href);
  const charts = Array.from(document.querySelectorAll('svg')).map(svg => {
    const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    return {
      role: svg.getAttribute('role'),
      texts: ids.map(id => (document.getElementById(id) || {textContent: ''}).textContent.trim()),
    };
  });
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .map(h => Number(h.tagName[1]));
  const other = document.querySelector('nav.languages a[hreflang]');
  return {
    lang: document.documentElement.lang,
    links, charts, headings,
    landmarks: ['header', 'main', 'footer', 'nav'].map(t => document.querySelectorAll(t).length),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    switchTo: other ? other.getAttribute('hreflang') : null,
  };
}"""

# WCAG 2 contrast of every visible piece of text against the background behind it.
_CONTRAST = """() => {
  const parse = c => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null;
    const p = m[1].split(',').map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const channel = v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const behind = el => { for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor); if (c && c.a > 0) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode; if (!node.textContent.trim()) continue;
    const el = node.parentElement; const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const fg = parse(el instanceof SVGElement ? style.fill : style.color); if (!fg) continue;
    const a = luminance(fg), b = luminance(behind(el));
    found.push({text: node.textContent.trim().slice(0, 40),
                ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
  }
  return found;
}"""


class TestEveryPage:
    """All 73 pages of the HCMC site with its DTI page."""

    def test_pages_load_link_switch_and_label_their_charts(
        self, site: Path, browser: Browser
    ) -> None:
        """No console error, no broken link, the switch keeps the page, charts are labelled,
        headings in order, landmarks, and nothing wider than the window at 1280 px and 320 px."""
        pages = sorted(site.rglob("*.html"))
        assert len(pages) == 73
        problems: list[str] = []
        charts = 0
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda r: errors.append(f"failed to load {r.url}"))
        for path in pages:
            name = path.relative_to(site).as_posix()
            errors.clear()
            page.goto(path.as_uri(), wait_until="load")
            seen: dict[str, Any] = page.evaluate(_INSPECT)
            problems += [f"{name}: console: {e}" for e in errors]
            for link in seen["links"]:
                target = _path_of(link)
                if not link.startswith("file:") or not target.is_file():
                    problems.append(f"{name}: broken link {link}")
            for chart in seen["charts"]:
                charts += 1
                title, desc = (chart["texts"] + ["", ""])[:2]
                if chart["role"] != "img" or not title or not any(c.isdigit() for c in desc):
                    problems.append(f"{name}: chart without its title and numbers: {chart}")
            levels = seen["headings"]
            if levels[:1] != [1] or any(b - a > 1 for a, b in itertools.pairwise(levels)):
                problems.append(f"{name}: headings out of order {levels}")
            if seen["overflow"] > 0:
                problems.append(f"{name}: {seen['overflow']} px wider than 1280 px")
            # A small phone: wide tables stack and charts shrink; nothing scrolls sideways.
            page.set_viewport_size({"width": 320, "height": 640})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{name}: {overflow} px wider than 320 px")
            page.set_viewport_size({"width": 1280, "height": 900})
            if name == "index.html":
                continue
            header, main, footer, navs = seen["landmarks"]
            if (header, main, footer) != (1, 1, 1) or navs < 2:
                problems.append(f"{name}: landmarks {seen['landmarks']}")
            lang, other = name.split("/", 1)
            if seen["lang"] != lang:
                problems.append(f"{name}: html lang {seen['lang']}")
            page.click("nav.languages a[hreflang]")
            page.wait_for_load_state("load")
            arrived = _path_of(page.url).relative_to(site).as_posix()
            if arrived != f"{seen['switchTo']}/{other}" or seen["switchTo"] == lang:
                problems.append(f"{name}: the language switch leads to {arrived}")
            elif page.evaluate("document.documentElement.lang") != seen["switchTo"]:
                problems.append(f"{name}: the switched page is not in {seen['switchTo']}")
        context.close()
        assert problems == []
        # per language: the home page's bars, 5 indicators with data, 11 task graphs
        assert charts == 2 * (1 + 5 + 11)


class TestReading:
    """Contrast, print and screenshots of the pages a reader opens first."""

    PAGES = (
        "en/index.html",
        "vi/index.html",
        "en/indicator/3.1.html",
        "vi/indicator/3.1.html",
        "en/task/T09.html",
        "vi/ranking.html",
    )

    def test_text_contrast_is_at_least_4_5(self, site: Path, browser: Browser) -> None:
        """Every visible text, at both widths, has a WCAG contrast of 4.5:1 or more."""
        low = []
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name in self.PAGES:
                page.goto((site / name).as_uri(), wait_until="load")
                for item in page.evaluate(_CONTRAST):
                    if item["ratio"] < 4.5:
                        low.append((name, width, item["text"], round(item["ratio"], 2)))
            context.close()
        assert low == []

    def test_print_leaves_out_the_navigation(self, site: Path, browser: Browser) -> None:
        """Printed, a page shows its content without the menus and the skip link."""
        page = browser.new_page()
        page.goto((site / "en/indicator/3.1.html").as_uri(), wait_until="load")
        page.emulate_media(media="print")
        shown = page.evaluate(
            "Array.from(document.querySelectorAll('nav, .skip'))"
            ".map(e => getComputedStyle(e).display)"
        )
        assert set(shown) == {"none"}
        assert page.evaluate("getComputedStyle(document.querySelector('main')).display") == "block"
        page.close()

    def test_screenshots_at_desktop_and_phone_width(self, site: Path, browser: Browser) -> None:
        """Full-page PNGs at 1280 px and 360 px, kept in test-artifacts/site/."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            for name in self.PAGES:
                page.goto((site / name).as_uri(), wait_until="load")
                target = ARTIFACTS / f"{name.replace('/', '_').removesuffix('.html')}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                header = target.read_bytes()[:24]
                assert header[:8] == b"\x89PNG\r\n\x1a\n"
                assert struct.unpack(">I", header[16:20])[0] == width
            context.close()

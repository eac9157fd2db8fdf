"""The static site: its pages, what they say, and how it is written (tests/test_site_browser.py
loads the same site in a real browser)."""

from __future__ import annotations

import itertools
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import dxplan as dx
from dxplan.cli import main
from dxplan.errors import FileFormatError, InvalidValueError
from dxplan.plan.model import Indicator, IndicatorGroup, Link, Plan, Provenance, Target, Task
from dxplan.plan.observations import Observation, Observations
from dxplan.render.site import MANIFEST, SiteSummary, build_site
from dxplan.text import Label
from dxplan.units import Unit


@attrs.define
class _Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class _Collector(HTMLParser):
    """Every element of a page with its attributes and its whole text."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self._open: list[_Element] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.handle_data(" ")  # tags separate words, as a browser's layout does
        element = _Element(tag, {k: v or "" for k, v in attributes})
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.elements.append(_Element(tag, {k: v or "" for k, v in attributes}))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break
        self.handle_data(" ")

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data


def _parse(path: Path) -> list[_Element]:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.elements


def _all(elements: list[_Element], tag: str) -> list[_Element]:
    return [e for e in elements if e.tag == tag]


def _one(elements: list[_Element], tag: str, **wanted: str) -> _Element:
    found = [
        e for e in elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in wanted.items())
    ]
    assert len(found) == 1, (tag, wanted, found)
    return found[0]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def observed(hcmc: dx.Plan) -> Observations:
    return dx.bundled_observations("hcmc-2024", hcmc)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, hcmc: dx.Plan, observed: Observations
) -> tuple[Path, SiteSummary]:
    out = tmp_path_factory.mktemp("site") / "hcmc"
    summary = build_site(
        hcmc, observed, out, index=dx.indices.dti_922(), data=dx.datasets.dti_2022()
    )
    return out, summary


def _expected_pages(plan: dx.Plan, langs: tuple[str, ...], ranking: bool) -> set[str]:
    pages = {"index.html"}
    for lang in langs:
        pages.add(f"{lang}/index.html")
        pages.update(f"{lang}/group/{g.id}.html" for g in plan.groups)
        pages.update(f"{lang}/indicator/{i.id}.html" for i in plan.indicators)
        pages.update(f"{lang}/task/{t.id}.html" for t in plan.tasks)
        if ranking:
            pages.add(f"{lang}/ranking.html")
    return pages


class TestPages:
    """One page per plan element and language, and the index page."""

    def test_every_element_has_a_page_in_each_language(
        self, built: tuple[Path, SiteSummary], hcmc: dx.Plan
    ) -> None:
        """HCMC: 2 × (home + 4 groups + 19 indicators + 11 tasks + ranking) + the root = 73."""
        out, summary = built
        pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
        assert pages == _expected_pages(hcmc, ("vi", "en"), ranking=True)
        assert summary.pages == 73
        assert summary.files == 74  # and the stylesheet
        assert summary.langs == ("vi", "en")
        assert summary.bytes == sum(
            p.stat().st_size for p in out.rglob("*") if p.is_file() and p.name != MANIFEST
        )

    def test_nothing_is_fetched_from_elsewhere(self, built: tuple[Path, SiteSummary]) -> None:
        """No page loads a script or anything from another host: it works from file://."""
        out, _ = built
        for page in out.rglob("*.html"):
            elements = _parse(page)
            assert _all(elements, "script") == [], page
            for element in elements:
                for name in ("src", "href"):
                    link = element.attrs.get(name, "")
                    assert "://" not in link, (page, link)
                    assert not link.startswith("//"), (page, link)

    def test_every_internal_link_resolves(self, built: tuple[Path, SiteSummary]) -> None:
        """Every link of every page (SVG ones too) names a file of the site."""
        out, _ = built
        for page in out.rglob("*.html"):
            folder = page.parent.relative_to(out).as_posix()
            for element in _parse(page):
                link = element.attrs.get("href")
                if element.tag in ("a", "link") and link and not link.startswith("#"):
                    target = posixpath.normpath(posixpath.join(folder, link.split("#")[0]))
                    assert (out / target).is_file(), (page, link)


class TestIndicatorPage:
    """Indicator 3.1 (digital economy ≥ 25 % of GRDP by 2024), from the bundled observations."""

    def test_target_status_and_gap_in_english(self, built: tuple[Path, SiteSummary]) -> None:
        """22 % of 25 % is 88.0 % attained, 3 percentage points short, with its R = 0.72."""
        out, _ = built
        text = _words(_one(_parse(out / "en/indicator/3.1.html"), "main").text)
        assert "3.1 Digital economy share of GRDP" in text
        assert "Whole indicator ≥ 25 % 2024 22 % (2024) needs acceleration 88.0 %" in text
        assert "3 percentage points short" in text
        # R = CAGR 2021→2024 actual / required: ((22/15.38)^(1/3) − 1) / ((25/15.38)^(1/3) − 1)
        ratio = ((22 / 15.38) ** (1 / 3) - 1) / ((25 / 15.38) ** (1 / 3) - 1)
        assert f"Progress ratio R {ratio:.2f}" in text
        assert "T09 Digital economy" in text

    def test_numbers_in_vietnamese_use_the_decimal_comma(
        self, built: tuple[Path, SiteSummary]
    ) -> None:
        """The same page in Vietnamese: 88,0 %, 15,38 %, R 0,72, "cần đẩy nhanh".

        The sources are citations, quoted as they were written (in English).
        """
        out, _ = built
        elements = _parse(out / "vi/indicator/3.1.html")
        text = _words(_one(elements, "main").text)
        for source in (e for e in elements if e.attrs.get("class") == "source"):
            text = text.replace(_words(source.text), "")
        for expected in ("88,0 %", "15,38 %", "18,66 %", "21,5 %", "0,72", "cần đẩy nhanh"):
            assert expected in text
        for english in ("88.0", "15.38 %", "needs acceleration"):
            assert english not in text

    def test_series_table_lists_each_value_with_its_source(
        self, built: tuple[Path, SiteSummary], observed: Observations
    ) -> None:
        """One row per observation of 3.1: year, value, the CSV's source column."""
        out, _ = built
        elements = _parse(out / "en/indicator/3.1.html")
        rows = [_words(r.text) for r in _all(elements, "tr") if r.text.strip()[:4].isdigit()]
        expected = [
            f"{o.period} {o.value:g} % {o.source}" for o in observed.series("ho-chi-minh", "3.1")
        ]
        assert rows == expected
        assert len(rows) == 4

    def test_chart_draws_the_series_and_the_target_line(
        self, built: tuple[Path, SiteSummary]
    ) -> None:
        """Coordinates by hand: x 56 + (year − 2021)·132; y 236 − 7.2·value on a 0–30 % axis."""
        out, _ = built
        elements = _parse(out / "en/indicator/3.1.html")
        svg = _one(elements, "svg")
        assert svg.attrs["role"] == "img"
        assert _one(elements, "polyline").attrs["points"] == (
            "56,125.3 188,101.6 320,81.2 452,77.6"
        )
        target = _one(elements, "line", **{"class": "target"})
        assert (target.attrs["y1"], target.attrs["y2"]) == ("56.0", "56.0")
        assert [
            t.text.strip() for t in elements if t.tag == "text" and t.text.strip().endswith(" %")
        ][:4] == [
            "0 %",
            "10 %",
            "20 %",
            "30 %",
        ]

    def test_chart_has_its_numbers_in_title_and_desc(self, built: tuple[Path, SiteSummary]) -> None:
        """The chart's text alternative says every value and the target."""
        out, _ = built
        elements = _parse(out / "en/indicator/3.1.html")
        svg = _one(elements, "svg")
        title_id, desc_id = svg.attrs["aria-labelledby"].split()
        assert _one(elements, "title", id=title_id).text.strip() == (
            "3.1 Digital economy share of GRDP: ≥ 25 %"
        )
        assert _one(elements, "desc", id=desc_id).text.strip() == (
            "Observed values: 15.38 % (2021), 18.66 % (2022), 21.5 % (2023), 22 % (2024). "
            "Target ≥ 25 %."
        )

    def test_a_target_without_data_says_so_and_draws_nothing(
        self, built: tuple[Path, SiteSummary]
    ) -> None:
        """2.7 has three targets and no data: three "no data" notes, no chart."""
        out, _ = built
        elements = _parse(out / "en/indicator/2.7.html")
        assert _all(elements, "svg") == []
        notes = [e for e in elements if e.attrs.get("class") == "note"]
        assert [_words(n.text) for n in notes] == ["No data for this target yet."] * 3


class TestCharts:
    """Charts of ranks (1 at the top) and of a series projected to a later deadline."""

    def test_rank_chart_puts_first_place_on_top(self, built: tuple[Path, SiteSummary]) -> None:
        """1.1, ranks 5, 3, 2, 2, 1 (2020–2024) on a 1–6 axis: y = 236 − (1 − (r − 1)/5)·216."""
        out, _ = built
        elements = _parse(out / "en/indicator/1.1.html")
        # x = 56 + (year − 2020)/4 · 396
        assert _one(elements, "polyline").attrs["points"] == (
            "56,192.8 155,106.4 254,63.2 353,63.2 452,20.0"
        )
        assert _one(elements, "line", **{"class": "target"}).attrs["y1"] == "192.8"
        desc = _one(elements, "desc").text.strip()
        assert desc == (
            "Observed values: rank 5 (2020), rank 3 (2021), rank 2 (2022), rank 2 (2023), "
            "rank 1 (2024). Target rank ≤ 5/63."
        )

    def test_a_later_deadline_draws_the_projection(self, tmp_path: Path) -> None:
        """20, 25, 30 % (2022–2024), ≥ 50 % by 2026: CAGR √1.5 − 1 projects 30 · 1.5 = 45 %."""
        plan = Plan(
            id="small",
            label=Label(vi="Kế hoạch nhỏ", en="Small plan"),
            entity="da-nang",
            groups=(
                IndicatorGroup(
                    id="G1",
                    label=Label(vi="Nhóm 1", en="Group 1"),
                    declared_count=1,
                    indicators=(
                        Indicator(
                            id="1.1",
                            label=Label(vi="Chỉ tiêu 1.1", en="Indicator 1.1"),
                            unit=Unit(symbol="%"),
                            targets=(Target(comparator=">=", value=50, deadline=2026),),
                        ),
                    ),
                ),
            ),
            tasks=(
                Task(
                    id="T01",
                    label=Label(vi="Nhiệm vụ 1", en="Task 1"),
                    contributes_to=(Link(to="1.1", provenance=Provenance.assumption("test")),),
                ),
            ),
        )
        observed = Observations(
            items=tuple(
                Observation(entity="da-nang", indicator="1.1", period=year, value=value)
                for year, value in ((2022, 20.0), (2023, 25.0), (2024, 30.0))
            )
        )
        summary = build_site(plan, observed, tmp_path, langs=("en",))
        assert summary.pages == 5  # root, home, G1, 1.1, T01
        elements = _parse(tmp_path / "en/indicator/1.1.html")
        assert _one(elements, "desc").text.strip() == (
            "Observed values: 20 % (2022), 25 % (2023), 30 % (2024). Target ≥ 50 %. "
            "Projected 45 % in 2026."
        )
        # 0–60 % axis (50 · 1.1 = 55 → steps of 10): y = 236 − 3.6·v; x = 56 + (year − 2022)·99
        projected = _one(elements, "circle", **{"class": "projected"})
        assert (projected.attrs["cx"], projected.attrs["cy"]) == ("452", "74.0")
        text = _words(_one(elements, "main").text)
        assert "Projection 45 % in 2026 (compound annual growth)" in text


class TestOtherPages:
    """Home, group, task and index pages."""

    def test_home_shows_attainment_by_group(self, built: tuple[Path, SiteSummary]) -> None:
        """G1 and G2 fully met, G3 88.0 % (3.1 alone has data), G4 no data; plan 96.0 %."""
        out, _ = built
        elements = _parse(out / "en/index.html")
        text = _words(_one(elements, "main").text)
        # Plan: the mean of the groups with data: (1 + 1 + 0.88) / 3 = 0.96
        assert "Plan attainment: 96.0 %" in text
        rows = [_words(r.text) for r in _all(elements, "tr")]
        assert "G3 Digital economy and digital society 88.0 % 1/6 0 7" in rows
        assert "G4 Information security — 0/2 0 5" in rows

    def test_home_counts_indicators_by_status(self, built: tuple[Path, SiteSummary]) -> None:
        """4 met (1.1, 1.2, 1.3, 2.1), 1 needs acceleration (3.1), 14 with no data: 19."""
        out, _ = built
        rows = [_words(r.text) for r in _all(_parse(out / "en/index.html"), "tr")]
        assert [r for r in rows if r.split()[-1].isdigit() and not r[0].isupper()] == [
            "met 4",
            "needs acceleration 1",
            "no data 14",
        ]

    def test_task_page_links_its_neighbourhood(self, built: tuple[Path, SiteSummary]) -> None:
        """T09 depends on T05 and T06 and feeds 1.1, 1.3, 3.1–3.4; its graph links each."""
        out, _ = built
        elements = _parse(out / "en/task/T09.html")
        graph = [e.attrs["href"] for e in elements if e.tag == "a" and e.attrs.get("href")]
        for href in ("T05.html", "T06.html", "T09.html"):
            assert href in graph
        for indicator in ("1.1", "1.3", "3.1", "3.2", "3.3", "3.4"):
            assert f"../indicator/{indicator}.html" in graph
        desc = _one(elements, "desc").text.strip()
        assert desc == (
            "T09 Digital economy depends on: T05, T06. Needed by: none. "
            "Contributes to indicators: 1.1, 1.3, 3.1, 3.2, 3.3, 3.4."
        )

    def test_index_page_ranks_explains_and_spreads(self, built: tuple[Path, SiteSummary]) -> None:
        """DTI 2022 (published): Đà Nẵng 0.8002, HCMC 0.7164 second, 83.8 points behind."""
        out, _ = built
        elements = _parse(out / "en/ranking.html")
        rows = [_words(r.text) for r in _all(elements, "tr")]
        assert rows[1:3] == ["1 TP. Đà Nẵng 0.8002", "2 TP. Hồ Chí Minh 0.7164"]
        text = _words(_one(elements, "main").text)
        # 800.175 − 716.355 points (tests/test_report.py derives both by hand)
        # four digits stay together (dxplan.render.numbers groups from 10 000 up)
        assert "TP. Hồ Chí Minh: 716.4 points of 1000, rank 2 of 5." in text
        assert "83.8 points behind TP. Đà Nẵng." in text
        # Five entities: every draw ranks each of them 5th or better.
        spread = [r for r in rows if r.startswith("2 TP. Hồ Chí Minh 2.0")]
        assert spread == ["2 TP. Hồ Chí Minh 2.0 2 2–2 0.0 % 100.0 %"]

    def test_an_index_without_the_plan_entity_says_so(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """HCMC is not among the ASEM countries: the page ranks them and says so."""
        build_site(
            hcmc,
            observed,
            tmp_path,
            index=dx.indices.asem(),
            data=dx.datasets.asem(),
            langs=("en",),
        )
        text = _words(_one(_parse(tmp_path / "en/ranking.html"), "main").text)
        assert "ho-chi-minh is not in the index's data." in text
        assert len(dx.datasets.asem().entities) == 51
        rows = _all(_parse(tmp_path / "en/ranking.html"), "tr")
        assert len(rows) == 2 * (1 + 51)  # two tables, each a header row and 51 entities


class TestLanguagesAndAccessibility:
    """Each page links to itself in the other language and is built to be read by anyone."""

    def test_language_switch_keeps_the_page(
        self, built: tuple[Path, SiteSummary], hcmc: dx.Plan
    ) -> None:
        """From every page, the other language's link is the same page in that language."""
        out, _ = built
        for page in (out / "en").rglob("*.html"):
            relative = page.relative_to(out / "en").as_posix()
            elements = _parse(page)
            assert _one(elements, "html").attrs["lang"] == "en"
            switch = _one(elements, "a", hreflang="vi", rel="alternate")
            target = posixpath.normpath(
                posixpath.join(f"en/{posixpath.dirname(relative)}", switch.attrs["href"])
            )
            assert target == f"vi/{relative}"
            assert switch.text.strip() == "Tiếng Việt"

    def test_landmarks_headings_and_table_headers(self, built: tuple[Path, SiteSummary]) -> None:
        """One header, nav, main and footer; one h1; no heading level skipped; th with scope."""
        out, _ = built
        for page in out.glob("*/**/*.html"):
            elements = _parse(page)
            for landmark in ("header", "main", "footer"):
                assert len(_all(elements, landmark)) == 1, (page, landmark)
            levels = [int(e.tag[1]) for e in elements if e.tag in ("h1", "h2", "h3", "h4")]
            assert levels[0] == 1, page
            assert levels.count(1) == 1, page
            assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), page
            for header in _all(elements, "th"):
                assert header.attrs.get("scope") in ("col", "row"), page
            for table in _all(elements, "table"):
                assert table.text.strip(), page
            assert len(_all(elements, "caption")) == len(_all(elements, "table")), page

    def test_every_chart_has_a_title_and_a_description(
        self, built: tuple[Path, SiteSummary]
    ) -> None:
        """Every SVG is an image labelled by its <title> and a <desc> with digits in it."""
        out, _ = built
        charts = 0
        for page in out.rglob("*.html"):
            elements = _parse(page)
            for svg in _all(elements, "svg"):
                charts += 1
                title_id, desc_id = svg.attrs["aria-labelledby"].split()
                assert svg.attrs["role"] == "img"
                assert _one(elements, "title", id=title_id).text.strip()
                assert any(c.isdigit() for c in _one(elements, "desc", id=desc_id).text)
        # per language: the home bars, 5 indicators with data, 11 task graphs
        assert charts == 2 * (1 + 5 + 11)


class TestPhrases:
    """The site's phrases live in the one phrasebook, each used, in both languages."""

    def test_every_site_phrase_is_used(self) -> None:
        """No ``site.*`` phrase is left unused by the builder, its templates and its view."""
        from dxplan.render import site
        from dxplan.render.phrasebook import PHRASES

        package = Path(site.__file__).parent
        used = "".join(
            (package / module).read_text(encoding="utf-8")
            for module in ("site.py", "site_summary.py")
        ) + "".join(
            p.read_text(encoding="utf-8") for p in (package / "site_templates").glob("*.j2")
        )
        dynamic = ("site.provenance ", "site.method ")  # completed by a value in the template
        keys = [key for key in PHRASES if key.startswith("site.")]
        assert len(keys) > 50
        unused = [
            key
            for key in keys
            if f'"{key}"' not in used and f"'{key}'" not in used and not key.startswith(dynamic)
        ]
        assert unused == []

    def test_the_site_has_no_phrasebook_of_its_own(self) -> None:
        """Every string of a page comes from dxplan.render.phrasebook."""
        from dxplan.render import site

        assert not any(isinstance(v, dict) for k, v in vars(site).items() if "PHRASE" in k)


class TestChartLinks:
    """Links drawn in a chart are for the mouse; the page has each of them outside it too."""

    def test_every_chart_link_is_also_outside_the_chart(
        self, built: tuple[Path, SiteSummary]
    ) -> None:
        """A chart is one image to a screen reader: its links must be reachable elsewhere."""
        out, _ = built
        checked = 0
        for page in out.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            inside = re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)
            outside = re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)
            for chart in inside:
                for anchor in re.findall(r"<a [^>]*>", chart):
                    assert 'tabindex="-1"' in anchor, (page, anchor)
                    href = re.search(r'href="([^"]+)"', anchor)
                    assert href is not None
                    checked += 1
                    if href.group(1).rsplit("/", 1)[-1] != page.name:  # the task itself
                        assert f'href="{href.group(1)}"' in outside, (page, href.group(1))
        assert checked > 0


class TestWriting:
    """Only what changed is rewritten; nothing dxplan did not write is touched."""

    def test_a_second_build_rewrites_nothing(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """The same inputs give the same bytes: every file unchanged, no file's time moved."""
        first = build_site(hcmc, observed, tmp_path / "out")
        times = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*")}
        second = build_site(hcmc, observed, tmp_path / "out")
        assert len(first.written) == first.files == 72
        assert second.written == ()
        assert set(second.unchanged) == set(first.written)
        assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*")} == times

    def test_a_new_value_rewrites_only_the_pages_that_show_it(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """3.1's 2024 value feeds its page, its group G3, the home page and its task T09."""
        build_site(hcmc, observed, tmp_path)
        changed = Observations(
            items=tuple(
                attrs.evolve(o, value=23.0) if (o.indicator, o.period) == ("3.1", 2024) else o
                for o in observed
            )
        )
        summary = build_site(hcmc, changed, tmp_path)
        assert set(summary.written) == {
            f"{lang}/{page}"
            for lang in ("vi", "en")
            for page in ("index.html", "group/G3.html", "indicator/3.1.html", "task/T09.html")
        }
        assert "23 % (2024)" in (tmp_path / "en/indicator/3.1.html").read_text(encoding="utf-8")
        manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
        assert set(manifest["files"]) == set(summary.written) | set(summary.unchanged)

    def test_files_it_did_not_write_are_kept(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """Dropping English removes the English pages it wrote, but not a user's file there."""
        build_site(hcmc, observed, tmp_path)
        (tmp_path / "en" / "notes.txt").write_text("mine", encoding="utf-8")
        edited = tmp_path / "en" / "task" / "T01.html"
        edited.write_text("edited by hand", encoding="utf-8")
        summary = build_site(hcmc, observed, tmp_path, langs=("vi",))
        assert len(summary.removed) == 34  # 35 English pages but the edited one
        assert "en/task/T01.html" not in summary.removed
        assert (tmp_path / "en" / "notes.txt").read_text(encoding="utf-8") == "mine"
        assert edited.read_text(encoding="utf-8") == "edited by hand"
        assert not (tmp_path / "en" / "index.html").exists()

    def test_no_temporary_file_is_left(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """Every file goes through a temporary file and a rename; none is left behind."""
        build_site(hcmc, observed, tmp_path)
        assert list(tmp_path.rglob("*.tmp")) == []

    def test_a_folder_of_other_files_is_refused(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """A non-empty folder without a manifest is not a site: refused, unless forced."""
        (tmp_path / "thesis.tex").write_text("x", encoding="utf-8")
        with pytest.raises(FileFormatError, match=r"no \.dxplan-site\.json.*--force"):
            build_site(hcmc, observed, tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.tex"]
        build_site(hcmc, observed, tmp_path, force=True)
        assert (tmp_path / "thesis.tex").read_text(encoding="utf-8") == "x"
        assert (tmp_path / "en" / "index.html").is_file()

    def test_a_file_it_did_not_write_is_not_replaced(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """A page path that holds a file an earlier build did not write needs force."""
        build_site(hcmc, observed, tmp_path, langs=("vi",))
        (tmp_path / "en").mkdir()
        (tmp_path / "en" / "index.html").write_text("mine", encoding="utf-8")
        with pytest.raises(FileFormatError, match=r"en/index\.html.*did not write"):
            build_site(hcmc, observed, tmp_path)
        assert (tmp_path / "en" / "index.html").read_text(encoding="utf-8") == "mine"

    def test_a_file_or_a_broken_manifest_is_refused(
        self, tmp_path: Path, hcmc: dx.Plan, observed: Observations
    ) -> None:
        """OUT must be a folder, and a manifest must be the one dxplan writes."""
        (tmp_path / "file").write_text("x", encoding="utf-8")
        with pytest.raises(FileFormatError, match="found a file; expected a folder"):
            build_site(hcmc, observed, tmp_path / "file")
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / MANIFEST).write_text('{"files": 3}', encoding="utf-8")
        with pytest.raises(FileFormatError, match="found no 'files' table"):
            build_site(hcmc, observed, tmp_path / "site")

    def test_bad_arguments(self, tmp_path: Path, hcmc: dx.Plan, observed: Observations) -> None:
        """An unknown language, or an index without its data, is refused by name."""
        with pytest.raises(InvalidValueError, match="'langs' must be one of vi, en"):
            build_site(hcmc, observed, tmp_path, langs=("fr",))
        with pytest.raises(InvalidValueError, match="'data' must be given together with index"):
            build_site(hcmc, observed, tmp_path, index=dx.indices.dti_922())
        with pytest.raises(InvalidValueError, match=r"one period.*got 'a panel of 5 periods'"):
            build_site(
                hcmc, observed, tmp_path, index=dx.indices.asem(), data=dx.datasets.asem_panel()
            )


class TestCommand:
    """`dxplan site`."""

    def test_builds_the_hcmc_site_with_its_dti_page(self, tmp_path: Path) -> None:
        """The default plan, its bundled observations and the DTI 2022 page."""
        result = CliRunner().invoke(main, ["site", "--index", "dti-922", "--out", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert "73 pages" in result.output
        assert (tmp_path / "vi" / "ranking.html").is_file()

    def test_one_language(self, tmp_path: Path) -> None:
        """`--lang en` builds the English pages only: 35 and the root."""
        result = CliRunner().invoke(main, ["site", "--out", str(tmp_path), "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "36 pages" in result.output
        assert not (tmp_path / "vi").exists()

    def test_errors(self, tmp_path: Path) -> None:
        """A folder that is not a site exits 1 with a message; an unknown language exits 2."""
        (tmp_path / "x.txt").write_text("x", encoding="utf-8")
        refused = CliRunner().invoke(main, ["site", "--out", str(tmp_path)])
        assert refused.exit_code == 1
        assert "error: will not build a site" in refused.output
        assert "Traceback" not in refused.output
        usage = CliRunner().invoke(main, ["site", "--out", str(tmp_path), "--lang", "vi,fr"])
        assert usage.exit_code == 2
        assert "expected vi, en or both" in usage.output

"""Every CLI view reads at any width from 60 columns, in Vietnamese and English.

At 60, 80 and 120 columns a view may wrap or change layout, but it keeps
words whole: every word it prints is a word of the same view at 200 columns
(or a word cut with "…"), and no line is wider than the console.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from dxplan import load_plan
from dxplan.cli import main
from dxplan.plan.attainment import Status
from dxplan.text import Language

WIDTHS = (60, 80, 120)
WIDE = 200
LANGS: tuple[Language, ...] = ("vi", "en")

SCENARIO = """
name = "society push"
data = "dti-2022"
[[edits]]
op = "set"
entity = "ho-chi-minh"
component = "hd_xa_hoi_so"
value = 0.92
"""

PLAN_SCENARIO = """
name = "3.1 aims at 22 %"
plan = "hcmc-2024"
[[edits]]
op = "target"
indicator = "3.1"
value = 22
"""

VIEWS: dict[str, tuple[str, ...]] = {
    "report": ("report",),
    "show": ("show",),
    "check": ("check",),
    "graph": ("graph",),
    "graph-impact": ("graph", "--impact", "T03"),
    "assess": ("assess",),
    "rank": ("rank", "dti-2022", "--explain", "ho-chi-minh"),
    "rank-merged": ("rank", "dti-2022", "--merged"),
    "audit": ("audit", "asem"),
    "uncertainty": ("uncertainty", "dti-2022", "--draws", "50", "--seed", "1"),
    "whatif": ("whatif", "{scenario}"),
    "whatif-plan": ("whatif", "{plan_scenario}"),
    "goal-seek": ("goal-seek", "--entity", "ho-chi-minh", "--lever", "hd_xa_hoi_so", "--rank", "1"),
    "tasks": ("tasks", "--goal-rank", "1"),
    "build": ("build", "asem", "--screen", "0.667", "--impute", "median", "--treat"),
}

_BOX = re.compile(r"[\u2500-\u257f]")
_PUNCTUATION = set("·—→–:;,.()[]{}'\"“”+-=×≤≥<>/%")


def _words(text: str) -> list[str]:
    """The words of a rendered view: box drawing removed, then brackets and a trailing ':' or ','.

    A narrow layout may put a header before its value ("Target:"), list a
    cell's lines with commas, or put a change in brackets after its value; none
    of these cuts a word.
    """
    words = []
    for token in _BOX.sub(" ", text).split():
        word = token.rstrip(":,").strip("()")
        if word and not set(word) <= _PUNCTUATION:
            words.append(word)
    return words


def _render(args: tuple[str, ...], width: int, lang: str, tmp_path: Path) -> str:
    scenario = tmp_path / "society.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    plan_scenario = tmp_path / "plan.toml"
    plan_scenario.write_text(PLAN_SCENARIO, encoding="utf-8")
    filled = [a.format(scenario=scenario, plan_scenario=plan_scenario) for a in args]
    result = CliRunner().invoke(main, [*filled, "--lang", lang], env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.output  # check and report exit 1 on errors only
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_words_stay_whole_at_every_width(view: str, lang: str, tmp_path: Path) -> None:
    """Narrow output holds only words of the wide output (or words cut with '…'), within width."""
    wide = set(_words(_render(VIEWS[view], WIDE, lang, tmp_path)))
    for width in WIDTHS:
        text = _render(VIEWS[view], width, lang, tmp_path)
        too_wide = [line for line in text.splitlines() if cell_len(line) > width]
        assert too_wide == [], f"{view} at {width}"
        foreign = [
            w
            for w in _words(text)
            if w not in wide and not (w.endswith("…") and any(x.startswith(w[:-1]) for x in wide))
        ]
        assert foreign == [], f"{view} at {width} columns ({lang})"


@pytest.mark.parametrize("lang", LANGS)
def test_report_at_80_columns_stays_short(lang: str, tmp_path: Path) -> None:
    """`dxplan report` at 80 columns has at most 2.5 times its lines at 160."""
    narrow = _render(("report",), 80, lang, tmp_path).count("\n")
    wide = _render(("report",), 160, lang, tmp_path).count("\n")
    assert narrow <= 2.5 * wide


@pytest.mark.parametrize("view", ["report", "assess", "rank", "uncertainty", "goal-seek", "whatif"])
def test_vietnamese_numbers_use_the_decimal_comma(view: str, tmp_path: Path) -> None:
    """In Vietnamese no number is written with a decimal point; in English none with a comma."""
    vi = _render(VIEWS[view], 120, "vi", tmp_path)
    en = _render(VIEWS[view], 120, "en", tmp_path)
    # Indicator ids ("3.1") are names, and citations are quoted as published.
    ids = "|".join(re.escape(i.id) for i in load_plan("hcmc-2024").indicators)
    quoted = re.compile(
        rf"((?<![\d.,])({ids})(?![\d.,])|dti\.gov\.vn[^│\n]*|\(value [0-9.]+\)|Decision [0-9/]+)"
    )
    assert re.findall(r"\d\.\d", quoted.sub("", vi)) == []
    assert re.findall(r"\d,\d", quoted.sub("", en)) == []
    assert re.search(r"\d,\d", vi) is not None
    assert re.search(r"\d\.\d", en) is not None


# One observation: the target table fits as a table from 80 columns, so its
# status column must size itself rather than wrap ("không / có dữ / liệu").
ONE_OBSERVATION = "entity,indicator,period,value,unit\nho-chi-minh,3.1,2024,22.5,%\n"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", ["assess", "whatif-plan"])
def test_a_status_is_never_wrapped(view: str, lang: Language, tmp_path: Path) -> None:
    """Each status a view prints stands whole on one line, at every width."""
    observations = tmp_path / "one.csv"
    observations.write_text(ONE_OBSERVATION, encoding="utf-8")
    args = VIEWS[view] + (("--observations", str(observations)) if view == "assess" else ())
    labels = [status.label(lang) for status in Status]
    wide = _render(args, WIDE, lang, tmp_path)
    shown = [label for label in labels if label in wide]
    assert len(shown) >= 2
    for width in (*WIDTHS, 160):
        text = _render(args, width, lang, tmp_path)
        for label in shown:
            assert label in text, f"{label!r} wrapped at {width} columns ({lang})"


@pytest.mark.parametrize("lang", LANGS)
def test_a_table_title_spans_the_console_not_the_table(lang: Language, tmp_path: Path) -> None:
    """The report's DTI ranking is narrow; its heading still takes one line at 160 columns."""
    text = _render(("report",), 160, lang, tmp_path)
    recomputed = "recomputed by dxplan" if lang == "en" else "tính lại bằng dxplan"
    (line,) = [line for line in text.splitlines() if recomputed in line]
    assert "DTI 2022 — " in line

"""The view of what ``dxplan site`` built: where, how many pages and bytes, what it wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dxplan.render._layout import Column, Grid
from dxplan.render.numbers import number
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.render.site import SiteSummary

__all__ = ["site_summary_view"]


def site_summary_view(summary: SiteSummary, lang: Language = "vi") -> Grid:
    """The folder, its languages, and the pages, files and bytes written or left as they were."""
    lang = language(lang)
    grid = Grid(
        (
            Column(header=phrase("site.summary.what", lang), wrap=True),
            Column(header=phrase("value", lang), justify="right", wrap=True),
        ),
        title=phrase("site.summary.title", lang, out=str(summary.out)),
    )
    rows = (
        ("site.summary.languages", ", ".join(summary.langs)),
        ("site.summary.pages", number(summary.pages, lang)),
        ("site.summary.files", number(summary.files, lang)),
        ("site.summary.bytes", number(summary.bytes, lang)),
        ("site.summary.written", number(len(summary.written), lang)),
        ("site.summary.unchanged", number(len(summary.unchanged), lang)),
        ("site.summary.removed", number(len(summary.removed), lang)),
    )
    for key, value in rows:
        grid.add_row(phrase(key, lang), value)
    return grid

"""Views of the construction steps: screening, denomination, imputation, outlier treatment."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType

from dxplan.render._layout import Column, Grid
from dxplan.render.numbers import DASH, number
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.index.denomination import DenominationResult
    from dxplan.index.imputation import ImputationResult
    from dxplan.index.screening import ScreeningResult
    from dxplan.index.treatment import TreatmentResult

__all__ = ["denomination_table", "imputation_table", "screening_table", "treatment_table"]


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan


def treatment_table(result: TreatmentResult[Any], lang: Language = "vi") -> RenderableType:
    """The columns that failed the skew/kurtosis check: what was done, statistics before → after."""
    lang = language(lang)
    rows = [r for r in result.table if not r["passed_before"]]
    panel = any(r["period"] is not None for r in rows)
    title = phrase(
        "treatment title",
        lang,
        treated=len(rows),
        total=len(result.table),
        skew=number(result.skew_threshold, lang),
        kurt=number(result.kurtosis_threshold, lang),
    )
    columns = [Column(header=phrase("component", lang), wrap=True)]
    if panel:
        columns.append(Column(header=phrase("period", lang)))
    columns += [
        Column(header=phrase("skew", lang), justify="right"),
        Column(header=phrase("kurtosis", lang), justify="right"),
        Column(header=phrase("winsorised", lang), justify="right"),
        Column(header=phrase("transform", lang)),
    ]
    table = Grid(columns, title=title, label=None)

    def moved(before: object, after: object) -> str:
        b, a = _float(before), _float(after)
        return f"{number(b, lang, decimals=2)} → {number(a, lang, decimals=2)}"

    for r in rows:
        cells = [str(r["component"])]
        if panel:
            cells.append(str(r["period"]))
        cells += [
            moved(r["skew_before"], r["skew_after"]),
            moved(r["kurtosis_before"], r["kurtosis_after"]),
            str(r["winsorised"]),
            str(r["transform"]) or DASH,
        ]
        table.add_row(*cells)
    return table


def imputation_table(result: ImputationResult[Any], lang: Language = "vi") -> RenderableType:
    """The components that had missing values: how many, how many filled, how many left."""
    lang = language(lang)
    table = Grid(
        (
            Column(header=phrase("component", lang), wrap=True),
            Column(header=phrase("missing", lang), justify="right"),
            Column(header=phrase("imputed", lang), justify="right", wrap=True),
            Column(header=phrase("still missing", lang), justify="right", wrap=True),
        ),
        title=phrase("imputation title", lang, method=result.method, count=result.count),
        label=None,
    )
    for r in result.table:
        if r["missing"]:
            table.add_row(
                str(r["component"]), str(r["missing"]), str(r["imputed"]), str(r["still_missing"])
            )
    return table


def screening_table(result: ScreeningResult[Any], lang: Language = "vi") -> RenderableType:
    """What screening dropped, and why."""
    lang = language(lang)
    table = Grid(
        (
            Column(header=phrase("kind", lang)),
            Column(header=f"{phrase('entity', lang)} / {phrase('component', lang)}", wrap=True),
            Column(header=phrase("reason", lang), wrap=True),
        ),
        title=phrase(
            "screening title",
            lang,
            entities=len(result.dropped),
            components=len(result.dropped_components),
        ),
        key=1,
        label=2,
    )
    for r in result.table:
        if r["kept"]:
            continue
        entity = r["kind"] == "entity"
        limits = (
            (result.min_availability, result.min_nonzero)
            if entity
            else (result.component_min_availability, result.component_min_nonzero)
        )
        reasons = []
        for code in str(r["reason"]).split("+"):
            if code == "forced":
                reasons.append(phrase("forced out", lang))
                continue
            share, limit = (
                (r["availability"], limits[0])
                if code == "availability"
                else (r["nonzero"], limits[1])
            )
            reasons.append(
                f"{phrase(code, lang)} {number(_float(share or 0.0), lang, decimals=3)} < "
                f"{number(_float(limit or 0.0), lang, decimals=3)}"
            )
        table.add_row(
            phrase("kind.entity" if entity else "kind.component", lang),
            str(r["id"]),
            "; ".join(reasons),
        )
    return table


def denomination_table(result: DenominationResult[Any], lang: Language = "vi") -> RenderableType:
    """Which component was divided by which denominator, and how many values were lost."""
    lang = language(lang)
    table = Grid(
        (
            Column(header=phrase("component", lang), wrap=True),
            Column(header=phrase("denominator", lang), wrap=True),
            Column(header=phrase("divided", lang), justify="right", wrap=True),
            Column(header=phrase("lost", lang), justify="right", wrap=True),
        ),
        title=phrase("denomination title", lang),
    )
    for r in result.table:
        table.add_row(str(r["component"]), str(r["denominator"]), str(r["divided"]), str(r["lost"]))
    return table

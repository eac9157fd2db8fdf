"""Pictures of rankings, attainment, profiles and plan graphs, as matplotlib figures.

Needs the ``plot`` extra (``pip install 'dxplan[plot]'``); without it every
function raises :class:`~dxplan.errors.MissingExtraError`. matplotlib is
imported on first use, never by ``import dxplan``.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot: no global state changes, no window opens, and figures can be drawn on
a server or in threads. Write one with :func:`save` (PNG or SVG, atomically,
never over a file unless asked), or with ``figure.savefig``; in a notebook,
``IPython.display.display(figure)`` shows it.

- :func:`ranking_plot`: scores as bars, best at the top; with an
  :class:`~dxplan.whatif.uncertainty.UncertaintyResult`, each rank with its 5–95 %
  interval beside them.
- :func:`attainment_heatmap`: indicators × years (or entities), coloured by
  attainment; cells without data are hatched grey, never drawn as 0.
- :func:`profile_plot`: one entity's points per component against the leader
  and the median.
- :func:`graph_plot`: a plan's dependency graph in columns: priorities, tasks
  in execution waves, indicators, groups.
- :func:`correlation_heatmap`: a correlation matrix from
  :func:`dxplan.index.audit.correlations`, on a diverging scale from −1 to 1.
- :func:`effective_weights_plot`: each node's declared weight beside its
  correlation-based importance, parent by parent (the audit's standard picture).
- :func:`sobol_convergence_plot`: Sobol first- and total-order indices against
  the number of samples.
- :func:`task_effects_plot`: the points each task that drives an index can
  add at its bounds, with the best rank it reaches alone.

Titles and labels are in Vietnamese (``lang="vi"``, the default) or English.
Text is set in DejaVu Sans, which ships with matplotlib and has every
Vietnamese letter, so diacritics draw the same on every machine.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import os
import textwrap
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from dxplan import _validators as v
from dxplan._files import write_atomic
from dxplan.errors import FileFormatError, InvalidValueError, MissingExtraError, Problem
from dxplan.index.model import Aggregate, IndexResult
from dxplan.plan.attainment import AttainmentReport
from dxplan.render._names import node_name
from dxplan.render.numbers import number, percent, signed
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language, label_text
from dxplan.whatif.uncertainty import UncertaintyResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from dxplan.index.audit import Correlations, EffectiveWeights
    from dxplan.plan.graph import PlanGraph
    from dxplan.plan.model import Plan
    from dxplan.whatif.sensitivity import SobolIndices
    from dxplan.whatif.tasks import TaskEffects

__all__ = [
    "DPI",
    "FONT",
    "attainment_heatmap",
    "correlation_heatmap",
    "effective_weights_plot",
    "graph_plot",
    "profile_plot",
    "ranking_plot",
    "save",
    "sobol_convergence_plot",
    "task_effects_plot",
]

FONT = "DejaVu Sans"
"""The font of every text: shipped with matplotlib, with the whole Vietnamese alphabet."""

DPI = 100
"""Pixels per inch of the figures (sizes are whole quarter inches, so whole pixels)."""

# Okabe–Ito colours (told apart with every common colour-vision deficiency).
_BLUE = "#0072B2"
_SKY = "#56B4E9"
_ORANGE = "#E69F00"
_VERMILLION = "#D55E00"
_GREEN = "#009E73"
_PURPLE = "#CC79A7"
_GREY = "#BDBDBD"
_DARK = "#333333"
_COLORMAP = "viridis"


def _word(key: str, lang: Language) -> str:
    return phrase(f"plot.{key}", lang)


def _number(value: float, lang: Language, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals in ``lang``, with a true minus sign (typeset)."""
    return number(value, lang, decimals=digits).replace("-", "−")


def _signed(value: float, lang: Language, digits: int = 1) -> str:
    return signed(value, lang, decimals=digits).replace("-", "−")


def _percent(value: float, lang: Language) -> str:
    """A whole percentage; an unmet attainment (< 1) never shows as 100 %."""
    return percent(value, lang, decimals=0)


def _shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at a word with an ellipsis when longer than ``width``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else textwrap.shorten(flat, width, placeholder=" …")


def _wrap(text: str, width: int, lines: int) -> str:
    """``text`` in at most ``lines`` lines of about even length (``width`` at most)."""
    flat = " ".join(text.split())
    needed = min(max(math.ceil(len(flat) / width), 1), lines)
    even = min(width, math.ceil(len(flat) / needed) + 4)
    return "\n".join(textwrap.wrap(flat, min(even, width), max_lines=lines, placeholder=" …"))


def _inches(value: float) -> float:
    """``value`` rounded up to a quarter inch: a whole number of pixels at any whole dpi."""
    return math.ceil(value * 4) / 4


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("matplotlib", "plot") from exc


@functools.cache
def _figure_class() -> type[Figure]:
    """A matplotlib Figure that shows itself in a notebook, with no ``%matplotlib`` line.

    IPython asks an object for ``_repr_png_``; a plain Figure has no such
    method (pyplot's inline backend registers one, but these figures are
    built without pyplot), so a fresh kernel would print ``<Figure …>``.
    """
    from matplotlib.figure import Figure

    class NotebookFigure(Figure):
        """A figure that IPython displays as a PNG image."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    NotebookFigure.__module__ = __name__
    return NotebookFigure


def _figure(width: float, height: float) -> Figure:
    _require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _figure_class()(
        figsize=(_inches(width), _inches(height)), dpi=DPI, layout="constrained"
    )
    FigureCanvasAgg(figure)  # An Agg canvas of its own: no pyplot, no GUI backend.
    return figure


def _finish(figure: Figure) -> Figure:
    """Set every text, and the tick labels drawn later, in :data:`FONT`."""
    from matplotlib.text import Text

    for axes in figure.axes:
        axes.tick_params(which="both", labelfontfamily=FONT)
    for text in figure.findobj(Text):
        text.set_fontfamily(FONT)
    return figure


def _left_align_y_labels(figure: Figure, axes: Axes) -> None:
    """Align the y tick labels on their left edge, so that ids and labels line up."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = axes.get_yticklabels()
    width = max((label.get_window_extent(renderer).width for label in labels), default=0.0)
    axes.tick_params(axis="y", pad=width * 72 / figure.dpi + 4)
    for label in labels:
        label.set_horizontalalignment("left")


def _text_colour(rgba: Sequence[float]) -> str:
    """Black or white, whichever reads better on ``rgba`` (relative luminance)."""
    r, g, b = rgba[:3]
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


# Ranking -----------------------------------------------------------------------


def _node_title(result: IndexResult, node: str, lang: Language) -> str:
    index = result.index
    label = node_name(index, node, lang)
    name = index.title(lang)
    if label == name or (node == index.root and label in name):
        return name
    return f"{name} — {label}"


_TOP = v.optional(v.positive_int).saying("a whole number >= 1, or None for every entity")


def ranking_plot(
    result: IndexResult | UncertaintyResult,
    node: str | None = None,
    *,
    top: int | None = None,
    highlight: str | Iterable[str] = (),
    lang: Language = "vi",
) -> Figure:
    """Scores on ``node`` (the root by default) as horizontal bars, best at the top.

    Given an :class:`~dxplan.whatif.uncertainty.UncertaintyResult`, a second panel
    shows each entity's nominal rank as a dot, its median rank as a ring and
    its 5–95 % rank interval as a whisker. Scores are in points when the node
    has a points scale (the DTI: 1 000). Entities without a score come last,
    marked as such.

    Args:
        result: an index result, or an uncertainty result (its nominal
            result gives the scores).
        node: the node ranked; the root by default.
        top: show only the first ``top`` entities.
        highlight: entity ids drawn in another colour (a province of interest).
        lang: ``"vi"`` or ``"en"``.

    Raises:
        InvalidValueError: an unknown node (or, for an uncertainty result, a
            node whose scores were not kept), a ``top`` below 1, an unknown
            entity to highlight, or an unknown language.
    """
    lang = language(lang)
    _require_matplotlib()
    uncertainty = result if isinstance(result, UncertaintyResult) else None
    nominal = result.nominal if isinstance(result, UncertaintyResult) else result
    if not isinstance(nominal, IndexResult):
        raise InvalidValueError("result", result, "an IndexResult or an UncertaintyResult")
    node_id = nominal.index.root if node is None else node
    target = nominal.index.node(node_id)
    _TOP.check("top", top)
    marked = {highlight} if isinstance(highlight, str) else set(highlight)
    for entity in sorted(marked):
        nominal.data.position(entity)
    summaries = {s.entity: s for s in uncertainty.rank_summaries(node_id)} if uncertainty else {}
    rows = nominal.ranking(node_id, decimals=uncertainty.decimals if uncertainty else None)
    rows = rows[:top] if top is not None else rows

    scale = target.points if isinstance(target, Aggregate) else 1.0
    count = len(rows)
    figure = _figure(12.0 if uncertainty else 8.5, 1.75 + 0.27 * count)
    if uncertainty:
        bars, ranks = figure.subplots(1, 2, sharey=True, width_ratios=(3, 2))
    else:
        bars, ranks = figure.subplots(), None
    positions = list(range(count))
    values = [score * scale for _, _, score in rows]
    colours = [_ORANGE if entity in marked else _BLUE for _, entity, _ in rows]
    bars.barh(positions, [0.0 if math.isnan(v) else v for v in values], color=colours, height=0.7)
    finite = [v for v in values if math.isfinite(v)]
    # Scores may be negative (z-scores): the axis always holds 0 and every bar;
    # with no score at all (all data missing) it is just 0 to 1.
    low, high = min([0.0, *finite]), max([0.0, *finite]) if finite else 1.0
    span = (high - low) or 1.0
    for y, value in zip(positions, values, strict=True):
        text = _word("no score", lang) if math.isnan(value) else _number(value, lang)
        bars.text(
            max(value, 0.0) if not math.isnan(value) else 0.0,
            y,
            f" {text}",
            va="center",
            ha="left",
            fontsize=8,
            color=_DARK,
        )
    bars.set_xlim(low - 0.02 * span if low < 0 else 0.0, high + 0.14 * span)
    labels = [
        f"{'—' if rank is None else rank}. {nominal.data.name(entity)}" for rank, entity, _ in rows
    ]
    bars.set_yticks(positions, labels, fontsize=9)
    for tick, (_, entity, _) in zip(bars.get_yticklabels(), rows, strict=True):
        if entity in marked:
            tick.set_fontweight("bold")
    bars.set_ylim(count - 0.5, -0.5)
    if scale != 1.0:
        bars.set_xlabel(f"{_word('points', lang)} ({_word('points of', lang)} {scale:g})")
    else:
        bars.set_xlabel(_word("score", lang))
    bars.spines[["top", "right"]].set_visible(False)
    bars.grid(axis="x", color="#E0E0E0", linewidth=0.8)
    bars.set_axisbelow(True)

    title = f"{_word('ranking', lang)}: {_node_title(nominal, node_id, lang)}"
    if uncertainty is not None and ranks is not None:
        _rank_panel(ranks, rows, summaries, len(nominal.entities), lang)
        title += f"\n{uncertainty.draws} {_word('draws', lang)}"
    figure.suptitle(title, fontsize=12)
    return _finish(figure)


def _rank_panel(
    axes: Axes,
    rows: Sequence[tuple[int | None, str, float]],
    summaries: Mapping[str, Any],
    entities: int,
    lang: Language,
) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    for y, (rank, entity, _) in enumerate(rows):
        summary = summaries[entity]
        if not math.isnan(summary.q05):
            axes.hlines(y, summary.q05, summary.q95, color=_SKY, linewidth=3.5)
            axes.plot(summary.median, y, "o", mfc="white", mec=_DARK, ms=6, zorder=3, mew=1.0)
        if rank is not None:
            axes.plot(rank, y, "o", color=_VERMILLION, ms=4.5, zorder=4)
    axes.set_xlim(0.2, entities + 0.8)
    step = MaxNLocator(nbins=6, integer=True, steps=[1, 2, 5, 10]).tick_values(1, entities)
    gap = int(step[1] - step[0]) if len(step) > 1 else 1
    axes.set_xticks([1, *range(gap, entities + 1, gap)] if gap > 1 else range(1, entities + 1))
    axes.set_xlabel(_word("rank", lang))
    axes.set_title(_word("rank interval", lang), fontsize=10)
    axes.tick_params(axis="y", left=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#E0E0E0", linewidth=0.8)
    axes.set_axisbelow(True)
    handles = [
        Line2D([], [], color=_SKY, linewidth=3.5, label=_word("interval", lang)),
        Line2D(
            [], [], marker="o", linestyle="", mfc="white", mec=_DARK, label=_word("median", lang)
        ),
        Line2D([], [], marker="o", linestyle="", color=_VERMILLION, label=_word("nominal", lang)),
    ]
    # Good ranks sit at the top left, so the top right is free.
    axes.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.95)


# Attainment --------------------------------------------------------------------


def _columns(
    reports: AttainmentReport | Sequence[AttainmentReport] | Mapping[str, AttainmentReport],
    lang: Language,
) -> tuple[list[str], list[AttainmentReport], str]:
    """Column labels, the reports, and what the columns are (years or entities)."""
    if isinstance(reports, AttainmentReport):
        items = [reports]
    elif isinstance(reports, Mapping):
        items = list(reports.values())
    else:
        items = list(reports)
    if not items or not all(isinstance(r, AttainmentReport) for r in items):
        raise InvalidValueError(
            "reports", reports, "an AttainmentReport, or a non-empty sequence or mapping of them"
        )

    def year(report: AttainmentReport) -> str:
        return _word("latest", lang) if report.as_of is None else str(report.as_of)

    if isinstance(reports, Mapping):
        return [str(key) for key in reports], items, ""
    if len({r.entity for r in items}) == 1:
        return [year(r) for r in items], items, _word("year", lang)
    if len({r.as_of for r in items}) == 1:
        return [r.entity for r in items], items, _word("entity", lang)
    return [f"{r.entity}\n{year(r)}" for r in items], items, ""


def attainment_heatmap(
    reports: AttainmentReport | Sequence[AttainmentReport] | Mapping[str, AttainmentReport],
    *,
    lang: Language = "vi",
) -> Figure:
    """Attainment of every indicator (rows) in each report (columns), as a heat map.

    Pass the reports of one entity at several ``as_of`` years (columns are
    the years), of several entities (columns are the entities), or a mapping
    whose keys label the columns. Colour is attainment from 0 to 1 (viridis);
    each cell shows it in percent; an unmet target never shows 100 %. A cell
    without data is hatched grey and left blank, never drawn as 0.

    Raises:
        InvalidValueError: no report, something that is not a report, or an
            unknown language.
    """
    lang = language(lang)
    _require_matplotlib()
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch, Rectangle

    labels, items, axis_title = _columns(reports, lang)
    rows: dict[str, str] = {}
    groups: dict[str, str] = {}
    for report in items:
        for indicator in report.indicators:
            if indicator.id not in rows:
                rows[indicator.id] = f"{indicator.id}  {_shorten(indicator.label.text(lang), 48)}"
                groups[indicator.id] = indicator.group
    ids = list(rows)
    values = np.full((len(ids), len(items)), np.nan)
    for j, report in enumerate(items):
        found = {i.id: i.attainment for i in report.indicators}
        for i, indicator_id in enumerate(ids):
            value = found.get(indicator_id)
            if value is not None:
                values[i, j] = value

    figure = _figure(6.0 + 1.05 * len(items), 2.25 + 0.34 * len(ids))
    axes = figure.subplots()
    colormap = colormaps[_COLORMAP]
    norm = Normalize(vmin=0.0, vmax=1.0)
    image = axes.imshow(
        np.ma.masked_invalid(values),
        cmap=colormap,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
    )
    for i in range(len(ids)):
        for j in range(len(items)):
            value = values[i, j]
            if math.isnan(value):
                axes.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor="#EEEEEE",
                        edgecolor="#9E9E9E",
                        hatch="///",
                        linewidth=0.0,
                    )
                )
                continue
            axes.text(
                j,
                i,
                _percent(value, lang),
                ha="center",
                va="center",
                fontsize=8.5,
                color=_text_colour(colormap(norm(value))),
            )
    # White rules between cells, heavier between indicator groups.
    for j in range(1, len(items)):
        axes.axvline(j - 0.5, color="white", linewidth=1.0)
    for i in range(1, len(ids)):
        heavy = groups[ids[i]] != groups[ids[i - 1]]
        axes.axhline(i - 0.5, color="white", linewidth=3.0 if heavy else 0.6)
    axes.set_xticks(range(len(items)), labels, fontsize=9)
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("top")
    if axis_title:
        axes.set_xlabel(axis_title, fontsize=9)
    axes.set_yticks(range(len(ids)), [rows[i] for i in ids], fontsize=8.5)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    colorbar = figure.colorbar(image, ax=axes, shrink=0.6, aspect=25, pad=0.02)
    colorbar.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0 %", "25 %", "50 %", "75 %", "100 %"])
    colorbar.set_label(_word("attainment short", lang))
    colorbar.outline.set_visible(False)
    no_data = Patch(
        facecolor="#EEEEEE", edgecolor="#9E9E9E", hatch="///", label=_word("no data", lang)
    )
    figure.legend(handles=[no_data], loc="outside lower right", fontsize=8.5, frameon=False)

    first = items[0]
    entities = dict.fromkeys(r.entity for r in items)
    title = _word("attainment", lang)
    if len(entities) == 1:
        title += f" — {first.entity}"
    if len({r.plan for r in items}) == 1:
        # Within the figure's width, at about 7 points a character (10.5-point text).
        width = int(figure.get_figwidth() * 72 / 7)
        title += "\n" + _wrap(first.plan_label.text(lang), width, 3)
    figure.suptitle(title, fontsize=10.5)
    _finish(figure)
    _left_align_y_labels(figure, axes)
    return figure


# Profile -----------------------------------------------------------------------


def profile_plot(
    result: IndexResult, entity: str, node: str | None = None, *, lang: Language = "vi"
) -> Figure:
    """``entity``'s points on each component of ``node`` against the leader and the median.

    One row per component with a weight in ``node`` (the root by default, in
    index order): a grey bar up to the component's maximum points, the
    entity's points as a bar, the leader's as a diamond and the median's as a
    line; beside each row the entity's points and, in brackets, its difference
    from the leader (see :meth:`dxplan.index.model.IndexResult.explain`).

    Raises:
        InvalidValueError: an unknown entity, node or language.
    """
    lang = language(lang)
    _require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    explanation = result.explain(entity, node)
    node_id = explanation.node
    target = result.index.node(node_id)
    scale = target.points if isinstance(target, Aggregate) else 1.0
    shares = result.effective_weights(node_id)
    components = explanation.components
    count = len(components)
    figure = _figure(9.0, 2.25 + 0.5 * count)
    axes = figure.subplots()
    positions = list(range(count))
    # A component's maximum is its share of the node's points when its scores are
    # within 0–1 (the DTI); other scales (0–100, z-scores) have no maximum drawn.
    bounded = all(
        0.0 <= score <= 1.0
        for c in components
        for score in result.scores(c.component).values()
        if not math.isnan(score)
    )
    maxima = [shares[c.component] * scale if bounded else math.nan for c in components]
    if bounded:
        axes.barh(positions, maxima, height=0.72, color="#EDEDED", edgecolor=_GREY, linewidth=0.6)
    points = [c.points for c in components]
    axes.barh(positions, [0.0 if math.isnan(p) else p for p in points], height=0.42, color=_BLUE)
    axes.plot(
        [c.median_points for c in components],
        positions,
        linestyle="",
        marker="|",
        ms=16,
        mew=2.2,
        color=_DARK,
        zorder=3,
    )
    axes.plot(
        [c.leader_points for c in components],
        positions,
        linestyle="",
        marker="D",
        ms=6.5,
        color=_ORANGE,
        mec=_DARK,
        mew=0.6,
        zorder=4,
    )
    drawn = [
        v
        for c, top in zip(components, maxima, strict=True)
        for v in (top, c.points, c.leader_points, c.median_points)
        if not math.isnan(v)
    ]
    low, high = min(0.0, *drawn), max(0.0, *drawn)
    span = (high - low) or 1.0
    for y, gap, top in zip(positions, components, maxima, strict=True):
        if math.isnan(gap.points):
            text = _word("no data", lang)
        else:
            text = f"{_number(gap.points, lang)} ({_signed(gap.vs_leader, lang)})"
        # Beside whatever is drawn furthest right on the row.
        row = [v for v in (top, gap.points, gap.leader_points, gap.median_points, 0.0) if v == v]
        axes.text(max(row) + span * 0.03, y, text, va="center", fontsize=8.5, color=_DARK)
    axes.set_xlim(low - 0.02 * span if low < 0 else 0.0, high + 0.17 * span)
    labels = [_wrap(label_text(c.label, lang, default=c.component), 30, 2) for c in components]
    axes.set_yticks(positions, labels, fontsize=9)
    axes.set_ylim(count - 0.5, -0.5)
    axes.set_xlabel(_word("points" if scale != 1.0 else "contribution", lang))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#E0E0E0", linewidth=0.8)
    axes.set_axisbelow(True)
    leader_name = result.data.name(explanation.leader)
    handles = [
        Patch(facecolor=_BLUE, label=explanation.name),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            color=_ORANGE,
            mec=_DARK,
            mew=0.6,
            label=f"{_word('leader', lang)}: {leader_name}",
        ),
        Line2D(
            [],
            [],
            marker="|",
            linestyle="",
            color=_DARK,
            ms=12,
            mew=2.2,
            label=_word("median", lang),
        ),
    ]
    if bounded:
        handles.append(Patch(facecolor="#EDEDED", edgecolor=_GREY, label=_word("maximum", lang)))
    figure.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8.5, frameon=False)

    rank = (
        f"{_word('rank of', lang)} {explanation.rank}/{explanation.ranked}"
        if explanation.rank is not None
        else _word("no score", lang)
    )
    if scale != 1.0:
        score = f"{_number(explanation.points, lang)} {_word('points', lang).lower()}"
    else:
        score = f"{_word('score', lang).lower()} {_number(explanation.points, lang)}"
    figure.suptitle(
        f"{explanation.name} — {_node_title(result, node_id, lang)}\n{score}, {rank}",
        fontsize=12,
    )
    axes.set_title(f"{_word('profile', lang)} ({_word('vs leader', lang)})", fontsize=9, loc="left")
    return _finish(figure)


# Plan graph --------------------------------------------------------------------

_KIND_COLOURS = {
    "priority": ("#FBE3B0", _ORANGE),
    "task": ("#D5EBF8", _BLUE),
    "indicator": ("#CCEDE3", _GREEN),
    "group": ("#F2DCEA", _PURPLE),
    "component": ("#E4F2FB", _SKY),
    "index_node": ("#EFEFEF", _DARK),
}
_EDGE_STYLES: dict[str, dict[str, Any]] = {
    "prerequisite_of": {"color": _DARK, "linewidth": 1.6, "linestyle": "-", "alpha": 0.9},
    "contributes_to": {"color": "#8A8A8A", "linewidth": 0.7, "linestyle": "-", "alpha": 0.55},
    "belongs_to": {"color": _PURPLE, "linewidth": 0.9, "linestyle": "--", "alpha": 0.8},
    "serves": {"color": _ORANGE, "linewidth": 0.9, "linestyle": ":", "alpha": 0.9},
    "drives": {"color": _BLUE, "linewidth": 1.1, "linestyle": "-", "alpha": 0.8},
    "feeds": {"color": _SKY, "linewidth": 0.8, "linestyle": "-", "alpha": 0.7},
    "scores": {"color": _GREEN, "linewidth": 1.2, "linestyle": "-", "alpha": 0.9},
}


def graph_plot(graph: PlanGraph | Plan, *, lang: Language = "vi") -> Figure:
    """A plan's dependency graph in columns, left to right.

    Priorities; tasks in execution waves (each wave depends only on earlier
    ones; one column of tasks when the tasks depend on each other in a
    cycle); indicators in plan order; indicator groups beside their
    indicators. Boxes are coloured by kind and labelled with the id and the
    (shortened) label; lines are styled by relation: prerequisite (thick),
    contribution (thin grey), membership (dashed), priority served (dotted).

    Args:
        graph: a :class:`~dxplan.plan.graph.PlanGraph` (a subgraph such as
            ``impact_graph("T03")`` too) or a :class:`~dxplan.plan.model.Plan`.
        lang: ``"vi"`` or ``"en"``.
    """
    lang = language(lang)
    _require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from dxplan.errors import CyclicDependencyError
    from dxplan.plan.graph import GraphNode, NodeKind, PlanGraph

    if not isinstance(graph, PlanGraph):
        from dxplan.plan.model import Plan

        if not isinstance(graph, Plan):
            raise InvalidValueError("graph", graph, "a PlanGraph or a Plan")
        graph = graph.graph
    nodes = graph.nodes()
    by_kind = {kind: [n for n in nodes if n.kind is kind] for kind in NodeKind}
    try:
        waves = [[GraphNode.task(t.id) for t in wave] for wave in graph.execution_order()]
        cyclic = False
    except CyclicDependencyError:
        waves, cyclic = [by_kind[NodeKind.TASK]], True
    columns: list[tuple[str, list[GraphNode]]] = []
    if by_kind[NodeKind.PRIORITY]:
        columns.append((_word("priorities", lang), by_kind[NodeKind.PRIORITY]))
    for wave_number, wave in enumerate(waves, start=1):
        if wave:
            heading = _word("tasks", lang) if cyclic else f"{_word('wave', lang)} {wave_number}"
            columns.append((heading, wave))
    columns.append((_word("components", lang), by_kind[NodeKind.COMPONENT]))
    columns.append((_word("index nodes", lang), by_kind[NodeKind.INDEX_NODE]))
    columns.append((_word("indicators", lang), by_kind[NodeKind.INDICATOR]))
    columns.append((_word("groups", lang), by_kind[NodeKind.GROUP]))
    columns = [(heading, column) for heading, column in columns if column]
    if not columns:  # a plan of only an id and a label: nothing to draw but its name
        figure = _figure(4.0, 1.5)
        axes = figure.subplots()
        axes.set_axis_off()
        axes.set_title(graph.plan.label.text(lang), fontsize=11)
        return figure

    height = max((len(column) for _, column in columns), default=1)
    # Columns one unit apart; a single column of tasks (a cycle) gets room on
    # its right for the links between its own tasks.
    xs = [0.0]
    for before, _ in itertools.pairwise(column for _, column in columns):
        xs.append(xs[-1] + (1.5 if cyclic and before is waves[0] else 1.0))
    place: dict[GraphNode, tuple[float, float]] = {}
    indicator_y: dict[str, float] = {}
    for x, (_, column) in zip(xs, columns, strict=True):
        step = height / len(column)
        for k, node in enumerate(column):
            place[node] = (x, (k + 0.5) * step)
            if node.kind is NodeKind.INDICATOR:
                indicator_y[node.id] = (k + 0.5) * step
    # A group sits level with the middle of its indicators, when none collide.
    edges = graph.edges()
    group_y = {}
    for group in by_kind[NodeKind.GROUP]:
        ys = [
            indicator_y[e.source.id]
            for e in edges
            if e.target == group and e.source.kind is NodeKind.INDICATOR
        ]
        if ys:
            group_y[group] = sum(ys) / len(ys)
    if len(group_y) == len(by_kind[NodeKind.GROUP]) and _apart(list(group_y.values()), 1.2):
        for group, y in group_y.items():
            place[group] = (place[group][0], y)

    box_width, box_height = 0.84, min(0.86, 0.9 * height / max(len(c) for _, c in columns))
    unit_x, unit_y = 2.6, 0.56  # inches per unit across and down
    figure = _figure(unit_x * (xs[-1] + 1) + 0.5, 1.5 + unit_y * height)
    axes = figure.subplots()
    axes.set_xlim(-0.5, xs[-1] + 0.5)
    axes.set_ylim(height + 0.1, -0.75)
    axes.set_axis_off()
    for x, (heading, _) in zip(xs, columns, strict=True):
        axes.text(x, -0.45, heading, ha="center", va="center", fontsize=10, fontweight="bold")

    for edge in edges:
        (x0, y0), (x1, y1) = place[edge.source], place[edge.target]
        relation = str(edge.relation)
        if x1 == x0:
            # Tasks in one column (a cycle): the link loops out on the column's
            # right, about a third of a unit wide (arc3 bends by rad × the chord).
            start, end = (x0 + box_width / 2, y0), (x1 + box_width / 2, y1)
            chord = max(abs(y1 - y0) * unit_y, 1e-9)
            rad = min(2 * 0.3 * unit_x / chord, 1.5)
            # Rendered y runs upwards while the data's runs down: positive rad bends right
            # when the link goes up the picture.
            bend = rad if y1 < y0 else -rad
        else:
            forward = x1 > x0
            start = (x0 + box_width / 2, y0) if forward else (x0 - box_width / 2, y0)
            end = (x1 - box_width / 2, y1) if forward else (x1 + box_width / 2, y1)
            # Links that skip a column bend, so they do not run through its boxes.
            bend = 0.12 if abs(x1 - x0) > 1 else 0.0
        axes.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=7,
                connectionstyle=f"arc3,rad={bend}",
                shrinkA=0,
                shrinkB=1,
                zorder=1,
                **_EDGE_STYLES[relation],
            )
        )

    widths = dict.fromkeys(
        ("priority", "task", "indicator", "group", "component", "index_node"), 30
    )
    for node in nodes:
        if node not in place:
            continue
        left, middle = place[node]
        kind = str(node.kind)
        fill, border = _KIND_COLOURS[kind]
        axes.add_patch(
            FancyBboxPatch(
                (left - box_width / 2, middle - box_height / 2),
                box_width,
                box_height,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=fill,
                edgecolor=border,
                linewidth=1.0,
                zorder=2,
            )
        )
        label = graph.element(node).label.text(lang)
        lines = 2 if box_height >= 0.6 else 1
        text = _wrap(f"{node.id}  {label}", widths[kind], lines)
        axes.text(
            left, middle, text, ha="center", va="center", fontsize=8, zorder=3, linespacing=1.15
        )

    present = {str(edge.relation) for edge in edges}
    index_relations = {"drives", "feeds", "scores"}
    handles = [
        Line2D([], [], label=_word(relation, lang), **style)
        for relation, style in _EDGE_STYLES.items()
        if relation in present or relation not in index_relations
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8.5, frameon=False)
    title = graph.plan.label.text(lang)
    if cyclic:
        title += f" ({_word('cycle', lang)})"
    figure.suptitle(_wrap(title, 110, 2), fontsize=11)
    return _finish(figure)


def _apart(values: list[float], gap: float) -> bool:
    ordered = sorted(values)
    return all(b - a >= gap for a, b in itertools.pairwise(ordered))


# Saving ------------------------------------------------------------------------

_FORMATS = {".png": "png", ".svg": "svg"}
# svg.fonttype is read from the global rcParams when the file is written; the
# lock keeps two of our own SVG saves from interleaving their settings.
_SVG_LOCK = threading.Lock()


# Audit -------------------------------------------------------------------------


def correlation_heatmap(correlations: Correlations, *, lang: Language = "vi") -> Figure:
    """A correlation matrix as a heat map, −1 (vermillion) to 1 (blue), values in the cells.

    Correlations with p ≥ 0.05 are written in italics; a pair without enough
    data is hatched grey and left blank.
    """
    lang = language(lang)
    _require_matplotlib()
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    values = np.asarray(correlations.values, dtype=float)
    rows, columns = correlations.rows, correlations.columns
    figure = _figure(2.5 + 0.55 * len(columns), 1.5 + 0.3 * len(rows))
    axes = figure.subplots()
    colormap = colormaps["RdBu"]
    norm = Normalize(vmin=-1.0, vmax=1.0)
    image = axes.imshow(
        np.ma.masked_invalid(values),
        cmap=colormap,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
    )
    for i in range(len(rows)):
        for j in range(len(columns)):
            value = values[i, j]
            if math.isnan(value):
                blank = Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#EEEEEE", linewidth=0.0)
                blank.set_hatch("///")
                blank.set_edgecolor("#9E9E9E")
                axes.add_patch(blank)
                continue
            axes.text(
                j,
                i,
                _number(value, lang, 2),
                ha="center",
                va="center",
                fontsize=7.5,
                style="normal" if correlations.p_values[i, j] < 0.05 else "italic",
                color=_text_colour(colormap(norm(value))),
            )
    axes.set_xticks(range(len(columns)), list(columns), fontsize=8, rotation=90)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(rows)), list(rows), fontsize=8)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    colorbar = figure.colorbar(image, ax=axes, shrink=0.6, aspect=25, pad=0.02)
    colorbar.set_label(_word("correlation", lang))
    colorbar.outline.set_visible(False)
    figure.suptitle(
        f"{_word(correlations.method, lang)} ({_word('not significant', lang)})", fontsize=10.5
    )
    return _finish(figure)


def effective_weights_plot(weights: EffectiveWeights, *, lang: Language = "vi") -> Figure:
    """Each node's declared weight in its parent beside its importance there, parent by parent.

    Importance is the node's squared correlation with its parent as a share
    of its siblings' (see :func:`dxplan.index.audit.effective_weights`): a bar much
    shorter than the declared one marks a node that counts less than its
    weight says.
    """
    lang = language(lang)
    _require_matplotlib()
    import numpy as np

    rows = weights.rows
    if not rows:
        raise InvalidValueError("weights", weights, "at least one parent–child link")
    figure = _figure(6.5, 1.5 + 0.24 * len(rows))
    axes = figure.subplots()
    y = np.arange(len(rows), dtype=float)
    declared = [r.nominal for r in rows]
    importance = [0.0 if math.isnan(r.importance) else r.importance for r in rows]
    axes.barh(y - 0.2, declared, height=0.4, color=_GREY, label=_word("declared", lang))
    axes.barh(y + 0.2, importance, height=0.4, color=_BLUE, label=_word("importance", lang))
    labels = [f"{r.node} ({r.parent})" for r in rows]
    axes.set_yticks(y, labels, fontsize=7.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    for i in range(1, len(rows)):
        if rows[i].parent != rows[i - 1].parent:
            axes.axhline(i - 0.5, color=_DARK, linewidth=0.6)
    axes.set_xlabel(_word("share of parent", lang), fontsize=9)
    axes.set_xlim(0, max(1e-9, *declared, *importance) * 1.05)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    figure.legend(loc="outside lower right", fontsize=8, frameon=False, ncols=2)
    figure.suptitle(_word("effective", lang), fontsize=10.5)
    return _finish(figure)


def sobol_convergence_plot(result: SobolIndices, *, lang: Language = "vi") -> Figure:
    """Each input's first-order (dashed) and total-order (solid) index against N.

    Estimates on the first 64, 128, … samples (``result.convergence``): lines
    still moving at the right need more samples. Up to 8 inputs with the
    largest total order are drawn.
    """
    lang = language(lang)
    _require_matplotlib()
    if not result.convergence:
        raise InvalidValueError("result", result.output, "Sobol indices with a convergence table")
    figure = _figure(7.0, 4.25)
    axes = figure.subplots()
    sizes = [c.samples for c in result.convergence]
    order = sorted(range(len(result.indices)), key=lambda k: -result.indices[k].total)[:8]
    colours = itertools.cycle([_BLUE, _ORANGE, _GREEN, _VERMILLION, _PURPLE, _SKY, _DARK, _GREY])
    for k, colour in zip(order, colours, strict=False):
        name = result.indices[k].name
        axes.plot(sizes, [c.total[k] for c in result.convergence], color=colour, label=name)
        axes.plot(sizes, [c.first[k] for c in result.convergence], color=colour, linestyle="--")
    axes.set_xscale("log", base=2)
    axes.set_xlabel(_word("samples", lang), fontsize=9)
    axes.set_ylabel(_word("sobol index", lang), fontsize=9)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    figure.legend(loc="outside right upper", fontsize=8, frameon=False)
    figure.suptitle(f"{_word('convergence', lang)}\n{_wrap(result.output, 80, 2)}", fontsize=10.5)
    return _finish(figure)


def task_effects_plot(effects: TaskEffects, *, lang: Language = "vi") -> Figure:
    """The points each driving task can add at its bounds, most first, with its best rank.

    One bar per task (:func:`dxplan.whatif.tasks.task_effects`); beside it, the
    points and the best rank the task reaches alone. Tasks whose components
    have no data are drawn as an empty row marked "no data".

    Raises:
        InvalidValueError: an unknown language.
    """
    lang = language(lang)
    rows = effects.effects
    figure = _figure(9.0, 1.75 + 0.45 * max(len(rows), 1))
    axes = figure.subplots()
    positions = list(range(len(rows)))
    gains = [e.points_at_bounds for e in rows]
    axes.barh(
        positions,
        [0.0 if math.isnan(g) else g for g in gains],
        height=0.6,
        color=[_BLUE if e.best_rank != e.rank_before else _SKY for e in rows],
    )
    top = max([g for g in gains if not math.isnan(g)] + [1.0])
    for y, gain, effect in zip(positions, gains, rows, strict=True):
        text = (
            _word("no data", lang)
            if math.isnan(gain)
            else f"+{_number(gain, lang)} · {_word('best rank', lang)} {effect.best_rank}"
        )
        axes.text(gain if not math.isnan(gain) else 0.0, y, f"  {text}", va="center", fontsize=9)
    axes.set_yticks(
        positions, [_shorten(f"{e.task} {e.label.text(lang)}", 34) for e in rows], fontsize=9
    )
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.45)
    axes.set_xlabel(_word("task gain", lang).format(index=effects.index), fontsize=9)
    axes.set_title(
        _word("task title", lang).format(
            name=effects.name, index=effects.index, rank=effects.rank_before, n=effects.entities
        ),
        fontsize=11,
        loc="left",
    )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _finish(figure)


def save(
    figure: Figure, path: str | os.PathLike[str], *, force: bool = False, dpi: float | None = None
) -> Path:
    """Write ``figure`` to ``path`` as PNG or SVG (by the suffix), atomically.

    The picture is written to a temporary file beside ``path`` and renamed
    over it, so a failed write leaves nothing half-written. An existing file
    is never replaced unless ``force`` is given. SVG keeps its text as text
    (searchable, and the labels stay Vietnamese), in :data:`FONT`.

    Args:
        figure: a figure from this module (or any matplotlib figure).
        path: where to write; the suffix (``.png`` or ``.svg``) picks the format.
        force: replace an existing file.
        dpi: pixels per inch of a PNG; the figure's own by default.

    Raises:
        FileFormatError: an unsupported suffix, or a file that exists
            without ``force``.
        MissingExtraError: matplotlib is not installed.
    """
    _require_matplotlib()
    import matplotlib

    path = Path(path)
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        raise FileFormatError(
            f"cannot save a picture to {path}",
            [Problem(str(path), f"found suffix {path.suffix!r}; expected .png or .svg")],
        )

    def draw(stream: BinaryIO) -> None:
        if kind == "svg":
            with _SVG_LOCK, matplotlib.rc_context({"svg.fonttype": "none"}):
                figure.savefig(stream, format="svg", metadata={"Date": None})
        else:
            figure.savefig(stream, format="png", dpi=dpi or figure.dpi)

    write_atomic(path, draw, force=force)
    return path

"""Views of composite indices: the index tree, a ranking, an entity's explanation."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from dxplan.render._layout import Column, Grid
from dxplan.render.numbers import number, signed
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language, label_text

if TYPE_CHECKING:
    from dxplan.index.model import Explanation, Index, IndexResult, ScoreChange
    from dxplan.index.provinces import MergedRanking

__all__ = [
    "change_view",
    "explanation_view",
    "index_tree",
    "merged_ranking_table",
    "ranking_table",
]


def index_tree(index: Index, lang: Language = "en") -> Tree:
    """The index as a tree of nodes: id, label, rule or aggregator, weight in its parent."""
    from dxplan.index.model import Aggregate, Leaf

    lang = language(lang)

    def label(node_id: str, weight: float | None) -> Text:
        node = index.node(node_id)
        kind = node.rule.kind if isinstance(node, Leaf) else node.aggregator.kind
        return Text.assemble(
            (node_id, "bold"),
            f" {node.label.text(lang)}" if node.label else "",
            (f" {kind}", "cyan"),
            ("" if weight is None else f" w={number(weight, lang)}", "dim"),
            (f" ({phrase('assumption', lang)})" if node.assumption else "", "yellow"),
        )

    tree = Tree(label(index.root, None))

    def grow(branch: Tree, node_id: str) -> None:
        node = index.node(node_id)
        if isinstance(node, Aggregate):
            for child, w in zip(node.children, node.weights, strict=True):
                grow(branch.add(label(child, w)), child)

    grow(tree, index.root)
    return tree


def _scale_caption(points: float, lang: Language) -> Text | None:
    if points == 1.0:
        return None
    return Text(phrase("scale note", lang, points=number(points, lang)), style="dim")


def ranking_table(
    result: IndexResult,
    node: str | None = None,
    *,
    decimals: int | None = None,
    lang: Language = "vi",
    top: int | None = None,
) -> RenderableType:
    """The ranking of ``result`` on ``node`` (the root by default), best first.

    Scores are on the index's own scale, with 4 decimals or, with ``decimals``,
    rounded to that many (ties are then judged on the rounded scores). When
    the node has a points scale (the DTI: 1 000), a caption says how scores
    convert to points. ``top`` keeps the first rows and says how many are left.
    """
    from dxplan.index.model import Aggregate

    lang = language(lang)
    index = result.index
    node_id = index.root if node is None else node
    title = Text(index.title(lang))
    if node_id != index.root or index.name:
        title.append(f" — {node_id}")
    target = index.node(node_id)
    points = target.points if isinstance(target, Aggregate) else 1.0
    table = Grid(
        (
            Column(header=phrase("rank", lang).capitalize(), justify="right"),
            Column(header=phrase("entity", lang), wrap=True),
            Column(header=f"{phrase('score', lang)} {node_id}", justify="right"),
        ),
        title=title,
        caption=_scale_caption(points, lang),
    )
    ranking = result.ranking(node_id, decimals=decimals)
    shown = ranking if top is None else ranking[:top]
    for r, entity, score in shown:
        table.add_row(
            "—" if r is None else str(r),
            result.data.name(entity),
            number(score, lang, decimals=4 if decimals is None else decimals),
        )
    if len(shown) < len(ranking):
        return Group(
            table, Text(phrase("more rows", lang, count=len(ranking) - len(shown)), style="dim")
        )
    return table


def explanation_view(explanation: Explanation, lang: Language = "vi") -> RenderableType:
    """An entity's standing on a node and its gaps to the leader and the median, in points."""
    lang = language(lang)
    e = explanation
    rank = (
        phrase("no rank", lang)
        if e.rank is None
        else phrase("rank of", lang, rank=e.rank, ranked=e.ranked)
    )
    scale = number(e.scale, lang)
    scaled = e.scale != 1
    head = Text.assemble(
        (e.name, "bold"),
        phrase(
            "explained" if scaled else "explained unscaled",
            lang,
            node=label_text(e.node_label, lang, default=e.node),
            points=number(e.points, lang, decimals=1),
            scale=scale,
            score=number(e.score, lang, decimals=4),
            rank=rank,
        ),
    )
    if e.above is not None and e.gap_to_above is not None:
        head.append(
            phrase(
                "behind",
                lang,
                gap=number(e.gap_to_above, lang, decimals=1),
                name=e.above_name or e.above,
            )
        )
    table = Grid(
        (
            Column(header=phrase("component", lang), wrap=True),
            Column(
                header=phrase("points of", lang, scale=scale) if scaled else phrase("points", lang),
                justify="right",
            ),
            Column(header=phrase("vs leader", lang), justify="right", wrap=True),
            Column(header=phrase("vs median", lang), justify="right", wrap=True),
        ),
        label=None,
    )
    for gap in sorted(
        e.components, key=lambda g: -math.inf if math.isnan(g.vs_median) else -g.vs_median
    ):
        label = Text(label_text(gap.label, lang, default=gap.component))
        if gap.imputed:
            label.append(phrase("imputed mark", lang), style="yellow")
        table.add_row(
            label,
            number(gap.points, lang, decimals=1),
            signed(gap.vs_leader, lang, decimals=1),
            signed(gap.vs_median, lang, decimals=1),
        )
    return Group(head, table)


def change_view(change: ScoreChange, lang: Language = "vi", *, top: int = 8) -> RenderableType:
    """How an entity's score and rank moved between two periods, component by component."""
    lang = language(lang)
    head = Text(
        phrase(
            "change title",
            lang,
            name=change.name,
            node=label_text(change.node_label, lang, default=change.node),
            before=change.before_period,
            after=change.after_period,
            change=signed(change.change, lang, decimals=2),
            rank_before="—" if change.rank_before is None else change.rank_before,
            rank_after="—" if change.rank_after is None else change.rank_after,
        ),
        style="bold",
    )
    table = Grid(
        (
            Column(header=phrase("component", lang), wrap=True),
            Column(header=str(change.before_period), justify="right"),
            Column(header=str(change.after_period), justify="right"),
            Column(header=phrase("change", lang), justify="right"),
        ),
        label=None,
    )
    for c in change.largest(top):
        label = Text(label_text(c.label, lang, default=c.component))
        if c.imputed_before or c.imputed_after:
            label.append(phrase("imputed mark", lang), style="yellow")
        table.add_row(
            label,
            number(c.before, lang, decimals=2),
            number(c.after, lang, decimals=2),
            signed(c.change, lang, decimals=2),
        )
    return Group(head, table)


def _rule_text(ranking: MergedRanking, lang: Language) -> str:
    kinds = {kind for _, kind in ranking.rule_by_component}
    if len(kinds) == 1:
        return phrase("of every component", lang, rule=phrase(kinds.pop(), lang))
    return "; ".join(f"{c}: {phrase(kind, lang)}" for c, kind in ranking.rule_by_component)


def merged_ranking_table(ranking: MergedRanking, *, lang: Language = "vi") -> RenderableType:
    """A ranking on the 34 units from 1 July 2025, with its former units and their ranks of 63."""
    from dxplan.index.provinces import province

    lang = language(lang)
    table = Grid(
        (
            Column(header=phrase("report.rank", lang), justify="right"),
            Column(header=phrase("unit 2025", lang), wrap=True),
            Column(header=phrase("score", lang), justify="right"),
            # One former unit a line, each kept whole: "Thừa Thiên Huế (4)".
            Column(header=phrase("former units", lang, count=ranking.ranked_former)),
            Column(header=phrase("missing members", lang)),
        ),
        title=phrase("merged title", lang, node=ranking.node),
        caption=Text(phrase("merged caption", lang, rules=_rule_text(ranking, lang)), style="dim"),
    )
    for entry in ranking.entries:
        table.add_row(
            "—" if entry.rank is None else str(entry.rank),
            entry.name,
            number(entry.score, lang, decimals=4),
            "\n".join(
                f"{province(m, 2024).name_vi} ({'—' if r is None else r})"
                for m, r in entry.former_ranks
            ),
            "\n".join(province(m, 2024).name_vi for m in entry.missing),
        )
    return table

"""Views of a statistical audit: correlations, flags, consistency, PCA, optimised weights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dxplan.render.numbers import number
from dxplan.render.phrasebook import phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.index.audit import Audit, Correlations
    from dxplan.index.weighting import OptimisedWeights

__all__ = ["audit_view", "correlation_table", "optimised_weights_table"]


def correlation_table(correlations: Correlations, lang: Language = "vi") -> RenderableType:
    """A correlation matrix: rows × columns, two decimals, an asterisk where p < 0.05."""
    table = Table(title=phrase(correlations.method, lang))
    table.add_column("")
    for column in correlations.columns:
        table.add_column(column, justify="right", no_wrap=True)
    for i, row in enumerate(correlations.rows):
        cells = []
        for j in range(len(correlations.columns)):
            star = "*" if correlations.p_values[i, j] < 0.05 else ""
            cells.append(number(float(correlations.values[i, j]), lang, decimals=2) + star)
        table.add_row(Text(row), *cells)
    return table


def audit_view(audit: Audit, lang: Language = "vi") -> RenderableType:
    """The audit: correlation flags, each group's alpha and PCA, declared weights vs importance.

    Node ids are never cut or wrapped; headers and phrases wrap instead. The
    two ids of a flag share one cell (one above the other) and the effective
    weights come in one block per parent, so the view reads at 60 columns.
    """
    from dxplan.index.model import Aggregate

    index = audit.result.index
    title = Text(
        phrase("audit title", lang).format(index=index.title(lang))
        + f" ({phrase(audit.method, lang)})",
        style="bold",
    )
    widest = min(max(len(n.id) for n in index.nodes), 30)

    def id_column(table: Table, header: str) -> None:
        table.add_column(header, no_wrap=True, min_width=widest)

    flags = Table(title=phrase("flags", lang))
    flags.add_column(phrase("flag", lang), min_width=10)
    id_column(flags, f"{phrase('node', lang)} / {phrase('with', lang)}")
    flags.add_column("r", justify="right", no_wrap=True)
    for flag in audit.flags:
        flags.add_row(
            phrase(flag.kind, lang),
            Text(f"{flag.node}\n{flag.other}"),
            number(flag.r, lang, decimals=2),
        )
    groups = Table(title=phrase("audit groups", lang))
    id_column(groups, phrase("group", lang))
    groups.add_column("alpha", justify="right")
    groups.add_column(phrase("pca", lang), justify="right")
    groups.add_column(phrase("entities used", lang), justify="right")
    by_group = {p.group: p for p in audit.components}
    for group, alpha in audit.alphas.items():
        pca = by_group.get(group)
        node = index.node(group)
        members = len(node.children) if isinstance(node, Aggregate) else 0
        share = "" if pca is None else number(100 * pca.explained[0], lang, decimals=0)
        groups.add_row(
            Text(f"{group} ({members})"),
            number(alpha, lang, decimals=2),
            "—" if pca is None else f"{share} % · {pca.components_needed(0.9)}",
            "—" if pca is None else str(pca.entities),
        )
    weights = Table(title=phrase("effective", lang))
    id_column(weights, phrase("node", lang))
    weights.add_column(phrase("declared weight", lang), justify="right")
    weights.add_column(phrase("importance", lang), justify="right")
    weights.add_column(phrase("r with parent", lang), justify="right")
    parent = None
    for row in audit.weights.rows:
        if row.parent != parent:
            if parent is not None:
                weights.add_section()
            parent = row.parent
            weights.add_row(Text(parent, style="bold"), "", "", "")
        weights.add_row(
            Text(f"  {row.node}"),
            number(row.nominal, lang, decimals=2),
            number(row.importance, lang, decimals=2),
            number(row.r, lang, decimals=2),
        )
    shown: list[RenderableType] = [title]
    shown.append(flags if audit.flags else Text(phrase("no flags", lang)))
    shown += [groups, Text(phrase("pca note", lang), style="dim"), weights]
    return Group(*shown)


def optimised_weights_table(result: OptimisedWeights, lang: Language = "vi") -> RenderableType:
    """Each child's optimised weight and its correlation with the node before and after."""
    notes = []
    if not result.converged:
        notes.append(phrase("not converged", lang).format(n=result.iterations))
    if result.objective == "balance" and result.gap > 1e-4:
        notes.append(phrase("gap", lang).format(gap=number(result.gap, lang, decimals=4)))
    table = Table(
        title=phrase("optimised title", lang).format(node=result.node, objective=result.objective),
        caption=Text("\n".join(notes), style="yellow") if notes else None,
    )
    table.add_column(phrase("child", lang))
    table.add_column(phrase("weight", lang), justify="right", no_wrap=True)
    table.add_column(phrase("r before", lang), justify="right", no_wrap=True)
    table.add_column(phrase("r after", lang), justify="right", no_wrap=True)
    if result.targets:
        table.add_column(phrase("target share", lang), justify="right", no_wrap=True)
    for child, weight in result.weights.items():
        cells: list[RenderableType] = [
            Text(child),
            number(weight, lang, decimals=4),
            number(result.nominal_correlations[child], lang, decimals=4),
            number(result.correlations[child], lang, decimals=4),
        ]
        if result.targets:
            cells.append(number(result.targets[child], lang, decimals=3))
        table.add_row(*cells)
    return table

"""Views of a plan: its tree, its checks, its dependency graph."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from rich.tree import Tree

from dxplan.plan.model import Indicator, Plan, Source, Target
from dxplan.plan.validation import CheckReport, Severity
from dxplan.render._layout import Column, Grid
from dxplan.render.numbers import comparison
from dxplan.render.phrasebook import language, phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.plan.graph import Element, Impact, NodeKind, PlanGraph

__all__ = [
    "check_table",
    "execution_tree",
    "impact_summary",
    "impact_tree",
    "plan_tree",
    "target_text",
]


def target_text(target: Target, indicator: Indicator, lang: Language = "vi") -> str:
    """A target in words: ``"≥ 70 %"``, ``"> 10 %"``, ``"hạng ≤ 5/63 (đến 2025)"``."""
    text = comparison(
        target.comparator, target.value, target.unit or indicator.unit, lang, out_of=target.out_of
    )
    if target.deadline is not None:
        text += f" ({phrase('by', lang)} {target.deadline})"
    return text


def plan_tree(plan: Plan, lang: Language = "vi") -> Tree:
    """The plan as a tree: priorities; groups with declared vs listed counts; tasks."""
    lang = language(lang)
    tree = Tree(Text(f"{plan.label.text(lang)}  [{plan.id}]", style="bold"))
    if plan.theme is not None:
        tree.add(Text.assemble((f"{phrase('theme', lang)}: ", "bold"), plan.theme.text(lang)))
    priorities = tree.add(Text(phrase("priorities", lang), style="bold cyan"))
    for priority in plan.priorities:
        priorities.add(Text(f"{priority.id}  {priority.label.text(lang)}"))
    groups = tree.add(
        Text(
            f"{phrase('groups', lang)} ({plan.declared_count} {phrase('declared', lang)}, "
            f"{len(plan.indicators)} {phrase('listed', lang)})",
            style="bold cyan",
        )
    )
    for group in plan.groups:
        counts = (
            f"{group.declared_count} {phrase('declared', lang)}, "
            f"{group.listed_count} {phrase('listed', lang)}"
        )
        node = groups.add(
            Text.assemble((f"{group.id}  {group.label.text(lang)}", "bold"), f"  ({counts})")
        )
        for indicator in group.indicators:
            leaf = node.add(
                Text.assemble((indicator.id, "bold"), f"  {indicator.label.text(lang)}")
            )
            for target in indicator.targets:
                scope = f"{target.scope_label.text(lang)}: " if target.scope_label else ""
                leaf.add(Text(f"{scope}{target_text(target, indicator, lang)}", style="green"))
        if group.unlisted_count:
            node.add(
                Text(
                    f"+ {group.unlisted_count} {phrase('unlisted', lang)} "
                    f"({phrase('unknown', lang)})",
                    style="yellow",
                )
            )
    tasks = tree.add(Text(phrase("tasks", lang), style="bold cyan"))
    for task in plan.tasks:
        node = tasks.add(Text.assemble((task.id, "bold"), f"  {task.label.text(lang)}"))
        if task.depends_on:
            node.add(
                Text(f"{phrase('depends on', lang)}: {', '.join(d.to for d in task.depends_on)}")
            )
        if task.contributes_to:
            assumed = all(
                link.provenance.source is Source.ASSUMPTION for link in task.contributes_to
            )
            note = f" ({phrase('assumption', lang)})" if assumed else ""
            targets = ", ".join(link.to for link in task.contributes_to)
            node.add(Text(f"{phrase('contributes to', lang)}: {targets}{note}", style="dim"))
    return tree


def check_table(report: CheckReport, lang: Language = "vi") -> RenderableType:
    """The findings of :func:`dxplan.check`, errors first, each with its code."""
    lang = language(lang)
    if not report.findings:
        return Text(phrase("no findings", lang), style="green")
    table = Grid(
        (
            Column(header=phrase("severity", lang)),
            Column(header=phrase("where", lang), wrap=True),
            Column(header=phrase("finding", lang), wrap=True),
        ),
        title=phrase("checks", lang),
        key=1,
        label=2,
    )
    for finding in report.findings:
        style = "bold red" if finding.severity is Severity.ERROR else "yellow"
        table.add_row(
            Text(phrase(finding.severity.value, lang), style=style),
            Text(finding.where),
            Text.assemble(finding.text(lang), (f" [{finding.code}]", "dim")),
        )
    return table


def _kind(kind: NodeKind, lang: Language) -> str:
    # "kind.component" is a data column in the construction views; here it is an index's.
    key = "index_component" if kind.value == "component" else kind.value
    return phrase(f"kind.{key}", lang)


def _element_text(kind: NodeKind, element: Element, lang: Language) -> Text:
    text = Text(f"{_kind(kind, lang)} ", style="dim")
    text.append(element.id, style="bold")
    text.append(f" {element.label.text(lang)}")
    return text


def _graph_target_text(indicator: Indicator, target: Target, lang: Language) -> str:
    text = comparison(
        target.comparator, target.value, target.unit or indicator.unit, lang, out_of=target.out_of
    )
    if target.scope_label is not None:
        text += f" ({target.scope_label.text(lang)})"
    elif target.scope is not None:
        text += f" ({target.scope})"
    if target.deadline is not None:
        text += f", {phrase('by', lang)} {target.deadline}"
    return text


MAX_DEPTH = 12
"""How deep an impact tree nests before a path goes on as a list."""


def impact_tree(graph: PlanGraph, task_id: str, lang: Language = "vi") -> Tree:
    """The impact of a task as a tree, one branch per path.

    Each reached element hangs under the element before it on its path
    (:class:`~dxplan.plan.graph.Reach`); an indicator's targets hang under the indicator.

    Raises:
        UnknownIdError: no task has this id.
        CyclicDependencyError: tasks depend on each other in a cycle.
    """
    return impact_summary(graph.impact(task_id), lang)


def impact_summary(impact: Impact, lang: Language = "vi") -> Tree:
    """A task's :class:`~dxplan.plan.graph.Impact` as a tree, one branch per path."""
    from dxplan.plan.graph import NodeKind

    lang = language(lang)
    from dxplan.plan.graph import GraphNode

    line = functools.partial(_element_text, lang=lang)
    # A task and an indicator may share an id, so branches are found by node, not by id.
    # Each node is reached once, by a path that extends the path of the node before it,
    # so that node's branch is the parent (looked up by one node, not by the whole path:
    # a 5 000-task chain would hash 12.5 million nodes).
    # Below MAX_DEPTH a path goes on at that depth, each step marked "→": a chain of
    # 5 000 tasks stays readable, and rich lays out a tree in time quadratic in its depth.
    root = Tree(line(NodeKind.TASK, impact.task))
    branches: dict[GraphNode, tuple[Tree, Tree, int]] = {
        GraphNode.task(impact.task.id): (root, root, 0)
    }
    for reach in sorted(impact.reached, key=lambda r: len(r.path)):
        parent, above, depth = branches[reach.nodes[-2]]
        text = line(reach.node.kind, reach.element)
        if depth < MAX_DEPTH:
            branch = parent.add(text)
            branches[reach.node] = (branch, parent, depth + 1)
        else:
            branch = above.add(Text("→ ", style="dim").append_text(text))
            branches[reach.node] = (branch, above, depth)
        if isinstance(reach.element, Indicator):
            for target in reach.element.targets:
                branch.add(
                    Text(f"{phrase('target', lang)}: ", style="dim").append(
                        _graph_target_text(reach.element, target, lang)
                    )
                )
    return root


def execution_tree(graph: PlanGraph, lang: Language = "vi") -> Tree:
    """The tasks in waves (:meth:`~dxplan.plan.graph.PlanGraph.execution_order`) as a tree.

    Each task lists the indicators it contributes to directly.

    Raises:
        CyclicDependencyError: tasks depend on each other in a cycle.
    """
    from dxplan.plan.graph import NodeKind

    lang = language(lang)
    root = Tree(Text(graph.plan.label.text(lang), style="bold"))
    for number, wave in enumerate(graph.execution_order(), start=1):
        branch = root.add(Text(f"{phrase('wave', lang)} {number}", style="bold"))
        for task in wave:
            task_branch = branch.add(_element_text(NodeKind.TASK, task, lang))
            for indicator in graph.indicators_for(task.id):
                task_branch.add(_element_text(NodeKind.INDICATOR, indicator, lang))
    return root

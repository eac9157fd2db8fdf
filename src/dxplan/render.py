"""Rich renderables of plans and findings, in Vietnamese or English.

Functions here return rich objects and never print; the CLI prints them, and
tests read them through ``Console(record=True)``.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from dxplan.model import Indicator, Plan, Source, Target
from dxplan.text import Language
from dxplan.validation import CheckReport, Severity

__all__ = ["check_table", "html", "phrase", "plan_tree", "target_text"]

_PHRASES: dict[str, tuple[str, str]] = {
    "priorities": ("Ưu tiên", "Priorities"),
    "groups": ("Nhóm chỉ tiêu", "Indicator groups"),
    "tasks": ("Nhiệm vụ trọng tâm", "Key tasks"),
    "theme": ("Chủ đề", "Theme"),
    "declared": ("công bố", "declared"),
    "listed": ("liệt kê", "listed"),
    "unlisted": ("chưa liệt kê", "not listed"),
    "unknown": ("không rõ nội dung", "content unknown"),
    "depends on": ("phụ thuộc", "depends on"),
    "contributes to": ("đóng góp cho", "contributes to"),
    "assumption": ("giả định", "assumption"),
    "severity": ("Mức độ", "Severity"),
    "where": ("Vị trí", "Where"),
    "finding": ("Phát hiện", "Finding"),
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "checks": ("Kiểm tra kế hoạch", "Plan checks"),
    "no findings": ("Không có phát hiện nào.", "No findings."),
    "rank": ("hạng", "rank"),
    "of": ("trên", "of"),
    "by": ("đến", "by"),
}


def html(renderable: RenderableType, width: int = 100) -> str:
    """``renderable`` as an HTML fragment for notebooks; rich escapes every text."""
    import io

    from rich.console import Console

    console = Console(record=True, file=io.StringIO(), width=width, force_jupyter=False)
    console.print(renderable)
    return console.export_html(
        inline_styles=True,
        code_format="<pre style=\"font-family:Menlo,'DejaVu Sans Mono',Consolas,monospace;"
        'line-height:1.25">{code}</pre>',
    )


def phrase(key: str, lang: Language) -> str:
    """A fixed phrase of the interface in ``lang``."""
    vi, en = _PHRASES[key]
    return vi if lang == "vi" else en


def target_text(target: Target, indicator: Indicator, lang: Language = "vi") -> str:
    """A target in words: ``"≥ 70 %"``, ``"> 10 %"``, ``"hạng ≤ 5 trên 63"``."""
    symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "rank<=": "≤"}[target.comparator.value]
    unit = target.unit or indicator.unit
    if target.comparator.is_rank:
        text = f"{phrase('rank', lang)} {symbol} {target.value:g}"
        if target.out_of:
            text += f" {phrase('of', lang)} {target.out_of}"
    else:
        text = f"{symbol} {target.value:g} {unit.symbol}"
    if target.deadline is not None:
        text += f" ({phrase('by', lang)} {target.deadline})"
    return text


def plan_tree(plan: Plan, lang: Language = "vi") -> Tree:
    """The plan as a tree: priorities; groups with declared vs listed counts; tasks."""
    tree = Tree(Text(f"{plan.label.text(lang)}  [{plan.id}]", style="bold"))
    if plan.theme is not None:
        tree.add(Text.assemble((f"{phrase('theme', lang)}: ", "bold"), plan.theme.text(lang)))
    priorities = tree.add(Text(phrase("priorities", lang), style="bold cyan"))
    for priority in plan.priorities:
        # Text, not a str: a str would be read as rich markup, and labels may hold '['.
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
                f"{phrase('depends on', lang)}: {', '.join(link.to for link in task.depends_on)}"
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
    """The findings of :func:`dxplan.check` as a table, errors first."""
    if not report.findings:
        return Text(phrase("no findings", lang), style="green")
    table = Table(title=phrase("checks", lang), show_lines=False, expand=False)
    table.add_column(phrase("severity", lang), no_wrap=True)
    table.add_column(phrase("where", lang), overflow="fold", ratio=1)
    table.add_column(phrase("finding", lang), overflow="fold", ratio=3)
    for finding in report.findings:
        style = "bold red" if finding.severity is Severity.ERROR else "yellow"
        table.add_row(
            Text(phrase(finding.severity.value, lang), style=style),
            finding.where,
            Text.assemble(finding.message, (f" [{finding.code}]", "dim")),
        )
    return Group(table)

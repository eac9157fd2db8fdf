"""Rich renderables of plans and findings, in Vietnamese or English.

Functions here return rich objects and never print; the CLI prints them, and
tests read them through ``Console(record=True)``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from dxplan.model import Indicator, Plan, Source, Target
from dxplan.text import Language
from dxplan.validation import CheckReport, Severity

if TYPE_CHECKING:
    from dxplan.audit import Audit, Correlations
    from dxplan.denomination import DenominationResult
    from dxplan.goalseek import GoalSeekResult
    from dxplan.imputation import ImputationResult
    from dxplan.index import Explanation, IndexResult, ScoreChange
    from dxplan.provinces import MergedRanking
    from dxplan.screening import ScreeningResult
    from dxplan.treatment import TreatmentResult
    from dxplan.uncertainty import UncertaintyResult
    from dxplan.weighting import OptimisedWeights

__all__ = [
    "audit_view",
    "change_view",
    "check_table",
    "correlation_table",
    "denomination_table",
    "explanation_view",
    "goal_seek_table",
    "html",
    "imputation_table",
    "merged_ranking_table",
    "optimised_weights_table",
    "phrase",
    "plan_tree",
    "ranking_table",
    "screening_table",
    "target_text",
    "treatment_table",
    "uncertainty_table",
]

#: Fewer draws than this give quantiles too rough to read much into.
FEW_DRAWS = 20

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
    "entity": ("đơn vị", "entity"),
    "score": ("điểm", "score"),
    "scale note": (
        "điểm × {points} = số điểm trên {points}",
        "score × {points} = points of {points}",
    ),
    "nominal": ("hạng gốc", "nominal"),
    "mean": ("trung bình", "mean"),
    "median": ("trung vị", "median"),
    "draws title": (
        "{index}: hạng qua {draws} lần rút, nhiễu trọng số {noise}",
        "{index}: ranks over {draws} {draw_word}, weight noise {noise}",
    ),
    "few draws": (
        "Chỉ {draws} lần rút: các phân vị còn thô; hãy dùng từ {few} lần trở lên.",
        "Only {draws} {draw_word}: the quantiles are rough; use {few} or more.",
    ),
    "lever": ("đòn bẩy", "lever"),
    "start": ("ban đầu", "start"),
    "value": ("giá trị", "value"),
    "change": ("thay đổi", "change"),
    "already reached": ("đã đạt", "already reached"),
    "reached": ("đạt được", "reached"),
    "not reachable": ("không đạt được trong giới hạn", "not reachable within bounds"),
    "component": ("thành phần", "component"),
    "points of": ("điểm trên {scale:g}", "points of {scale:g}"),
    "vs leader": ("so với dẫn đầu (điểm)", "vs leader (points)"),
    "vs median": ("so với trung vị (điểm)", "vs median (points)"),
    "explained": (
        " trên {node}: {points:.1f} điểm trên {scale:g} (điểm số {score:.4f}), {rank}",
        " on {node}: {points:.1f} points of {scale:g} (score {score:.4f}), {rank}",
    ),
    "no rank": ("không có hạng", "no rank"),
    "rank of": ("hạng {rank} trên {ranked}", "rank {rank} of {ranked}"),
    "behind": ("; kém {name} {gap:.1f} điểm", "; {gap:.1f} points behind {name}"),
    "merged title": (
        "{node}: xếp hạng trên 34 đơn vị hành chính từ 1/7/2025",
        "{node}: ranked on the 34 units from 1 July 2025",
    ),
    "sum": ("tổng", "sum"),
    "equal-weight mean": ("trung bình cộng không trọng số", "equal-weight mean"),
    "weighted mean": ("trung bình có trọng số", "weighted mean"),
    "not comparable": ("không so sánh được", "not comparable"),
    "of every component": ("{rule} của mọi thành phần", "{rule} of every component"),
    "rule": ("Quy tắc", "Rule"),
    "data": ("Dữ liệu", "Data"),
    "unit 2025": ("đơn vị (từ 1/7/2025)", "unit (from 1 July 2025)"),
    "former units": ("đơn vị cũ (hạng trên {count})", "former units (rank of {count})"),
    "missing members": ("thiếu dữ liệu", "missing data"),
    "merged caption": (
        "Gộp theo Nghị quyết 202/2025/QH15; {rules}. Đơn vị thiếu dữ liệu của đơn vị cũ "
        "không có điểm.",
        "Merged per Resolution 202/2025/QH15; {rules}. A unit missing a former unit's data "
        "has no score.",
    ),
    "imputed mark": (" (điền khuyết)", " (imputed)"),
    "period": ("kỳ", "period"),
    "skew": ("độ lệch", "skew"),
    "kurtosis": ("độ nhọn", "kurtosis"),
    "winsorised": ("điểm cắt", "winsorised"),
    "transform": ("biến đổi", "transform"),
    "treatment title": (
        "Xử lý giá trị ngoại lai: {treated} trên {total} cột không đạt |độ lệch| < {skew:g} "
        "hoặc độ nhọn < {kurt:g}",
        "Outlier treatment: {treated} of {total} columns failed |skew| < {skew:g} "
        "or kurtosis < {kurt:g}",
    ),
    "imputation title": (
        "Điền khuyết ({method}): {count} giá trị",
        "Imputation ({method}): {count} values",
    ),
    "missing": ("thiếu", "missing"),
    "imputed": ("đã điền", "imputed"),
    "still missing": ("còn thiếu", "still missing"),
    "screening title": (
        "Sàng lọc: bỏ {entities} đơn vị và {components} thành phần",
        "Screening: {entities} entities and {components} components dropped",
    ),
    "kind": ("loại", "kind"),
    "denominator": ("mẫu số", "denominator"),
    "divided": ("đã chia", "divided"),
    "lost": ("mất (thiếu mẫu số)", "lost (no denominator)"),
    "denomination title": ("Chia theo mẫu số", "Denomination"),
    "availability": ("tỷ lệ có dữ liệu", "availability"),
    "nonzero": ("tỷ lệ khác 0", "non-zero share"),
    "forced out": ("loại theo yêu cầu", "forced out"),
    "reason": ("lý do", "reason"),
    "change title": (
        "{name} trên {node}, {before} → {after}: {change} điểm, hạng {rank_before} → {rank_after}",
        "{name} on {node}, {before} → {after}: {change} points, rank {rank_before} → {rank_after}",
    ),
    "audit title": ("Kiểm định thống kê: {index}", "Statistical audit: {index}"),
    "pearson": ("tương quan Pearson", "Pearson correlations"),
    "spearman": ("tương quan Spearman", "Spearman correlations"),
    "flags": ("Cờ tương quan", "Correlation flags"),
    "no flags": ("Không có cờ nào.", "No flags."),
    "flag": ("cờ", "flag"),
    "node": ("nút", "node"),
    "with": ("với", "with"),
    "negative": ("âm với nút cha", "negative with parent"),
    "weak": ("yếu với nút cha (< 0,3)", "weak with parent (< 0.3)"),
    "near-duplicate": ("gần trùng lặp (> 0,92)", "near-duplicate (> 0.92)"),
    "audit groups": ("Tính nhất quán và thành phần chính", "Consistency and principal components"),
    "group": ("nhóm", "group"),
    "pca": ("PC1 · số PC cho 90 %", "PC1 · PCs for 90 %"),
    "pca note": (
        "nhóm (số con); alpha: alpha Cronbach; PC1: phần phương sai thành phần chính thứ nhất "
        "giải thích; số PC cần cho 90 % phương sai",
        "group (members); alpha: Cronbach's alpha; PC1: share of variance the first principal "
        "component explains; PCs needed for 90 % of it",
    ),
    "entities used": ("đơn vị dùng", "entities used"),
    "effective": ("Trọng số công bố và mức ảnh hưởng", "Declared weights and importance"),
    "parent": ("nút cha", "parent"),
    "declared weight": ("trọng số công bố", "declared weight"),
    "importance": ("mức ảnh hưởng (r²)", "importance (r²)"),
    "r with parent": ("r với nút cha", "r with parent"),
    "optimised title": (
        "Trọng số tối ưu dưới {node} ({objective})",
        "Optimised weights under {node} ({objective})",
    ),
    "child": ("nút con", "child"),
    "weight": ("trọng số", "weight"),
    "r before": ("r trước", "r before"),
    "r after": ("r sau", "r after"),
    "target share": ("tỉ phần mục tiêu", "target share"),
    "not converged": ("Chưa hội tụ sau {n} vòng lặp.", "Not converged after {n} iterations."),
    "gap": (
        "Không trọng số dương nào đạt mục tiêu: lệch tối đa {gap}.",
        "No positive weights reach the targets: largest gap {gap}.",
    ),
}


def _num(value: float, spec: str, lang: Language) -> str:
    """A number in the language's convention: decimal comma in Vietnamese."""
    if math.isnan(value):
        return "—"
    text = format(value, spec)
    return text.replace(".", ",") if lang == "vi" else text


def explanation_view(explanation: Explanation, lang: Language = "vi") -> RenderableType:
    """An entity's standing on a node and its gaps to the leader and the median, in points."""
    e = explanation
    rank = (
        phrase("no rank", lang)
        if e.rank is None
        else phrase("rank of", lang).format(rank=e.rank, ranked=e.ranked)
    )
    head = Text.assemble(
        (e.name, "bold"),
        phrase("explained", lang).format(
            node=e.node, points=e.points, scale=e.scale, score=e.score, rank=rank
        ),
    )
    if e.above is not None and e.gap_to_above is not None:
        head.append(phrase("behind", lang).format(gap=e.gap_to_above, name=e.above_name or e.above))
    table = Table(
        phrase("component", lang),
        phrase("points of", lang).format(scale=e.scale),
        phrase("vs leader", lang),
        phrase("vs median", lang),
    )
    for gap in sorted(
        e.components, key=lambda g: -math.inf if math.isnan(g.vs_median) else -g.vs_median
    ):
        label = Text(gap.label or gap.component)
        if gap.imputed:
            label.append(phrase("imputed mark", lang), style="yellow")
        table.add_row(
            label,
            f"{gap.points:.1f}",
            f"{gap.vs_leader:+.1f}",
            f"{gap.vs_median:+.1f}",
        )
    return Group(head, table)


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
            Text.assemble(finding.text(lang), (f" [{finding.code}]", "dim")),
        )
    return Group(table)


def _number(value: float, spec: str) -> str:
    return "—" if math.isnan(value) else format(value, spec)


def _draw_word(count: int) -> str:
    return "draw" if count == 1 else "draws"


def ranking_table(
    result: IndexResult,
    node: str | None = None,
    *,
    decimals: int | None = None,
    lang: Language = "vi",
) -> RenderableType:
    """The ranking of ``result`` on ``node`` (the root by default), best first.

    Scores are on the index's own scale, with 4 decimals or, with ``decimals``,
    rounded to that many (ties are then judged on the rounded scores). When
    the node has a points scale (the DTI: 1 000), a caption says how scores
    convert to points.
    """
    from dxplan.index import Aggregate

    index = result.index
    node_id = index.root if node is None else node
    title = Text(index.name or index.root)
    if node_id != index.root or index.name:
        title.append(f" — {node_id}")
    target = index.node(node_id)
    points = target.points if isinstance(target, Aggregate) else 1.0
    caption = (
        None
        if points == 1.0
        else Text(phrase("scale note", lang).format(points=f"{points:g}"), style="dim")
    )
    table = Table(title=title, caption=caption)
    table.add_column(phrase("rank", lang))
    table.add_column(phrase("entity", lang))
    table.add_column(Text(f"{phrase('score', lang)} {node_id}"))
    spec = ".4f" if decimals is None else f".{decimals}f"
    for r, entity, score in result.ranking(node_id, decimals=decimals):
        table.add_row(
            "—" if r is None else str(r), Text(result.data.name(entity)), _number(score, spec)
        )
    return table


def merged_ranking_table(ranking: MergedRanking, *, lang: Language = "vi") -> RenderableType:
    """A ranking on the 34 units from 1 July 2025, with its former units and their ranks of 63."""
    from dxplan.provinces import province

    table = Table(
        title=phrase("merged title", lang).format(node=ranking.node),
        caption=Text(
            phrase("merged caption", lang).format(rules=_rule_text(ranking, lang)), style="dim"
        ),
    )
    table.add_column(phrase("rank", lang), no_wrap=True)
    table.add_column(phrase("unit 2025", lang))
    table.add_column(phrase("score", lang), no_wrap=True, justify="right")
    table.add_column(phrase("former units", lang).format(count=ranking.ranked_former))
    table.add_column(phrase("missing members", lang))
    for entry in ranking.entries:
        score = _number(entry.score, ".4f")
        table.add_row(
            "—" if entry.rank is None else str(entry.rank),
            Text(entry.name),
            score.replace(".", ",") if lang == "vi" else score,
            Text(
                ", ".join(
                    f"{province(m, 2024).name_vi} ({'—' if r is None else r})"
                    for m, r in entry.former_ranks
                )
            ),
            Text(", ".join(province(m, 2024).name_vi for m in entry.missing)),
        )
    return table


def _rule_text(ranking: MergedRanking, lang: Language) -> str:
    kinds = {kind for _, kind in ranking.rule_by_component}
    if len(kinds) == 1:
        return phrase("of every component", lang).format(rule=phrase(kinds.pop(), lang))
    return "; ".join(f"{c}: {phrase(kind, lang)}" for c, kind in ranking.rule_by_component)


def uncertainty_table(
    result: UncertaintyResult, *, top: int | None = None, lang: Language = "vi"
) -> RenderableType:
    """Each entity's rank over the draws: nominal, mean, median, 5 %–95 %; P(rank ≤ top).

    Rank quantiles are ranks that occurred (whole numbers). With fewer than
    :data:`FEW_DRAWS` draws a caption says the quantiles are rough.
    """
    draws = result.draws
    noise = result.settings.get("weight_noise", "")
    title = Text(
        phrase("draws title", lang).format(
            index=result.nominal.index.name or result.nominal.index.root,
            draws=draws,
            draw_word=_draw_word(draws),
            noise=f"{noise:g}" if isinstance(noise, float | int) else str(noise),
        )
    )
    caption = (
        Text(
            phrase("few draws", lang).format(
                draws=draws, draw_word=_draw_word(draws), few=FEW_DRAWS
            ),
            style="yellow",
        )
        if draws < FEW_DRAWS
        else None
    )
    table = Table(title=title, caption=caption)
    table.add_column(phrase("nominal", lang))
    table.add_column(phrase("entity", lang))
    table.add_column(phrase("mean", lang))
    table.add_column(phrase("median", lang))
    table.add_column("5 %–95 %")
    if top is not None:
        table.add_column(f"P({phrase('rank', lang)} ≤ {top})")
    for r in result.rank_summaries():
        spread = "—" if math.isnan(r.q05) else f"{r.q05:g}–{r.q95:g}"
        cells: list[RenderableType] = [
            "—" if r.nominal is None else str(r.nominal),
            Text(r.name),
            _number(r.mean, ".1f"),
            _number(r.median, "g"),
            spread,
        ]
        if top is not None:
            cells.append(f"{result.p_rank_at_most(r.entity, top):.1%}")
        table.add_row(*cells)
    return table


def goal_seek_table(result: GoalSeekResult, *, lang: Language = "vi") -> RenderableType:
    """The lever's move and the entity's rank and score before → after.

    Scores are on the index's own scale, as :func:`ranking_table` shows them
    (the DTI: 0–1, not points).
    """
    if result.already:
        verdict = Text(phrase("already reached", lang), style="green")
    elif result.feasible:
        verdict = Text(phrase("reached", lang), style="green")
    else:
        verdict = Text(phrase("not reachable", lang), style="red")
    title = Text.assemble(result.entity, f": {result.goal.describe()} — ", verdict)
    caption = (
        None
        if result.scale == 1.0
        else Text(phrase("scale note", lang).format(points=f"{result.scale:g}"), style="dim")
    )
    table = Table(title=title, caption=caption)
    for key in ("lever", "start", "value", "change", "rank", "score"):
        table.add_column(phrase(key, lang))
    table.add_row(
        Text(result.lever),
        f"{result.start:.6g}",
        f"{result.value:.6g}",
        f"{result.change:+.6g}",
        f"{result.rank_before} → {result.rank_after}",
        f"{_number(result.score_before, '.6g')} → {_number(result.score_after, '.6g')}",
    )
    return table


def treatment_table(result: TreatmentResult[Any], lang: Language = "vi") -> RenderableType:
    """The columns that failed the skew/kurtosis check: what was done, statistics before → after."""
    rows = [r for r in result.table if not r["passed_before"]]
    panel = any(r["period"] is not None for r in rows)
    title = phrase("treatment title", lang).format(
        treated=len(rows),
        total=len(result.table),
        skew=result.skew_threshold,
        kurt=result.kurtosis_threshold,
    )
    table = Table(title=Text(title))
    table.add_column(phrase("component", lang), overflow="fold")
    if panel:
        table.add_column(phrase("period", lang), no_wrap=True)
    table.add_column(phrase("skew", lang), justify="right", no_wrap=True)
    table.add_column(phrase("kurtosis", lang), justify="right", no_wrap=True)
    table.add_column(phrase("winsorised", lang), justify="right")
    table.add_column(phrase("transform", lang), no_wrap=True)
    for r in rows:
        cells = [Text(str(r["component"]))]
        if panel:
            cells.append(Text(str(r["period"])))

        def moved(before: object, after: object) -> Text:
            b, a = float(before or math.nan), float(after or math.nan)  # type: ignore[arg-type]
            return Text(f"{_num(b, '.2f', lang)} → {_num(a, '.2f', lang)}")

        cells += [
            moved(r["skew_before"], r["skew_after"]),
            moved(r["kurtosis_before"], r["kurtosis_after"]),
            Text(str(r["winsorised"])),
            Text(str(r["transform"]) or "—"),
        ]
        table.add_row(*cells)
    return table


def imputation_table(result: ImputationResult[Any], lang: Language = "vi") -> RenderableType:
    """The components that had missing values: how many, how many filled, how many left."""
    title = phrase("imputation title", lang).format(method=result.method, count=result.count)
    table = Table(
        phrase("component", lang),
        phrase("missing", lang),
        phrase("imputed", lang),
        phrase("still missing", lang),
        title=Text(title),
    )
    for r in result.table:
        if r["missing"]:
            table.add_row(
                Text(str(r["component"])),
                str(r["missing"]),
                str(r["imputed"]),
                str(r["still_missing"]),
            )
    return table


def screening_table(result: ScreeningResult[Any], lang: Language = "vi") -> RenderableType:
    """What screening dropped, and why."""
    title = phrase("screening title", lang).format(
        entities=len(result.dropped), components=len(result.dropped_components)
    )
    table = Table(
        phrase("kind", lang),
        phrase("entity", lang) + " / " + phrase("component", lang),
        phrase("reason", lang),
        title=Text(title),
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
                f"{phrase(code, lang)} {_num(float(share or 0.0), '.3f', lang)} < "
                f"{_num(float(limit or 0.0), '.3f', lang)}"
            )
        table.add_row(
            phrase("entity" if entity else "component", lang),
            Text(str(r["id"])),
            Text("; ".join(reasons)),
        )
    return table


def change_view(change: ScoreChange, lang: Language = "vi", *, top: int = 8) -> RenderableType:
    """How an entity's score and rank moved between two periods, component by component."""
    head = Text(
        phrase("change title", lang).format(
            name=change.name,
            node=change.node,
            before=change.before_period,
            after=change.after_period,
            change=_num(change.change, "+.2f", lang),
            rank_before="—" if change.rank_before is None else change.rank_before,
            rank_after="—" if change.rank_after is None else change.rank_after,
        ),
        style="bold",
    )
    table = Table(
        phrase("component", lang),
        str(change.before_period),
        str(change.after_period),
        phrase("change", lang),
    )
    for c in change.largest(top):
        label = Text(c.label or c.component)
        if c.imputed_before or c.imputed_after:
            label.append(phrase("imputed mark", lang), style="yellow")
        table.add_row(
            label,
            _num(c.before, ".2f", lang),
            _num(c.after, ".2f", lang),
            _num(c.change, "+.2f", lang),
        )
    return Group(head, table)


def denomination_table(result: DenominationResult[Any], lang: Language = "vi") -> RenderableType:
    """Which component was divided by which denominator, and how many values were lost."""
    table = Table(
        phrase("component", lang),
        phrase("denominator", lang),
        phrase("divided", lang),
        phrase("lost", lang),
        title=Text(phrase("denomination title", lang)),
    )
    for r in result.table:
        table.add_row(
            Text(str(r["component"])),
            Text(str(r["denominator"])),
            str(r["divided"]),
            str(r["lost"]),
        )
    return table


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
            cells.append(_num(float(correlations.values[i, j]), ".2f", lang) + star)
        table.add_row(Text(row), *cells)
    return table


def audit_view(audit: Audit, lang: Language = "vi") -> RenderableType:
    """The audit: correlation flags, each group's alpha and PCA, declared weights vs importance.

    Node ids are never cut or wrapped; headers and phrases wrap instead. The
    two ids of a flag share one cell (one above the other) and the effective
    weights come in one block per parent, so the view reads at 60 columns.
    """
    from dxplan.index import Aggregate

    index = audit.result.index
    title = Text(
        phrase("audit title", lang).format(index=index.name or index.root)
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
            _num(flag.r, ".2f", lang),
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
        share = "" if pca is None else _num(100 * pca.explained[0], ".0f", lang)
        groups.add_row(
            Text(f"{group} ({members})"),
            _num(alpha, ".2f", lang),
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
            _num(row.nominal, ".2f", lang),
            _num(row.importance, ".2f", lang),
            _num(row.r, ".2f", lang),
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
        notes.append(phrase("gap", lang).format(gap=_num(result.gap, ".4f", lang)))
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
            _num(weight, ".4f", lang),
            _num(result.nominal_correlations[child], ".4f", lang),
            _num(result.correlations[child], ".4f", lang),
        ]
        if result.targets:
            cells.append(_num(result.targets[child], ".3f", lang))
        table.add_row(*cells)
    return table

"""The one bilingual phrasebook: every fixed phrase of every view, in Vietnamese and English.

Each entry is ``key: (vi, en)``; a phrase may hold ``str.format`` fields,
filled by :func:`phrase`. Numbers are formatted before they are put into a
phrase (:mod:`dxplan.render.numbers`), so no phrase carries a number format.
Keys are grouped by the view that uses them (``"status."``, ``"col."``, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from dxplan.errors import InvalidValueError
from dxplan.text import Language

__all__ = ["PHRASES", "language", "phrase"]

PHRASES: Final[Mapping[str, tuple[str, str]]] = {
    # a scenario's edits: ids as the file writes them ("*": every entity)
    "edit.set": ("đặt {entity}/{component} = {value}", "set {entity}/{component} = {value}"),
    "edit.shift": (
        "cộng {by} vào {entity}/{component}",
        "shift {entity}/{component} by {by}",
    ),
    "edit.scale": (
        "nhân {entity}/{component} với ×{factor}",
        "scale {entity}/{component} by ×{factor}",
    ),
    "edit.weight weight": (
        "trọng số {node}/{child} = {weight}",
        "weight {node}/{child} = {weight}",
    ),
    "edit.weight points": (
        "trọng số {node}/{child} = {points} điểm",
        "weight {node}/{child} = {points} points",
    ),
    "edit.weight share": (
        "trọng số {node}/{child} = {share} trọng số của nút",
        "weight {node}/{child} = {share} of the node's weight",
    ),
    "edit.drop": ("bỏ thành phần {component}", "drop {component}"),
    "edit.task": ("nhiệm vụ {task} đạt {reaches}", "task {task} reaches {reaches}"),
    "edit.task for": (
        "nhiệm vụ {task} đạt {reaches} ({entity})",
        "task {task} reaches {reaches} ({entity})",
    ),
    "edit.add-entity": ("thêm đơn vị {entity}", "add entity {entity}"),
    "edit.remove-entity": ("bỏ đơn vị {entity}", "remove entity {entity}"),
    "edit.target": ("mục tiêu {indicator} = {value}", "target {indicator} = {value}"),
    "edit.baseline": ("giá trị gốc {indicator} = {value}", "baseline {indicator} = {value}"),
    "edit.no baseline": ("bỏ giá trị gốc của {indicator}", "baseline {indicator} = none"),
    # tasks (from task to rank)
    "tasks.component": ("Thành phần", "Component"),
    "tasks.start": ("Ban đầu", "Start"),
    "tasks.value": ("Giá trị", "Value"),
    "tasks.change": ("Thay đổi", "Change"),
    "tasks.lift": ("Nhiệm vụ nào nâng DTI nhiều nhất", "Which tasks lift the DTI most"),
    "plot.components": ("Thành phần chỉ số", "Index components"),
    "plot.index nodes": ("Nút chỉ số", "Index nodes"),
    "plot.drives": ("tác động tới thành phần", "drives"),
    "plot.feeds": ("thuộc nút chỉ số", "feeds"),
    "plot.scores": ("chấm điểm chỉ tiêu", "scores"),
    "plot.task gain": (
        "Điểm {index} tăng thêm khi các thành phần của nhiệm vụ đạt trần",
        "{index} points gained with the task's components at their bounds",
    ),
    "plot.task title": (
        "{name}: nhiệm vụ nào nâng {index} nhiều nhất (hạng {rank} trên {n})",
        "{name}: which tasks lift {index} most (rank {rank} of {n})",
    ),
    "plot.best rank": ("hạng tốt nhất", "best rank"),
    "tasks.task": ("Nhiệm vụ", "Task"),
    "tasks.headroom": ("Còn lại", "Headroom"),
    "tasks.per unit": ("Điểm / đơn vị", "Points / unit"),
    "tasks.at bound": ("Điểm ở trần", "Points at bound"),
    "tasks.best rank": ("Hạng tốt nhất", "Best rank"),
    "tasks.needs": ("Cần đạt", "Needs"),
    "tasks.effects title": (
        "{name} trên {index}: nhiệm vụ nào nâng chỉ số nhiều nhất (hạng {rank} trên {n}, "
        "{points} điểm trên {scale:g})",
        "{name} on {index}: which tasks lift the index most (rank {rank} of {n}, "
        "{points} points of {scale:g})",
    ),
    "tasks.one task alone": (
        "Mỗi nhiệm vụ tính riêng, các thành phần khác giữ nguyên; “Cần đạt”: giá trị nhỏ nhất "
        "đạt hạng tốt nhất.",
        "Each task alone, other components as they are; “Needs”: the least values that reach "
        "its best rank.",
    ),
    "tasks.no data": ("không có số liệu", "no data"),
    "tasks.plan title": (
        "{name}: {goal} trên {index} — {verdict}, chi phí {cost}",
        "{name}: {goal} on {index} — {verdict}, cost {cost}",
    ),
    "tasks.cost": ("Chi phí", "Cost"),
    "tasks.cost per unit": ("Chi phí / đơn vị", "Cost / unit"),
    "tasks.optimal": (
        "Tối ưu: bài toán tuyến tính (ba lô phân số), không tổ hợp nào rẻ hơn.",
        "Optimal: the problem is linear (a fractional knapsack); no cheaper combination exists.",
    ),
    "tasks.greedy": (
        "Tham lam: chỉ số không tuyến tính trong các thành phần này; có thể có tổ hợp rẻ hơn.",
        "Greedy: the index is not linear in these components; a cheaper combination may exist.",
    ),
    "tasks.after": (
        "Hạng {before} → {after} trên {n}; điểm {s0} → {s1} trên {scale:g}",
        "Rank {before} → {after} of {n}; points {s0} → {s1} of {scale:g}",
    ),
    "tasks.indicator scored": (
        "Chỉ tiêu {id}: mức đạt {a0} → {a1}",
        "Indicator {id}: attainment {a0} → {a1}",
    ),
    "tasks.p rank": (
        "P(hạng ≤ {k}) với trọng số nhiễu ±{noise} ({draws} lần rút): {p0} → {p1}",
        "P(rank ≤ {k}) with weights perturbed by ±{noise} ({draws} draws): {p0} → {p1}",
    ),
    "tasks.left out": ("Không dùng {component}: {why}", "Not used {component}: {why}"),
    "tasks.no-data": (
        "đơn vị không có số liệu của thành phần này",
        "the entity has no value of it",
    ),
    "tasks.outside-bounds": (
        "giá trị hiện tại nằm ngoài giới hạn",
        "its value is outside the bounds",
    ),
    # plan
    "plan": ("Kế hoạch", "Plan"),
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
    "by": ("đến", "by"),
    "rank": ("hạng", "rank"),
    "kind.task": ("Nhiệm vụ", "Task"),
    "kind.indicator": ("Chỉ tiêu", "Indicator"),
    "kind.group": ("Nhóm chỉ tiêu", "Indicator group"),
    "kind.priority": ("Ưu tiên", "Priority"),
    "target": ("Mục tiêu", "Target"),
    "wave": ("Đợt", "Wave"),
    # checks
    "severity": ("Mức độ", "Severity"),
    "where": ("Vị trí", "Where"),
    "finding": ("Phát hiện", "Finding"),
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "checks": ("Kiểm tra kế hoạch", "Plan checks"),
    "no findings": ("Không có phát hiện nào.", "No findings."),
    "findings count": ("{errors} lỗi, {warnings} cảnh báo", "{errors} errors, {warnings} warnings"),
    # attainment
    "status.met": ("đạt", "met"),
    "status.on track": ("đúng tiến độ", "on track"),
    "status.needs acceleration": ("cần đẩy nhanh", "needs acceleration"),
    "status.limited progress": ("tiến triển hạn chế", "limited progress"),
    "status.deterioration": ("suy giảm", "deterioration"),
    "status.insufficient data": ("chưa đủ dữ liệu", "insufficient data"),
    "status.no data": ("không có dữ liệu", "no data"),
    "col.id": ("Mã", "Id"),
    "col.indicator": ("Chỉ tiêu", "Indicator"),
    "col.target": ("Mục tiêu", "Target"),
    "col.observed": ("Thực tế", "Observed"),
    "col.attainment": ("Mức đạt", "Attainment"),
    "col.status": ("Tình trạng", "Status"),
    "col.gap": ("Khoảng cách", "Gap"),
    "col.group": ("Nhóm chỉ tiêu", "Indicator group"),
    "col.coverage": ("Có dữ liệu", "With data"),
    "col.unknown": ("Chưa liệt kê", "Unlisted"),
    "col.task": ("Nhiệm vụ", "Task"),
    "col.met": ("Đạt", "Met"),
    "whole plan": ("Toàn kế hoạch", "Whole plan"),
    "attainment title": ("Mức đạt chỉ tiêu", "Target attainment"),
    "gap.met": ("đạt", "met"),
    "gap.boundary": ("bằng ngưỡng, cần {need} {bound}", "on the boundary; must be {need} {bound}"),
    "gap.above": ("trên", "above"),
    "gap.below": ("dưới", "below"),
    "gap.short": ("thiếu {quantity}", "{quantity} short"),
    "gap.over": ("vượt {quantity}", "{quantity} over"),
    "gap.place": ("bậc", "place"),
    "gap.places": ("bậc", "places"),
    "gap.point": ("điểm phần trăm", "percentage point"),
    "gap.points": ("điểm phần trăm", "percentage points"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    # report
    "overview": ("Tổng quan", "Overview"),
    "report.priorities": ("ưu tiên", "priorities"),
    "report.groups": ("nhóm chỉ tiêu", "indicator groups"),
    "report.declared": ("chỉ tiêu công bố", "indicators declared"),
    "report.listed": ("liệt kê", "listed"),
    "report.tasks": ("nhiệm vụ", "tasks"),
    "report.attainment": ("Mức đạt toàn kế hoạch", "Plan attainment"),
    "report.with data": ("chỉ tiêu có số liệu", "indicators with data"),
    "report.met": ("đạt", "met"),
    "report.unknown": ("chỉ tiêu chưa liệt kê (không rõ)", "declared but unlisted (unknown)"),
    "report.dti": ("Bối cảnh DTI", "DTI context"),
    "report.history": ("Thứ hạng DTI của {name}", "DTI rank of {name}"),
    "report.year": ("Năm", "Year"),
    "report.rank": ("Hạng", "Rank"),
    "report.source": ("Nguồn", "Source"),
    "report.recomputed": ("tính lại bằng dxplan", "recomputed by dxplan"),
    "report.province": ("Tỉnh/thành", "Province"),
    "report.value": ("Giá trị", "Value"),
    "report.published": ("Hạng công bố", "Published rank"),
    "report.scored": (
        "Chỉ tiêu {id} chấm từ kết quả này: hạng {rank} ({period})",
        "Indicator {id} scored from this result: rank {rank} ({period})",
    ),
    "report.sure": (
        "Với trọng số nhiễu ±{noise} ({draws} lần rút): P(hạng ≤ {k}) = {p}, "
        "P(hạng 1) = {first} (trong {ranked} tỉnh có số liệu công bố)",
        "With weights perturbed by ±{noise} ({draws} draws): P(rank ≤ {k}) = {p}, "
        "P(rank 1) = {first} (among the {ranked} provinces with published values)",
    ),
    # index
    "entity": ("Đơn vị", "Entity"),
    "score": ("Điểm số", "Score"),
    "scale note": (
        "điểm số × {points} = số điểm trên {points}",
        "score × {points} = points of {points}",
    ),
    "sources": ("Chỉ số: {index}\nSố liệu: {data}", "Index: {index}\nData: {data}"),
    "component": ("Thành phần", "Component"),
    "points of": ("Điểm trên {scale}", "Points of {scale}"),
    "vs leader": ("So với dẫn đầu (điểm)", "Vs leader (points)"),
    "vs median": ("So với trung vị (điểm)", "Vs median (points)"),
    "explained": (
        " trên {node}: {points} điểm trên {scale} (điểm số {score}), {rank}",
        " on {node}: {points} points of {scale} (score {score}), {rank}",
    ),
    # An index without a points scale (ASEM's scores run 0–100): points are score.
    "explained unscaled": (
        " trên {node}: điểm số {score}, {rank}",
        " on {node}: score {score}, {rank}",
    ),
    "no rank": ("không có hạng", "no rank"),
    "rank of": ("hạng {rank}/{ranked}", "rank {rank}/{ranked}"),
    "behind": ("; kém {name} {gap} điểm", "; {gap} points behind {name}"),
    "weight": ("Trọng số", "Weight"),
    "imputed mark": (" (điền khuyết)", " (imputed)"),
    "change title": (
        "{name} trên {node}, {before} → {after}: {change} điểm, hạng {rank_before} → {rank_after}",
        "{name} on {node}, {before} → {after}: {change} points, rank {rank_before} → {rank_after}",
    ),
    # the 2025 merger
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
    "unit 2025": ("Đơn vị (từ 1/7/2025)", "Unit (from 1 July 2025)"),
    "former units": ("Đơn vị cũ (hạng trên {count})", "Former units (rank of {count})"),
    "missing members": ("Thiếu dữ liệu", "Missing data"),
    "merged caption": (
        "Gộp theo Nghị quyết 202/2025/QH15; {rules}. Đơn vị thiếu dữ liệu của đơn vị cũ "
        "không có điểm.",
        "Merged per Resolution 202/2025/QH15; {rules}. A unit missing a former unit's data "
        "has no score.",
    ),
    # building an index
    "period": ("Kỳ", "Period"),
    "skew": ("Độ lệch", "Skew"),
    "kurtosis": ("Độ nhọn", "Kurtosis"),
    "winsorised": ("Điểm cắt", "Winsorised"),
    "transform": ("Biến đổi", "Transform"),
    "treatment title": (
        "Xử lý giá trị ngoại lai: {treated} trên {total} cột không đạt |độ lệch| < {skew} "
        "hoặc độ nhọn < {kurt}",
        "Outlier treatment: {treated} of {total} columns failed |skew| < {skew} "
        "or kurtosis < {kurt}",
    ),
    "imputation title": (
        "Điền khuyết ({method}): {count} giá trị",
        "Imputation ({method}): {count} values",
    ),
    "missing": ("Thiếu", "Missing"),
    "imputed": ("Đã điền", "Imputed"),
    "still missing": ("Còn thiếu", "Still missing"),
    "screening title": (
        "Sàng lọc: bỏ {entities} đơn vị và {components} thành phần",
        "Screening: {entities} entities and {components} components dropped",
    ),
    "kind": ("Loại", "Kind"),
    "kind.entity": ("đơn vị", "entity"),
    "kind.component": ("thành phần", "component"),
    "kind.index_node": ("Nút chỉ số", "Index node"),
    "kind.index_component": ("Thành phần chỉ số", "Index component"),
    "denominator": ("Mẫu số", "Denominator"),
    "divided": ("Đã chia", "Divided"),
    "lost": ("Mất (thiếu mẫu số)", "Lost (no denominator)"),
    "denomination title": ("Chia theo mẫu số", "Denomination"),
    "availability": ("tỷ lệ có dữ liệu", "availability"),
    "nonzero": ("tỷ lệ khác 0", "non-zero share"),
    "forced out": ("loại theo yêu cầu", "forced out"),
    "reason": ("Lý do", "Reason"),
    # audit
    "audit title": ("Kiểm định thống kê: {index}", "Statistical audit: {index}"),
    "pearson": ("tương quan Pearson", "Pearson correlations"),
    "spearman": ("tương quan Spearman", "Spearman correlations"),
    "flags": ("Cờ tương quan", "Correlation flags"),
    "no flags": ("Không có cờ nào.", "No flags."),
    "flag": ("Cờ", "Flag"),
    "node": ("Nút", "Node"),
    "with": ("với", "with"),
    "negative": ("âm với nút cha", "negative with parent"),
    "weak": ("yếu với nút cha (< 0,3)", "weak with parent (< 0.3)"),
    "near-duplicate": ("gần trùng lặp (> 0,92)", "near-duplicate (> 0.92)"),
    "audit groups": ("Tính nhất quán và thành phần chính", "Consistency and principal components"),
    "group": ("Nhóm", "Group"),
    "pca": ("PC1 · số PC cho 90 %", "PC1 · PCs for 90 %"),
    "pca note": (
        "nhóm (số con); alpha: alpha Cronbach; PC1: phần phương sai thành phần chính thứ nhất "
        "giải thích; số PC cần cho 90 % phương sai",
        "group (members); alpha: Cronbach's alpha; PC1: share of variance the first principal "
        "component explains; PCs needed for 90 % of it",
    ),
    "entities used": ("Đơn vị dùng", "Entities used"),
    "effective": ("Trọng số công bố và mức ảnh hưởng", "Declared weights and importance"),
    "parent": ("nút cha", "parent"),
    "declared weight": ("Trọng số công bố", "Declared weight"),
    "importance": ("Mức ảnh hưởng (r²)", "Importance (r²)"),
    "r with parent": ("r với nút cha", "r with parent"),
    "optimised title": (
        "Trọng số tối ưu dưới {node} ({objective})",
        "Optimised weights under {node} ({objective})",
    ),
    "child": ("Nút con", "Child"),
    "r before": ("r trước", "r before"),
    "r after": ("r sau", "r after"),
    "target share": ("Tỉ phần mục tiêu", "Target share"),
    "not converged": ("Chưa hội tụ sau {n} vòng lặp.", "Not converged after {n} iterations."),
    "gap": (
        "Không trọng số dương nào đạt mục tiêu: lệch tối đa {gap}.",
        "No positive weights reach the targets: largest gap {gap}.",
    ),
    # uncertainty and sensitivity
    "nominal": ("Hạng gốc", "Nominal"),
    "mean": ("Trung bình", "Mean"),
    "median": ("Trung vị", "Median"),
    "draws title": (
        "{index}: hạng qua {draws} lần rút, nhiễu trọng số {noise}",
        "{index}: ranks over {draws} {draw_word}, weight noise {noise}",
    ),
    "few draws": (
        "Chỉ {draws} lần rút: các phân vị còn thô; hãy dùng từ {few} lần trở lên.",
        "Only {draws} {draw_word}: the quantiles are rough; use {few} or more.",
    ),
    "left out": ("Thành phần bỏ ra", "Component left out"),
    "mean shift": ("Dịch hạng trung bình", "Mean rank shift"),
    "leave one out": ("Bỏ từng thành phần: {node}", "Leave one out: {node}"),
    "input": ("Đầu vào", "Input"),
    "first order": ("Bậc một", "First order"),
    "total order": ("Toàn phần", "Total order"),
    "interval": ("Khoảng {level}", "{level} interval"),
    "sobol title": (
        "Chỉ số Sobol của {output} ({samples} mẫu)",
        "Sobol indices of {output} ({samples} samples)",
    ),
    # scenarios and goal-seek
    "before": ("Trước", "Before"),
    "after": ("Sau", "After"),
    "change": ("Thay đổi", "Change"),
    "points": ("Điểm", "Points"),
    "overtakes": ("{entity} vượt {passed}", "{entity} overtakes {passed}"),
    "plan attainment change": (
        "{scenario}: mức đạt toàn kế hoạch {before} → {after}",
        "{scenario}: plan attainment {before} → {after}",
    ),
    "no change": ("Không chỉ tiêu nào thay đổi.", "No indicator changes."),
    "lever": ("Đòn bẩy", "Lever"),
    "start": ("Ban đầu", "Start"),
    "value": ("Giá trị", "Value"),
    "cost": ("Chi phí", "Cost"),
    "leader": ("Dẫn đầu", "Leader"),
    "already reached": ("đã đạt", "already reached"),
    "reached": ("đạt được", "reached"),
    "not reachable": ("không đạt được trong giới hạn", "not reachable within bounds"),
    "goal.rank": ("hạng ≤ {rank} trên {node}", "rank ≤ {rank} on {node}"),
    "goal.score": ("điểm số ≥ {score} trên {node}", "score ≥ {score} on {node}"),
    "goal.attainment": ("mức đạt ≥ {attainment}", "attainment ≥ {attainment}"),
    "tie note": (
        "Ở giá trị này {entity} đồng hạng với {others} (sau khi làm tròn đến {decimals} "
        "chữ số, như khi công bố).",
        "At this value {entity} ties with {others} (after rounding to {decimals} "
        "decimals, as published).",
    ),
    "published precision": (
        "Giá trị làm tròn đến {decimals} chữ số như số liệu công bố; giá trị cần đạt được"
        " làm tròn về phía mục tiêu để vẫn đạt.",
        "Values rounded to {decimals} decimals, as the data are published; the value to reach"
        " is rounded towards the goal, so that it still reaches it.",
    ),
    "total cost": ("tổng chi phí {cost}", "cost {cost}"),
    # plots
    "plot.ranking": ("Xếp hạng", "Ranking"),
    "plot.points": ("Điểm", "Points"),
    "plot.score": ("Điểm số", "Score"),
    "plot.contribution": ("Đóng góp vào điểm số", "Contribution to the score"),
    "plot.points of": ("thang", "out of"),
    "plot.rank": ("Hạng", "Rank"),
    "plot.rank interval": (
        "Hạng: danh nghĩa và khoảng 5–95 %",
        "Rank: nominal and 5–95 % interval",
    ),
    "plot.draws": ("lần rút mẫu trọng số", "weight draws"),
    "plot.nominal": ("hạng danh nghĩa", "nominal rank"),
    "plot.median": ("trung vị", "median"),
    "plot.interval": ("khoảng 5–95 %", "5–95 % interval"),
    "plot.no score": ("không có điểm", "no score"),
    "plot.attainment": ("Mức đạt chỉ tiêu", "Target attainment"),
    "plot.attainment short": ("Mức đạt", "Attainment"),
    "plot.no data": ("không có dữ liệu", "no data"),
    "plot.year": ("Số liệu đến năm", "Data up to"),
    "plot.latest": ("mới nhất", "latest"),
    "plot.entity": ("Địa phương", "Entity"),
    "plot.profile": ("Theo thành phần", "By component"),
    "plot.rank of": ("hạng", "rank"),
    "plot.leader": ("dẫn đầu", "leader"),
    "plot.maximum": ("điểm tối đa", "maximum"),
    "plot.vs leader": (
        "số trong ngoặc: chênh lệch so với địa phương dẫn đầu",
        "in brackets: difference from the leader",
    ),
    "plot.priorities": ("Ưu tiên", "Priorities"),
    "plot.tasks": ("Nhiệm vụ", "Tasks"),
    "plot.wave": ("Nhiệm vụ — đợt", "Tasks — wave"),
    "plot.indicators": ("Chỉ tiêu", "Indicators"),
    "plot.groups": ("Nhóm chỉ tiêu", "Indicator groups"),
    "plot.prerequisite_of": ("là tiền đề của", "prerequisite of"),
    "plot.contributes_to": ("đóng góp cho", "contributes to"),
    "plot.belongs_to": ("thuộc nhóm", "belongs to"),
    "plot.serves": ("phục vụ ưu tiên", "serves"),
    "plot.cycle": ("có vòng phụ thuộc", "dependency cycle"),
    "plot.pearson": ("Tương quan Pearson", "Pearson correlations"),
    "plot.spearman": ("Tương quan Spearman", "Spearman correlations"),
    "plot.not significant": ("in nghiêng: p ≥ 0,05", "italics: p ≥ 0.05"),
    "plot.correlation": ("hệ số tương quan", "correlation"),
    "plot.effective": (
        "Trọng số công bố và mức ảnh hưởng (r² trong nút cha)",
        "Declared weight and importance (r² within the parent)",
    ),
    "plot.declared": ("trọng số công bố", "declared weight"),
    "plot.importance": ("mức ảnh hưởng", "importance"),
    "plot.share of parent": ("tỉ phần trong nút cha", "share of the parent"),
    "plot.convergence": ("Hội tụ của chỉ số Sobol", "Convergence of the Sobol indices"),
    "plot.samples": ("số mẫu cơ sở N", "base samples N"),
    "plot.sobol index": (
        "chỉ số (liền: toàn phần; đứt: bậc một)",
        "index (solid: total; dashed: first)",
    ),
    # the static site (dxplan.render.site)
    "site.language name": ("Tiếng Việt", "English"),
    "site.language switch": ("Ngôn ngữ", "Language"),
    "site.skip": ("Chuyển đến nội dung", "Skip to content"),
    "site.site nav": ("Trang trong báo cáo", "Pages of this report"),
    "site.breadcrumb": ("Vị trí", "You are here"),
    "site.home": ("Trang chủ", "Home"),
    "site.counts": (
        "{priorities} ưu tiên · {groups} nhóm chỉ tiêu · {declared} chỉ tiêu công bố, "
        "{listed} liệt kê · {tasks} nhiệm vụ",
        "{priorities} priorities · {groups} indicator groups · {declared} indicators "
        "declared, {listed} listed · {tasks} tasks",
    ),
    "site.plan summary": (
        "{observed}/{listed} chỉ tiêu có số liệu · {met} đạt · {unknown} chỉ tiêu chưa liệt "
        "kê (không rõ nội dung)",
        "{observed}/{listed} indicators with data · {met} met · {unknown} declared but "
        "unlisted (content unknown)",
    ),
    "site.by group": ("Mức đạt theo nhóm chỉ tiêu", "Attainment by indicator group"),
    "site.with data": ("Có số liệu", "With data"),
    "site.status counts": ("Số chỉ tiêu theo tình trạng", "Indicators by status"),
    "site.count": ("Số lượng", "Count"),
    "site.targets": ("Mục tiêu", "Targets"),
    "site.scope": ("Phạm vi", "Scope"),
    "site.deadline": ("Thời hạn", "Deadline"),
    "site.baseline": ("Mức gốc", "Baseline"),
    "site.latest": ("Số liệu mới nhất", "Latest value"),
    "site.ratio": ("Tỷ số tiến độ R", "Progress ratio R"),
    "site.ratio note": (
        "R = tốc độ tăng thực tế / tốc độ tăng cần có ({method}); đúng tiến độ khi R ≥ 0,95",
        "R = actual growth rate / required growth rate ({method}); on track when R ≥ 0.95",
    ),
    "site.method cagr": ("tăng trưởng kép hằng năm", "compound annual growth"),
    "site.method linear": ("xu hướng tuyến tính", "linear trend"),
    "site.projection": ("Dự báo", "Projection"),
    "site.projected": ("{value} vào năm {year} ({method})", "{value} in {year} ({method})"),
    "site.no projection": (
        "Không có dự báo: thời hạn không muộn hơn số liệu mới nhất.",
        "No projection: the deadline is not after the latest value.",
    ),
    "site.whole": ("Toàn chỉ tiêu", "Whole indicator"),
    "site.series": ("Chuỗi số liệu", "Observed series"),
    "site.series of": ("Chuỗi số liệu: {target}", "Observed series: {target}"),
    "site.sources": ("Nguồn và xuất xứ", "Sources and provenance"),
    "site.provenance": ("Xuất xứ", "Provenance"),
    "site.provenance seed": ("văn bản kế hoạch", "the plan's text"),
    "site.provenance external": ("nguồn công khai khác", "another public source"),
    "site.provenance assumption": ("giả định mô hình", "a modelling assumption"),
    "site.no data": ("Chưa có số liệu cho mục tiêu này.", "No data for this target yet."),
    "site.contributing": ("Nhiệm vụ đóng góp", "Contributing tasks"),
    "site.no contributing": ("Không nhiệm vụ nào được gắn với chỉ tiêu này.", "No task feeds it."),
    "site.why": ("Lý do", "Why"),
    "site.depends on": ("Phụ thuộc vào", "Depends on"),
    "site.needed by": ("Là tiền đề của", "Needed by"),
    "site.none": ("Không có.", "None."),
    "site.graph": ("Sơ đồ quanh nhiệm vụ", "The graph around this task"),
    "site.graph desc": (
        "{task} phụ thuộc vào: {before}. Là tiền đề của: {after}. Đóng góp cho chỉ tiêu: "
        "{indicators}.",
        "{task} depends on: {before}. Needed by: {after}. Contributes to indicators: {indicators}.",
    ),
    "site.nothing": ("không có", "none"),
    "site.unlisted note": (
        "Nhóm còn {count} chỉ tiêu được công bố nhưng chưa liệt kê: được đếm, không chấm điểm.",
        "{count} more indicators are declared but not listed: counted, never scored.",
    ),
    "site.chart title": ("{indicator}: {target}", "{indicator}: {target}"),
    "site.chart desc": (
        "Giá trị quan sát: {points}. Mục tiêu {target}.",
        "Observed values: {points}. Target {target}.",
    ),
    "site.chart projection": (" Dự báo {value} vào năm {year}.", " Projected {value} in {year}."),
    "site.index": ("Chỉ số", "Index"),
    "site.index intro": (
        "Xếp hạng tính lại bằng dxplan từ định nghĩa và số liệu dưới đây.",
        "The ranking recomputed by dxplan from the definition and data below.",
    ),
    "site.definition": ("Định nghĩa", "Definition"),
    "site.data": ("Số liệu", "Data"),
    "site.explanation": ("Vì sao {name} đứng ở vị trí này", "Why {name} stands where it does"),
    "site.explained": (
        "{name}: {points} điểm trên {scale}, hạng {rank} trên {ranked}.",
        "{name}: {points} points of {scale}, rank {rank} of {ranked}.",
    ),
    "site.behind": ("Kém {above} {gap} điểm.", "{gap} points behind {above}."),
    "site.vs leader": ("So với dẫn đầu", "Vs the leader"),
    "site.vs median": ("So với trung vị", "Vs the median"),
    "site.not in data": (
        "{entity} không có trong số liệu của chỉ số.",
        "{entity} is not in the index's data.",
    ),
    "site.uncertainty": ("Độ bất định của thứ hạng", "How sure are the ranks?"),
    "site.uncertainty intro": (
        "Hạng qua {draws} lần rút trọng số ngẫu nhiên, mỗi trọng số w·(1 + U(−1, "
        "1)·{noise}), hạt giống {seed}.",
        "Ranks over {draws} random weight draws, each weight w·(1 + U(−1, 1)·{noise}), seed "
        "{seed}.",
    ),
    "site.nominal": ("Hạng gốc", "Nominal rank"),
    "site.mean rank": ("Hạng trung bình", "Mean rank"),
    "site.median rank": ("Hạng trung vị", "Median rank"),
    "site.interval": ("Hạng 5 %–95 %", "Rank 5 %–95 %"),
    "site.p rank": ("P(hạng ≤ {k})", "P(rank ≤ {k})"),
    "site.built by": (
        "Tạo bởi dxplan {version} từ kế hoạch {plan}.",
        "Made by dxplan {version} from plan {plan}.",
    ),
    "site.choose language": ("Chọn ngôn ngữ", "Choose a language"),
    "site.summary.title": ("Trang web trong {out}", "The site in {out}"),
    "site.summary.what": ("Mục", "Item"),
    "site.summary.languages": ("Ngôn ngữ", "Languages"),
    "site.summary.pages": ("Trang", "Pages"),
    "site.summary.files": ("Tệp", "Files"),
    "site.summary.bytes": ("Byte", "Bytes"),
    "site.summary.written": ("Đã ghi", "Written"),
    "site.summary.unchanged": ("Giữ nguyên", "Unchanged"),
    "site.summary.removed": ("Đã xoá", "Removed"),
    # notebook summaries
    "more rows": ("… và {count} dòng nữa", "… and {count} more rows"),
}


def language(lang: object) -> Language:
    """``lang`` checked: ``"vi"`` or ``"en"``.

    Raises:
        InvalidValueError: any other value.
    """
    if lang == "vi":
        return "vi"
    if lang == "en":
        return "en"
    raise InvalidValueError("lang", lang, "'vi' or 'en'")


def phrase(key: str, lang: Language, /, **fields: object) -> str:
    """The phrase ``key`` in ``lang``, with ``fields`` filled in.

    >>> phrase("rank of", "vi", rank=1, ranked=63)
    'hạng 1/63'
    """
    vi, en = PHRASES[key]
    text = vi if lang == "vi" else en
    return text.format(**fields) if fields else text

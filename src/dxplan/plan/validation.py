"""Checks of a whole plan: every problem at once, each with its path.

:func:`check` returns a :class:`CheckReport` of :class:`Finding` objects.
Errors make a plan unusable (an id used twice, a reference to nothing, a
dependency cycle); warnings point at what a reader should know (two targets
for one quantity, indicators the plan declares but does not list).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

import attrs

from dxplan._display import Displayable
from dxplan.errors import InvalidValueError, PlanValidationError, Problem, UnitError
from dxplan.plan._links import index_components, load_indices, task_cycle
from dxplan.plan.model import Indicator, Plan, Target, Task
from dxplan.text import Language
from dxplan.units import PERCENT, RANK, Unit

if TYPE_CHECKING:
    from dxplan.index.model import Index

__all__ = [
    "CheckReport",
    "Finding",
    "Severity",
    "bare_fractions",
    "check",
    "fraction_warning",
    "load_indices",
    "task_cycle",
]


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Finding:
    """One thing :func:`check` found: where, what kind, and what it means."""

    severity: Severity
    code: str
    where: str
    message: str
    message_vi: str = ""

    def to_dict(self) -> dict[str, str]:
        """Plain data for JSON."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "where": self.where,
            "message": self.message,
            "message_vi": self.message_vi,
        }

    def text(self, lang: Language = "en") -> str:
        """The message in ``lang`` (English where no Vietnamese wording was given)."""
        return self.message_vi if lang == "vi" and self.message_vi else self.message

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message} [{self.code}]"


@attrs.frozen
class CheckReport(Displayable):
    """Everything :func:`check` found in a plan, errors first, each in plan order."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that make the plan unusable."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings a reader should know about."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise :class:`PlanValidationError` listing every error, if there is any."""
        if self.errors:
            count = len(self.errors)
            raise PlanValidationError(
                f"the plan has {count} error{'s' * (count != 1)}",
                [Problem(f.where, f.message) for f in self.errors],
            )

    def __repr__(self) -> str:
        return f"<CheckReport: {len(self.errors)} errors, {len(self.warnings)} warnings>"


class _Value(Protocol):
    """What :func:`bare_fractions` reads of an observation."""

    @property
    def indicator(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> Unit | None: ...
    @property
    def where(self) -> str | None: ...


def fraction_warning(indicator: Indicator, value: float) -> str | None:
    """Why a bare ``value`` for ``indicator`` looks like a fraction, or None.

    A bare number is read in the indicator's unit (the documented rule), so
    0.72 for an indicator in % is 0.72 %. When the indicator is in % and one
    of its targets is above 1 %, a bare value in (0, 1] was far more likely
    meant as a fraction (72 %): say so, and how to write either.
    """
    unit = indicator.unit
    if unit.symbol != "%" or not 0 < value <= 1:
        return None
    targets = [
        t.value
        for t in indicator.targets
        if t.unit is None or t.unit.symbol == "%"  # a target in % as the indicator
    ]
    if not any(t > 1 for t in targets):
        return None
    meant = Unit(symbol="1").convert(value, PERCENT)
    return (
        f"{value:g} for indicator {indicator.id!r} (in {unit}) is read as {value:g} %, but its "
        f"target is {max(targets):g} %: {value:g} looks like a fraction; write {meant:g} or "
        f"'{value:g} dimensionless'"
    )


def bare_fractions(plan: Plan, observations: Iterable[_Value]) -> tuple[Finding, ...]:
    """Warnings for bare values ≤ 1 of % indicators whose target is above 1 (see
    :func:`fraction_warning`), each at the observation's place (``file:line``
    or ``$.observations[i]``)."""
    indicators = {i.id: i for i in plan.indicators}
    found: list[Finding] = []
    for k, o in enumerate(observations):
        indicator = indicators.get(o.indicator)
        if indicator is None or o.unit is not None:
            continue
        message = fraction_warning(indicator, o.value)
        if message is not None:
            meant = Unit(symbol="1").convert(o.value, PERCENT)
            found.append(
                _warning(
                    "bare-fraction",
                    o.where or f"$.observations[{k}]",
                    message,
                    f"{o.value:g} cho chỉ tiêu {indicator.id!r} (đơn vị %) được đọc là "
                    f"{o.value:g} %: có vẻ là một tỷ lệ; hãy viết {meant:g} hoặc "
                    f"'{o.value:g} dimensionless'",
                )
            )
    return tuple(found)


def check(
    plan: Plan,
    observations: Iterable[_Value] | None = None,
    *,
    indices: Mapping[str, Index] | None = None,
) -> CheckReport:
    """Check a whole plan (and its observations, when given) and report every problem at once.

    Errors: duplicate ids, dangling references, a target whose unit cannot be
    compared with its indicator's, a group listing more indicators than it
    declares, a task dependency cycle, targets of one scope that no value can
    meet together (at least 80 and at most 50), a rank beyond what a float
    counts, a task driving a component its index does not read, an index
    that cannot be loaded. Warnings: indicators that measure the same
    quantity in the same period with different targets; groups with unlisted
    indicators; indicators no task contributes to (an indicator scored from
    an index counts as covered when a task drives that index); tasks that
    contribute to nothing; a share target outside 0–100 %; a deadline before
    the plan's year; a baseline that already meets its target; a large rank
    target without ``out_of``; an empty plan or group; a plan without an
    entity; a priority no task serves; a task whose contributions all weigh 0;
    a link repeated within a task; a ``scope_label`` without a ``scope``;
    scoped and unscoped targets on one indicator; one id used by elements of
    different kinds; with ``observations``, bare values that look like
    fractions of a % indicator (:func:`bare_fractions`).

    Indices named by the plan (``Drive.index``, ``Indicator.scored_from``)
    are taken from ``indices`` by name, else loaded like the command line
    does (:func:`dxplan.index.indices.resolve`: a bundled name or a file path).
    """
    if not isinstance(plan, Plan):
        raise InvalidValueError("plan", plan, "a dxplan.Plan")
    findings = [
        *_duplicate_ids(plan),
        *_dangling_links(plan),
        *_target_units(plan),
        *_declared_counts(plan),
        *_cycles(plan),
        *_contradictory_targets(plan),
        *_target_values(plan),
        *_conflicting_targets(plan),
        *_unlisted(plan),
        *_uncovered_indicators(plan),
        *_idle_tasks(plan),
        *_index_links(plan, indices or {}),
        *(bare_fractions(plan, observations) if observations is not None else ()),
        *_plan_shape(plan),
        *_scopes(plan),
        *_links(plan),
        *_shared_ids(plan),
    ]
    findings.sort(key=lambda f: f.severity is not Severity.ERROR)
    return CheckReport(tuple(findings))


def _error(code: str, where: str, message: str, vi: str) -> Finding:
    return Finding(severity=Severity.ERROR, code=code, where=where, message=message, message_vi=vi)


def _warning(code: str, where: str, message: str, vi: str) -> Finding:
    return Finding(
        severity=Severity.WARNING, code=code, where=where, message=message, message_vi=vi
    )


_KIND_VI = {
    "priority": "ưu tiên",
    "indicator group": "nhóm chỉ tiêu",
    "indicator": "chỉ tiêu",
    "task": "nhiệm vụ",
}


def _indicator_paths(plan: Plan) -> Iterable[tuple[str, Indicator]]:
    for g, group in enumerate(plan.groups):
        for i, indicator in enumerate(group.indicators):
            yield f"$.groups[{g}].indicators[{i}]", indicator


def _task_paths(plan: Plan) -> Iterable[tuple[str, Task]]:
    for t, task in enumerate(plan.tasks):
        yield f"$.tasks[{t}]", task


def _duplicate_ids(plan: Plan) -> Iterable[Finding]:
    kinds: dict[str, list[tuple[str, str]]] = {
        "priority": [(f"$.priorities[{n}]", p.id) for n, p in enumerate(plan.priorities)],
        "indicator group": [(f"$.groups[{n}]", g.id) for n, g in enumerate(plan.groups)],
        "indicator": [(path, indicator.id) for path, indicator in _indicator_paths(plan)],
        "task": [(path, task.id) for path, task in _task_paths(plan)],
    }
    for kind, entries in kinds.items():
        first: dict[str, str] = {}
        for path, element_id in entries:
            if element_id in first:
                yield _error(
                    "duplicate-id",
                    f"{path}.id",
                    f"{kind} id {element_id!r} is already used at {first[element_id]}; "
                    "expected ids unique within their kind",
                    f"mã {_KIND_VI[kind]} '{element_id}' đã được dùng ở {first[element_id]}; "
                    "mỗi mã phải là duy nhất trong loại của nó",
                )
            else:
                first[element_id] = path
    for path, indicator in _indicator_paths(plan):
        seen: set[tuple[str | None, str]] = set()
        for n, target in enumerate(indicator.targets):
            key = (target.scope, target.comparator.value)
            if key in seen:
                yield _error(
                    "duplicate-target",
                    f"{path}.targets[{n}]",
                    f"a second {target.comparator.value!s} target for scope {target.scope!r}; "
                    "expected one target per scope and comparator",
                    f"mục tiêu {target.comparator.value!s} thứ hai cho phạm vi "
                    f"'{target.scope}'; mỗi phạm vi và phép so sánh chỉ có một mục tiêu",
                )
            seen.add(key)


def _dangling_links(plan: Plan) -> Iterable[Finding]:
    known = {
        "depends_on": ({task.id for task in plan.tasks}, "task"),
        "contributes_to": ({indicator.id for indicator in plan.indicators}, "indicator"),
        "priorities": ({priority.id for priority in plan.priorities}, "priority"),
    }
    for path, task in _task_paths(plan):
        for field, (ids, kind) in known.items():
            for n, link in enumerate(getattr(task, field)):
                if link.to not in ids:
                    yield _error(
                        "dangling-reference",
                        f"{path}.{field}[{n}].to",
                        f"task {task.id!r} links to {kind} {link.to!r}, which the plan does "
                        f"not have; expected one of: {', '.join(sorted(ids)) or 'none'}",
                        f"nhiệm vụ '{task.id}' liên kết tới {_KIND_VI[kind]} '{link.to}' không "
                        f"có trong kế hoạch; cần một trong: {', '.join(sorted(ids)) or 'không có'}",
                    )


def _target_units(plan: Plan) -> Iterable[Finding]:
    for path, indicator in _indicator_paths(plan):
        for n, target in enumerate(indicator.targets):
            where = f"{path}.targets[{n}]"
            if target.unit is not None and not target.unit.is_comparable(indicator.unit):
                yield _error(
                    "incomparable-unit",
                    f"{where}.unit",
                    f"target unit '{target.unit}' cannot be compared with the indicator's "
                    f"unit '{indicator.unit}'; expected the same dimension and basis",
                    f"đơn vị của mục tiêu '{target.unit}' không so sánh được với đơn vị của "
                    f"chỉ tiêu '{indicator.unit}'; cần cùng thứ nguyên và cùng cơ sở",
                )
            if target.comparator.is_rank != indicator.unit.is_comparable(RANK):
                yield _error(
                    "comparator-unit",
                    f"{where}.comparator",
                    f"comparator {target.comparator.value!r} on an indicator in "
                    f"'{indicator.unit}'; expected 'rank<=' exactly for indicators in rank",
                    f"phép so sánh '{target.comparator.value}' trên chỉ tiêu có đơn vị "
                    f"'{indicator.unit}'; chỉ tiêu xếp hạng phải dùng đúng 'rank<='",
                )


def _declared_counts(plan: Plan) -> Iterable[Finding]:
    for g, group in enumerate(plan.groups):
        if group.listed_count > group.declared_count:
            yield _error(
                "declared-count",
                f"$.groups[{g}].declared_count",
                f"group {group.id!r} declares {group.declared_count} indicators but lists "
                f"{group.listed_count}; expected at least as many declared as listed",
                f"nhóm '{group.id}' công bố {group.declared_count} chỉ tiêu nhưng liệt kê "
                f"{group.listed_count}; số công bố phải không ít hơn số liệt kê",
            )


def _cycles(plan: Plan) -> Iterable[Finding]:
    cycle = task_cycle(plan.tasks)
    if cycle:
        loop = " → ".join([*cycle, cycle[0]])
        index = next(n for n, task in enumerate(plan.tasks) if task.id == cycle[0])
        yield _error(
            "dependency-cycle",
            f"$.tasks[{index}].depends_on",
            f"dependency cycle {loop}; expected tasks to depend on each other without a cycle",
            f"vòng phụ thuộc {loop}; các nhiệm vụ không được phụ thuộc nhau thành vòng",
        )


def _conflicting_targets(plan: Plan) -> Iterable[Finding]:
    by_quantity: dict[tuple[str, str | None, int | None], list[tuple[str, Indicator]]] = (
        defaultdict(list)
    )
    for path, indicator in _indicator_paths(plan):
        if indicator.measures is None:
            continue
        years = {target.deadline_year for target in indicator.targets} or {None}
        for year in years:
            by_quantity[(indicator.measures, indicator.unit.basis, year)].append((path, indicator))
    for (quantity, _, year), entries in by_quantity.items():
        described = {_targets_text(indicator) for _, indicator in entries}
        if len(entries) < 2 or len(described) < 2:
            continue
        first_path, first = entries[0]
        for path, other in entries[1:]:
            yield _warning(
                "conflicting-targets",
                path,
                f"indicator {other.id!r} ({_targets_text(other)}) and {first.id!r} at "
                f"{first_path} ({_targets_text(first)}) measure the same quantity "
                f"{quantity!r} for {year or 'the same period'} with different targets",
                f"chỉ tiêu '{other.id}' ({_targets_text(other)}) và '{first.id}' ở "
                f"{first_path} ({_targets_text(first)}) đo cùng một đại lượng '{quantity}' "
                f"cho {year or 'cùng kỳ'} nhưng có mục tiêu khác nhau",
            )


def _targets_text(indicator: Indicator) -> str:
    def one(target: Target) -> str:
        if target.comparator.is_rank:
            return f"rank {target.comparator.symbol} {target.value:g}"
        unit = target.unit or indicator.unit
        return f"{target.comparator.symbol} {target.value:g} {unit.symbol}"

    return ", ".join(one(t) for t in indicator.targets)


def _unlisted(plan: Plan) -> Iterable[Finding]:
    missing = [(group.id, group.unlisted_count) for group in plan.groups if group.unlisted_count]
    if missing:
        total = sum(count for _, count in missing)
        where = ", ".join(f"{count} in {group_id!r}" for group_id, count in missing)
        where_vi = ", ".join(f"{count} ở '{group_id}'" for group_id, count in missing)
        yield _warning(
            "unlisted-indicators",
            "$.groups",
            f"{total} indicator{'s' * (total != 1)} declared but not listed ({where}); "
            "counted as unknown",
            f"{total} chỉ tiêu được công bố nhưng không liệt kê ({where_vi}); được tính là chưa rõ",
        )


def _uncovered_indicators(plan: Plan) -> Iterable[Finding]:
    covered = {link.to for task in plan.tasks for link in task.contributes_to}
    driven = {drive.index for task in plan.tasks for drive in task.drives}
    for path, indicator in _indicator_paths(plan):
        if indicator.id not in covered and indicator.scored_from not in driven:
            yield _warning(
                "uncovered-indicator",
                path,
                f"no task contributes to indicator {indicator.id!r}",
                f"không nhiệm vụ nào đóng góp cho chỉ tiêu '{indicator.id}'",
            )


def _idle_tasks(plan: Plan) -> Iterable[Finding]:
    for path, task in _task_paths(plan):
        if not task.contributes_to and not task.drives:
            yield _warning(
                "idle-task",
                path,
                f"task {task.id!r} contributes to no indicator",
                f"nhiệm vụ '{task.id}' không đóng góp cho chỉ tiêu nào",
            )


def _target_paths(plan: Plan) -> Iterable[tuple[str, Indicator, Target]]:
    for path, indicator in _indicator_paths(plan):
        for n, target in enumerate(indicator.targets):
            yield f"{path}.targets[{n}]", indicator, target


def _in_indicator_unit(indicator: Indicator, target: Target) -> float | None:
    """The target's value in its indicator's unit; None when they cannot compare."""
    if target.unit is None:
        return target.value
    try:
        return target.unit.convert(target.value, indicator.unit)
    except UnitError:  # reported as incomparable-unit
        return None


def _contradictory_targets(plan: Plan) -> Iterable[Finding]:
    for path, indicator in _indicator_paths(plan):
        by_scope: dict[str | None, list[tuple[int, Target, float]]] = defaultdict(list)
        for n, target in enumerate(indicator.targets):
            value = _in_indicator_unit(indicator, target)
            if value is not None and not target.comparator.is_rank:
                by_scope[target.scope].append((n, target, value))
        for entries in by_scope.values():
            lows = [e for e in entries if e[1].comparator.higher_is_better]
            highs = [e for e in entries if not e[1].comparator.higher_is_better]
            for n, low, low_value in lows:
                for m, high, high_value in highs:
                    strict = low.comparator.is_strict or high.comparator.is_strict
                    if low_value > high_value or (strict and low_value == high_value):
                        first, second = sorted((n, m))
                        yield _error(
                            "contradictory-targets",
                            f"{path}.targets[{second}]",
                            f"targets {low.comparator.value} {low_value:g} and "
                            f"{high.comparator.value} {high_value:g} of indicator "
                            f"{indicator.id!r} (scope {low.scope!r}) cannot both be met; "
                            f"expected a range some value meets (see targets[{first}])",
                            f"mục tiêu {low.comparator.value} {low_value:g} và "
                            f"{high.comparator.value} {high_value:g} của chỉ tiêu "
                            f"'{indicator.id}' (phạm vi '{low.scope}') không thể cùng đạt; "
                            f"cần một khoảng có giá trị đạt được (xem targets[{first}])",
                        )


#: Rank targets beyond this many places, without ``out_of``, are probably a slip.
_LARGE_RANK = 1000


def _target_values(plan: Plan) -> Iterable[Finding]:
    for where, indicator, target in _target_paths(plan):
        unit = target.unit or indicator.unit
        fraction = _as_fraction(target.value, unit)
        if fraction is not None and not 0 <= fraction <= 1:
            yield _warning(
                "share-out-of-range",
                f"{where}.value",
                f"a target of {target.value:g} {unit.symbol} is a share outside 0–100 %; "
                "expected a share between 0 and 100 %",
                f"mục tiêu {target.value:g} {unit.symbol} là một tỷ lệ nằm ngoài 0–100 %; "
                "cần một tỷ lệ từ 0 đến 100 %",
            )
        year = target.deadline_year
        if plan.year is not None and year is not None and year < plan.year:
            yield _warning(
                "deadline-before-plan",
                f"{where}.deadline",
                f"deadline {year} is before the plan's year {plan.year}; "
                "expected a deadline in or after the plan's year",
                f"thời hạn {year} sớm hơn năm của kế hoạch {plan.year}; "
                "cần thời hạn từ năm của kế hoạch trở đi",
            )
        if target.baseline is not None and target.comparator.is_met(target.baseline, target.value):
            yield _warning(
                "baseline-past-target",
                f"{where}.baseline",
                f"the baseline {target.baseline:g} already meets the target "
                f"{target.comparator.value} {target.value:g}; expected a baseline short of it",
                f"giá trị gốc {target.baseline:g} đã đạt mục tiêu "
                f"{target.comparator.value} {target.value:g}; giá trị gốc phải chưa đạt mục tiêu",
            )
        if target.comparator.is_rank and target.out_of is None:
            if target.value > 2**53:
                yield _error(
                    "implausible-rank",
                    f"{where}.value",
                    f"rank {target.value:g} is beyond any ranking (floats stop counting whole "
                    "numbers at 2**53); expected a rank of a real ranking",
                    f"thứ hạng {target.value:g} vượt quá mọi bảng xếp hạng; "
                    "cần thứ hạng của một bảng xếp hạng thật",
                )
            elif target.value > _LARGE_RANK:
                yield _warning(
                    "rank-without-out-of",
                    f"{where}.out_of",
                    f"rank target {target.value:g} without 'out_of'; expected the number of "
                    "ranked entities to be given for a rank this large",
                    f"mục tiêu thứ hạng {target.value:g} không có 'out_of'; cần nêu số đơn vị "
                    "được xếp hạng cho thứ hạng lớn như vậy",
                )


def _as_fraction(value: float, unit: Unit) -> float | None:
    """``value`` as a fraction when ``unit`` is a share (a percentage, or of a basis)."""
    if not unit.is_share:
        return None
    fraction = unit.convert(value, Unit(symbol="dimensionless", basis=unit.basis))
    is_percent = unit.convert(100.0, Unit(symbol="dimensionless", basis=unit.basis)) == 1.0
    return fraction if is_percent or unit.basis is not None else None


def _plan_shape(plan: Plan) -> Iterable[Finding]:
    if not plan.groups and not plan.tasks:
        yield _warning(
            "empty-plan",
            "$",
            f"plan {plan.id!r} has no indicator group and no task; expected something to track",
            f"kế hoạch '{plan.id}' không có nhóm chỉ tiêu và nhiệm vụ nào; "
            "cần có nội dung để theo dõi",
        )
    elif plan.entity is None:
        yield _warning(
            "no-entity",
            "$.entity",
            f"plan {plan.id!r} names no entity; assessing it needs the entity given each time",
            f"kế hoạch '{plan.id}' không nêu đơn vị (entity); mỗi lần đánh giá phải chỉ rõ đơn vị",
        )
    for g, group in enumerate(plan.groups):
        if not group.indicators and group.declared_count == 0:
            yield _warning(
                "empty-group",
                f"$.groups[{g}]",
                f"group {group.id!r} lists and declares no indicator; expected at least one",
                f"nhóm '{group.id}' không liệt kê và không công bố chỉ tiêu nào; cần ít nhất một",
            )
    served = {link.to for task in plan.tasks for link in task.priorities}
    for p, priority in enumerate(plan.priorities):
        if priority.id not in served:
            yield _warning(
                "unserved-priority",
                f"$.priorities[{p}]",
                f"no task serves priority {priority.id!r}",
                f"không nhiệm vụ nào phục vụ ưu tiên '{priority.id}'",
            )


def _scopes(plan: Plan) -> Iterable[Finding]:
    for path, indicator in _indicator_paths(plan):
        scoped = [t.scope is not None for t in indicator.targets]
        if any(scoped) and not all(scoped):
            yield _warning(
                "mixed-scopes",
                f"{path}.targets",
                f"indicator {indicator.id!r} mixes targets with and without a scope; "
                "expected a scope on every target or on none",
                f"chỉ tiêu '{indicator.id}' có mục tiêu có phạm vi lẫn không có phạm vi; "
                "cần nêu phạm vi cho tất cả mục tiêu hoặc không cho mục tiêu nào",
            )
        for n, target in enumerate(indicator.targets):
            if target.scope_label is not None and target.scope is None:
                yield _warning(
                    "scope-label-without-scope",
                    f"{path}.targets[{n}].scope_label",
                    "a scope_label without a scope labels nothing; expected a scope beside it",
                    "scope_label không có scope thì không gắn nhãn cho gì; cần có scope đi kèm",
                )


def _links(plan: Plan) -> Iterable[Finding]:
    for path, task in _task_paths(plan):
        for field in ("depends_on", "contributes_to", "priorities"):
            seen: dict[str, int] = {}
            for n, link in enumerate(getattr(task, field)):
                if link.to in seen:
                    yield _warning(
                        "duplicate-link",
                        f"{path}.{field}[{n}].to",
                        f"task {task.id!r} links to {link.to!r} again (first at "
                        f"{field}[{seen[link.to]}]); only the first counts",
                        f"nhiệm vụ '{task.id}' liên kết tới '{link.to}' lần nữa (lần đầu ở "
                        f"{field}[{seen[link.to]}]); chỉ liên kết đầu tiên được tính",
                    )
                else:
                    seen[link.to] = n
        if task.contributes_to and all(link.weight == 0 for link in task.contributes_to):
            yield _warning(
                "zero-weights",
                f"{path}.contributes_to",
                f"every contribution of task {task.id!r} weighs 0, so it reaches nothing "
                "when tasks are ranked by reach; expected at least one weight above 0",
                f"mọi đóng góp của nhiệm vụ '{task.id}' có trọng số 0 nên không tính khi "
                "xếp hạng nhiệm vụ; cần ít nhất một trọng số lớn hơn 0",
            )


def _shared_ids(plan: Plan) -> Iterable[Finding]:
    first: dict[str, tuple[str, str]] = {}
    entries = [
        *(("priority", f"$.priorities[{n}]", p.id) for n, p in enumerate(plan.priorities)),
        *(("indicator group", f"$.groups[{n}]", g.id) for n, g in enumerate(plan.groups)),
        *(("indicator", path, indicator.id) for path, indicator in _indicator_paths(plan)),
        *(("task", path, task.id) for path, task in _task_paths(plan)),
    ]
    for kind, path, element_id in entries:
        if element_id not in first:
            first[element_id] = (kind, path)
            continue
        other_kind, other_path = first[element_id]
        if other_kind != kind:
            yield _warning(
                "shared-id",
                f"{path}.id",
                f"{kind} id {element_id!r} is also the id of the {other_kind} at {other_path}; "
                "expected ids that name one element, so that lookups by id are not ambiguous",
                f"mã {_KIND_VI[kind]} '{element_id}' cũng là mã của {_KIND_VI[other_kind]} ở "
                f"{other_path}; mỗi mã nên chỉ một phần tử để tra cứu theo mã không bị nhầm",
            )


def _index_links(plan: Plan, indices: Mapping[str, Index]) -> Iterable[Finding]:
    components, failed = index_components(plan, indices)
    places = [
        (f"{path}.drives[{n}].index", drive.index)
        for path, task in _task_paths(plan)
        for n, drive in enumerate(task.drives)
    ]
    places += [
        (f"{path}.scored_from", indicator.scored_from)
        for path, indicator in _indicator_paths(plan)
        if indicator.scored_from is not None
    ]
    for where, name in places:
        if name in failed:
            yield _error(
                "unknown-index",
                where,
                f"index {name!r} cannot be loaded ({failed[name]}); expected a bundled index "
                "name or the path of an index file",
                f"không tải được chỉ số '{name}' ({failed[name]}); cần tên một chỉ số có sẵn "
                "hoặc đường dẫn tới tệp chỉ số",
            )
    for path, task in _task_paths(plan):
        for n, drive in enumerate(task.drives):
            read = components.get(drive.index)
            if read is None:
                continue
            where = f"{path}.drives[{n}].component"
            if drive.component not in read:
                known = ", ".join(read)
                yield _error(
                    "unknown-component",
                    where,
                    f"task {task.id!r} drives component {drive.component!r}, which index "
                    f"{drive.index!r} does not read; expected one of: {known}",
                    f"nhiệm vụ '{task.id}' tác động tới thành phần '{drive.component}' mà "
                    f"chỉ số '{drive.index}' không đọc; cần một trong: {known}",
                )
                continue

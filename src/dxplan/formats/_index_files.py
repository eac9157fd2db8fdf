"""Index definitions as TOML or JSON files: parsing with exact paths, never executing code.

A file holds a table with ``root``, optional ``name``, ``citation``,
``note`` and ``precision`` (the decimals scores are published with; ranks judge
ties after rounding to it), and a list ``nodes``. A node with ``children`` is an aggregate, any
other node a leaf::

    root = "Index"
    [[nodes]]
    id = "co2"
    rule = { kind = "min-max", low = 0, high = 100 }
    direction = -1
    [[nodes]]
    id = "Index"
    label = { vi = "Chỉ số tổng hợp", en = "Composite index" }
    aggregator = "arithmetic-mean"
    children = ["co2", { id = "gdp", weight = 2 }]

A ``label`` (and the index's ``name``) is a table ``{vi, en}`` (``en``
optional) or text, which is taken as the Vietnamese name, ``{vi = text}``.

A rule or aggregator is its kind (``"min-max"``) or a table with ``kind`` and
its parameters. The file is read through the one converter
(:mod:`dxplan.formats.converter`) into the records below, whose fields and
validators are also the file's JSON Schema (:func:`dxplan.formats.schema.index_schema`).
Every problem is reported at once with the file and a path such as
``index.toml:$.nodes[3].children[1].weight``, what was found and what was expected.

An optional list ``steps`` says how raw data is prepared before the index
(see :mod:`dxplan.index.pipeline`), in order, each with ``step`` and its
parameters::

    [[steps]]
    step = "screen"
    min_availability = 0.66
    [[steps]]
    step = "impute"
    method = "group-mean"
    group = "GDPpc_group"
    [[steps]]
    step = "treat"
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any, NewType

import attrs

from dxplan import _files
from dxplan import _validators as v
from dxplan.errors import DxplanError, IndexDefinitionError, InvalidValueError, Problem
from dxplan.formats.converter import converter, refuse, structure, tagged
from dxplan.index.aggregators import AGGREGATORS, Aggregator, ArithmeticMean
from dxplan.index.imputation import METHODS
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.pipeline import Denominate, Impute, Screen, Step, Treat
from dxplan.index.rules import RULES, Identity, Rule
from dxplan.text import Label

_SHARE = v.optional(v.fraction.saying("a share between 0 and 1"))
_FINITE = v.optional(v.finite_number)
_COUNT = v.optional(v.non_negative_int)


def _at_least_one(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise InvalidValueError(attribute.name, [], "a non-empty list")


_AT_LEAST_ONE = v.with_schema({"array": {"minItems": 1}})(_at_least_one)


IndexLabel = NewType("IndexLabel", Label)
"""A label in an index file: text (the Vietnamese name) or a table ``{vi, en}``."""


@attrs.frozen(kw_only=True)
class ChildEntry:
    """A child of an aggregate with its weight (a bare id weighs 1)."""

    id: str = attrs.field(validator=v.non_empty_text)
    weight: float = attrs.field(default=1.0, validator=v.number(at_least=0))


@attrs.frozen(kw_only=True)
class LeafEntry:
    """A leaf: a component scored by a rule (a node without ``children``)."""

    id: str = attrs.field(validator=v.non_empty_text)
    component: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))
    rule: Rule = attrs.field(factory=Identity)
    direction: int = attrs.field(default=1, validator=v.one_of((1, -1), "1 or -1"))
    label: IndexLabel | None = None
    note: str = ""
    assumption: bool = False

    def build(self) -> Leaf:
        """The index's leaf."""
        return Leaf(
            id=self.id,
            component=self.component or self.id,
            rule=self.rule,
            direction=self.direction,
            label=self.label,
            note=self.note,
            assumption=self.assumption,
        )


@attrs.frozen(kw_only=True)
class AggregateEntry:
    """An aggregate: a node with ``children`` (ids, or tables with ``id`` and ``weight``)."""

    id: str = attrs.field(validator=v.non_empty_text)
    children: tuple[str | ChildEntry, ...] = attrs.field(validator=_AT_LEAST_ONE)
    aggregator: Aggregator = attrs.field(factory=ArithmeticMean)
    min_availability: float | None = attrs.field(default=None, validator=_SHARE)
    points: float = attrs.field(default=1.0, validator=v.positive_number)
    label: IndexLabel | None = None
    note: str = ""
    assumption: bool = False

    def build(self) -> Aggregate:
        """The index's aggregate."""
        entries = [ChildEntry(id=c) if isinstance(c, str) else c for c in self.children]
        return Aggregate(
            id=self.id,
            children=tuple(c.id for c in entries),
            weights=tuple(c.weight for c in entries),
            aggregator=self.aggregator,
            min_availability=self.min_availability,
            points=self.points,
            label=self.label,
            note=self.note,
            assumption=self.assumption,
        )


def _given(record: attrs.AttrsInstance) -> dict[str, Any]:
    """A step record's fields that the file gave (None: the step's own default)."""
    return {k: x for k, x in attrs.asdict(record, recurse=False).items() if x is not None}


@attrs.frozen(kw_only=True)
class ScreenStep:
    """``step = "screen"``: drop entities (and components) with too little data."""

    min_availability: float | None = attrs.field(default=None, validator=_SHARE)
    min_nonzero: float | None = attrs.field(default=None, validator=_SHARE)
    component_min_availability: float | None = attrs.field(default=None, validator=_SHARE)
    component_min_nonzero: float | None = attrs.field(default=None, validator=_SHARE)
    force_include: tuple[str, ...] | None = None
    force_exclude: tuple[str, ...] | None = None

    def build(self) -> Step:
        """The pipeline's step."""
        return Screen(**_given(self))


@attrs.frozen(kw_only=True)
class DenominateStep:
    """``step = "denominate"``: divide components by denominators (``by``).

    ``by`` is a table ``component = "denominator"``.
    """

    by: dict[str, str]
    scale: float | None = attrs.field(default=None, validator=_FINITE)

    def build(self) -> Step:
        """The pipeline's step."""
        return Denominate(**_given(self))


@attrs.frozen(kw_only=True)
class ImputeStep:
    """``step = "impute"``: fill missing values."""

    method: str | None = attrs.field(default=None, validator=v.optional(v.one_of(METHODS)))
    group: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))
    max_periods: int | None = attrs.field(default=None, validator=_COUNT)

    def build(self) -> Step:
        """The pipeline's step."""
        return Impute(**_given(self))


@attrs.frozen(kw_only=True)
class TreatSettings:
    """Outlier treatment settings (of the step, or of one component in ``overrides``)."""

    skew_threshold: float | None = attrs.field(default=None, validator=_FINITE)
    kurtosis_threshold: float | None = attrs.field(default=None, validator=_FINITE)
    max_winsorised: int | None = attrs.field(default=None, validator=_COUNT)
    transform: str | None = attrs.field(
        default=None, validator=v.optional(v.one_of(("log_CT", "none")))
    )

    def settings(self) -> dict[str, Any]:
        """The settings given, ``transform = "none"`` as None."""
        given = _given(self)
        if given.get("transform") == "none":
            given["transform"] = None
        return given


@attrs.frozen(kw_only=True)
class TreatStep(TreatSettings):
    """``step = "treat"``: treat outliers with COINr's default rule."""

    skip: tuple[str, ...] | None = None
    overrides: dict[str, TreatSettings] | None = None

    def build(self) -> Step:
        """The pipeline's step."""
        given = self.settings()
        if self.overrides is not None:
            given["overrides"] = {c: s.settings() for c, s in self.overrides.items()}
        return Treat(**given)


StepEntry = ScreenStep | DenominateStep | ImputeStep | TreatStep
STEPS: dict[str, type[StepEntry]] = {
    "screen": ScreenStep,
    "denominate": DenominateStep,
    "impute": ImputeStep,
    "treat": TreatStep,
}
"""Each step by its name in a file, in the order steps must come."""


@attrs.frozen(kw_only=True)
class IndexFile:
    """An index definition file: its ``root``, ``nodes`` and optional construction ``steps``."""

    root: str = attrs.field(validator=v.non_empty_text)
    nodes: tuple[LeafEntry | AggregateEntry, ...] = attrs.field(validator=_AT_LEAST_ONE)
    name: IndexLabel | None = None
    citation: str = ""
    note: str = ""
    precision: int | None = attrs.field(default=None, validator=v.optional(v.decimals))
    steps: tuple[StepEntry, ...] = ()


def _label(value: object, _: object) -> Label:
    if isinstance(value, str):
        if not value.strip():
            raise refuse(value, "non-empty text")
        return Label(vi=value)
    if not isinstance(value, dict):
        raise refuse(value, 'text or a table {vi = "…", en = "…"}')
    return converter.structure(value, Label)


def _child(value: object, _: object) -> str | ChildEntry:
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise refuse(value, "a node id or a table {id, weight}")
    return converter.structure(value, ChildEntry)


def _node(value: object, _: object) -> LeafEntry | AggregateEntry:
    if not isinstance(value, dict):
        raise refuse(value, "a node table")
    if "children" in value:
        return converter.structure(value, AggregateEntry)
    return converter.structure(value, LeafEntry)


_KINDS: tuple[tuple[type, Mapping[str, type[Any]], str], ...] = (
    (Rule, RULES, "a rule"),
    (Aggregator, AGGREGATORS, "an aggregator"),
)
for _base, _kinds, _what in _KINDS:  # a rule or aggregator: its kind, or a table with 'kind'
    converter.register_structure_hook_func(
        functools.partial(operator.is_, _base),
        tagged(
            "kind",
            _kinds,
            expected=f"{_what} kind: " + ", ".join(sorted(_kinds)),
            table=f"{_what} kind, or a table with 'kind'",
            bare=True,
        ),
    )
converter.register_structure_hook(IndexLabel, _label)
converter.register_structure_hook(str | ChildEntry, _child)
converter.register_structure_hook(LeafEntry | AggregateEntry, _node)
converter.register_structure_hook(
    StepEntry,
    tagged("step", STEPS, expected="one of " + ", ".join(STEPS), table="a step table with 'step'"),
)


def load_index(path: str | PathLike[str]) -> Index:
    """Read an index definition from a ``.toml`` or ``.json`` file.

    Raises:
        FileFormatError: the file cannot be read or parsed.
        IndexDefinitionError: the content is not a valid index; ``problems``
            lists every problem with its path.
    """
    file = Path(path)
    raw = _files.read_document(file, what="an index definition")
    return index_from_dict(raw, source=str(file))


def index_from_dict(raw: object, *, source: str = "<dict>") -> Index:
    """Build an :class:`Index` from plain data (as read from TOML or JSON)."""
    summary = f"cannot read an index definition from {source}"
    record = structure(raw, IndexFile, source=source, summary=summary, error=IndexDefinitionError)
    problems: list[Problem] = []
    nodes: list[Node] = []
    for i, entry in enumerate(record.nodes):
        try:
            nodes.append(entry.build())
        except DxplanError as exc:
            problems.append(Problem(f"{source}:$.nodes[{i}]", str(exc)))
    problems += _step_problems(record.steps, source)
    if problems:
        raise IndexDefinitionError(summary, problems)
    try:
        return Index(
            root=record.root,
            nodes=tuple(nodes),
            precision=record.precision,
            name=record.name,
            citation=record.citation,
            note=record.note,
        )
    except IndexDefinitionError as exc:
        raise IndexDefinitionError(summary, [_placed(p, source) for p in exc.problems]) from exc


def _placed(problem: Problem, source: str) -> Problem:
    """A problem the Index found, at its ``$.path`` in ``source`` (the index states it first)."""
    where, colon, what = problem.message.partition(": ")
    if problem.where == "$" and colon and where.startswith("$"):
        return Problem(f"{source}:{where}", what)
    return Problem(f"{source}:{problem.where}", problem.message)


def _step_problems(steps: tuple[StepEntry, ...], source: str) -> list[Problem]:
    """Each step once, in the pipeline's order."""
    names = [name for entry in steps for name, cls in STEPS.items() if type(entry) is cls]
    problems = [
        Problem(f"{source}:$.steps[{i}]", f"found a second {name!r} step; expected each step once")
        for i, name in enumerate(names)
        if names.index(name) != i
    ]
    order = [name for name in STEPS if name in names]
    if not problems and names != order:
        problems.append(
            Problem(
                f"{source}:$.steps",
                f"found the steps in the order {names}; expected the order {order} "
                "(screen, denominate, impute, treat)",
            )
        )
    return problems


def load_steps(path: str | PathLike[str]) -> tuple[Step, ...]:
    """The construction ``steps`` of an index file (none when it has no ``steps``)."""
    file = Path(path)
    raw = _files.read_document(file, what="an index definition")
    return steps_from_dict(raw, source=str(file))


def steps_from_dict(raw: object, *, source: str = "<dict>") -> tuple[Step, ...]:
    """The construction steps of an index definition's ``steps`` list."""
    if not isinstance(raw, Mapping) or "steps" not in raw:
        return ()
    summary = f"cannot read the steps of the index definition {source}"
    entries = structure(
        raw["steps"],
        tuple[StepEntry, ...],
        source=source,
        summary=summary,
        error=IndexDefinitionError,
        path="$.steps",
    )
    problems = _step_problems(entries, source)
    if problems:
        raise IndexDefinitionError(summary, problems)
    return tuple(entry.build() for entry in entries)


def index_to_dict(index: Index) -> dict[str, Any]:
    """Plain data for ``index`` (JSON- and TOML-ready); :func:`index_from_dict` reads it back."""
    nodes: list[dict[str, Any]] = []
    for node in index.nodes:
        item: dict[str, Any] = {"id": node.id}
        if isinstance(node, Leaf):
            if node.component != node.id:
                item["component"] = node.component
            item["rule"] = {"kind": node.rule.kind, **node.rule.params()}
            if node.direction != 1:
                item["direction"] = node.direction
        else:
            item["aggregator"] = {"kind": node.aggregator.kind, **node.aggregator.params()}
            item["children"] = [
                {"id": c, "weight": w} for c, w in zip(node.children, node.weights, strict=True)
            ]
            if node.min_availability is not None:
                item["min_availability"] = node.min_availability
            if node.points != 1.0:
                item["points"] = node.points
        if node.label is not None:
            item["label"] = _label_data(node.label)
        if node.note:
            item["note"] = node.note
        if node.assumption:
            item["assumption"] = True
        nodes.append(item)
    out: dict[str, Any] = {"root": index.root}
    if index.name is not None:
        out["name"] = _label_data(index.name)
    for key in ("citation", "note"):
        if getattr(index, key):
            out[key] = getattr(index, key)
    if index.precision is not None:
        out["precision"] = index.precision
    out["nodes"] = nodes
    return out


def _label_data(label: Label) -> str | dict[str, str]:
    """A label as the file writes it: text when it has no translation, else ``{vi, en}``."""
    return label.vi if label.en is None else {"vi": label.vi, "en": label.en}

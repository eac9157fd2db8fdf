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
its parameters. Every problem is reported with the file and a path such as
``$.nodes[3].children[1].weight``, what was found and what was expected.

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

import math
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from dxplan import _files
from dxplan.errors import IndexDefinitionError, Problem
from dxplan.index.aggregators import AGGREGATORS, Aggregator
from dxplan.index.imputation import METHODS
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.pipeline import Denominate, Impute, Screen, Step, Treat
from dxplan.index.rules import RULES, Rule
from dxplan.text import Label

_INDEX_KEYS = {"root", "nodes", "name", "citation", "note", "steps", "precision"}
_SHARES = ("min_availability", "min_nonzero", "component_min_availability", "component_min_nonzero")
_STEP_KEYS: dict[str, set[str]] = {
    "screen": {"step", *_SHARES, "force_include", "force_exclude"},
    "denominate": {"step", "by", "scale"},
    "impute": {"step", "method", "group", "max_periods"},
    "treat": {
        "step",
        "skew_threshold",
        "kurtosis_threshold",
        "max_winsorised",
        "transform",
        "skip",
        "overrides",
    },
}
_TREAT_SETTINGS = {"skew_threshold", "kurtosis_threshold", "max_winsorised", "transform"}
_LEAF_KEYS = {"id", "component", "rule", "direction", "label", "note", "assumption"}
_AGGREGATE_KEYS = {
    "id",
    "children",
    "aggregator",
    "min_availability",
    "points",
    "label",
    "note",
    "assumption",
}


def load_index(path: str | PathLike[str]) -> Index:
    """Read an index definition from a ``.toml`` or ``.json`` file.

    Raises:
        FileFormatError: the file cannot be read or parsed.
        IndexDefinitionError: the content is not a valid index; the message
            lists every problem with its path.
    """
    file = Path(path)
    raw = _files.read_document(file, what="an index definition")
    return index_from_dict(raw, source=str(file))


def index_from_dict(raw: object, *, source: str = "<dict>") -> Index:
    """Build an :class:`Index` from plain data (as read from TOML or JSON)."""
    problems: list[Problem] = []
    reader = _Reader(source, problems)
    if not isinstance(raw, Mapping):
        raise IndexDefinitionError(
            f"{source}: $: found {type(raw).__name__}; expected a table with 'root' and 'nodes'"
        )
    reader.unknown_keys(raw, _INDEX_KEYS, "$")
    root = reader.string(raw, "root", "$", required=True)
    texts = {key: reader.string(raw, key, "$") for key in ("citation", "note")}
    name = reader.label(raw, "name", "$")
    precision = raw.get("precision")
    if precision is not None and not (
        isinstance(precision, int) and not isinstance(precision, bool) and 0 <= precision <= 15
    ):
        reader.problem("$.precision", _found(precision), "a whole number of decimals from 0 to 15")
        precision = None
    nodes_raw = raw.get("nodes")
    nodes: list[Node] = []
    if not isinstance(nodes_raw, list) or not nodes_raw:
        reader.problem("$.nodes", _found(nodes_raw), "a non-empty list of node tables")
    else:
        for i, item in enumerate(nodes_raw):
            node = reader.node(item, f"$.nodes[{i}]")
            if node is not None:
                nodes.append(node)
    if problems:
        raise IndexDefinitionError(_joined(source, problems))
    steps_from_dict(raw, source=source)  # checked here too, so a bad step never loads
    try:
        return Index(root=root, nodes=tuple(nodes), name=name, precision=precision, **texts)
    except IndexDefinitionError as exc:
        raise IndexDefinitionError(f"{source}: {exc}") from exc


def load_steps(path: str | PathLike[str]) -> tuple[Step, ...]:
    """The construction ``steps`` of an index file (none when it has no ``steps``)."""
    file = Path(path)
    raw = _files.read_document(file, what="an index definition")
    return steps_from_dict(raw, source=str(file))


def steps_from_dict(raw: object, *, source: str = "<dict>") -> tuple[Step, ...]:
    """The construction steps of an index definition's ``steps`` list."""
    if not isinstance(raw, Mapping) or "steps" not in raw:
        return ()
    problems: list[Problem] = []
    reader = _Reader(source, problems)
    items = raw["steps"]
    steps: list[Step] = []
    if not isinstance(items, list):
        reader.problem("$.steps", _found(items), "a list of step tables")
    else:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            where = f"$.steps[{i}]"
            step = reader.step(item, where)
            if step is None:
                continue
            if step.name in seen:
                reader.problem(where, f"a second {step.name!r} step", "each step once")
            seen.setdefault(step.name, i)
            steps.append(step)
        order = [name for name in _STEP_KEYS if name in seen]
        if [s.name for s in steps] != order and not problems:
            reader.problem(
                "$.steps",
                f"steps in the order {[s.name for s in steps]}",
                f"the order {order} (screen, denominate, impute, treat)",
            )
    if problems:
        raise IndexDefinitionError(_joined(source, problems))
    return tuple(steps)


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


def _found(value: object) -> str:
    return (
        f"found {value!r}"
        if not isinstance(value, list | dict)
        else (f"found a {type(value).__name__}")
    )


def _joined(source: str, problems: list[Problem]) -> str:
    head = f"{source}: {len(problems)} problem(s) in the index definition"
    return "\n".join([head, *(f"  {source}: {p}" for p in problems)])


@attrs.define
class _Reader:
    source: str
    problems: list[Problem]

    def problem(self, where: str, found: str, expected: str) -> None:
        self.problems.append(Problem(where, f"{found}; expected {expected}"))

    def unknown_keys(self, table: Mapping[str, object], known: set[str], where: str) -> None:
        for key in table:
            if key not in known:
                expected = "one of " + ", ".join(sorted(known))
                self.problem(f"{where}.{key}", "an unknown key", expected)

    def string(
        self, table: Mapping[str, object], key: str, where: str, *, required: bool = False
    ) -> str:
        value = table.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"{where}.{key}", _found(value), "a non-empty string")
            return ""
        return value

    def label(self, table: Mapping[str, object], key: str, where: str) -> Label | None:
        """A label: text (the Vietnamese name) or a table ``{vi, en}``; none when absent."""
        value = table.get(key)
        at = f"{where}.{key}"
        if value is None:
            return None
        if isinstance(value, str):
            if value.strip():
                return Label(vi=value)
            self.problem(at, _found(value), "non-empty text")
            return None
        if not isinstance(value, Mapping):
            self.problem(at, _found(value), 'text or a table {vi = "…", en = "…"}')
            return None
        before = len(self.problems)
        self.unknown_keys(value, {"vi", "en"}, at)
        vi, en = value.get("vi"), value.get("en")
        if not isinstance(vi, str) or not vi.strip():
            self.problem(f"{at}.vi", _found(vi), "non-empty text")
        if en is not None and not isinstance(en, str):
            self.problem(f"{at}.en", _found(en), "text")
        if len(self.problems) > before or not isinstance(vi, str):
            return None
        return Label(vi=vi, en=en or None)

    def number(self, value: object, where: str, expected: str = "a finite number") -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, _found(value), expected)
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            number = math.inf
        if not math.isfinite(number):
            self.problem(where, _found(value), expected)
            return None
        return number

    def step(self, item: object, where: str) -> Step | None:
        if not isinstance(item, Mapping):
            self.problem(where, _found(item), "a step table with 'step'")
            return None
        name = item.get("step")
        if name not in _STEP_KEYS:
            self.problem(f"{where}.step", _found(name), "one of " + ", ".join(_STEP_KEYS))
            return None
        before = len(self.problems)
        self.unknown_keys(item, _STEP_KEYS[name], where)
        fields: dict[str, Any] = {}
        for key, value in item.items():
            if key != "step" and key in _STEP_KEYS[name]:
                fields[key] = self.setting(key, value, f"{where}.{key}")
        if len(self.problems) > before:
            return None
        if name == "denominate" and "by" not in fields:
            self.problem(f"{where}.by", "nothing", 'a table {component = "denominator"}')
            return None
        kinds: dict[str, Any] = {
            "screen": Screen,
            "denominate": Denominate,
            "impute": Impute,
            "treat": Treat,
        }
        step: Step = kinds[name](**fields)
        return step

    def setting(self, key: str, value: object, at: str) -> Any:
        """One step parameter, checked; a problem is recorded for a bad one."""
        if key in _SHARES:
            share = self.number(value, at, "a share between 0 and 1")
            if share is not None and not 0 <= share <= 1:
                self.problem(at, _found(value), "a share between 0 and 1")
            return share
        if key in ("scale", "skew_threshold", "kurtosis_threshold"):
            return self.number(value, at)
        if key in ("max_periods", "max_winsorised"):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.problem(at, _found(value), "a whole number ≥ 0")
            return value
        if key == "method":
            if value not in METHODS:
                self.problem(at, _found(value), "one of " + ", ".join(METHODS))
            return value
        if key == "transform":
            if value not in ("log_CT", "none"):
                self.problem(at, _found(value), "'log_CT' or 'none'")
            return None if value == "none" else value
        if key == "group":
            if not isinstance(value, str) or not value.strip():
                self.problem(at, _found(value), "the name of an entity attribute")
            return value
        if key == "by":
            if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                self.problem(at, _found(value), 'a table {component = "denominator"}')
            return value
        if key == "overrides":
            if not isinstance(value, Mapping):
                self.problem(at, _found(value), "a table of component tables")
                return {}
            out: dict[str, dict[str, Any]] = {}
            for component, table in value.items():
                here = f"{at}.{component}"
                if not isinstance(table, Mapping):
                    self.problem(here, _found(table), "a table of treatment settings")
                    continue
                self.unknown_keys(table, _TREAT_SETTINGS, here)
                out[component] = {
                    k: self.setting(k, v, f"{here}.{k}")
                    for k, v in table.items()
                    if k in _TREAT_SETTINGS
                }
            return out
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(at, _found(value), "a list of ids")
            return ()
        return tuple(value)

    def node(self, item: object, where: str) -> Node | None:
        if not isinstance(item, Mapping):
            self.problem(where, _found(item), "a node table")
            return None
        before = len(self.problems)
        node_id = self.string(item, "id", where, required=True)
        texts: dict[str, Any] = {"note": self.string(item, "note", where)}
        texts["label"] = self.label(item, "label", where)
        assumption = item.get("assumption", False)
        if not isinstance(assumption, bool):
            self.problem(f"{where}.assumption", _found(assumption), "true or false")
        if "children" in item:
            self.unknown_keys(item, _AGGREGATE_KEYS, where)
            return self._aggregate(item, where, node_id, texts, assumption is True, before)
        self.unknown_keys(item, _LEAF_KEYS, where)
        component = self.string(item, "component", where) or node_id
        rule = self._kind(item.get("rule", "identity"), f"{where}.rule", RULES, "rule")
        direction = item.get("direction", 1)
        if direction not in (1, -1) or isinstance(direction, bool):
            self.problem(f"{where}.direction", _found(direction), "1 or -1")
        if len(self.problems) > before or not isinstance(rule, Rule):
            return None
        return self._build(
            where,
            lambda: Leaf(
                id=node_id,
                component=component,
                rule=rule,
                direction=-1 if direction == -1 else 1,
                assumption=assumption is True,
                **texts,
            ),
        )

    def _aggregate(
        self,
        item: Mapping[str, object],
        where: str,
        node_id: str,
        texts: dict[str, Any],
        assumption: bool,
        before: int,
    ) -> Node | None:
        children: list[str] = []
        weights: list[float] = []
        raw_children = item["children"]
        if not isinstance(raw_children, list) or not raw_children:
            self.problem(f"{where}.children", _found(raw_children), "a non-empty list")
            raw_children = []
        for j, child in enumerate(raw_children):
            at = f"{where}.children[{j}]"
            if isinstance(child, str):
                children.append(child)
                weights.append(1.0)
                continue
            if not isinstance(child, Mapping):
                self.problem(at, _found(child), "a node id or a table {id, weight}")
                continue
            self.unknown_keys(child, {"id", "weight"}, at)
            children.append(self.string(child, "id", at, required=True))
            weight = self.number(child.get("weight", 1.0), f"{at}.weight", "a finite number ≥ 0")
            if weight is not None and weight < 0:
                self.problem(f"{at}.weight", _found(child.get("weight")), "a finite number ≥ 0")
            weights.append(0.0 if weight is None else weight)
        aggregator = self._kind(
            item.get("aggregator", "arithmetic-mean"),
            f"{where}.aggregator",
            AGGREGATORS,
            "aggregator",
        )
        threshold: float | None = None
        if item.get("min_availability") is not None:
            threshold = self.number(
                item["min_availability"], f"{where}.min_availability", "a number from 0 to 1"
            )
            if threshold is not None and not 0 <= threshold <= 1:
                self.problem(f"{where}.min_availability", _found(threshold), "a number from 0 to 1")
        points = self.number(item.get("points", 1.0), f"{where}.points", "a positive number")
        if points is not None and points <= 0:
            self.problem(f"{where}.points", _found(points), "a positive number")
        if len(self.problems) > before or not isinstance(aggregator, Aggregator):
            return None
        return self._build(
            where,
            lambda: Aggregate(
                id=node_id,
                children=tuple(children),
                weights=tuple(weights),
                aggregator=aggregator,
                min_availability=threshold,
                points=1.0 if points is None else points,
                assumption=assumption,
                **texts,
            ),
        )

    def _kind(self, value: object, where: str, table: Mapping[str, type[Any]], what: str) -> Any:
        params: dict[str, object] = {}
        if isinstance(value, Mapping):
            kind = value.get("kind")
            params = {k: v for k, v in value.items() if k != "kind"}
        else:
            kind = value
        if not isinstance(kind, str) or kind not in table:
            at = f"{where}.kind" if isinstance(value, Mapping) else where
            self.problem(at, _found(kind), f"a {what} kind: " + ", ".join(sorted(table)))
            return None
        cls = table[kind]
        fields = {a.name: a for a in attrs.fields(cls)}
        for key, param in params.items():
            if key not in fields:
                self.problem(
                    f"{where}.{key}",
                    "an unknown parameter",
                    f"one of {sorted(fields) or 'no parameters'} for {kind}",
                )
                continue
            if isinstance(param, list):
                for k, v in enumerate(param):
                    self.number(v, f"{where}.{key}[{k}]")
            elif fields[key].type in ("bool", bool):
                if not isinstance(param, bool):
                    self.problem(f"{where}.{key}", _found(param), "true or false")
            else:
                self.number(param, f"{where}.{key}")
        try:
            return cls(**params)
        except (IndexDefinitionError, TypeError, ValueError, OverflowError) as exc:
            self.problem(where, f"{kind} with {params}", f"valid parameters ({exc})")
            return None

    def _build(self, where: str, make: Any) -> Node | None:
        try:
            node: Node = make()
        except IndexDefinitionError as exc:
            self.problems.append(Problem(where, str(exc)))
            return None
        return node

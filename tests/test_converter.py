"""One converter, one error shape: every file format names each problem's path, found, expected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan import load_plan, strategies
from dxplan.errors import (
    DxplanError,
    FileFormatError,
    IndexDefinitionError,
    ObservationError,
    Problem,
)
from dxplan.formats.converter import found
from dxplan.formats.io import plan_from_dict, plan_to_dict
from dxplan.formats.scenario_files import load_scenario, scenario_from_dict, scenario_to_dict
from dxplan.index.indices import index_from_dict, index_to_dict, load_index
from dxplan.plan.observations import load_observations


def shown(problems: tuple[Problem, ...]) -> list[tuple[str, str]]:
    return [(p.where, p.message) for p in problems]


class TestIndexDefinitionError:
    """IndexDefinitionError carries problems like the other many-problem errors."""

    def test_built_in_python_has_one_problem(self) -> None:
        """Raised while building an index in Python, the message is its one problem, at $."""
        error = IndexDefinitionError("node 'I': 'children' must not be empty (got ())")
        assert str(error) == "node 'I': 'children' must not be empty (got ())"
        assert shown(error.problems) == [("$", "node 'I': 'children' must not be empty (got ())")]

    def test_read_from_a_file_lists_each_problem(self) -> None:
        """Read from a file, the summary comes first, then each problem on its own line."""
        error = IndexDefinitionError(
            "cannot read an index definition from i.toml",
            [Problem("i.toml:$.root", "found 3; expected text")],
        )
        assert str(error) == (
            "cannot read an index definition from i.toml\n  i.toml:$.root: found 3; expected text"
        )
        assert isinstance(error, ValueError)


class TestExactPaths:
    """An injected defect is reported at its exact path, with what was found and expected."""

    def test_index_file(self, tmp_path: Path) -> None:
        """Every defect of an index file at once: nodes, children, rules, steps, top level."""
        path = tmp_path / "i.toml"
        path.write_text(
            'root = "I"\nprecision = 16\n'
            '[[nodes]]\nid = "a"\nrule = { kind = "min-max", low = "0" }\ndirection = 2\n'
            '[[nodes]]\nid = "I"\nchildren = ["a", { id = "b", weight = -1 }, 5]\n'
            'aggregator = "median"\npoints = 0\n'
            '[[steps]]\nstep = "impute"\nmethod = "guess"\n',
            encoding="utf-8",
        )
        with pytest.raises(IndexDefinitionError) as caught:
            load_index(path)
        aggregators = "arithmetic-mean, generalised-mean, geometric-mean, harmonic-mean, minimum"
        assert shown(caught.value.problems) == [
            (f"{path}:$.nodes[0].rule.low", "found '0'; expected a number"),
            (f"{path}:$.nodes[0].direction", "found 2; expected 1 or -1"),
            (
                f"{path}:$.nodes[1].children[1].weight",
                "found -1; expected a finite number >= 0",
            ),
            (
                f"{path}:$.nodes[1].children[2]",
                "found 5; expected a node id or a table {id, weight}",
            ),
            (
                f"{path}:$.nodes[1].aggregator",
                f"found 'median'; expected an aggregator kind: {aggregators}, weighted-sum",
            ),
            (f"{path}:$.nodes[1].points", "found 0; expected a finite number > 0"),
            (f"{path}:$.precision", "found 16; expected a whole number of decimals from 0 to 15"),
            (
                f"{path}:$.steps[0].method",
                "found 'guess'; expected one of 'mean', 'median', 'group-mean', "
                "'group-median', 'locf', 'linear'",
            ),
        ]

    def test_index_structure_problems_keep_their_path(self) -> None:
        """What only the whole index can tell (an unknown child) is placed where the Index says."""
        raw = {"root": "I", "nodes": [{"id": "a"}, {"id": "I", "children": ["a", "zz"]}]}
        with pytest.raises(IndexDefinitionError) as caught:
            index_from_dict(raw, source="x.json")
        ((where, message),) = shown(caught.value.problems)
        assert where == "x.json:$.nodes[1].children[1]"
        assert "'zz'" in message

    def test_scenario_file(self, tmp_path: Path) -> None:
        """Every defect of a scenario file at once, with file keys (value, not weight)."""
        path = tmp_path / "s.toml"
        path.write_text(
            'name = "s"\nindex = 3\n'
            '[[edits]]\nop = "weight"\nnode = "DTI"\nchild = "c"\nvalue = 1\nshare = 0.5\n'
            '[[edits]]\nop = "add-entity"\nentity = "e"\nvalues = { c = "x" }\n'
            '[[edits]]\nop = "set"\ncomponent = "c"\nvalue = true\n',
            encoding="utf-8",
        )
        with pytest.raises(FileFormatError) as caught:
            load_scenario(path)
        assert shown(caught.value.problems) == [
            (
                f"{path}:$.edits[0].value",
                "found (1.0, None, 0.5); expected exactly one of weight, points or share",
            ),
            (f"{path}:$.edits[1].values.c", "found 'x'; expected a number"),
            (f"{path}:$.edits[2].value", "found True; expected a number"),
            (f"{path}:$.index", "found 3; expected text"),
        ]

    def test_observations_json(self, tmp_path: Path) -> None:
        """A JSON record's shape (keys) and its cells are both placed at the record's key."""
        path = tmp_path / "o.json"
        records = [
            {"entity": "ho-chi-minh", "indicator": "3.1", "period": 2024},
            {"entity": "ho-chi-minh", "indicator": "3.1", "period": 2024, "value": 1, "colour": 1},
            {"entity": "ho-chi-minh", "indicator": "3.1", "period": "last", "value": 2},
            "ho-chi-minh",
        ]
        path.write_text(json.dumps({"observations": records}), encoding="utf-8")
        with pytest.raises(ObservationError) as caught:
            load_observations(path)
        assert shown(caught.value.problems) == [
            (
                "o.json:$.observations[0].value",
                "found nothing; expected a value (a required key)",
            ),
            (
                "o.json:$.observations[1].colour",
                "found an unknown key; expected one of "
                "entity, indicator, period, scope, source, unit, value",
            ),
            (
                "o.json:$.observations[2].period",
                "'last' is not a year; expected a year such as 2024",
            ),
            ("o.json:$.observations[3]", "found 'ho-chi-minh'; expected a table/object"),
        ]

    def test_plan(self) -> None:
        """A plan's defects, with the same shape."""
        data = plan_to_dict(load_plan("hcmc-2024"))
        data["groups"][0]["indicators"][0]["targets"][0]["value"] = "five"
        data["year"] = 1800
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict(data, source="p.json")
        assert shown(caught.value.problems) == [
            ("p.json:$.year", "found 1800; expected a year (1900–2200)"),
            (
                "p.json:$.groups[0].indicators[0].targets[0].value",
                "found 'five'; expected a number",
            ),
        ]


def _scalars(document: object, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The paths of every text, number and bool in a document."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _scalars(value, (*path, key))
    elif isinstance(document, list):
        for position, value in enumerate(document):
            yield from _scalars(value, (*path, position))
    elif isinstance(document, str | int | float):
        yield path


def _json_path(path: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)


def _wrong_type(value: object) -> object:
    """A value of another JSON type: text for a number or a bool, a number for text."""
    if isinstance(value, str):
        return 7
    return "7"


def _injected(document: Any, path: tuple[Any, ...]) -> Any:
    copy = json.loads(json.dumps(document))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = _wrong_type(node[path[-1]])
    return copy


@st.composite
def _defects(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> tuple[Any, str, object]:
    """A valid document with one scalar of the wrong type, its path, and the value put there."""
    document = json.loads(json.dumps(draw(documents)))
    path = draw(st.sampled_from([p for p in _scalars(document) if p != ("format",)]))
    broken = _injected(document, path)
    node = broken
    for key in path:
        node = node[key]
    return broken, _json_path(path), node


@st.composite
def _scenario_documents(draw: st.DrawFn) -> dict[str, Any]:
    index = draw(strategies.composite_indices(max_leaves=4, max_depth=2))
    data = draw(strategies.index_data(index, max_entities=4))
    return scenario_to_dict(draw(strategies.scenarios(index, data)))


ONE_DEFECT = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def _the_one_problem(error: pytest.ExceptionInfo[Any], where: str, value: object) -> None:
    """The error holds one problem, at ``where``, saying what was found."""
    ((at, message),) = shown(error.value.problems)
    assert at == where
    assert message.startswith(f"found {found(value)}; expected ")


class TestOneDefectOnePlace:
    """A value of the wrong type anywhere in a valid file is the one problem, at its path."""

    @ONE_DEFECT
    @given(_defects(strategies.composite_indices(max_leaves=4, max_depth=2).map(index_to_dict)))
    def test_index(self, defect: tuple[Any, str, object]) -> None:
        """In an index definition."""
        document, path, value = defect
        with pytest.raises(IndexDefinitionError) as caught:
            index_from_dict(document, source="i.json")
        _the_one_problem(caught, f"i.json:{path}", value)

    @ONE_DEFECT
    @given(_defects(_scenario_documents()))
    def test_scenario(self, defect: tuple[Any, str, object]) -> None:
        """In a scenario."""
        document, path, value = defect
        with pytest.raises(FileFormatError) as caught:
            scenario_from_dict(document, source="s.toml")
        _the_one_problem(caught, f"s.toml:{path}", value)

    @ONE_DEFECT
    @given(_defects(strategies.plans(max_indicators=4, max_tasks=3).map(plan_to_dict)))
    def test_plan(self, defect: tuple[Any, str, object]) -> None:
        """In a plan."""
        document, path, value = defect
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict(document, source="p.json")
        _the_one_problem(caught, f"p.json:{path}", value)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_RECORD_KEYS = st.sampled_from(
    ["entity", "indicator", "period", "value", "unit", "scope", "source", "colour"]
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(_JSON | st.dictionaries(_RECORD_KEYS, _JSON), max_size=4))
def test_observation_records_only_raise_dxplan_errors(records: list[object]) -> None:
    """Whatever a JSON observations file's records hold, only a DxplanError comes out."""
    text = json.dumps(records)
    path = Path(__file__).parent / "__never_written__.json"
    from dxplan.plan import observations

    try:
        observations._load_text(text, path.name, ".json", None)
    except DxplanError as exc:
        problems = getattr(exc, "problems", ())
        assert all(p.where.startswith("__never_written__.json") for p in problems)

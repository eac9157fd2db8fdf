"""Fuzzing the loaders: whatever a file or a dict holds, only a DxplanError comes out.

Valid documents are drawn with dxplan.strategies and then broken: fields
deleted, types swapped, values replaced by NaN, huge, negative, odd Unicode or
deeply nested ones; files are also random bytes, truncated or scrambled. Every
run is derandomized, so the same inputs are tried each time.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxplan import (
    Drive,
    Indicator,
    IndicatorGroup,
    Label,
    Link,
    Plan,
    Priority,
    Provenance,
    Target,
    Task,
    Unit,
    load_plan,
    strategies,
)
from dxplan.errors import DxplanError, FileFormatError
from dxplan.formats.io import plan_from_dict, plan_to_dict, read_plan
from dxplan.formats.scenario_files import load_scenario, scenario_from_dict
from dxplan.index.aggregators import AGGREGATORS
from dxplan.index.data import IndexData
from dxplan.index.indices import index_from_dict, index_to_dict, load_index
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import RULES
from dxplan.plan.catalogue import plan_path
from dxplan.plan.observations import Observation, Observations, load_observations
from dxplan.whatif import scenario
from dxplan.whatif.scenario import Edit, Scenario

FUZZ_EXAMPLES = 30
"""Examples per fuzz test; with the fixed cases below this bounds the file's run time."""
FUZZ = settings(
    derandomize=True,
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEEP = 100_000

# Values that break loaders: not numbers, not finite, too large, odd text, wrong shapes.
NASTY: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    -(10**400),
    10**400,
    1e308,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    "",
    " ",
    "\x00",
    "\u202e",
    "\ud800",
    "Ho\u0302\u0300 Chi\u0301 Minh",
    "🙂" * 50,
    "١٢٣",
    "NaN",
    "1e999",
    "2024-02-30",
    "rank<=",
    "10**10**10",
    "x" * 10_000,
    "__import__('os').system('touch PWNED')",
    [],
    {},
    [1, "a", None],
    {"kind": {"kind": {}}},
]
_NESTED: object = "bottom"
for _ in range(200):
    _NESTED = [_NESTED] if isinstance(_NESTED, str) else {"a": [_NESTED]}
NASTY.append(_NESTED)

nasty_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.lists(st.integers(), max_size=3),
)


def _paths(document: object, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document: the document itself, and each value inside it."""
    yield path
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*path, key))
    elif isinstance(document, list):
        for position, value in enumerate(document):
            yield from _paths(value, (*path, position))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _replace(document: Any, path: tuple[Any, ...], make: Callable[[Any], Any]) -> Any:
    if not path:
        return make(document)
    head, *rest = path
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[head] = _replace(document[head], tuple(rest), make)
    return copy


_DELETED = object()


def _delete(document: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return {}
    *parent, last = path
    marked = _replace(document, path, lambda _: _DELETED)

    def drop(container: Any) -> Any:
        if isinstance(container, dict):
            return {k: v for k, v in container.items() if v is not _DELETED}
        return [v for v in container if v is not _DELETED]

    return _replace(marked, tuple(parent), drop) if last is not None else marked


def _swapped(value: object) -> object:
    """The same content in another type: text for numbers, a list for a table, …"""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(n): item for n, item in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return 0


EXTRA_KEYS = ["__class__", "eval", "", "id ", "ID"]


def _constant(value: object) -> Callable[[object], object]:
    return lambda _: value


def _with_key(key: str) -> Callable[[object], object]:
    return lambda old: {**old, key: 1} if isinstance(old, dict) else old


@st.composite
def broken_plan_documents(draw: st.DrawFn) -> object:
    """A valid plan as plain data, then one to three edits that may break it."""
    document: Any = plan_to_dict(draw(strategies.plans(max_indicators=3, max_tasks=2)))
    for _ in range(draw(st.integers(1, 3))):
        places = list(_paths(document))
        path = places[draw(st.integers(0, len(places) - 1))]
        edit = draw(st.sampled_from(["delete", "swap", "nasty", "nasty", "wrap", "extra-key"]))
        if edit == "delete":
            document = _delete(document, path)
        elif edit == "swap":
            document = _replace(document, path, _swapped)
        elif edit == "nasty":
            document = _replace(document, path, _constant(draw(nasty_values)))
        elif edit == "wrap":
            document = _replace(document, path, lambda old: {"value": old})
        else:
            document = _replace(document, path, _with_key(draw(st.sampled_from(EXTRA_KEYS))))
    return document


def _as_json(document: object) -> str:
    try:
        return json.dumps(document, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return repr(document)  # not JSON at all: a broken input too


def _as_toml(document: object) -> str:
    try:
        return tomli_w.dumps(document)  # type: ignore[arg-type]  # may not be a table at all
    except (ValueError, TypeError, AttributeError, RecursionError):
        return _as_json(document)  # JSON in a .toml file: a broken input too


@contextmanager
def _file(name: str, content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        yield path


def only_dxplan_errors(call: Callable[[], object]) -> object:
    """Run ``call``; a DxplanError is an accepted outcome, any other exception fails."""
    try:
        return call()
    except DxplanError as exc:
        error = exc
    assert str(error).strip()
    return error


def refused(call: Callable[[], object]) -> DxplanError:
    """Run ``call``, which must raise a DxplanError with a message (loading is a failure)."""
    with pytest.raises(DxplanError) as info:
        call()
    assert str(info.value).strip()
    return info.value


def _load_every_way(name: str, content: bytes, *, must_refuse: bool) -> None:
    check = refused if must_refuse else only_dxplan_errors
    with _file(name, content) as path:
        check(lambda: read_plan(path))
        check(lambda: load_plan(path))
        check(lambda: load_plan(path, validate=False))


class TestPlanData:
    @FUZZ
    @given(broken_plan_documents())
    def test_plan_from_dict_raises_only_dxplan_errors(self, document: object) -> None:
        """plan_from_dict on a broken document gives a Plan or a DxplanError."""
        result = only_dxplan_errors(lambda: plan_from_dict(document))
        assert isinstance(result, Plan | DxplanError)

    @FUZZ
    @given(strategies.plans(max_indicators=3, max_tasks=2), st.data())
    def test_a_value_of_the_wrong_type_is_refused(self, plan: Plan, data: st.DataObject) -> None:
        """A number written as text, text as a list, … is refused, never silently converted."""
        document = plan_to_dict(plan)
        leaves = [p for p in _paths(document) if isinstance(_at(document, p), str | int | float)]
        path = data.draw(st.sampled_from(leaves))
        with pytest.raises(DxplanError, match="expected"):
            plan_from_dict(_replace(document, path, _swapped))

    @FUZZ
    @given(st.recursive(nasty_values, lambda inner: st.dictionaries(st.text(max_size=5), inner)))
    def test_arbitrary_data_raises_only_dxplan_errors(self, document: object) -> None:
        """Any plain data at all gives a DxplanError (it is almost never a plan)."""
        only_dxplan_errors(lambda: plan_from_dict(document))


class TestPlanFiles:
    @FUZZ
    @given(broken_plan_documents(), st.sampled_from([".json", ".toml"]))
    def test_broken_documents_in_files(self, document: object, suffix: str) -> None:
        """A broken plan written as JSON or TOML loads as a plan or fails with a DxplanError."""
        text = _as_json(document) if suffix == ".json" else _as_toml(document)
        _load_every_way(f"plan{suffix}", text.encode("utf-8", "surrogatepass"), must_refuse=False)

    @FUZZ
    @given(st.binary(max_size=2_000), st.sampled_from([".json", ".toml"]))
    def test_random_bytes(self, content: bytes, suffix: str) -> None:
        """Random bytes are refused with a DxplanError."""
        _load_every_way(f"plan{suffix}", content, must_refuse=True)

    @FUZZ
    @given(
        strategies.plans(max_indicators=3, max_tasks=2),
        st.sampled_from([".json", ".toml"]),
        st.floats(0.0, 1.0, exclude_max=True),
        st.binary(max_size=8),
    )
    def test_truncated_and_scrambled_files(
        self, plan: Plan, suffix: str, cut: float, noise: bytes
    ) -> None:
        """A valid file cut short, with a few bytes of noise where it was cut, is refused,
        unless what is left still reads as a plan (a TOML file cut after a whole table)."""
        document = plan_to_dict(plan)
        text = json.dumps(document) if suffix == ".json" else tomli_w.dumps(document)
        content = text.encode()
        keep = int(len(content) * cut)
        with _file(f"plan{suffix}", content[:keep] + noise) as path:
            got = only_dxplan_errors(lambda: read_plan(path))
        # JSON cut short is never a document (noise may not close what was cut: it is bytes,
        # but a plan needs its closing braces and at least id and label).
        if suffix == ".json" and not noise.rstrip().endswith(b"}"):
            assert isinstance(got, DxplanError)
        else:
            assert isinstance(got, Plan | DxplanError)


_KEY = re.compile(r'"([A-Za-z_]+)": ')
_TEXT_VALUE = re.compile(r'": "')


class TestJsonTextAttacks:
    """What JSON allows but dxplan refuses: a key given twice, a lone surrogate escape."""

    @FUZZ
    @given(strategies.plans(max_indicators=3, max_tasks=2), st.data())
    def test_a_repeated_key_is_refused_at_its_path(self, plan: Plan, data: st.DataObject) -> None:
        """Any key of any object, given twice, is a FileFormatError naming the key's path."""
        text = json.dumps(plan_to_dict(plan))
        keys = list(_KEY.finditer(text))
        found = keys[data.draw(st.integers(0, len(keys) - 1))]
        twice = f"{text[: found.start()]}{found[0]}null, {text[found.start() :]}"
        with _file("plan.json", twice.encode()) as path:
            error = only_dxplan_errors(lambda: read_plan(path))
        assert isinstance(error, FileFormatError)
        assert [p.message for p in error.problems] == [
            f"the key {found[1]!r} is given twice; expected each key once"
        ]
        assert error.problems[0].where.startswith(f"{path}:$")
        assert error.problems[0].where.endswith(f".{found[1]}")

    @FUZZ
    @given(strategies.plans(max_indicators=3, max_tasks=2), st.data())
    def test_a_lone_surrogate_is_refused_at_its_path(self, plan: Plan, data: st.DataObject) -> None:
        """A \\ud800 escape in any text value is a FileFormatError at that value's path."""
        text = json.dumps(plan_to_dict(plan))
        values = list(_TEXT_VALUE.finditer(text))
        found = values[data.draw(st.integers(0, len(values) - 1))]
        broken = f"{text[: found.end()]}\\ud800{text[found.end() :]}"
        with _file("plan.json", broken.encode()) as path:
            error = only_dxplan_errors(lambda: read_plan(path))
        assert isinstance(error, FileFormatError)
        assert [p.message.split(",")[0] for p in error.problems] == [
            "text with a lone surrogate \\ud800"
        ]


# Fixed inputs that fuzzing would rarely reach: nesting, sizes, encodings, payloads.
FIXED_PLAN_FILES: dict[str, bytes] = {
    "empty.json": b"",
    "empty.toml": b"",
    "blank.toml": b"\n\n   \n",
    "null.json": b"null",
    "list.json": b"[1, 2, 3]",
    "string.json": b'"plan"',
    "nan.json": b'{"id": NaN, "label": {"vi": Infinity}}',
    "huge-number.json": b'{"id": "p", "label": {"vi": "x"}, "year": 1' + b"0" * 5000 + b"}",
    "huge-integer.toml": b'id = "p"\nlabel = { vi = "x" }\nyear = 1' + b"0" * 5000 + b"\n",
    "huge-float.toml": b'id = "p"\nlabel = { vi = "x" }\nyear = 1e999\n',
    "deep-array.json": b"[" * DEEP + b"]" * DEEP,
    "deep-object.json": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep-array.toml": b"a = " + b"[" * DEEP + b"]" * DEEP,
    "deep-inline.toml": b"a = " + b"{b=" * 10_000 + b"1" + b"}" * 10_000,
    "deep-table.toml": b"[" + b".".join([b"a"] * 2_000) + b"]",
    "bom.json": b"\xef\xbb\xbf{}",
    "utf16.json": "{}".encode("utf-16"),
    "latin1.toml": 'id = "Hồ"'.encode("cp1258", "replace") + b"\xff",
    "nul.toml": b'id = "a\x00b"',
    "lone-surrogate.json": b'{"id": "\\ud800", "label": {"vi": "\\udfff"}}',
    "duplicate-keys.toml": b'id = "a"\nid = "b"\n',
    "unit-bomb.json": (
        b'{"id":"p","label":{"vi":"x"},"groups":[{"id":"g","label":{"vi":"x"},'
        b'"declared_count":1,"indicators":[{"id":"1","label":{"vi":"y"},'
        b'"unit":{"symbol":"10**10**10"},"targets":[{"comparator":">=","value":1}]}]}]}'
    ),
}


@pytest.mark.parametrize("name", sorted(FIXED_PLAN_FILES))
def test_fixed_broken_plan_files(name: str) -> None:
    """Empty, non-UTF-8, deeply nested and oversized documents give a DxplanError."""
    _load_every_way(name, FIXED_PLAN_FILES[name], must_refuse=True)


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_files_over_the_size_limit_are_refused_unread(
    suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over the size limit is refused before it is parsed."""
    monkeypatch.setattr("dxplan._files.MAX_FILE_BYTES", 100)
    with _file(f"big{suffix}", b" " * 101) as path, pytest.raises(DxplanError, match="at most 100"):
        read_plan(path)


PAYLOADS = [
    "__import__('os').system('touch {sentinel}')",
    "exec(open('{sentinel}', 'w').write('x'))",
    "!!python/object/apply:os.system ['touch {sentinel}']",
    "{{{{ ''.__class__.__mro__[1].__subclasses__() }}}}",
    "$(touch {sentinel})",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_python_looking_payloads_are_only_data(payload: str, suffix: str) -> None:
    """Code in a plan file is read as text, never run."""
    with tempfile.TemporaryDirectory() as folder:
        sentinel = Path(folder) / "PWNED"
        text = payload.format(sentinel=sentinel)
        document = plan_to_dict(load_plan("hcmc-2024"))
        document["label"] = {"vi": text, "en": text}
        document["groups"][0]["indicators"][0]["unit"] = {"symbol": text}
        content = json.dumps(document) if suffix == ".json" else tomli_w.dumps(document)
        path = Path(folder) / f"plan{suffix}"
        path.write_text(content, encoding="utf-8")
        only_dxplan_errors(lambda: read_plan(path))
        del document["groups"][0]["indicators"][0]["unit"]["symbol"]
        document["groups"][0]["indicators"][0]["unit"] = {"symbol": "%", "basis": text}
        path.write_text(
            json.dumps(document) if suffix == ".json" else tomli_w.dumps(document),
            encoding="utf-8",
        )
        plan = read_plan(path)
        assert plan.label.vi == text
        assert not sentinel.exists()


def test_bundled_plan_path_is_not_a_data_loader() -> None:
    """Only a .py plan named by the user runs; .toml and .json go through the data reader."""
    assert plan_path("hcmc-2024").suffix == ".py"


# Observations ------------------------------------------------------------------

OBSERVATION_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "ho-chi-minh",
            "1.1",
            "2.7",
            "2024",
            "21.5 %",
            "1e999",
            "nan",
            "-5",
            "0.5 fraction",
            "rank",
            "% of GRDP",
            "10**10**10",
            '"',
            "\x00",
            "a,b",
            "Hồ",
            "x" * 500,
        ]
    ),
    st.text(max_size=10),
)
HEADERS = st.one_of(
    st.just("entity,indicator,period,value,unit,scope,source"),
    st.just("entity,indicator,period,value"),
    st.lists(st.sampled_from(["entity", "indicator", "period", "value", "unit", "x", ""])).map(
        ",".join
    ),
)


@st.composite
def observation_csvs(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(st.lists(OBSERVATION_CELLS, max_size=8), max_size=6))
    lines = [draw(HEADERS), *(",".join(row) for row in rows)]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def observation_jsons(draw: st.DrawFn) -> bytes:
    record = st.dictionaries(
        st.sampled_from(["entity", "indicator", "period", "value", "unit", "scope", "x"]),
        nasty_values | OBSERVATION_CELLS,
    )
    records = draw(st.lists(record, max_size=5))
    document: object = draw(st.sampled_from(["list", "object", "nasty"]))
    if document == "list":
        document = records
    elif document == "object":
        document = {"observations": records}
    else:
        document = draw(nasty_values)
    return _as_json(document).encode("utf-8", "surrogatepass")


def _load_observations_every_way(
    name: str, content: bytes, plan: Plan, *, must_refuse: bool = False
) -> None:
    check = refused if must_refuse else only_dxplan_errors
    with _file(name, content) as path:
        check(lambda: load_observations(path))
        check(lambda: load_observations(path, plan))
        only_dxplan_errors(lambda: load_observations(path, max_bytes=10))


class TestObservationFiles:
    @FUZZ
    @given(content=observation_csvs())
    def test_broken_csv(self, hcmc: Plan, content: bytes) -> None:
        """A CSV of odd headers and cells loads or fails with a DxplanError."""
        _load_observations_every_way("observed.csv", content, hcmc)

    @FUZZ
    @given(content=observation_jsons())
    def test_broken_json(self, hcmc: Plan, content: bytes) -> None:
        """A JSON of odd records loads or fails with a DxplanError."""
        _load_observations_every_way("observed.json", content, hcmc)

    @FUZZ
    @given(content=st.binary(max_size=2_000), suffix=st.sampled_from([".csv", ".json"]))
    def test_random_bytes(self, hcmc: Plan, content: bytes, suffix: str) -> None:
        """Random bytes are refused with a DxplanError."""
        _load_observations_every_way(f"observed{suffix}", content, hcmc, must_refuse=True)

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("deep.json", b"[" * DEEP + b"]" * DEEP),
            ("deep-object.json", b'{"observations":' * DEEP + b"[]" + b"}" * DEEP),
            ("nan.json", b'[{"entity": "a", "indicator": "1.1", "period": 2024, "value": NaN}]'),
            (
                "huge.json",
                b'[{"entity":"a","indicator":"1.1","period":1' + b"0" * 5000 + b',"value":1}]',
            ),
            ("quote.csv", b'entity,indicator,period,value\n"a,1.1,2024,1\n'),
            ("nul.csv", b"entity,indicator,period,value\na,1.1,2024,\x00\n"),
            ("cell-limit.csv", b"entity,indicator,period,value\n" + b"a" * 200_000 + b",1,2,3\n"),
            ("utf16.csv", "entity,indicator,period,value\n".encode("utf-16")),
        ],
    )
    def test_fixed_broken_files(self, hcmc: Plan, name: str, content: bytes) -> None:
        """Nested, non-finite, oversized and badly quoted files give a DxplanError."""
        _load_observations_every_way(name, content, hcmc, must_refuse=True)


# Index definitions, index data and scenarios ----------------------------------------


@st.composite
def broken_documents(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> object:
    """A valid document drawn from ``valid``, then one to three edits that may break it."""
    document: Any = draw(valid)
    for _ in range(draw(st.integers(1, 3))):
        places = list(_paths(document))
        path = places[draw(st.integers(0, len(places) - 1))]
        edit = draw(st.sampled_from(["delete", "swap", "nasty", "nasty", "wrap"]))
        if edit == "delete":
            document = _delete(document, path)
        elif edit == "swap":
            document = _replace(document, path, _swapped)
        elif edit == "nasty":
            document = _replace(document, path, _constant(draw(nasty_values)))
        else:
            document = _replace(document, path, lambda old: {"value": old})
    return document


index_documents = strategies.composite_indices(max_leaves=4, max_depth=2).map(index_to_dict)


def _scenario_document(scenario: Scenario) -> dict[str, Any]:
    """A scenario as a scenario file holds it."""
    edits: list[dict[str, Any]] = []
    for edit in scenario.edits:
        fields = {
            key: value
            for key, value in attrs.asdict(edit, recurse=False).items()
            if key != "where" and value is not None
        }
        if "weight" in fields:
            fields["value"] = fields.pop("weight")
        if isinstance(fields.get("values"), tuple):
            fields["values"] = dict(fields["values"])
        fields.pop("position", None)
        edits.append({"op": edit.op, **fields})
    return {"name": scenario.name, "index": "dti-922", "data": "dti-2022", "edits": edits}


@st.composite
def scenario_documents(draw: st.DrawFn) -> dict[str, Any]:
    index = draw(strategies.composite_indices(max_leaves=4, max_depth=2))
    data = draw(strategies.index_data(index, max_entities=4))
    return _scenario_document(draw(strategies.scenarios(index, data)))


class TestIndexFiles:
    @FUZZ
    @given(broken_documents(index_documents))
    def test_index_from_dict(self, document: object) -> None:
        """A broken index definition gives an Index or a DxplanError."""
        only_dxplan_errors(lambda: index_from_dict(document))

    @FUZZ
    @given(broken_documents(index_documents), st.sampled_from([".json", ".toml"]))
    def test_index_files(self, document: object, suffix: str) -> None:
        """A broken index definition in a file gives an Index or a DxplanError."""
        text = _as_json(document) if suffix == ".json" else _as_toml(document)
        with _file(f"index{suffix}", text.encode("utf-8", "surrogatepass")) as path:
            only_dxplan_errors(lambda: load_index(path))

    @FUZZ
    @given(st.binary(max_size=2_000), st.sampled_from([".json", ".toml", ".csv"]))
    def test_random_bytes(self, content: bytes, suffix: str) -> None:
        """Random bytes as an index definition or as index data give a DxplanError."""
        with _file(f"index{suffix}", content) as path:
            refused(lambda: load_index(path))
            refused(lambda: IndexData.from_csv(path))

    @FUZZ
    @given(st.lists(st.lists(OBSERVATION_CELLS, max_size=5), max_size=6))
    def test_index_data_csv(self, rows: list[list[str]]) -> None:
        """A wide CSV of odd cells gives IndexData or a DxplanError."""
        lines = ["id,a,b,c", *(",".join(row) for row in rows)]
        content = "\n".join(lines).encode("utf-8", "surrogatepass")
        with _file("data.csv", content) as path:
            only_dxplan_errors(lambda: IndexData.from_csv(path))
            only_dxplan_errors(lambda: IndexData.from_csv(path, name_column="b"))

    @FUZZ
    @given(broken_documents(scenario_documents()))
    def test_scenario_from_dict(self, document: object) -> None:
        """A broken scenario gives a Scenario or a DxplanError."""
        only_dxplan_errors(lambda: scenario_from_dict(document))

    @FUZZ
    @given(broken_documents(scenario_documents()), st.binary(max_size=200))
    def test_scenario_files(self, document: object, noise: bytes) -> None:
        """A broken scenario file, or random bytes, gives a Scenario or a DxplanError."""
        with _file("scenario.toml", _as_toml(document).encode("utf-8", "surrogatepass")) as path:
            only_dxplan_errors(lambda: load_scenario(path))
        with _file("noise.toml", noise) as path:
            refused(lambda: load_scenario(path))  # a scenario needs at least a name


FIXED_INDEX_FILES: dict[str, bytes] = {
    name: content
    for name, content in FIXED_PLAN_FILES.items()
    if name.endswith((".json", ".toml")) and name != "unit-bomb.json"
}


@pytest.mark.parametrize("name", sorted(FIXED_INDEX_FILES))
def test_fixed_broken_index_and_scenario_files(name: str) -> None:
    """Empty, non-UTF-8, deeply nested and oversized documents give a DxplanError."""
    with _file(name, FIXED_INDEX_FILES[name]) as path:
        refused(lambda: load_index(path))
        if path.suffix == ".toml":
            refused(lambda: load_scenario(path))


# Value objects -------------------------------------------------------------------

VALUE_OBJECT_EXAMPLES = 300
"""Building an object is cheap: more examples, so that each kind is tried several times."""
VALUE_OBJECTS: list[type] = [
    Label,
    Unit,
    Provenance,
    Target,
    Indicator,
    IndicatorGroup,
    Priority,
    Link,
    Drive,
    Task,
    Plan,
    Observation,
    Observations,
    Leaf,
    Aggregate,
    Index,
    IndexData,
    *RULES.values(),
    *AGGREGATORS.values(),
    *(
        edit
        for edit in vars(scenario).values()
        if isinstance(edit, type) and issubclass(edit, Edit)
    ),
    Scenario,
]
VALID_FIELDS: dict[str, object] = {
    "id": "1.1",
    "label": Label(vi="Chỉ tiêu"),
    "vi": "Chỉ tiêu",
    "symbol": "%",
    "source": "seed",
    "comparator": ">=",
    "value": 10,
    "unit": Unit(symbol="%"),
    "targets": [Target(comparator=">=", value=10)],
    "declared_count": 1,
    "to": "T01",
    "provenance": Provenance.seed(),
    "entity": "ho-chi-minh",
    "indicator": "1.1",
    "period": 2024,
    "component": "c",
    "children": ["a"],
    "root": "a",
    "nodes": [Leaf(id="a")],
    "entities": ["a"],
    "components": ["c"],
    "values": [[1.0]],
    "name": "n",
    "node": "I",
    "child": "a",
    "weight": 1.0,
    "by": 1.0,
    "factor": 2.0,
    "required": 1.0,
    "thresholds": [1.0],
    "scores": [1.0],
    "codes": [1.0],
    "low": 0.0,
    "high": 1.0,
    "target": 1.0,
    "p": 1.0,
    "task": "T10",
    "reaches": 0.6,
    "index": "dti-922",
}


@settings(FUZZ, max_examples=VALUE_OBJECT_EXAMPLES)
@given(st.sampled_from(VALUE_OBJECTS), st.data())
def test_value_objects_refuse_with_dxplan_errors(kind: type, data: st.DataObject) -> None:
    """A value object given odd field values builds or raises a DxplanError, nothing else."""
    fields = {}
    for field in attrs.fields(kind):
        name = field.alias or field.name
        if not field.init:
            continue
        if data.draw(st.booleans()):
            fields[name] = data.draw(nasty_values)
        elif name in VALID_FIELDS:
            fields[name] = VALID_FIELDS[name]
        else:
            # Every required field has a valid value here, so every kind is really built.
            assert field.default is not attrs.NOTHING, f"no valid value for {kind.__name__}.{name}"
    only_dxplan_errors(lambda: kind(**fields))

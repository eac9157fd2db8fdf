"""The JSON Schema of plan, index and scenario files, and `dxplan export` / `dxplan schema`."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan import Plan, load_plan
from dxplan.cli import main
from dxplan.errors import FileFormatError, IndexDefinitionError
from dxplan.formats._index_files import steps_from_dict
from dxplan.formats.io import plan_from_dict, plan_to_dict
from dxplan.formats.scenario_files import scenario_from_dict, scenario_to_dict
from dxplan.formats.schema import index_schema, plan_schema, scenario_schema, schema
from dxplan.index.indices import BUNDLED as BUNDLED_INDICES
from dxplan.index.indices import index_from_dict, index_to_dict
from dxplan.index.model import Index
from dxplan.strategies import composite_indices, index_data, plans, scenarios
from dxplan.whatif.scenario import AddEntity

jsonschema = pytest.importorskip("jsonschema")


def validator() -> Any:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


class TestPlanSchema:
    """The schema describes exactly what dxplan writes."""

    def test_reference_plan_validates(self) -> None:
        """The HCMC plan, as dxplan writes it, validates."""
        validator().validate(plan_to_dict(load_plan("hcmc-2024")))

    @settings(max_examples=40, deadline=None)
    @given(plans())
    def test_every_generated_plan_validates(self, plan: Plan) -> None:
        """Any plan the strategies build is written in a form the schema accepts."""
        validator().validate(json.loads(json.dumps(plan_to_dict(plan))))

    @pytest.mark.parametrize(
        ("path", "value", "message"),
        [
            (["groups", 0, "declared_count"], "three", "'three' is not of type 'integer'"),
            (["groups", 0, "indicators", 0, "targets", 0, "comparator"], "=>", "is not one of"),
            (["tasks", 0, "id"], "T 01", "does not match"),
            (["format"], 2, "1 was expected"),
        ],
    )
    def test_wrong_values_are_refused(self, path: list[Any], value: object, message: str) -> None:
        """A wrong value anywhere is refused, with its place in the document."""
        data = plan_to_dict(load_plan("hcmc-2024"))
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        errors = list(validator().iter_errors(data))
        assert len(errors) == 1
        assert message in errors[0].message
        assert list(errors[0].absolute_path) == path

    def test_unknown_keys_are_refused(self) -> None:
        """A key the model does not have is refused, as the loader refuses it."""
        data = plan_to_dict(load_plan("hcmc-2024"))
        data["priorities"][0]["colour"] = "red"
        assert not validator().is_valid(data)


_RANK_TARGET = ["groups", 0, "indicators", 0, "targets", 0]


class TestSchemaAgreesWithLoader:
    """What the loader's validators refuse, the schema refuses too (from the same validators)."""

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (["year"], 1800),
            (["year"], 2201),
            (["groups", 0, "indicators", 0, "targets"], []),
            (["groups", 0, "indicators", 0, "unit", "symbol"], "bananas"),
            ([*_RANK_TARGET, "value"], 2.5),
            ([*_RANK_TARGET, "value"], 0),
            ([*_RANK_TARGET, "deadline"], 1800),
            ([*_RANK_TARGET, "deadline"], "0001-01-01"),
        ],
        ids=[
            "year 1800",
            "year 2201",
            "no targets",
            "unit bananas",
            "rank 2.5",
            "rank 0",
            "deadline 1800",
            "deadline 0001-01-01",
        ],
    )
    def test_both_refuse(self, path: list[Any], value: object) -> None:
        """The schema and plan_from_dict both refuse the value."""
        data = plan_to_dict(load_plan("hcmc-2024"))
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        plain = json.loads(json.dumps(data))
        assert not validator().is_valid(plain)
        with pytest.raises(FileFormatError):
            plan_from_dict(plain)

    @pytest.mark.parametrize("symbol", ["%", "tỷ VND", "VND / count", "rank", "dimensionless"])
    def test_units_the_registry_reads_are_accepted(self, symbol: str) -> None:
        """The unit pattern is made from the registry: what it reads, the schema accepts."""
        data = json.loads(json.dumps(plan_to_dict(load_plan("hcmc-2024"))))
        data["groups"][1]["indicators"][0]["unit"] = {"symbol": symbol}
        errors = [e for e in validator().iter_errors(data) if "symbol" in e.absolute_path]
        assert errors == []


class TestExportCommand:
    """`dxplan export` writes plan files that load back equal."""

    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_round_trip(self, tmp_path: Path, suffix: str) -> None:
        """Exported TOML and JSON load back as the same plan and validate."""
        target = tmp_path / f"plan{suffix}"
        result = CliRunner().invoke(main, ["export", "--to", str(target)])
        assert result.exit_code == 0, result.output
        assert load_plan(target) == load_plan("hcmc-2024")
        text = target.read_text(encoding="utf-8")
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
        validator().validate(data)

    def test_never_overwrites_without_force(self, tmp_path: Path) -> None:
        """An existing file is left as it is unless --force is given."""
        target = tmp_path / "plan.json"
        target.write_text("mine", encoding="utf-8")
        refused = CliRunner().invoke(main, ["export", "--to", str(target)])
        assert refused.exit_code == 1
        assert target.read_text(encoding="utf-8") == "mine"
        forced = CliRunner().invoke(main, ["export", "--to", str(target), "--force"])
        assert forced.exit_code == 0
        assert json.loads(target.read_text(encoding="utf-8"))["id"] == "hcmc-2024"

    def test_other_suffix_is_refused(self, tmp_path: Path) -> None:
        """A .yaml target is refused with what was expected."""
        result = CliRunner().invoke(main, ["export", "--to", str(tmp_path / "plan.yaml")])
        assert result.exit_code == 1
        assert "expected .toml or .json" in result.output


class TestSchemaCommand:
    """`dxplan schema` prints the schema."""

    def test_prints_the_schema(self) -> None:
        """The printed schema is the library's, as JSON."""
        result = CliRunner().invoke(main, ["schema"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == plan_schema()


def _validator_of(schema: dict[str, Any]) -> Any:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _toml_blocks(text: str, marker: str) -> list[str]:
    """The ```toml blocks of a Markdown text that hold ``marker``."""
    blocks = [part.split("```", 1)[0] for part in text.split("```toml\n")[1:]]
    return [block for block in blocks if marker in block]


DOCS = Path(__file__).parents[1] / "docs"


class TestIndexSchema:
    """The index definition schema is derived from the loader's records and agrees with it."""

    @pytest.mark.parametrize("name", sorted(BUNDLED_INDICES))
    def test_bundled_indices_validate(self, name: str) -> None:
        """Every bundled index, as index_to_dict writes it, validates and reads back equal."""
        written = json.loads(json.dumps(index_to_dict(BUNDLED_INDICES[name]())))
        _validator_of(index_schema()).validate(written)
        assert index_from_dict(written) == BUNDLED_INDICES[name]()

    @settings(max_examples=30, deadline=None)
    @given(composite_indices(max_leaves=5, max_depth=3))
    def test_every_generated_index_validates(self, index: Index) -> None:
        """Any index the strategies build is written in a form the schema accepts."""
        _validator_of(index_schema()).validate(json.loads(json.dumps(index_to_dict(index))))

    def test_documented_steps_validate(self) -> None:
        """The steps of docs/building.md validate and load."""
        (block,) = _toml_blocks((DOCS / "building.md").read_text("utf-8"), "[[steps]]")
        steps = tomllib.loads(block)["steps"]
        document = {"root": "a", "nodes": [{"id": "a"}], "steps": steps}
        _validator_of(index_schema()).validate(document)
        assert [s.name for s in steps_from_dict(document)] == ["impute", "treat"]

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (["nodes", 0, "direction"], 2),
            (["nodes", 0, "rule"], "min-mix"),
            (["nodes", 0, "rule"], {"kind": "min-max", "low": "0"}),
            (["nodes", 2, "children", 1, "weight"], -3),
            (["nodes", 2, "children"], []),
            (["nodes", 2, "min_availability"], 1.5),
            (["nodes", 2, "points"], 0),
            (["precision"], 16),
            (["steps"], [{"step": "screen", "min_availability": 2}]),
            (["steps"], [{"step": "impute", "method": "guess"}]),
            (["steps"], [{"step": "melt"}]),
            (["colour"], "red"),
        ],
        ids=str,
    )
    def test_both_refuse(self, path: list[Any], value: object) -> None:
        """A defect the schema refuses, index_from_dict refuses too, at the same path."""
        document: dict[str, Any] = {
            "root": "I",
            "nodes": [
                {"id": "a", "rule": {"kind": "min-max"}},
                {"id": "b"},
                {"id": "I", "children": ["a", {"id": "b", "weight": 2}]},
            ],
        }
        _validator_of(index_schema()).validate(document)
        node: Any = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert not _validator_of(index_schema()).is_valid(document)
        with pytest.raises(IndexDefinitionError) as caught:
            index_from_dict(document, source="i.json")
        where = "i.json:$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)
        assert any(p.where.startswith(where) for p in caught.value.problems)


class TestScenarioSchema:
    """The scenario schema is derived from the edit classes and agrees with the loader."""

    @pytest.mark.parametrize("block", _toml_blocks((DOCS / "whatif.md").read_text("utf-8"), "op ="))
    def test_documented_scenarios_validate(self, block: str) -> None:
        """Every scenario shown in docs/whatif.md validates and loads."""
        document = tomllib.loads(block)
        _validator_of(scenario_schema()).validate(document)
        assert scenario_from_dict(document).name == document["name"]

    @settings(max_examples=30, deadline=None)
    @given(st.data())
    def test_every_generated_scenario_validates(self, data: st.DataObject) -> None:
        """Any scenario the strategies build, as scenario_to_dict writes it, validates."""
        index = data.draw(composite_indices(max_leaves=4, max_depth=2))
        scenario = data.draw(scenarios(index, data.draw(index_data(index, max_entities=4))))
        document = json.loads(json.dumps(scenario_to_dict(scenario)))
        _validator_of(scenario_schema()).validate(document)
        back = scenario_from_dict(document).edits
        assert [
            attrs.evolve(e, position=None) if isinstance(e, AddEntity) else e for e in back
        ] == [
            attrs.evolve(e, position=None) if isinstance(e, AddEntity) else e
            for e in scenario.edits
        ]

    @pytest.mark.parametrize(
        ("edit", "key"),
        [
            ({"op": "set", "component": "c", "value": "x"}, "value"),
            ({"op": "grow", "component": "c"}, "op"),
            ({"op": "weight", "node": "n", "child": "c"}, None),
            ({"op": "weight", "node": "n", "child": "c", "value": 1, "share": 0.5}, None),
            ({"op": "add-entity", "entity": "e", "values": {"c": "x"}}, "values"),
            ({"op": "drop", "component": "c", "colour": 1}, "colour"),
            ({"op": "drop"}, "component"),
        ],
        ids=str,
    )
    def test_both_refuse(self, edit: dict[str, Any], key: str | None) -> None:
        """An edit the schema refuses, scenario_from_dict refuses too, at that edit (and key)."""
        document = {"name": "s", "edits": [edit]}
        assert not _validator_of(scenario_schema()).is_valid(document)
        with pytest.raises(FileFormatError) as caught:
            scenario_from_dict(document, source="s.toml")
        where = "s.toml:$.edits[0]" + ("" if key is None else f".{key}")
        assert any(p.where.startswith(where) for p in caught.value.problems)


class TestSchemaKinds:
    """`dxplan schema --kind` prints each kind's schema."""

    @pytest.mark.parametrize("kind", ["plan", "index", "scenario"])
    def test_kind(self, kind: str) -> None:
        """The printed schema is the library's for that kind."""
        result = CliRunner().invoke(main, ["schema", "--kind", kind])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == schema(kind)  # type: ignore[arg-type]
        assert json.loads(result.output)["$id"].endswith(f"/{kind}-v1.json")

    def test_unknown_kind_is_a_usage_error(self) -> None:
        """An unknown kind exits 2 and names the kinds."""
        result = CliRunner().invoke(main, ["schema", "--kind", "observations"])
        assert result.exit_code == 2
        assert "'plan', 'index', 'scenario'" in result.output


def test_the_plan_schema_needs_no_index_engine() -> None:
    """``dxplan schema`` of plans starts without the index and scenario modules; the same
    schema results when they are loaded (what the lazy look-up of their types relies on)."""
    code = (
        "import json, sys\n"
        "from dxplan.formats.schema import plan_schema\n"
        "first = json.dumps(plan_schema(), sort_keys=True)\n"
        "print(any(m in sys.modules for m in ('dxplan.index.model', 'dxplan.whatif.scenario')))\n"
        "import dxplan.formats.schema as s; s.index_schema(); s.scenario_schema()\n"
        "print(json.dumps(plan_schema(), sort_keys=True) == first)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]

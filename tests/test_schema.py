"""The JSON Schema of plan files, and `dxplan export` / `dxplan schema`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from dxplan import Plan, load_plan
from dxplan.cli import main
from dxplan.errors import FileFormatError
from dxplan.formats.io import plan_from_dict, plan_to_dict
from dxplan.formats.schema import plan_schema
from dxplan.strategies import plans

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

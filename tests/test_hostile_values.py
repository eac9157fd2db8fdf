"""Hostile values: numbers near the float limits, text that a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dxplan.cli import main
from dxplan.errors import IndexDefinitionError, InvalidValueError
from dxplan.index.aggregators import WeightedSum
from dxplan.index.data import IndexData
from dxplan.index.indices import index_from_dict
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.index.rules import DistanceToMax, MinMax, ZScore

HUGE = 1e308


def _two_leaves(weights: tuple[float, float]) -> Index:
    return Index(
        root="I",
        nodes=(
            Leaf(id="a"),
            Leaf(id="b"),
            Aggregate(id="I", children=("a", "b"), weights=weights),
        ),
    )


class TestRules:
    def test_min_max_of_extreme_values(self) -> None:
        """±1e308 span the range: the middle value scores 0.5, not 0 after an overflow."""
        scores = MinMax().apply(np.array([HUGE, -HUGE, 0.0]))
        assert scores.tolist() == [1.0, 0.0, 0.5]

    def test_distance_to_max_of_extreme_values(self) -> None:
        """Distance to the maximum over a range of 2e308 does not overflow."""
        scores = DistanceToMax().apply(np.array([HUGE, -HUGE, 0.0]))
        assert scores.tolist() == [1.0, 0.0, 0.5]

    def test_z_score_of_extreme_values(self) -> None:
        """z-scores of (1e308, −1e308, 0): mean 0, sd 1e308, so 1, −1 and 0."""
        scores = ZScore().apply(np.array([HUGE, -HUGE, 0.0]))
        assert scores.tolist() == pytest.approx([1.0, -1.0, 0.0])

    def test_z_score_unchanged_for_ordinary_values(self) -> None:
        """Scaling only applies to huge columns: (1, 3, 4) keeps its exact z-scores."""
        values = np.array([1.0, 3.0, 4.0])
        mean = 8.0 / 3.0
        sd = float(np.sqrt(((values - mean) ** 2).sum() / 2))
        assert ZScore().apply(values).tolist() == ((values - mean) / sd).tolist()


class TestWeights:
    def test_huge_mean_weights_give_the_equal_weight_scores(self) -> None:
        """Two weights of 1e308 are equal weights: the same scores as (1, 1), not 'no score'."""
        data = IndexData.from_mapping({"x": {"a": 0.2, "b": 0.4}, "y": {"a": 0.5, "b": 0.1}})
        huge = _two_leaves((HUGE, HUGE)).evaluate(data).scores("I")
        plain = _two_leaves((1.0, 1.0)).evaluate(data).scores("I")
        assert huge == plain == {"x": (0.2 + 0.4) / 2, "y": (0.5 + 0.1) / 2}

    def test_points_that_overflow_are_refused(self) -> None:
        """A sum of points whose weights add up beyond the largest float is refused when built."""
        with pytest.raises(InvalidValueError, match="that add up to a finite number") as info:
            Aggregate(id="I", children=("a", "b"), weights=(HUGE, HUGE), aggregator=WeightedSum())
        assert (info.value.where, info.value.field, info.value.value) == (
            "node 'I'",
            "weights",
            (HUGE, HUGE),
        )


class TestCommandLine:
    def test_extreme_values_give_strict_json_and_no_raw_warning(self, tmp_path: Path) -> None:
        """rank --format json of ±1e308 data: valid JSON, no 'RuntimeWarning' on stderr."""
        path = tmp_path / "data.csv"
        path.write_text(f"id,a,b\nx,{HUGE!r},1\ny,{-HUGE!r},2\nz,0,3\n", encoding="utf-8")
        index = tmp_path / "index.toml"
        index.write_text(
            'root = "I"\n'
            '[[nodes]]\nid = "a"\nrule = { kind = "min-max" }\n'
            '[[nodes]]\nid = "b"\nrule = { kind = "z-score" }\n'
            '[[nodes]]\nid = "I"\nchildren = ["a", "b"]\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            main, ["rank", str(path), "--index", str(index), "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        assert "RuntimeWarning" not in result.stderr
        ranking = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(name))
        # min-max of a: x 1, y 0, z 0.5; z-score of b (1, 2, 3): −1, 0, 1; mean of the two.
        scores = {row["entity"]: row["score"] for row in ranking["ranking"]}
        assert scores == pytest.approx({"x": 0.0, "y": 0.0, "z": 0.75})

    def test_library_warnings_are_shown_as_dxplan_warnings(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A numpy RuntimeWarning during a command is one 'warning:' line, not a raw warning."""
        import dxplan.plan.catalogue

        real = dxplan.plan.catalogue.load_plan

        def noisy(*args: object, **kwargs: object) -> object:
            np.log(np.array([0.0]))  # "divide by zero encountered in log"
            np.log(np.array([0.0]))
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr("dxplan.cli.load_plan", noisy)
        result = CliRunner().invoke(main, ["show", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert result.stderr == (
            "warning: a computation went out of range (divide by zero encountered in log); "
            "check the input for extreme values\n"
        )


class TestCsvOutput:
    def test_formula_cells_are_escaped(self, tmp_path: Path) -> None:
        """A name like =HYPERLINK(…) is written as text ('=…), numbers stay numbers."""
        path = tmp_path / "data.csv"
        path.write_text(
            'id,name,a\nx,"=HYPERLINK(""http://evil"")",1\ny,@SUM(A1),-2\nz,-1+1,3\n',
            encoding="utf-8",
        )
        index = tmp_path / "index.toml"
        index.write_text(
            'root = "I"\n[[nodes]]\nid = "a"\n[[nodes]]\nid = "I"\nchildren = ["a"]\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            main,
            ["rank", str(path), "--index", str(index), "--name-column", "name", "--format", "csv"],
        )
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(row["name"], row["score"]) for row in rows] == [
            ("'-1+1", "3.0"),
            ('\'=HYPERLINK("http://evil")', "1.0"),
            ("'@SUM(A1)", "-2.0"),
        ]


class TestBoolsAndText:
    """True is not 1 and "2" is not 2.0, in an index file as in the value objects."""

    def test_index_file_fields_refuse_bools_and_text(self) -> None:
        """Each field that reads a bool or text for a number is reported by its path."""
        raw = {
            "root": "I",
            "precision": True,
            "nodes": [
                {"id": "a", "direction": True, "rule": {"kind": "min-max"}},
                {"id": "b", "assumption": 1},
                {
                    "id": "I",
                    "children": [{"id": "a", "weight": "2"}, {"id": "b", "weight": True}],
                    "points": 0,
                    "min_availability": 2,
                },
            ],
        }
        with pytest.raises(IndexDefinitionError) as info:
            index_from_dict(raw, source="x.json")
        # A value of the wrong type gets its type's words; one of the right type out of
        # range gets the field's (min_availability, points).
        assert [str(problem) for problem in info.value.problems] == [
            "x.json:$.nodes[0].direction: found True; expected a whole number",
            "x.json:$.nodes[1].assumption: found 1; expected true or false",
            "x.json:$.nodes[2].children[0].weight: found '2'; expected a number",
            "x.json:$.nodes[2].children[1].weight: found True; expected a number",
            "x.json:$.nodes[2].min_availability: found 2; expected a share between 0 and 1",
            "x.json:$.nodes[2].points: found 0; expected a finite number > 0",
            "x.json:$.precision: found True; expected a whole number",
        ]

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda x: Leaf(id="a", direction=x), "direction"),
            (lambda x: Aggregate(id="I", children=("a",), weights=(x,)), "weights[0]"),
            (lambda x: Aggregate(id="I", children=("a",), points=x), "points"),
            (lambda x: Aggregate(id="I", children=("a",), min_availability=x), "min_availability"),
            (lambda x: Index(root="a", nodes=(Leaf(id="a"),), precision=x), "precision"),
        ],
    )
    @pytest.mark.parametrize("given", [True, "1"])
    def test_value_objects_refuse_bools_and_text(
        self, build: Callable[[object], object], field: str, given: object
    ) -> None:
        """The same fields built in Python refuse True and "1" with field, value and expected."""
        with pytest.raises(InvalidValueError) as info:
            build(given)
        assert (info.value.field, info.value.value) == (field, given)
        assert info.value.expected

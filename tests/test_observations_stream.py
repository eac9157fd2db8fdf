"""The observations CSV reader streams: memory follows the rows kept, problems keep their place."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from dxplan.cli import main
from dxplan.errors import FileFormatError, InvalidValueError, ObservationError, ObservationWarning
from dxplan.plan import observations
from dxplan.plan.catalogue import load_plan
from dxplan.plan.observations import load_observations

HEADER = "entity,indicator,period,value,unit,scope,source\n"


def _write(path: Path, entities: int, periods: int = 50) -> Path:
    rows = (
        f"province-{e:03d},1.{i},{1990 + p},{(e + i + p) % 100}.5,%,,dti.gov.vn\n"
        for e in range(entities)
        for i in range(1, 5)
        for p in range(periods)
    )
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _peak(path: Path, entity: str | None) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        kept = len(load_observations(path, entity=entity))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return kept, peak


def test_memory_grows_with_kept_rows_not_file_size(tmp_path: Path) -> None:
    """40 entities × 200 rows: keeping one entity's 200 rows costs a fraction of keeping 8 000."""
    path = _write(tmp_path / "many.csv", entities=40)
    _peak(path, "province-000")  # caches (units, pint) filled outside the measurement
    few, few_peak = _peak(path, "province-007")
    every, all_peak = _peak(path, None)
    assert (few, every) == (200, 40 * 200)
    # Building 8 000 observations dwarfs the file's bytes and one entity's 200 rows;
    # a reader that built every row before filtering would come close to 1.
    assert all_peak > 3 * few_peak


def test_entity_filter_keeps_exactly_that_entity(tmp_path: Path) -> None:
    path = _write(tmp_path / "three.csv", entities=3, periods=2)
    kept = load_observations(path, entity="province-001")
    assert {o.entity for o in kept} == {"province-001"}
    assert len(kept) == 4 * 2
    assert kept == load_observations(path).select(entity="province-001")


def test_entity_filter_argument_checked(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.csv", entities=1, periods=1)
    with pytest.raises(InvalidValueError, match="entity"):
        load_observations(path, entity="not an id!")


def test_every_bad_cell_reported_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "ho-chi-minh,1.1,2024,3,rank,,\n"
        + "ho-chi-minh,1.2,20x4,5,%,,\n"  # line 3: period
        + "bad id!,1.2,2024,abc,%,,\n"  # line 4: entity and value
        + "ho-chi-minh,1.3,2024,5,bananas,,\n"  # line 5: unit
        + "ho-chi-minh,1.3\n",  # line 6: too few fields
        encoding="utf-8",
    )
    with pytest.raises(ObservationError) as caught:
        load_observations(path)
    assert [p.where for p in caught.value.problems] == [
        "bad.csv:3:period",
        "bad.csv:4:entity",
        "bad.csv:4:value",
        "bad.csv:5:unit",
        "bad.csv:6",
    ]


def test_bad_byte_past_the_first_chunk_named_by_line_and_offset(tmp_path: Path) -> None:
    """The bytes are checked chunk by chunk (1 MiB); the place of a bad byte is still exact."""
    row = "ho-chi-minh,1.1,2024,3,rank,,\n"
    lines = 40_000  # about 1.2 MB, past the first chunk
    data = (HEADER + row * lines).encode() + b"ho-chi-minh,1.1,2025,3,\xff,,\n"
    path = tmp_path / "latin.csv"
    path.write_bytes(data)
    with pytest.raises(FileFormatError) as caught:
        load_observations(path)
    (problem,) = caught.value.problems
    assert problem.where == f"latin.csv:{lines + 2}"
    offset = len(data) - len(b"\xff,,\n")
    assert data[offset] == 0xFF
    assert f"at offset {offset}" in problem.message


def test_problems_capped_and_the_rest_counted(tmp_path: Path) -> None:
    """3 000 rows with a bad value each: 1 000 listed by line, the other 2 000 counted."""
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "".join(f"ho-chi-minh,1.1,{1900 + r % 300},abc,rank,,\n" for r in range(3000)),
        encoding="utf-8",
    )
    with pytest.raises(ObservationError) as caught:
        load_observations(path)
    problems = caught.value.problems
    assert [p.where for p in problems[:1000]] == [
        f"bad.csv:{line}:value" for line in range(2, 1002)
    ]
    assert problems[1000].where == "bad.csv:1002:value"
    assert problems[1000].message.startswith("this and 1999 more problem(s) not listed")
    assert len(problems) == 1001
    assert str(caught.value).startswith("3000 problem(s) in bad.csv\n")


_ROWS = 1500


@pytest.mark.parametrize(
    ("kind", "row", "options", "where"),
    [
        ("field count", "ho-chi-minh,1.1,{year}\n", {}, "bad.csv:{line}"),
        ("province name", "Atlantis,1.1,{year},3,rank,,\n", {"era": 2024}, "bad.csv:{line}:entity"),
        ("duplicate", "ho-chi-minh,1.1,2024,3,rank,,\n", {}, "bad.csv:{line}"),
        (
            "unknown indicator",
            "ho-chi-minh,9.{n},2024,3,rank,,\n",
            {"plan": True},
            "bad.csv:{line}:indicator",
        ),
    ],
)
def test_every_kind_of_problem_capped(
    tmp_path: Path, kind: str, row: str, options: dict[str, object], where: str
) -> None:
    """1 500 rows with one problem each, of every kind a reader finds: 1 000 listed, 500 counted."""
    path = tmp_path / "bad.csv"
    body = "".join(row.format(year=1900 + n % 300, n=n) for n in range(_ROWS))
    path.write_text(HEADER + body, encoding="utf-8")
    plan = load_plan("hcmc-2024") if options.pop("plan", False) else None
    with pytest.raises(ObservationError) as caught:
        load_observations(path, plan, **options)  # type: ignore[arg-type]
    problems = caught.value.problems
    # A duplicate is reported from the second row on: one fewer problem than rows.
    count = _ROWS - 1 if kind == "duplicate" else _ROWS
    first = 3 if kind == "duplicate" else 2
    assert [p.where for p in problems[:1000]] == [
        where.format(line=line) for line in range(first, first + 1000)
    ]
    assert problems[1000].where == where.format(line=first + 1000)
    assert problems[1000].message.startswith(f"this and {count - 1001} more problem(s) not listed")
    assert len(problems) == 1001
    assert str(caught.value).startswith(f"{count} problem(s) in bad.csv\n")


class TestEntityFilter:
    """Reading one entity's rows: the others are checked, not kept; nothing kept is warned about."""

    def test_bad_cells_of_other_entities_still_refused(self, tmp_path: Path) -> None:
        """A bad value or year in another entity's row is reported at its place."""
        path = tmp_path / "mixed.csv"
        path.write_text(
            HEADER
            + "ho-chi-minh,1.1,2024,3,rank,,\n"
            + "ha-noi,1.1,2024,abc,rank,,\n"  # line 3: value
            + "ha-noi,1.1,20x4,3,rank,,\n"  # line 4: period
            + "bad id!,1.1,2024,3,bananas,,\n"  # line 5: entity and unit
            + "ha-noi,1.1,2024,3 %,rank,,\n",  # line 6: two units that disagree
            encoding="utf-8",
        )
        with pytest.raises(ObservationError) as caught:
            load_observations(path, entity="ho-chi-minh")
        assert [p.where for p in caught.value.problems] == [
            "mixed.csv:3:value",
            "mixed.csv:4:period",
            "mixed.csv:5:entity",
            "mixed.csv:5:unit",
            "mixed.csv:6:unit",
        ]

    def test_other_entities_not_checked_against_the_plan(self, tmp_path: Path) -> None:
        """Ha Noi's indicator 9.9 and its duplicate rows are not HCMC's plan's concern."""
        path = tmp_path / "national.csv"
        path.write_text(
            HEADER
            + "ho-chi-minh,1.1,2024,3,rank,,\n"
            + "ha-noi,9.9,2024,3,rank,,\n"
            + "ha-noi,9.9,2024,3,rank,,\n",
            encoding="utf-8",
        )
        plan = load_plan("hcmc-2024")
        kept = load_observations(path, plan, entity="ho-chi-minh")
        assert [(o.entity, o.indicator, o.value) for o in kept] == [("ho-chi-minh", "1.1", 3.0)]
        with pytest.raises(ObservationError, match=r"national\.csv:3:indicator: unknown"):
            load_observations(path, plan)

    @pytest.mark.parametrize("suffix", [".csv", ".json"])
    def test_warns_when_no_row_is_for_the_entity(self, tmp_path: Path, suffix: str) -> None:
        """Seven other entities and none for HCMC: one warning naming five and 'others'."""
        names = [f"province-{n}" for n in range(7)]
        path = tmp_path / f"others{suffix}"
        if suffix == ".csv":
            path.write_text(
                HEADER + "".join(f"{n},2.7,2024,50,%,city,\n" for n in names), encoding="utf-8"
            )
        else:
            records = [
                {"entity": n, "indicator": "2.7", "period": 2024, "value": 50, "scope": "city"}
                for n in names
            ]
            path.write_text(json.dumps(records), encoding="utf-8")
        plan = load_plan("hcmc-2024")
        named = ", ".join(repr(n) for n in names[:5])
        with pytest.warns(ObservationWarning) as caught:
            kept = load_observations(path, plan, entity="ho-chi-minh")
        assert len(kept) == 0
        assert [str(w.message) for w in caught] == [
            f"no observation is for entity 'ho-chi-minh' (they are for {named} and others); "
            "every target of the plan is without data"
        ]

    def test_no_warning_when_some_rows_are_kept(self, tmp_path: Path) -> None:
        """Rows for HCMC among others: kept in silence (warnings are errors in this suite)."""
        path = _write(tmp_path / "many.csv", entities=3, periods=1)
        assert len(load_observations(path, entity="province-002")) == 4

    def test_command_line_reads_only_the_plan_entity(self, tmp_path: Path) -> None:
        """dxplan assess: another province's unknown indicator is no error; its bad value is."""
        path = tmp_path / "national.csv"
        good = HEADER + "ho-chi-minh,2.7,2024,50,%,city,\nha-noi,9.9,2024,3,rank,,\n"
        path.write_text(good, encoding="utf-8")
        runner = CliRunner()
        done = runner.invoke(main, ["assess", "--observations", str(path), "--format", "json"])
        assert done.exit_code == 0, done.output
        result = json.loads(done.stdout)
        # HCMC's one value: 50 % against the city target of 2.7 (>= 70 %, no baseline).
        assert (result["with_data"], result["attainment"]) == (1, pytest.approx(50 / 70))
        path.write_text(good + "ha-noi,2.7,2024,fifty,%,city,\n", encoding="utf-8")
        done = runner.invoke(main, ["assess", "--observations", str(path)])
        assert done.exit_code == 1
        assert "national.csv:4:value: 'fifty' is not a number" in done.stderr
        assert "Traceback" not in done.output

    def test_whatif_edit_of_another_entity_refused_saying_why(self, tmp_path: Path) -> None:
        """A plan scenario editing Ha Noi's value for HCMC's plan: refused, saying whose it is."""
        (tmp_path / "two.csv").write_text(
            HEADER + "ho-chi-minh,2.7,2024,50,%,city,\nha-noi,2.7,2024,40,%,city,\n",
            encoding="utf-8",
        )
        scenario = tmp_path / "hn.toml"
        scenario.write_text(
            'name = "hn"\nplan = "hcmc-2024"\nobservations = "two.csv"\n'
            '[[edits]]\nop = "set"\nentity = "ha-noi"\ncomponent = "2.7"\nvalue = 60\n',
            encoding="utf-8",
        )
        done = CliRunner().invoke(main, ["whatif", str(scenario)])
        assert done.exit_code == 1
        assert done.stderr.endswith(
            "no observation of indicator '2.7' for entity 'ha-noi'; known entities: "
            "'ho-chi-minh'; plan 'hcmc-2024' is for 'ho-chi-minh', whose attainment another "
            "entity's values cannot change\n"
        )


def test_long_cells_are_not_cached(tmp_path: Path) -> None:
    """Cells padded to 5 000 characters read fine but stay out of the parsers' caches."""
    pad = " " * 5000
    path = tmp_path / "padded.csv"
    cells = ["ho-chi-minh", "1.1", "2024", "3", "rank", "", "dti.gov.vn"]
    path.write_text(HEADER + ",".join(c + pad if c else c for c in cells) + "\n", encoding="utf-8")
    caches = (
        observations._parse_id_text,
        observations._parse_period_text,
        observations._parse_value_text,
        observations._parse_unit_text,
    )
    for cache in caches:
        cache.cache_clear()
    (read,) = load_observations(path, locale="en")
    assert (read.entity, read.indicator, read.period, read.value) == ("ho-chi-minh", "1.1", 2024, 3)
    # Only the empty texts are short enough to be cached: the scope, and the unit after "3".
    assert [cache.cache_info().currsize for cache in caches] == [1, 0, 0, 1]

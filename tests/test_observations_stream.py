"""The observations CSV reader streams: memory follows the rows kept, problems keep their place."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from dxplan.errors import FileFormatError, InvalidValueError, ObservationError
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
    assert problems[1000].where == "bad.csv"
    assert problems[1000].message.startswith("2000 more problem(s) not listed")
    assert len(problems) == 1001

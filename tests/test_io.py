"""Tests of dxplan.formats.io: plan files as TOML and JSON, their errors, and atomic writes."""

from __future__ import annotations

import datetime as dt
import errno
import json
import math
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest

from dxplan.errors import FileFormatError
from dxplan.formats import io
from dxplan.formats.io import plan_from_dict, plan_to_dict, read_plan, write_atomic, write_plan
from dxplan.plan.model import Plan
from dxplan.text import Label


def problems_of(caught: pytest.ExceptionInfo[FileFormatError]) -> list[tuple[str, str]]:
    return [(p.where, p.message) for p in caught.value.problems]


class TestRoundTrip:
    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_file_round_trip(self, hcmc: Plan, tmp_path: Path, suffix: str) -> None:
        """The HCMC plan written and read back is equal to itself."""
        path = write_plan(hcmc, tmp_path / f"plan{suffix}")
        assert path == tmp_path / f"plan{suffix}"
        assert read_plan(path) == hcmc

    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_vietnamese_written_as_text(self, hcmc: Plan, tmp_path: Path, suffix: str) -> None:
        """Vietnamese is written as UTF-8 text, not escapes, and read back intact."""
        path = write_plan(hcmc, tmp_path / f"plan{suffix}")
        text = path.read_text(encoding="utf-8")
        assert "Ưu tiên quản trị số" in text
        assert "\\u" not in text
        assert read_plan(path).priority("P2").label.vi == "Ưu tiên quản trị số"

    def test_dict_round_trip(self, hcmc: Plan) -> None:
        """plan_from_dict inverts plan_to_dict."""
        assert plan_from_dict(plan_to_dict(hcmc)) == hcmc

    def test_dict_is_plain_data(self, hcmc: Plan) -> None:
        """The dict is JSON-ready and leads with the format version."""
        data = plan_to_dict(hcmc)
        assert next(iter(data)) == "format"
        assert data["format"] == 1
        assert json.loads(json.dumps(data)) == data

    def test_defaults_left_out(self, hcmc: Plan) -> None:
        """Fields at their default are not written."""
        data = plan_to_dict(hcmc)
        assert data["groups"][0]["indicators"][1]["targets"] == [
            {"comparator": ">=", "value": 100, "deadline": 2024}
        ]
        assert "weight" not in data["tasks"][0]["contributes_to"][0]
        assert data["tasks"][0]["contributes_to"][0]["provenance"]["source"] == "assumption"

    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_date_deadline(self, hcmc: Plan, tmp_path: Path, suffix: str) -> None:
        """A deadline given as a date survives a file round trip as a date."""
        indicator = hcmc.indicator("2.8")
        target = attrs.evolve(indicator.target(), deadline=dt.date(2024, 12, 31), baseline=41.5)
        group = attrs.evolve(
            hcmc.group("G2"), indicators=[attrs.evolve(indicator, targets=[target])]
        )
        plan = attrs.evolve(hcmc, groups=[group], tasks=[])
        back = read_plan(write_plan(plan, tmp_path / f"dated{suffix}"))
        assert back == plan
        assert back.indicator("2.8").target().deadline == dt.date(2024, 12, 31)

    def test_text_where_a_table_belongs(self) -> None:
        """label = "x" is refused as text where a table is expected, not an 'unknown error'."""
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict({"id": "p", "label": "x", "groups": [{"id": "g", "label": ["y"]}]})
        assert problems_of(caught) == [
            ("$:$.label", "found 'x'; expected a table/object"),
            ("$:$.groups[0].label", "found ['y']; expected a table/object"),
            ("$:$.groups[0].declared_count", "found nothing; expected a value (a required key)"),
        ]

    def test_toml_date_time_is_refused(self, tmp_path: Path) -> None:
        """A TOML date-time deadline is refused at its path rather than cut to its date."""
        path = tmp_path / "p.toml"
        path.write_text(
            'id = "p"\nlabel = { vi = "P" }\n[[groups]]\nid = "g"\ndeclared_count = 1\n'
            'label = { vi = "G" }\n[[groups.indicators]]\nid = "1"\nlabel = { vi = "I" }\n'
            'unit = { symbol = "%" }\ntargets = [{ comparator = ">=", value = 5, '
            "deadline = 2025-06-30T10:00:00+07:00 }]\n",
            encoding="utf-8",
        )
        with pytest.raises(FileFormatError) as caught:
            read_plan(path)
        assert problems_of(caught) == [
            (
                f"{path}:$.groups[0].indicators[0].targets[0].deadline",
                "found the date and time 2025-06-30T10:00:00+07:00; "
                "expected a year or a date (YYYY-MM-DD)",
            )
        ]

    def test_toml_native_date(self, tmp_path: Path) -> None:
        """A bare TOML date is read as a date deadline."""
        path = tmp_path / "p.toml"
        path.write_text(
            'id = "p"\nlabel = { vi = "Kế hoạch" }\n'
            '[[groups]]\nid = "G1"\nlabel = { vi = "Nhóm" }\ndeclared_count = 1\n'
            '[[groups.indicators]]\nid = "1.1"\nlabel = { vi = "Chỉ tiêu" }\n'
            'unit = { symbol = "%" }\n'
            'targets = [{ comparator = ">=", value = 50, deadline = 2025-06-30 }]\n',
            encoding="utf-8",
        )
        assert read_plan(path).indicator("1.1").target().deadline == dt.date(2025, 6, 30)


def broken(hcmc: Plan, *edits: tuple[list[Any], object]) -> dict[str, Any]:
    """The HCMC plan as a dict with each (path, value) edit applied; value None deletes."""
    data = plan_to_dict(hcmc)
    for keys, value in edits:
        node: Any = data
        for key in keys[:-1]:
            node = node[key]
        if value is None:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
    return data


TARGET = ["groups", 0, "indicators", 1, "targets", 0]


class TestPlanFromDict:
    def test_refused_value_with_path(self, hcmc: Plan) -> None:
        """A value a model object refuses is reported at that field's path, found and expected."""
        data = broken(hcmc, (["groups", 1, "declared_count"], -1))
        with pytest.raises(FileFormatError, match=r"cannot read a plan from plan\.json") as caught:
            plan_from_dict(data, source="plan.json")
        assert problems_of(caught) == [
            ("plan.json:$.groups[1].declared_count", "found -1; expected a whole number >= 0")
        ]

    def test_every_problem_at_once(self, hcmc: Plan) -> None:
        """Problems in different places are all reported, each with its path."""
        data = broken(
            hcmc,
            ([*TARGET, "comparator"], ">>"),
            (["groups", 3, "label", "vi"], " "),
            (["tasks", 2, "label"], None),
            (["priorities", 0, "colour"], "red"),
        )
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict(data)
        assert problems_of(caught) == [
            (
                "$:$.priorities[0].colour",
                "found an unknown key; expected one of description, id, label, provenance",
            ),
            (
                "$:$.groups[0].indicators[1].targets[0].comparator",
                "found '>>'; expected one of '>=', '>', '<=', '<', 'rank<='",
            ),
            ("$:$.groups[3].label.vi", "found ' '; expected non-empty text"),
            ("$:$.tasks[2].label", "found nothing; expected a value (a required key)"),
        ]

    def test_extra_top_level_key(self, hcmc: Plan) -> None:
        """An unknown key is refused, not ignored."""
        with pytest.raises(
            FileFormatError,
            match=r"\$:\$\.author: found an unknown key; expected one of entity, groups, id,",
        ):
            plan_from_dict(broken(hcmc, (["author"], "me")))

    @pytest.mark.parametrize("value", [True, "70", None])
    def test_value_must_be_a_number(self, hcmc: Plan, value: object) -> None:
        """A target value of true or "70" is refused, not read as 1.0 or 70.0."""
        data = broken(hcmc, ([*TARGET, "value"], 0))
        data["groups"][0]["indicators"][1]["targets"][0]["value"] = value
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict(data)
        assert problems_of(caught) == [
            (
                "$:$.groups[0].indicators[1].targets[0].value",
                f"found {value!r}; expected a number",
            )
        ]

    def test_bad_unit(self, hcmc: Plan) -> None:
        """An unknown unit is reported at the unit symbol's path."""
        data = broken(hcmc, (["groups", 0, "indicators", 2, "unit", "symbol"], "furlong"))
        with pytest.raises(
            FileFormatError,
            match=r"\$\.groups\[0\]\.indicators\[2\]\.unit\.symbol: unknown unit 'furlong'",
        ):
            plan_from_dict(data)

    def test_bad_deadline(self, hcmc: Plan) -> None:
        """A deadline that is neither a year nor an ISO date is reported at its path."""
        data = broken(hcmc, ([*TARGET, "deadline"], "end of 2024"))
        with pytest.raises(
            FileFormatError,
            match=r"targets\[0\]\.deadline: found 'end of 2024'; expected a year or an ISO date",
        ):
            plan_from_dict(data)

    @pytest.mark.parametrize("version", [2, 0, "1"])
    def test_wrong_format_version(self, hcmc: Plan, version: object) -> None:
        """Only format version 1 is read."""
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict(broken(hcmc, (["format"], version)), source="p.toml")
        assert problems_of(caught) == [("p.toml:$.format", f"found {version!r}; expected 1")]

    def test_format_version_optional(self, hcmc: Plan) -> None:
        """A document without a format version is read as version 1."""
        assert plan_from_dict(broken(hcmc, (["format"], None))) == hcmc

    def test_not_a_table(self) -> None:
        """A document that is not a table/object is refused with what it is."""
        with pytest.raises(FileFormatError) as caught:
            plan_from_dict([1, 2], source="p.json")
        assert problems_of(caught) == [("p.json", "found list; expected a table/object")]


class TestReadPlan:
    def test_invalid_toml_names_line(self, tmp_path: Path) -> None:
        """A TOML syntax error names file:line:column."""
        path = tmp_path / "p.toml"
        path.write_text('id = "p"\nlabel = \n', encoding="utf-8")
        with pytest.raises(FileFormatError, match="is not valid TOML") as caught:
            read_plan(path)
        [(where, message)] = problems_of(caught)
        assert where == f"{path}:2:9"
        assert "line 2" in message

    def test_invalid_json_names_line_and_column(self, tmp_path: Path) -> None:
        """A JSON syntax error names file:line:column."""
        path = tmp_path / "p.json"
        path.write_text('{\n  "id": "p",\n}\n', encoding="utf-8")
        with pytest.raises(FileFormatError) as caught:
            read_plan(path)
        assert problems_of(caught) == [
            (f"{path}:3:1", "Expecting property name enclosed in double quotes")
        ]

    def test_json_nested_too_deeply(self, tmp_path: Path) -> None:
        """Absurdly nested JSON is refused, not a RecursionError."""
        path = tmp_path / "p.json"
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
        with pytest.raises(FileFormatError, match="nested too deeply"):
            read_plan(path)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are refused naming the byte offset."""
        path = tmp_path / "p.toml"
        path.write_bytes(b'id = "k\xe1\xba"\n')
        with pytest.raises(FileFormatError) as caught:
            read_plan(path)
        assert problems_of(caught) == [
            (f"{path}:1", "byte 0xe1 is not UTF-8 (at offset 7); expected UTF-8 text")
        ]

    def test_oversize(self, hcmc: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file above MAX_FILE_BYTES is refused before it is parsed."""
        path = write_plan(hcmc, tmp_path / "p.json")
        monkeypatch.setattr("dxplan._files.MAX_FILE_BYTES", 100)
        size = path.stat().st_size
        with pytest.raises(FileFormatError) as caught:
            read_plan(path)
        assert problems_of(caught) == [
            (str(path), f"file of {size} bytes; expected at most 100 bytes")
        ]
        assert io.MAX_FILE_BYTES == 50 * 2**20

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a FileFormatError naming it."""
        path = tmp_path / "nowhere.toml"
        with pytest.raises(FileFormatError, match="No such file") as caught:
            read_plan(path)
        assert caught.value.problems[0].where == str(path)

    def test_content_errors_name_the_file(self, tmp_path: Path) -> None:
        """A well-formed file with a bad field names the file and the path inside it."""
        path = tmp_path / "p.json"
        path.write_text(json.dumps({"format": 1, "id": "p p", "label": {"vi": "x"}}), "utf-8")
        with pytest.raises(FileFormatError) as caught:
            read_plan(path)
        assert problems_of(caught) == [
            (
                f"{path}:$.id",
                "found 'p p'; expected an id of letters, digits, '.', '_' or '-' "
                "(like '2.7' or 'T03')",
            )
        ]


class TestWritePlan:
    def test_unsupported_suffix(self, hcmc: Plan, tmp_path: Path) -> None:
        """Only .toml and .json are written; nothing is created otherwise."""
        path = tmp_path / "plan.yaml"
        with pytest.raises(
            FileFormatError, match=r"found suffix '\.yaml'; expected \.toml or \.json"
        ):
            write_plan(hcmc, path)
        assert list(tmp_path.iterdir()) == []

    def test_refuses_to_overwrite(self, hcmc: Plan, tmp_path: Path) -> None:
        """An existing file is not replaced without force, and stays as it was."""
        path = tmp_path / "plan.json"
        path.write_text("mine", encoding="utf-8")
        with pytest.raises(FileFormatError, match=r"(?s)will not overwrite .*force=True"):
            write_plan(hcmc, path)
        assert path.read_text(encoding="utf-8") == "mine"

    def test_force_overwrites(self, hcmc: Plan, tmp_path: Path) -> None:
        """force=True replaces an existing file."""
        path = tmp_path / "plan.json"
        path.write_text("mine", encoding="utf-8")
        write_plan(hcmc, path, force=True)
        assert read_plan(path) == hcmc


class TestWriteAtomic:
    def test_written_files_are_readable_by_others(self, tmp_path: Path) -> None:
        """A written file has the usual 0644 permissions, not the temporary file's 0600."""
        target = tmp_path / "out.txt"
        write_atomic(target, "x")
        assert target.stat().st_mode & 0o777 == 0o644

    def test_missing_folder_is_a_clean_error(self, tmp_path: Path) -> None:
        """Writing into a folder that does not exist is a FileFormatError naming the file."""
        target = tmp_path / "nowhere" / "out.txt"
        with pytest.raises(FileFormatError, match=r"out\.txt: .*; expected a writable folder"):
            write_atomic(target, "x")

    def test_bytes_and_writers(self, tmp_path: Path) -> None:
        """Bytes are written as they are; a writer function gets the binary stream."""
        write_atomic(tmp_path / "a.bin", b"\x00\xff")
        write_atomic(tmp_path / "b.bin", lambda stream: stream.write(b"ok"))
        assert (tmp_path / "a.bin").read_bytes() == b"\x00\xff"
        assert (tmp_path / "b.bin").read_bytes() == b"ok"

    def test_writes_utf8_with_newlines(self, tmp_path: Path) -> None:
        """Text is written as UTF-8 with '\\n' line ends and no temporary file left."""
        path = tmp_path / "out.txt"
        write_atomic(path, "Hồ Chí Minh\n")
        assert path.read_bytes() == "Hồ Chí Minh\n".encode()
        assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]

    def test_refuses_to_overwrite(self, tmp_path: Path) -> None:
        """Without force an existing file is left untouched."""
        path = tmp_path / "out.txt"
        path.write_text("original", encoding="utf-8")
        with pytest.raises(FileFormatError) as caught:
            write_atomic(path, "new")
        assert problems_of(caught) == [
            (str(path), "the file exists; expected a new path, or --force / force=True")
        ]
        assert path.read_text(encoding="utf-8") == "original"

    def test_failed_write_leaves_original(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write that fails at the rename keeps the original and removes its temporary file."""
        path = tmp_path / "out.txt"
        path.write_text("original", encoding="utf-8")

        def fail(src: str, dst: str) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(FileFormatError, match="disk full"):
            write_atomic(path, "new", force=True)
        assert path.read_text(encoding="utf-8") == "original"
        assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]

    def test_full_disk_is_a_clean_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """ENOSPC while writing is a FileFormatError naming the file; nothing is left behind."""
        path = tmp_path / "out.json"

        def full(stream: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        with pytest.raises(FileFormatError) as caught:
            write_atomic(path, full)
        assert problems_of(caught) == [
            (
                str(path),
                f"{os.strerror(errno.ENOSPC)}; expected a folder with room and permission to write",
            )
        ]
        assert list(tmp_path.iterdir()) == []

    def test_lone_surrogate_is_a_clean_error(self, tmp_path: Path) -> None:
        """A plan built in Python with a lone surrogate cannot be written as TOML: a clean error."""
        plan = Plan(id="p", label=Label(vi="a\ud800b"))
        with pytest.raises(FileFormatError, match=r"lone surrogate '\\ud800' at offset"):
            write_plan(plan, tmp_path / "p.toml")
        assert list(tmp_path.iterdir()) == []

    def test_concurrent_writers_one_wins(self, tmp_path: Path) -> None:
        """Of writers racing to create one path without force, exactly one succeeds."""
        path = tmp_path / "same.json"
        barrier = threading.Barrier(8)
        outcomes: list[str] = []

        def write(number: int) -> None:
            barrier.wait()
            try:
                write_atomic(path, f"writer {number}")
            except FileFormatError:
                outcomes.append("refused")
            else:
                outcomes.append(f"writer {number}")

        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [o for o in outcomes if o != "refused"]
        assert len(winners) == 1
        assert outcomes.count("refused") == 7
        assert path.read_text(encoding="utf-8") == winners[0]
        assert [p.name for p in tmp_path.iterdir()] == ["same.json"]

    def test_publish_is_exclusive(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file created after the first check but before publishing is not replaced."""
        path = tmp_path / "out.txt"
        real_link = os.link

        def sneak_in(source: str, destination: str) -> None:
            Path(destination).write_text("theirs", encoding="utf-8")
            real_link(source, destination)

        monkeypatch.setattr(os, "link", sneak_in)
        with pytest.raises(FileFormatError, match="created meanwhile by another writer"):
            write_atomic(path, "mine")
        assert path.read_text(encoding="utf-8") == "theirs"
        assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]

    @pytest.mark.parametrize("force", [False, True])
    def test_dangling_symlink_is_refused(self, tmp_path: Path, force: bool) -> None:
        """A symbolic link to nothing is never replaced, with or without force."""
        link = tmp_path / "out.json"
        link.symlink_to(tmp_path / "missing.json")
        with pytest.raises(FileFormatError) as caught:
            write_atomic(link, "x", force=force)
        assert problems_of(caught) == [
            (
                str(link),
                "found a symbolic link to nothing (dangling); "
                "expected a new path or a regular file (even with --force)",
            )
        ]
        assert link.is_symlink()
        assert not (tmp_path / "missing.json").exists()

    def test_fifo_is_refused_even_with_force(self, tmp_path: Path) -> None:
        """--force does not turn a named pipe into a regular file."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(FileFormatError, match=r"found a named pipe \(FIFO\), not a regular"):
            write_atomic(fifo, "x", force=True)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)

    def test_device_and_folder_are_refused(self, tmp_path: Path) -> None:
        """A device node or a folder at the path is refused even with force."""
        # A device node of our own (never /dev/null: a writer with this bug would replace it).
        device = tmp_path / "null"
        try:
            os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root")
        with pytest.raises(FileFormatError, match="found a character device, not a regular"):
            write_atomic(device, "x", force=True)
        assert stat.S_ISCHR(device.lstat().st_mode)
        folder = tmp_path / "folder"
        folder.mkdir()
        with pytest.raises(FileFormatError, match="found a folder, not a regular file"):
            write_atomic(folder, "x", force=True)
        assert folder.is_dir()

    def test_force_keeps_the_mode(self, tmp_path: Path) -> None:
        """Replacing a private 0600 file keeps it private."""
        path = tmp_path / "secret.json"
        path.write_text("old", encoding="utf-8")
        path.chmod(0o600)
        write_atomic(path, "new", force=True)
        assert path.read_text(encoding="utf-8") == "new"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_force_through_a_symlink_writes_its_file(self, tmp_path: Path) -> None:
        """With force, a link to a regular file stays a link and its file gets the content."""
        real = tmp_path / "real.json"
        real.write_text("old", encoding="utf-8")
        link = tmp_path / "link.json"
        link.symlink_to(real)
        write_atomic(link, "new", force=True)
        assert link.is_symlink()
        assert real.read_text(encoding="utf-8") == "new"

    def test_stale_temporaries_are_removed(self, tmp_path: Path) -> None:
        """A temporary file left by a killed writer is removed by the next write of that path."""
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        pid = int(dead.stdout)
        stale = tmp_path / f".out.json.dxplan-{pid}-abc123.tmp"
        stale.write_text("half", encoding="utf-8")
        other = tmp_path / ".other.json.dxplan-1-abc.tmp"  # another path's: left alone
        other.write_text("x", encoding="utf-8")
        write_atomic(tmp_path / "out.json", "{}")
        assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "out.json"]


class TestJsonText:
    def test_non_finite_numbers_are_null_and_flagged(self) -> None:
        """NaN and ±inf become null, listed by path under non_finite; the text is strict JSON."""
        data = {"score": math.inf, "rows": [{"x": -math.inf}, {"x": 1.5}], "y": math.nan}
        text = io.json_text(data)
        assert json.loads(text, parse_constant=lambda name: pytest.fail(name)) == {
            "score": None,
            "rows": [{"x": None}, {"x": 1.5}],
            "y": None,
            "non_finite": ["$.score", "$.rows[0].x", "$.y"],
        }

    def test_finite_data_is_unchanged(self) -> None:
        """Without non-finite numbers nothing is added."""
        assert json.loads(io.json_text({"a": [1, 2.5, "x"]})) == {"a": [1, 2.5, "x"]}

    def test_lone_surrogate_is_escaped_not_raw(self) -> None:
        """A lone surrogate is written as its JSON escape, so the text encodes as UTF-8."""
        text = io.json_text({"source": "a\ud800b"})
        assert text.encode("utf-8") == b'{\n  "source": "a\\ud800b"\n}'
        assert json.loads(text) == {"source": "a\ud800b"}


class TestWholeNumbers:
    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_whole_values_stay_integers(self, tmp_path: Path, suffix: str) -> None:
        """A target value of 5 is written as 5, not 5.0; 2.5 stays 2.5."""
        plan = plan_from_dict(
            {
                "id": "p",
                "label": {"vi": "Kế hoạch"},
                "groups": [
                    {
                        "id": "g",
                        "label": {"vi": "Nhóm"},
                        "declared_count": 2,
                        "indicators": [
                            {
                                "id": "1",
                                "label": {"vi": "Một"},
                                "unit": {"symbol": "%"},
                                "targets": [{"comparator": ">=", "value": 5}],
                            },
                            {
                                "id": "2",
                                "label": {"vi": "Hai"},
                                "unit": {"symbol": "%"},
                                "targets": [{"comparator": ">=", "value": 2.5}],
                            },
                        ],
                    }
                ],
            }
        )
        text = write_plan(plan, tmp_path / f"p{suffix}").read_text(encoding="utf-8")
        said = "value = " if suffix == ".toml" else '"value": '
        assert re.search(re.escape(said) + r"5(?![.\d])", text)
        assert re.search(re.escape(said) + r"2\.5(?!\d)", text)
        assert read_plan(tmp_path / f"p{suffix}") == plan

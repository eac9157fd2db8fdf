"""Tests of dxplan._files: the one way every loader reads a user's file."""

from __future__ import annotations

import gc
import os
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from dxplan import _files
from dxplan.errors import DxplanError, FileFormatError
from dxplan.formats._index_files import load_index
from dxplan.formats.io import read_plan
from dxplan.formats.scenario_files import load_scenario
from dxplan.index.data import IndexData
from dxplan.plan.observations import load_observations


def problems_of(caught: pytest.ExceptionInfo[FileFormatError]) -> list[tuple[str, str]]:
    return [(p.where, p.message) for p in caught.value.problems]


def read_all(open_text: Callable[[], AbstractContextManager[Iterator[str]]]) -> list[str]:
    with open_text() as lines:
        return list(lines)


def written(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


class TestReadText:
    def test_utf8_with_or_without_bom(self, tmp_path: Path) -> None:
        """UTF-8 text is read as it is, a byte-order mark dropped."""
        plain = written(tmp_path, "a.csv", "tỉnh,điểm\n".encode())
        marked = written(tmp_path, "b.csv", "\ufefftỉnh,điểm\n".encode())
        assert _files.read_text(plain, what="x") == _files.read_text(marked, what="x")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A file that cannot be opened says why, naming it."""
        path = tmp_path / "nowhere.toml"
        with pytest.raises(FileFormatError, match=r"cannot read .*nowhere\.toml") as caught:
            _files.read_text(path, what="a plan")
        assert problems_of(caught) == [
            (str(path), "No such file or directory; expected a plan"),
        ]

    def test_too_large(self, tmp_path: Path) -> None:
        """A file over the limit is refused with its size, before it is read."""
        path = written(tmp_path, "big.json", b"x" * 11)
        with pytest.raises(FileFormatError, match="is too large") as caught:
            _files.read_text(path, what="a plan", max_bytes=10)
        assert problems_of(caught) == [(str(path), "file of 11 bytes; expected at most 10 bytes")]

    def test_at_the_limit(self, tmp_path: Path) -> None:
        """A file of exactly the limit is read."""
        path = written(tmp_path, "full.json", b"x" * 10)
        assert _files.read_text(path, what="a plan", max_bytes=10) == "x" * 10

    @pytest.mark.parametrize("content", [b"", b" \n\t\n", b"\xef\xbb\xbf\n"])
    def test_empty(self, tmp_path: Path, content: bytes) -> None:
        """An empty or blank file is refused, saying what was expected."""
        path = written(tmp_path, "e.toml", content)
        with pytest.raises(FileFormatError, match="is empty") as caught:
            _files.read_text(path, what="a plan")
        assert problems_of(caught) == [(str(path), "empty file; expected a plan")]

    def test_binary(self, tmp_path: Path) -> None:
        """A NUL byte anywhere marks a binary file, with its line and offset."""
        path = written(tmp_path, "b.csv", b"id,x\na,1\n\x00")
        with pytest.raises(FileFormatError, match="is not text") as caught:
            _files.read_text(path, what="a CSV file")
        assert problems_of(caught) == [
            (f"{path}:3", "binary content (a NUL byte at offset 9); expected a CSV file")
        ]

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are named by line, value and offset."""
        path = written(tmp_path, "l.csv", "id\ncafé\n".encode("latin-1"))
        with pytest.raises(FileFormatError, match="is not UTF-8 text") as caught:
            _files.read_text(path, what="a CSV file")
        assert problems_of(caught) == [
            (f"{path}:2", "byte 0xe9 is not UTF-8 (at offset 6); expected UTF-8 text")
        ]

    def test_source_names_the_file(self, tmp_path: Path) -> None:
        """``source`` is the name every message gives the file."""
        path = written(tmp_path, "e.csv", b"")
        with pytest.raises(FileFormatError, match=r"^e\.csv is empty"):
            _files.read_text(path, what="x", source="e.csv")


def through_a_pipe(
    tmp_path: Path, data: bytes, max_bytes: int | None = None
) -> Callable[[], AbstractContextManager[Iterator[str]]] | FileFormatError:
    """``read_stream`` of a named pipe that ``data`` is written to and closed: what it gave.

    The writer is gone once its bytes are in the pipe, so an implementation that
    opened the pipe a second time would wait for ever; the reader gets 10 s.
    """
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    given: list[Callable[[], AbstractContextManager[Iterator[str]]] | FileFormatError] = []

    def read() -> None:
        try:
            given.append(_files.read_stream(fifo, what="x", max_bytes=max_bytes))
        except FileFormatError as exc:
            given.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    fifo.write_bytes(data)
    reader.join(timeout=10)
    assert not reader.is_alive(), "read_stream opened the pipe a second time"
    return given[0]


class TestReadStream:
    """Lines of a checked file, read from disk each time: refusals as read_text's, no copy held."""

    @pytest.mark.parametrize(
        "content",
        [
            b"",
            b" \n\t\n",
            b"\xef\xbb\xbf\n",
            b"id,x\na,1\n\x00",
            "id\ncafé\n".encode("latin-1"),
            # Past the first 1 MiB chunk, and split across two chunks.
            b"a,1\n" * 300_000 + b"\xff\n",
            b"a" * (2**20 - 1) + "ế".encode() + b"\xff",
            b"a\n" * 600_000 + b"\x00",
        ],
        ids=["empty", "blank", "bom", "nul", "latin-1", "late-byte", "split-char", "late-nul"],
    )
    def test_refuses_what_read_text_refuses(self, tmp_path: Path, content: bytes) -> None:
        """Each bad file gets exactly read_text's error: the same problems at the same places."""
        path = written(tmp_path, "f.csv", content)
        with pytest.raises(FileFormatError) as expected:
            _files.read_text(path, what="a CSV file")
        with pytest.raises(FileFormatError) as caught:
            _files.read_stream(path, what="a CSV file")
        assert problems_of(caught) == problems_of(expected)

    def test_too_large(self, tmp_path: Path) -> None:
        """A file over the limit is refused with its size, before it is read."""
        path = written(tmp_path, "big.csv", b"x" * 11)
        with pytest.raises(FileFormatError, match="is too large") as caught:
            _files.read_stream(path, what="a CSV file", max_bytes=10)
        assert problems_of(caught) == [(str(path), "file of 11 bytes; expected at most 10 bytes")]

    def test_lines_as_often_as_asked(self, tmp_path: Path) -> None:
        """Each call opens the file again; the lines are the text's, the byte-order mark dropped."""
        text = "tỉnh,điểm\r\nHà Nội,1\nHuế,2"
        path = written(tmp_path, "a.csv", b"\xef\xbb\xbf" + text.encode())
        open_text = _files.read_stream(path, what="x")
        expected = ["tỉnh,điểm\r\n", "Hà Nội,1\n", "Huế,2"]
        assert read_all(open_text) == expected
        assert read_all(open_text) == expected

    def test_closed_when_reading_stops_early(self, tmp_path: Path) -> None:
        """A reader that stops at the first line (a bad header) leaves no file open."""
        path = written(tmp_path, "a.csv", b"id,x\na,1\n")
        open_text = _files.read_stream(path, what="x")
        with open_text() as lines:
            assert next(lines) == "id,x\n"
            stream = lines
        with pytest.raises(ValueError, match="closed file"):
            next(stream)

    def test_a_changed_file_is_refused(self, tmp_path: Path) -> None:
        """A file that grew, or got a bad byte at the same size and time, is an error."""
        path = written(tmp_path, "a.csv", b"id,x\na,1\n")
        open_text = _files.read_stream(path, what="x")
        checked = path.stat()
        path.write_bytes(b"id,x\na,1\nb,2\n")
        with pytest.raises(FileFormatError, match=r"a\.csv changed while it was read"):
            read_all(open_text)
        path.write_bytes(b"id,x\na,\xff\n")
        os.utime(path, ns=(checked.st_atime_ns, checked.st_mtime_ns))
        with pytest.raises(FileFormatError, match=r"a\.csv changed while it was read"):
            read_all(open_text)

    def test_a_pipe_is_read_once_into_memory(self, tmp_path: Path) -> None:
        """A named pipe cannot be read twice: its bytes are kept, checked and read from memory."""
        opened = through_a_pipe(tmp_path, b"id,x\na,1\n")
        assert not isinstance(opened, FileFormatError)
        assert read_all(opened) == read_all(opened) == ["id,x\n", "a,1\n"]

    def test_a_pipe_over_the_limit_is_refused(self, tmp_path: Path) -> None:
        """A pipe has no size to check first: reading one byte past the limit refuses it."""
        refused = through_a_pipe(tmp_path, b"x" * 101, max_bytes=100)
        assert isinstance(refused, FileFormatError)
        assert "more bytes; expected at most 100 bytes" in str(refused.problems[0])

    def test_memory_does_not_hold_the_file(self, tmp_path: Path) -> None:
        """Checking and reading 16 MiB holds a few chunks, not the file's bytes or text."""
        path = written(tmp_path, "big.csv", b"ho-chi-minh,1.1,2024,3\n" * (2**24 // 23))
        gc.collect()
        tracemalloc.start()
        try:
            with _files.read_stream(path, what="x")() as stream:
                lines = sum(1 for _ in stream)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert lines == 2**24 // 23
        assert peak < 2**24 // 4


class TestParseDocument:
    def test_toml_and_json(self) -> None:
        """TOML and JSON become the same plain data."""
        toml = _files.parse_document('a = [1, 2.5, "x"]', source="s", kind="toml")
        json = _files.parse_document('{"a": [1, 2.5, "x"]}', source="s", kind="json")
        assert toml == json == {"a": [1, 2.5, "x"]}

    def test_toml_syntax_error(self) -> None:
        """A TOML syntax error is at file:line:column."""
        with pytest.raises(FileFormatError, match=r"^p\.toml is not valid TOML") as caught:
            _files.parse_document('id = "p"\nlabel = \n', source="p.toml", kind="toml")
        assert problems_of(caught) == [("p.toml:2:9", "Invalid value (at line 2, column 9)")]

    def test_toml_error_at_end_of_document(self) -> None:
        """An error at the end of a TOML document still names a line and column."""
        with pytest.raises(FileFormatError) as caught:
            _files.parse_document('a = 1\nb = "open', source="p.toml", kind="toml")
        [(where, _)] = problems_of(caught)
        assert where.startswith("p.toml:2:")

    def test_json_syntax_error(self) -> None:
        """A JSON syntax error is at file:line:column."""
        with pytest.raises(FileFormatError, match=r"^p\.json is not valid JSON") as caught:
            _files.parse_document('{\n  "id": "p",\n}\n', source="p.json", kind="json")
        assert problems_of(caught) == [
            ("p.json:3:1", "Expecting property name enclosed in double quotes")
        ]

    def test_json_constants_refused_where_they_are(self) -> None:
        """NaN and ±Infinity are not JSON numbers: each is refused at its path."""
        text = '{"id": NaN, "label": {"vi": Infinity}, "x": [1, -Infinity]}'
        with pytest.raises(FileFormatError) as caught:
            _files.parse_document(text, source="p.json", kind="json")
        assert problems_of(caught) == [
            ("p.json:$.id", "NaN is not a finite number; expected a number"),
            ("p.json:$.label.vi", "Infinity is not a finite number; expected a number"),
            ("p.json:$.x[1]", "-Infinity is not a finite number; expected a number"),
        ]

    def test_duplicate_keys_refused_where_they_are(self) -> None:
        """A JSON key given twice is refused at its path, as TOML refuses it (not last-wins)."""
        text = '{"id": "a", "groups": [{"id": "g", "id": "h"}], "id": "b"}'
        with pytest.raises(FileFormatError) as caught:
            _files.parse_document(text, source="p.json", kind="json")
        assert problems_of(caught) == [
            ("p.json:$.id", "the key 'id' is given twice; expected each key once"),
            ("p.json:$.groups[0].id", "the key 'id' is given twice; expected each key once"),
        ]

    def test_lone_surrogates_refused_where_they_are(self) -> None:
        """A lone surrogate escape is not text; a surrogate pair (an emoji) is."""
        text = '{"label": {"vi": "a\\ud800b"}, "ok": "\\ud83d\\ude00", "k": {"\\udfff": 1}}'
        with pytest.raises(FileFormatError) as caught:
            _files.parse_document(text, source="p.json", kind="json")
        message = "text with a lone surrogate {}, which is not a character; expected Unicode text"
        assert problems_of(caught) == [
            ("p.json:$.label.vi", message.format("\\ud800")),
            ("p.json:$.k.'\\udfff'", message.format("\\udfff")),
        ]
        assert _files.parse_document('{"ok": "\\ud83d\\ude00"}', source="p", kind="json") == {
            "ok": "\U0001f600"
        }

    @pytest.mark.parametrize(
        ("kind", "text"),
        [("json", "[" * 100_000 + "]" * 100_000), ("toml", "a = " + "[" * 100_000)],
    )
    def test_nested_too_deeply(self, kind: str, text: str) -> None:
        """Absurd nesting is refused, not a RecursionError."""
        with pytest.raises(FileFormatError, match="nested too deeply"):
            _files.parse_document(text, source="p", kind="json" if kind == "json" else "toml")

    @pytest.mark.parametrize("kind", ["json", "toml"])
    def test_integer_too_long(self, kind: str) -> None:
        """An integer of more digits than Python converts is a FileFormatError."""
        text = (
            ("a = " if kind == "toml" else '{"a": ') + "9" * 5_000 + ("" if kind == "toml" else "}")
        )
        with pytest.raises(FileFormatError, match="digits; expected a shorter number"):
            _files.parse_document(text, source="p", kind="json" if kind == "json" else "toml")


class TestReadDocument:
    @pytest.mark.parametrize("suffix", [".toml", ".json"])
    def test_by_suffix(self, tmp_path: Path, suffix: str) -> None:
        """The suffix, in any case, chooses the parser."""
        content = b"a = 1\n" if suffix == ".toml" else b'{"a": 1}'
        path = written(tmp_path, f"d{suffix.upper()}", content)
        assert _files.read_document(path, what="x") == {"a": 1}

    def test_other_suffix(self, tmp_path: Path) -> None:
        """Any other suffix is refused before the file is opened; nothing is executed."""
        path = tmp_path / "d.py"
        with pytest.raises(FileFormatError) as caught:
            _files.read_document(path, what="x")
        assert problems_of(caught) == [
            (str(path), "found suffix '.py'; expected '.toml' or '.json'")
        ]


LIMIT = 1_000

LOADERS: dict[str, tuple[str, Callable[[Path], object]]] = {
    "plan.toml": ("a = 1\n", read_plan),
    "plan.json": ('{"a": 1}', read_plan),
    "index.toml": ("a = 1\n", load_index),
    "index.json": ('{"a": 1}', load_index),
    "scenario.toml": ("a = 1\n", load_scenario),
    "observations.csv": ("entity,indicator,period,value\n", load_observations),
    "observations.json": ("[]", load_observations),
    "data.csv": ("id,x\n", IndexData.from_csv),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_loader_refuses_one_byte_over_the_limit(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every loader refuses a file one byte over the limit, in the same words."""
    monkeypatch.setattr("dxplan._files.MAX_FILE_BYTES", LIMIT)
    start, load = LOADERS[name]
    path = written(tmp_path, name, start.encode().ljust(LIMIT + 1))
    with pytest.raises(FileFormatError, match="is too large") as caught:
        load(path)
    [(_, message)] = problems_of(caught)
    assert message == f"file of {LIMIT + 1} bytes; expected at most {LIMIT} bytes"


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_loader_reads_a_file_at_the_limit(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of exactly the limit gets past reading (its content may still be refused)."""
    monkeypatch.setattr("dxplan._files.MAX_FILE_BYTES", LIMIT)
    start, load = LOADERS[name]
    path = written(tmp_path, name, start.encode().ljust(LIMIT))
    found = ""
    try:
        load(path)
    except DxplanError as exc:
        found = str(exc)
    assert "too large" not in found


def test_max_file_bytes_is_one_limit() -> None:
    """The public limits are the one limit of 50 MiB."""
    from dxplan.formats import io
    from dxplan.plan import observations

    assert io.MAX_FILE_BYTES == observations.MAX_FILE_BYTES == _files.MAX_FILE_BYTES == 50 * 2**20

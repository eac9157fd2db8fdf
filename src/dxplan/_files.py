"""Reading and writing a user's file: the one place that opens, bounds, decodes and parses it.

Every loader (plans, observations, index definitions, index data, scenarios)
reads through here, so each refuses the same things with the same words: a
file it cannot open, one larger than :data:`MAX_FILE_BYTES`, an empty or binary
file, bytes that are not UTF-8, TOML or JSON that does not parse (with
``file:line:column``), JSON ``NaN``/``Infinity``, JSON keys given twice, lone
surrogates (``"\\ud800"``), nesting too deep to parse and integers of more
digits than Python converts. Each becomes a
:class:`~dxplan.errors.FileFormatError`; nothing read is ever executed.

Every writer goes through :func:`write_atomic`, which never replaces a file
unless asked to (also importable as ``dxplan.formats.io.write_atomic``).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import glob
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, Final, Literal

from dxplan.errors import FileFormatError, InvalidValueError, Problem

MAX_FILE_BYTES: Final = 50 * 2**20
"""Files larger than this (50 MiB) are refused before they are parsed."""

_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_text(
    path: Path, *, what: str, max_bytes: int | None = None, source: str | None = None
) -> str:
    """The text of ``path``, decoded as UTF-8 (a byte-order mark is dropped).

    Args:
        path: the file to read.
        what: what the file should hold, for messages ("expected {what}").
        max_bytes: the size limit; None means :data:`MAX_FILE_BYTES`. At most
            ``max_bytes + 1`` bytes are ever read.
        source: the name messages give the file; the path by default.

    Raises:
        FileFormatError: the file cannot be opened, is too large, empty or
            binary, or is not UTF-8.
    """
    name = str(path) if source is None else source
    data = _read_bytes(path, what=what, max_bytes=max_bytes, name=name)
    return decode(data, what=what, source=name)


def read_stream(
    path: Path, *, what: str, max_bytes: int | None = None, source: str | None = None
) -> Callable[[], AbstractContextManager[Iterator[str]]]:
    """Bounded, checked text of ``path``, read line by line as often as asked.

    The same refusals as :func:`read_text` (size, NUL bytes, UTF-8, empty), but
    neither the text nor the bytes of a regular file are held whole: the file
    is checked chunk by chunk from disk, and each call of the returned function
    opens it again, in a ``with`` block that closes it, and decodes its lines
    as they are read (``newline=""``, for :mod:`csv`). A file that changed
    since it was checked is refused. Anything else (a pipe, which can be read
    only once) is read into memory first.

    Raises:
        FileFormatError: as :func:`read_text`; and, while lines are read, a
            file changed since it was checked.
    """
    name = str(path) if source is None else source
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    data = None
    try:
        with path.open("rb") as handle:
            checked = os.fstat(handle.fileno())
            if stat.S_ISREG(checked.st_mode):
                if checked.st_size > limit:
                    raise _too_large(name, f"file of {checked.st_size} bytes", limit)
                _check_chunks(handle, checked.st_size, what=what, source=name)
            else:  # a pipe: its bytes come once, through this one opening
                data = _read_open(handle, limit, name)
    except OSError as exc:
        raise FileFormatError(
            f"cannot read {name}", [Problem(name, f"{exc.strerror or exc}; expected {what}")]
        ) from exc
    if data is not None:
        _check_text(data, what=what, source=name)
        return lambda: _lines(lambda: io.BytesIO(data), name)
    return lambda: _lines(lambda: _reopened(path, checked, name), name, checked.st_size)


_CHUNK = 1 << 20


def _check_text(data: bytes, *, what: str, source: str) -> None:
    """What :func:`decode` checks, without building the text."""
    nul = data.find(b"\x00")
    if nul >= 0:
        decode(data[: nul + 1], what=what, source=source)  # raises, naming line and offset
    start = 3 if data.startswith(codecs.BOM_UTF8) else 0
    blank = True
    pending = b""
    base = start
    for offset in range(start, len(data), _CHUNK):
        chunk = pending + data[offset : offset + _CHUNK]
        final = offset + _CHUNK >= len(data)
        try:
            text, used = codecs.utf_8_decode(chunk, "strict", final)
        except UnicodeDecodeError as exc:
            decode(data[: base + exc.end], what=what, source=source)  # raises with the place
            raise
        blank = blank and not text.strip()
        pending, base = chunk[used:], base + used
    if blank:
        decode(b"", what=what, source=source)  # raises "empty file"


def _check_chunks(handle: BinaryIO, size: int, *, what: str, source: str) -> None:
    """What :func:`decode` checks, chunk by chunk from ``handle`` (its first ``size`` bytes)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    blank = True
    left = size
    while True:
        chunk = handle.read(min(_CHUNK, left)) if left > 0 else b""
        left -= len(chunk)
        final = not chunk
        text = None if b"\x00" in chunk else _decoded(decoder, chunk, final)
        if text is None:
            handle.seek(0)
            decode(handle.read(size), what=what, source=source)  # raises, with line and offset
            raise _changed(source)  # it decoded whole: the file changed while it was checked
        blank = blank and not text.strip()
        if final:
            break
    if blank:
        decode(b"", what=what, source=source)  # raises "empty file"


def _decoded(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool) -> str | None:
    try:
        return decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return None


def _reopened(path: Path, checked: os.stat_result, name: str) -> BinaryIO:
    """``path`` opened again, if it is still the file that was checked."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FileFormatError(
            f"cannot read {name}", [Problem(name, f"{exc.strerror or exc}; expected the file")]
        ) from exc
    now = os.fstat(handle.fileno())
    same = (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
        checked.st_dev,
        checked.st_ino,
        checked.st_size,
        checked.st_mtime_ns,
    )
    if not same:
        handle.close()
        raise _changed(name)
    return handle


@contextlib.contextmanager
def _lines(
    open_raw: Callable[[], BinaryIO], name: str, size: int | None = None
) -> Iterator[Iterator[str]]:
    """The lines of a byte stream as UTF-8 text, closed when the ``with`` block ends."""
    with io.TextIOWrapper(open_raw(), encoding="utf-8-sig", newline="") as text:
        yield _checked_lines(text, name, size)


def _checked_lines(text: io.TextIOWrapper, name: str, size: int | None) -> Iterator[str]:
    """The lines of ``text``, checked as they are read.

    A byte that stops decoding, or a file no longer ``size`` bytes long, is a
    file changed since it was checked.
    """
    try:
        yield from text
    except UnicodeDecodeError:
        raise _changed(name) from None
    if size is not None and os.fstat(text.fileno()).st_size != size:
        raise _changed(name)


def _changed(name: str) -> FileFormatError:
    return FileFormatError(
        f"{name} changed while it was read",
        [Problem(name, "the file changed after it was checked; expected it unchanged")],
    )


def _read_bytes(path: Path, *, what: str, max_bytes: int | None, name: str) -> bytes:
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        with path.open("rb") as handle:
            return _read_open(handle, limit, name)
    except OSError as exc:
        raise FileFormatError(
            f"cannot read {name}", [Problem(name, f"{exc.strerror or exc}; expected {what}")]
        ) from exc


def _read_open(handle: BinaryIO, limit: int, name: str) -> bytes:
    """At most ``limit`` bytes of an open file or pipe; more is an error."""
    size = os.fstat(handle.fileno()).st_size
    if size > limit:
        raise _too_large(name, f"file of {size} bytes", limit)
    # read(n) allocates n bytes first: ask for what stat says, not for the limit.
    data = handle.read(size + 1 if size else limit + 1)
    if size and len(data) > size:  # the file grew while being read
        data += handle.read(limit + 1 - len(data))
    if len(data) > limit:  # the file grew, or stat does not know its size (a pipe)
        raise _too_large(name, "more bytes", limit)
    return data


def _too_large(name: str, found: str, limit: int) -> FileFormatError:
    return FileFormatError(
        f"{name} is too large", [Problem(name, f"{found}; expected at most {limit} bytes")]
    )


def decode(data: bytes, *, what: str, source: str) -> str:
    """``data`` as text: UTF-8 without a byte-order mark, not empty, not binary.

    Raises:
        FileFormatError: naming the line and byte offset of a NUL byte or of
            the first byte that is not UTF-8, or saying the file is empty.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FileFormatError(
            f"{source} is not text",
            [
                Problem(
                    f"{source}:{_line(data, nul)}",
                    f"binary content (a NUL byte at offset {nul}); expected {what}",
                )
            ],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"{source} is not UTF-8 text",
            [
                Problem(
                    f"{source}:{_line(data, exc.start)}",
                    f"byte {data[exc.start]:#04x} is not UTF-8 (at offset {exc.start}); "
                    "expected UTF-8 text",
                )
            ],
        ) from None
    if not text.strip():
        raise FileFormatError(
            f"{source} is empty", [Problem(source, f"empty file; expected {what}")]
        )
    return text


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse_document(text: str, *, source: str, kind: Literal["toml", "json"]) -> object:
    """Parse ``text`` as TOML or JSON into plain data.

    Raises:
        FileFormatError: a syntax error (at ``source:line:column``), JSON
            ``NaN``/``Infinity``, a repeated key or a lone surrogate (each at
            its ``$.path``), nesting too deep, or an integer of more digits
            than Python converts.
    """
    try:
        if kind == "toml":
            return tomllib.loads(text)
        document = json.loads(
            text, parse_constant=_Constant, object_pairs_hook=_object_without_duplicates
        )
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_place(exc, text)
        raise FileFormatError(
            f"{source} is not valid TOML", [Problem(f"{source}:{line}:{column}", str(exc))]
        ) from exc
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"{source} is not valid JSON",
            [Problem(f"{source}:{exc.lineno}:{exc.colno}", exc.msg)],
        ) from exc
    except RecursionError as exc:
        raise FileFormatError(
            f"{source} is nested too deeply",
            [Problem(source, "nested too deeply to read; expected at most a few hundred levels")],
        ) from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        limit = sys.get_int_max_str_digits()
        message = f"a number of more than {limit} digits" if "digits" in str(exc) else str(exc)
        raise FileFormatError(
            f"cannot read {source}", [Problem(source, f"{message}; expected a shorter number")]
        ) from exc
    refused = _refused_in(document, surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    if refused:
        raise FileFormatError(
            f"{source} is not valid JSON",
            [Problem(f"{source}:{where}", message) for where, message in refused],
        )
    return document


# A JSON escape of a UTF-16 surrogate; only then can a parsed string hold a lone one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
"""A lone UTF-16 surrogate: text holding one cannot be written as UTF-8."""


class _Constant:
    """A JSON ``NaN``/``Infinity`` found while parsing, to be located and refused."""

    def __init__(self, name: str) -> None:
        self.name = name


class _DuplicateKeys(dict[str, object]):
    """A JSON object that repeated keys (the first value of each is kept)."""

    duplicates: list[str]


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    repeated: list[str] = []
    for key, value in pairs:
        if key in result:
            repeated.append(key)
        else:
            result[key] = value
    if not repeated:
        return result
    marked = _DuplicateKeys(result)
    marked.duplicates = repeated
    return marked


def _refused_in(document: object, *, surrogates: bool) -> list[tuple[str, str]]:
    """Where ``document`` holds what dxplan refuses to read, in document order.

    JSON ``NaN``/``Infinity``, a key given twice in one object (JSON allows
    it and keeps the last; TOML refuses it, and so does dxplan), and, when
    ``surrogates``, text holding a lone UTF-16 surrogate (``"\\ud800"``), which
    no UTF-8 file can carry.
    """
    found: list[tuple[str, str]] = []
    pending: list[tuple[str, object]] = [("$", document)]
    while pending:  # a loop, not recursion: the document may be deeply nested
        where, item = pending.pop()
        if isinstance(item, _Constant):
            found.append((where, f"{item.name} is not a finite number; expected a number"))
        elif isinstance(item, str):
            if surrogates and LONE_SURROGATE.search(item):
                found.append((where, _surrogate_message(item)))
        elif isinstance(item, dict):
            for key in getattr(item, "duplicates", ()):
                found.append(
                    (f"{where}.{key}", f"the key {key!r} is given twice; expected each key once")
                )
            if surrogates:
                found += [
                    (f"{where}.{key!r}", _surrogate_message(key))
                    for key in item
                    if LONE_SURROGATE.search(key)
                ]
            pending += reversed([(f"{where}.{key}", value) for key, value in item.items()])
        elif isinstance(item, list):
            pending += reversed([(f"{where}[{i}]", value) for i, value in enumerate(item)])
    return found


def _surrogate_message(text: str) -> str:
    lone = LONE_SURROGATE.search(text)
    code = f"\\u{ord(lone[0]):04x}" if lone else "a surrogate"
    return f"text with a lone surrogate {code}, which is not a character; expected Unicode text"


def _toml_place(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int, int]:
    # TOMLDecodeError has .lineno/.colno only from Python 3.14; older ones say them in words.
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    said = _TOML_PLACE.search(str(exc))
    if said:
        return int(said[1]), int(said[2])
    # "(at end of document)": the place after the last character.
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def read_document(
    path: Path, *, what: str, max_bytes: int | None = None, source: str | None = None
) -> object:
    """Read and parse a ``.toml`` or ``.json`` file, chosen by its suffix.

    Raises:
        FileFormatError: any other suffix, and everything :func:`read_text`
            and :func:`parse_document` refuse.
    """
    name = str(path) if source is None else source
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise FileFormatError(
            f"cannot read {name}",
            [Problem(name, f"found suffix {suffix!r}; expected '.toml' or '.json'")],
        )
    kind: Literal["toml", "json"] = "toml" if suffix == ".toml" else "json"
    text = read_text(path, what=f"{what} in {kind.upper()}", max_bytes=max_bytes, source=name)
    return parse_document(text, source=name, kind=kind)


_TEMP_MARK = ".dxplan-"
"""Temporary files of :func:`write_atomic` are ``.{name}.dxplan-{pid}-{random}.tmp``."""


def write_atomic(
    path: str | Path,
    content: str | bytes | Callable[[BinaryIO], object],
    *,
    force: bool = False,
) -> None:
    """Write ``content`` to ``path`` through a temporary file, never clobbering by accident.

    ``content`` is text (written as UTF-8), bytes, or a function that writes
    into the binary stream it is given. The file appears whole or not at all:
    a new file is published with a hard link, which fails if any other writer
    created the path first, so of two concurrent writers without ``force``
    exactly one wins. With ``force`` an existing regular file (or the regular
    file a symbolic link points to) is replaced and keeps its permissions.
    Anything else at the path (a folder, a FIFO, a device, a dangling link) is
    refused even with ``force``. Temporary files left by a killed writer are
    removed the next time the same path is written.

    Raises:
        FileFormatError: the path holds something that must not be replaced,
            or the folder cannot be written (no space left, no permission).
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidValueError("path", path, "a file path")
    path = Path(path)
    if isinstance(content, str):
        try:
            content = content.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate, from Python code
            raise FileFormatError(
                f"cannot write {path}",
                [
                    Problem(
                        str(path),
                        f"text with a lone surrogate {content[exc.start]!r} at offset "
                        f"{exc.start}, which UTF-8 cannot hold; expected Unicode text",
                    )
                ],
            ) from None
    target = _writable_target(path, force=force)
    directory = target.parent if str(target.parent) else Path()
    _remove_stale_temporaries(directory, target.name)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{target.name}{_TEMP_MARK}{os.getpid()}-", suffix=".tmp"
        )
    except OSError as exc:
        raise _write_error(path, exc, "a writable folder") from exc
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                if isinstance(content, bytes):
                    stream.write(content)
                else:
                    content(stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, _mode_for(target))
            _publish(Path(temporary), target, path, force=force)
        except OSError as exc:
            raise _write_error(path, exc, "a folder with room and permission to write") from exc
    finally:
        Path(temporary).unlink(missing_ok=True)


def _writable_target(path: Path, *, force: bool) -> Path:
    """The file to write for ``path``, after refusing what must not be replaced."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise _write_error(path, exc, "a path that can be written") from exc
    target = path
    if stat.S_ISLNK(status.st_mode):
        try:
            status = path.stat()
        except OSError:
            raise _refused(path, "a symbolic link to nothing (dangling)") from None
        target = path.resolve()
    if not stat.S_ISREG(status.st_mode):
        raise _refused(path, f"a {_kind_of(status.st_mode)}, not a regular file")
    if not force:
        raise FileFormatError(
            f"will not overwrite {path}",
            [Problem(str(path), "the file exists; expected a new path, or --force / force=True")],
        )
    return target


def _kind_of(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "named pipe (FIFO)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def _refused(path: Path, found: str) -> FileFormatError:
    return FileFormatError(
        f"will not write {path}",
        [
            Problem(
                str(path),
                f"found {found}; expected a new path or a regular file (even with --force)",
            )
        ],
    )


def _write_error(path: Path, exc: OSError, expected: str) -> FileFormatError:
    return FileFormatError(
        f"cannot write {path}", [Problem(str(path), f"{exc.strerror or exc}; expected {expected}")]
    )


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced; 0644 for a new one (others may read it)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o644


def _publish(temporary: Path, target: Path, shown: Path, *, force: bool) -> None:
    """Move the finished ``temporary`` to ``target``: exclusively, unless replacing is forced."""
    if force and target.exists():
        status = target.lstat()
        if not stat.S_ISREG(status.st_mode):  # changed since it was first looked at
            raise _refused(shown, f"a {_kind_of(status.st_mode)}, not a regular file")
        os.replace(temporary, target)
        return
    try:
        # link() fails when the name exists, whoever created it: no check-then-rename race.
        os.link(temporary, target)
    except FileExistsError:
        raise _written_meanwhile(shown) from None
    except OSError as exc:
        if exc.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.EXDEV,
            errno.EMLINK,
        ):
            raise
        _copy_exclusively(temporary, target, shown)


def _copy_exclusively(temporary: Path, target: Path, shown: Path) -> None:
    """Publish on a file system without hard links: create the name exclusively, then fill it."""
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _mode_for(temporary))
    except FileExistsError:
        raise _written_meanwhile(shown) from None
    try:
        with os.fdopen(descriptor, "wb") as stream, temporary.open("rb") as source:
            shutil.copyfileobj(source, stream)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _written_meanwhile(path: Path) -> FileFormatError:
    return FileFormatError(
        f"will not overwrite {path}",
        [
            Problem(
                str(path),
                "the file was created meanwhile by another writer; "
                "expected a new path, or --force / force=True",
            )
        ],
    )


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Remove temporaries of ``name`` whose writer (named by the pid in them) is gone."""
    try:
        leftovers = list(directory.glob(f".{glob.escape(name)}{_TEMP_MARK}*.tmp"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name[len(name) + 1 + len(_TEMP_MARK) :].partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True

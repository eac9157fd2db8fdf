"""Plan files: TOML for authoring, JSON for interchange, through cattrs.

Reading never executes code. Every problem of a file is reported at once, each
with its path in the document (``$.groups[1].indicators[0].targets[0].value``).
Writing is atomic and refuses to replace an existing file unless asked to.
"""

from __future__ import annotations

import errno
import glob
import json
import math
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from dxplan import _files
from dxplan.errors import FileFormatError, InvalidValueError, Problem
from dxplan.formats.converter import converter, structure
from dxplan.plan.model import Plan

__all__ = [
    "MAX_FILE_BYTES",
    "NON_FINITE_KEY",
    "json_text",
    "plan_from_dict",
    "plan_to_dict",
    "read_plan",
    "write_atomic",
    "write_plan",
]

MAX_FILE_BYTES = _files.MAX_FILE_BYTES
"""Larger files are refused before they are parsed (the same limit for every loader)."""

FORMAT_VERSION = 1

NON_FINITE_KEY = "non_finite"
"""The key :func:`json_text` adds to an object naming the numbers it wrote as ``null``."""


def json_text(data: object) -> str:
    """``data`` as strict JSON text (UTF-8 ready, indented, ending without a newline).

    JSON has no NaN or infinity: each non-finite number is written as
    ``null`` and, when ``data`` is an object, the ``$.paths`` of those numbers
    are listed under :data:`NON_FINITE_KEY`, so that a reader can tell
    "not a number" from "no value". Text holding a lone UTF-16 surrogate
    (which no UTF-8 file can carry) is written as its ``\\udXXX`` escape,
    never as raw invalid bytes.

    >>> print(json_text({"score": float("inf"), "n": 2}))
    {
      "score": null,
      "n": 2,
      "non_finite": [
        "$.score"
      ]
    }
    """
    non_finite: list[str] = []
    cleaned = _finite(data, "$", non_finite)
    if non_finite and isinstance(cleaned, dict):
        cleaned[NON_FINITE_KEY] = non_finite
    text = json.dumps(cleaned, ensure_ascii=False, indent=2, allow_nan=False)
    if _files.LONE_SURROGATE.search(text):
        # Surrogates only occur inside strings, where "\\ud800" is their JSON escape.
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _finite(value: object, where: str, non_finite: list[str]) -> object:
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        non_finite.append(where)
        return None
    if isinstance(value, dict):
        return {key: _finite(item, f"{where}.{key}", non_finite) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item, f"{where}[{n}]", non_finite) for n, item in enumerate(value)]
    return value


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain data (str, int, float, list, dict), defaults left out."""
    data: dict[str, Any] = converter.unstructure(plan)
    return {"format": FORMAT_VERSION, **data}


def plan_from_dict(data: object, *, source: str = "$") -> Plan:
    """Build a plan from plain data, reporting every problem with its path."""
    if not isinstance(data, dict):
        raise FileFormatError(
            f"cannot read a plan from {source}",
            [Problem(source, f"found {type(data).__name__}; expected a table/object")],
        )
    body = dict(data)
    version = body.pop("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise FileFormatError(
            f"cannot read a plan from {source}",
            [Problem(f"{source}:$.format", f"found {version!r}; expected {FORMAT_VERSION}")],
        )
    return structure(body, Plan, source=source, summary=f"cannot read a plan from {source}")


def read_plan(path: str | Path) -> Plan:
    """Read a plan from a ``.toml`` or ``.json`` file."""
    path = Path(path)
    data = _files.read_document(path, what="a plan")
    return plan_from_dict(data, source=str(path))


def write_plan(plan: Plan, path: str | Path, *, force: bool = False) -> Path:
    """Write ``plan`` as TOML or JSON, by the path's suffix; atomic."""
    if not isinstance(plan, Plan):
        raise InvalidValueError("plan", plan, "a dxplan.Plan")
    if not isinstance(path, str | os.PathLike):
        raise InvalidValueError("path", path, "a file path")
    path = Path(path)
    data = plan_to_dict(plan)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        import tomli_w

        text = tomli_w.dumps(data)
    elif suffix == ".json":
        text = json_text(data) + "\n"
    else:
        raise FileFormatError(
            f"cannot write a plan to {path}",
            [Problem(str(path), f"found suffix {suffix!r}; expected .toml or .json")],
        )
    write_atomic(path, text, force=force)
    return path


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

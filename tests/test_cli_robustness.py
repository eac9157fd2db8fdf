"""Every CLI command, fed broken files, exits non-zero with a clean error and no traceback.

The cases are found from the commands themselves: each PLAN argument and
each option that takes a file is given, in turn, an empty, binary,
truncated, garbled, deeply nested or oversized file. New commands are
covered as they are added.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from dxplan.cli import main
from dxplan.io import plan_to_dict
from dxplan.plans import load_plan

DEEP = 100_000


def _valid_plan_json() -> bytes:
    return json.dumps(plan_to_dict(load_plan("hcmc-2024")), ensure_ascii=False).encode()


BROKEN: dict[str, bytes] = {
    "empty": b"",
    "blank": b"\n  \n",
    "binary": bytes(range(256)) * 8,
    "truncated": _valid_plan_json()[:300],
    "garbled": b'this is { not [ a plan = file,,, \n"unterminated',
    "deep-array": b"[" * DEEP + b"]" * DEEP,
    "deep-object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep-toml": b"a = " + b"[" * DEEP + b"]" * DEEP,
    "nan": b'{"id": NaN, "label": {"vi": Infinity}}',
    "code": b"__import__('os').system('touch PWNED')\nexec('1')\n",
}


def _file_parameters(command: click.Command) -> list[tuple[str, list[str]]]:
    """(parameter, suffixes to try) for every parameter of ``command`` that reads a file."""
    found: list[tuple[str, list[str]]] = []
    for parameter in command.params:
        if isinstance(parameter, click.Argument) and parameter.name == "plan":
            found.append(("PLAN", [".toml", ".json"]))
        elif (
            isinstance(parameter, click.Option)
            and isinstance(parameter.type, click.Path)
            and parameter.name != "output"
        ):
            found.append((parameter.opts[0], [".csv", ".json", ".toml"]))
    return found


CASES = [
    (name, parameter, suffix)
    for name, command in sorted(main.commands.items())
    for parameter, suffixes in _file_parameters(command)
    for suffix in suffixes
]


def _invoke(command: str, parameter: str, path: Path) -> Result:
    arguments = [command, str(path)] if parameter == "PLAN" else [command, parameter, str(path)]
    return CliRunner().invoke(main, arguments)


def _assert_clean_failure(result: Result, path: Path) -> None:
    """Non-zero exit, no traceback, and one 'error:' line first (or click's usage error)."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    first = result.output.strip().splitlines()[0]
    if result.exit_code == 2:  # a usage error, reported by click
        assert "Error:" in result.output
    else:
        assert first.startswith("error: "), result.output
        assert first.strip() != "error:"
    assert not (path.parent / "PWNED").exists()


def test_the_commands_with_file_inputs_are_covered() -> None:
    """The commands the issue names are among those fed broken files."""
    assert {"show", "check", "report"} <= {name for name, _, _ in CASES}


@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize(("command", "parameter", "suffix"), CASES)
def test_broken_files(command: str, parameter: str, suffix: str, kind: str, tmp_path: Path) -> None:
    """A broken file fails cleanly, naming what is wrong, whatever the command."""
    path = tmp_path / f"input{suffix}"
    path.write_bytes(BROKEN[kind])
    _assert_clean_failure(_invoke(command, parameter, path), path)


@pytest.mark.parametrize(("command", "parameter", "suffix"), CASES)
def test_files_over_the_size_limit(
    command: str, parameter: str, suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over the size limit is refused before it is parsed."""
    monkeypatch.setattr("dxplan.io.MAX_FILE_BYTES", 1_000)
    path = tmp_path / f"input{suffix}"
    path.write_bytes(_valid_plan_json())
    # Observation files have their own, larger limit: a sparse file exceeds it at no cost.
    from dxplan.observations import MAX_FILE_BYTES

    if parameter != "PLAN":
        with path.open("r+b") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
    result = _invoke(command, parameter, path)
    _assert_clean_failure(result, path)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_missing_plan_file_is_a_clean_error(suffix: str, tmp_path: Path) -> None:
    """A plan path that does not exist is reported without a traceback."""
    path = tmp_path / f"missing{suffix}"
    result = CliRunner().invoke(main, ["show", str(path)])
    _assert_clean_failure(result, path)
    assert "missing" in result.output

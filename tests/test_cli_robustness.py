"""Every CLI command, fed broken files, exits non-zero with a clean error and no traceback.

The cases are found from the commands themselves: each PLAN argument and
each option that takes a file is given, in turn, an empty, binary,
truncated, garbled, deeply nested or oversized file. New commands are
covered as they are added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from dxplan import _files
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


# What a command needs besides the file under test, so that it gets as far as reading it.
EXTRA_ARGUMENTS: dict[str, list[str]] = {
    "goal-seek": ["--entity", "ho-chi-minh", "--lever", "hd_xa_hoi_so", "--rank", "5"],
    "export": ["--to", "{folder}/exported.json"],
    "site": ["--out", "{folder}/site"],
}
# Values for required positional arguments when another input is the one under test.
ARGUMENT_DEFAULTS = {"data_ref": "dti-2022", "scenario_file": "{folder}/missing.toml"}
ANY_SUFFIX = [".toml", ".json", ".csv"]


def _reads_a_file(parameter: click.Parameter) -> bool:
    """An input file: a PLAN, an existing path, or a reference such as --index/--data."""
    if parameter.name == "plan" or (parameter.name or "").endswith("_ref"):
        return True
    kind = parameter.type
    if not isinstance(kind, click.Path):
        return False
    return isinstance(parameter, click.Argument) or bool(kind.exists)


def _file_parameters(command: click.Command) -> list[tuple[str, list[str]]]:
    """(how the file is passed, suffixes to try) for every input file of ``command``."""
    found: list[tuple[str, list[str]]] = []
    for parameter in command.params:
        if not _reads_a_file(parameter):
            continue
        if isinstance(parameter, click.Argument):
            suffixes = [".toml", ".json"] if parameter.name == "plan" else ANY_SUFFIX
            found.append(("ARGUMENT", suffixes))
        else:
            found.append((parameter.opts[0], ANY_SUFFIX))
    return found


CASES = [
    (name, parameter, suffix)
    for name, command in sorted(main.commands.items())
    for parameter, suffixes in _file_parameters(command)
    for suffix in suffixes
]


def _invoke(command: str, parameter: str, path: Path) -> Result:
    given = [str(path)] if parameter == "ARGUMENT" else [parameter, str(path)]
    if parameter != "ARGUMENT":
        given += [
            ARGUMENT_DEFAULTS[argument.name or ""]
            for argument in main.commands[command].params
            if isinstance(argument, click.Argument) and argument.required
        ]
    extra = EXTRA_ARGUMENTS.get(command, [])
    arguments = [command, *given, *extra]
    return CliRunner().invoke(main, [a.format(folder=path.parent) for a in arguments])


def _assert_clean_failure(result: Result, path: Path) -> None:
    """Exit status 1, no traceback, and a first line 'error: …' saying what is wrong."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith("error: "), result.output
    assert first.removeprefix("error: ").strip()
    assert not (path.parent / "PWNED").exists()


def test_the_commands_with_file_inputs_are_covered() -> None:
    """The commands the issue names are among those fed broken files."""
    covered = {name for name, _, _ in CASES}
    assert {"show", "check", "report"} <= covered
    assert covered == {
        name
        for name, command in main.commands.items()
        if any(_reads_a_file(parameter) for parameter in command.params)
    }


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
    """A file over the size limit is refused before it is parsed, in the same words."""
    monkeypatch.setattr("dxplan._files.MAX_FILE_BYTES", 1_000)
    opened: list[Path] = []
    read_text = _files.read_text

    def recording(file: Path, **options: Any) -> str:
        opened.append(file)
        return read_text(file, **options)

    monkeypatch.setattr(_files, "read_text", recording)
    path = tmp_path / f"input{suffix}"
    path.write_bytes(_valid_plan_json())
    result = _invoke(command, parameter, path)
    _assert_clean_failure(result, path)
    # A suffix the option does not take is refused before the file is opened.
    if opened:
        assert "expected at most 1000 bytes" in result.output


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_missing_plan_file_is_a_clean_error(suffix: str, tmp_path: Path) -> None:
    """A plan path that does not exist is reported without a traceback."""
    path = tmp_path / f"missing{suffix}"
    result = CliRunner().invoke(main, ["show", str(path)])
    _assert_clean_failure(result, path)
    assert "missing" in result.output

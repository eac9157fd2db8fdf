"""Every CLI command, fed broken files, exits non-zero with a clean error and no traceback.

The cases are found from the commands themselves: each PLAN argument and
each option that takes a file is given, in turn, an empty, binary,
truncated, garbled, deeply nested or oversized file. New commands are
covered as they are added.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxplan import _files, strategies
from dxplan.cli import main
from dxplan.formats.io import plan_to_dict
from dxplan.plan.catalogue import load_plan

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
    # The cases: each once crashed or passed silently somewhere.
    "surrogate": b'{"id": "p", "label": {"vi": "a\\ud800b"}}',
    "duplicate-key": b'{"id": "p", "id": "q", "label": {"vi": "P"}}',
    "text-for-table": b'id = "p"\nlabel = "x"\n',
    "datetime": b'id = "p"\nlabel = { vi = "P" }\nwhen = 2025-06-30T10:00:00+07:00\n',
    "huge": b'{"id": "p", "label": {"vi": "P"}, "year": 1e308, "x": -1e308}',
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


#: Path parameters that name a file to read, and those that name one to write.
READS = {"costs_file", "observations_file", "scenario_file"}
WRITES = {"target", "output", "plot_file", "excel_file", "heatmap_file", "out"}


def _reads_a_file(parameter: click.Parameter) -> bool:
    """An input file: a PLAN, a path to read, or a reference such as --index/--data."""
    if parameter.name == "plan" or (parameter.name or "").endswith("_ref"):
        return True
    return isinstance(parameter.type, click.Path) and parameter.name in READS


def test_every_path_parameter_is_classified() -> None:
    """A new path option is either read (and so fuzzed here) or written: say which."""
    paths = {
        parameter.name
        for command in main.commands.values()
        for parameter in command.params
        if isinstance(parameter.type, click.Path)
    }
    assert paths <= READS | WRITES, paths - READS - WRITES


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


@pytest.mark.parametrize(("command", "parameter", "suffix"), CASES)
def test_a_missing_input_file_exits_1(
    command: str, parameter: str, suffix: str, tmp_path: Path
) -> None:
    """A file that is not there is a data error (exit 1, 'error:'), never usage (exit 2)."""
    path = tmp_path / f"nowhere{suffix}"
    _assert_clean_failure(_invoke(command, parameter, path), path)


def test_observations_option_is_covered() -> None:
    """--observations, which once exited 2 on a missing file, is among the cases."""
    assert {("assess", "--observations"), ("report", "--observations")} <= {
        (name, parameter) for name, parameter, _ in CASES
    }


# Hypothesis over every command: hostile documents and bytes, run through the CLI.

CLI_EXAMPLES = 10
"""Examples per (command, input) case: 10 × len(CASES) command runs per CI run."""


NASTY: list[object] = [None, True, -1, 10**400, 1e308, -1e308, "", "\ud800", "=1+1", [], {}]


def _places(document: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _places(value, (*path, key))
    elif isinstance(document, list):
        for position, value in enumerate(document):
            found += _places(value, (*path, position))
    return found


def _set(document: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[path[0]] = _set(document[path[0]], path[1:], value)
    return copy


@st.composite
def _broken_plans(draw: st.DrawFn, suffix: str) -> bytes:
    """A generated plan with one value replaced by a nasty one, as TOML or JSON bytes."""
    document = plan_to_dict(draw(strategies.plans(max_indicators=2, max_tasks=2)))
    places = _places(document)
    path = places[draw(st.integers(0, len(places) - 1))]
    document = _set(document, path, draw(st.sampled_from(NASTY)))
    try:
        if suffix == ".toml":
            import tomli_w

            return tomli_w.dumps(document).encode("utf-8", "surrogatepass")
        return json.dumps(document).encode()
    except Exception:  # not a document tomli_w or json can write: send its repr
        return repr(document).encode("utf-8", "surrogatepass")


def _hostile_bytes(suffix: str) -> st.SearchStrategy[bytes]:
    documents = _broken_plans(suffix)
    return st.one_of(
        documents,
        st.binary(max_size=200),
        st.sampled_from(sorted(BROKEN.values())),
        st.sampled_from(sorted(HOSTILE_TEXT)).map(str.encode),
    )


HOSTILE_TEXT = {
    "entity,indicator,period,value\nha-noi,2.7,2024,50\n",
    "entity,indicator,period,value\nho-chi-minh,2.7,2024,1e308\n",
    "entity,indicator,period,value\nho-chi-minh,2.7,2024,=HYPERLINK(1)\n",
    "id,hd_xa_hoi_so\nx,1e308\ny,-1e308\n",
    'name = "s"\ndata = "dti-2022"\n[[edits]]\nop = "target"\nindicator = "1.1"\nvalue = 3\n',
    'root = "I"\n[[nodes]]\nid = "a"\n[[nodes]]\nid = "I"\nchildren = ["a"]\nweights = [1e308]\n',
}


@pytest.mark.parametrize(("command", "parameter", "suffix"), CASES)
def test_hostile_inputs_never_crash(command: str, parameter: str, suffix: str) -> None:
    """Whatever the file holds: exit 0 or 1 (never 2), no traceback, errors start 'error:'."""

    @settings(
        derandomize=True,
        max_examples=CLI_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_hostile_bytes(suffix))
    def run(content: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"input{suffix}"
            path.write_bytes(content)
            result = _invoke(command, parameter, path)
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(
                result.exception
            )
            assert "Traceback" not in result.output
            assert "RuntimeWarning" not in result.output
            assert result.exit_code in (0, 1, 2), result.output
            if result.exit_code == 1:
                assert result.stderr.startswith(("error: ", "warning: ")), result.stderr
            if result.exit_code == 2:  # only a usage mistake: a plan without bundled observations
                assert result.stderr.startswith("Usage: "), result.stderr
                assert "give --observations FILE" in result.stderr
            assert not (path.parent / "PWNED").exists()

    run()

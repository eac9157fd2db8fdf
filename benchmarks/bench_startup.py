"""Every CLI command's wall time against `python -c "import attrs, pint"` (goal ≤ 1.5×).

Each command runs as a fresh interpreter on the bundled plan and data, as a
user would type it, alternately with the baseline; medians of the repetitions.
The scoring commands (rank, uncertainty, whatif on an index, goal-seek) must
not import networkx, and each line says whether it was imported.

Both sides run with bytecode caches, as an installed package has them (pip
compiles what it installs): an environment that sets PYTHONDONTWRITEBYTECODE
would otherwise make every start recompile dxplan's own source (about 60 ms
here) while attrs and pint, compiled at install, do not pay it. The caches go
to a temporary folder (PYTHONPYCACHEPREFIX), filled by an untimed first run.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import interleaved, report

BASELINE = [sys.executable, "-c", "import attrs, pint"]
GOAL = 1.5

SCENARIO = """
name = "society push"
data = "dti-2022"
[[edits]]
op = "set"
entity = "ho-chi-minh"
component = "hd_xa_hoi_so"
value = 0.92
"""

PLAN_SCENARIO = """
name = "3.1 aims at 22 %"
plan = "hcmc-2024"
[[edits]]
op = "target"
indicator = "3.1"
value = 22
"""

_RUN = (
    "import sys\n"
    "from dxplan.cli import main\n"
    "sys.argv = ['dxplan', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exit:\n"
    "    code = exit.code\n"
    "else:\n"
    "    code = 0\n"
    "print('networkx' in sys.modules, file=sys.stderr)\n"
    "sys.exit(0 if code in (0, 1, None) else code)\n"
)


def commands(folder: Path) -> dict[str, list[str]]:
    """Every command of the CLI with the arguments of a typical first run."""
    scenario = folder / "society.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    plan_scenario = folder / "plan.toml"
    plan_scenario.write_text(PLAN_SCENARIO, encoding="utf-8")
    return {
        "show": ["show"],
        "check": ["check"],
        "graph": ["graph"],
        "assess": ["assess"],
        "report": ["report"],
        "rank": ["rank", "dti-2022"],
        "uncertainty": ["uncertainty", "dti-2022", "--draws", "1000", "--seed", "1"],
        "whatif": ["whatif", str(scenario)],
        "whatif (plan)": ["whatif", str(plan_scenario)],
        "goal-seek": [
            "goal-seek",
            "--entity",
            "ho-chi-minh",
            "--lever",
            "hd_xa_hoi_so",
            "--rank",
            "1",
        ],
        "export": ["export", "--to", str(folder / "plan.toml"), "--force"],
        "schema": ["schema"],
    }


def cached(folder: Path) -> dict[str, str]:
    """This environment, with bytecode caches written to and read from ``folder``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(folder)}


def run(command: list[str], env: dict[str, str]) -> bool:
    """Run ``command``, fail loudly if it fails; whether it imported networkx."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *command],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return done.stderr.strip().splitlines()[-1] == "True"


def baseline(env: dict[str, str]) -> None:
    """The baseline: a fresh interpreter that imports attrs and pint."""
    subprocess.run(BASELINE, env=env, check=True)


def main() -> None:
    """Measure and print one line per command."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="few repetitions, for CI")
    parser.add_argument("only", nargs="*", metavar="COMMAND", help="commands to time [all]")
    arguments = parser.parse_args()
    repeats = 1 if arguments.small else 9
    with tempfile.TemporaryDirectory() as folder:
        every = commands(Path(folder))
        unknown = sorted(set(arguments.only) - set(every))
        if unknown:
            parser.error(
                f"no command {', '.join(map(repr, unknown))}; expected some of {list(every)}"
            )
        env = cached(Path(folder) / "pycache")
        baseline(env)
        for name, command in every.items():
            if arguments.only and name not in arguments.only:
                continue
            networkx = run(command, env)
            ours, theirs = interleaved(
                functools.partial(run, command, env), functools.partial(baseline, env), repeats
            )
            line = report(f"dxplan {name}", ours, "import attrs, pint", theirs, GOAL)
            print(f"{line}; networkx {'imported' if networkx else 'not imported'}", flush=True)


if __name__ == "__main__":
    main()

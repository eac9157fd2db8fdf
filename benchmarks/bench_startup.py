"""`dxplan show` wall time against `python -c "import attrs, pint"` (goal ≤ 2×).

Both run as fresh interpreters, alternately; medians of the repetitions.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from _timing import interleaved, report

DXPLAN = [sys.executable, "-c", "from dxplan.cli import main; main()", "show"]
BASELINE = [sys.executable, "-c", "import attrs, pint"]


def run(command: list[str]) -> None:
    """Run ``command`` and fail loudly if it fails."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=Path(__file__).parent)


def main() -> None:
    """Measure and print one line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="few repetitions, for CI")
    repeats = 2 if parser.parse_args().small else 15
    ours, theirs = interleaved(lambda: run(DXPLAN), lambda: run(BASELINE), repeats)
    print(report("dxplan show", ours, "import attrs, pint", theirs, 2))


if __name__ == "__main__":
    main()

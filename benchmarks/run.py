"""Run every benchmark of DESIGN.md §10 and print each one's figures and ratios.

Each benchmark runs in a fresh interpreter, one after the other, so that one's
memory and caches do not colour the next. ``--small`` runs them at a small size
(CI does this to keep them working; its timings mean nothing).

Run: ``python benchmarks/run.py [--small]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = (
    "bench_startup.py",
    "bench_index.py",
    "bench_uncertainty.py",
    "bench_goal_seek.py",
    "bench_construction.py",
    "bench_audit.py",
)


def main() -> int:
    """Run each benchmark; the exit status counts those that crashed (goals are reported)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="small sizes, for CI")
    small = ["--small"] if parser.parse_args().small else []
    failed = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / name), *small], check=False)
        failed += done.returncode != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())

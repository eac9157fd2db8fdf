"""Every benchmark runs at a small size (CI keeps them working; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).parents[1] / "benchmarks" / "run.py"


class TestBenchmarks:
    """`python benchmarks/run.py --small` runs each workload of DESIGN.md §10."""

    def test_all_run_and_report_against_their_goals(self) -> None:
        """Each benchmark finishes and prints its figures against its goal."""
        done = subprocess.run(
            [sys.executable, str(RUN), "--small"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        sections = done.stdout.split("== ")[1:]
        assert [s.splitlines()[0] for s in sections] == [
            "bench_startup.py",
            "bench_index.py",
            "bench_uncertainty.py",
            "bench_goal_seek.py",
            "bench_construction.py",
            "bench_audit.py",
        ]
        assert all("goal" in section for section in sections)

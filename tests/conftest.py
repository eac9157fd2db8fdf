"""Hypothesis profiles, and the fixtures every test file shares (small plans: ``_plans.py``).

Random examples for developers, the same examples in CI.

CI runs the suite once on a clean clone and lands nothing on one failure, so
there (``CI`` set, as CI services do) every property test is derandomized: a
landing cannot fail on a fresh random seed, and a failure CI does show is
reproducible with the printed blob. Elsewhere hypothesis keeps its random
default, so developers keep finding new cases. ``--hypothesis-profile=ci``
selects the CI profile by hand. Per-test ``@settings`` only override the
fields they name, because they are created after this module loads a profile.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest
from hypothesis import settings

from dxplan.plan.catalogue import load_plan
from dxplan.plan.model import Plan

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None, database=None)


def _in_ci(environ: Mapping[str, str]) -> bool:
    return environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


settings.load_profile("ci" if _in_ci(os.environ) else "default")


@pytest.fixture(scope="session")
def hcmc() -> Plan:
    """The bundled HCMC 2024 plan, loaded once (plans are immutable, so tests share it)."""
    return load_plan("hcmc-2024")

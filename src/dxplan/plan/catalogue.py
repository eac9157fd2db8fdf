"""Finding and loading plans: by name from the bundled catalogue, or from a file.

A ``.py`` plan is a Python module that builds a :class:`~dxplan.plan.model.Plan`
with the public API and binds it to the name ``plan``. It is code and runs
with the user's rights, only because the user named it: load only ``.py``
plans you trust. One that raises or calls ``sys.exit`` is a
:class:`~dxplan.errors.FileFormatError` naming its line. Other formats are
read as data and never execute code.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from dxplan.errors import FileFormatError, InvalidValueError, PlanNotFoundError, Problem

if TYPE_CHECKING:
    from dxplan.plan.model import Plan

__all__ = ["BUNDLED_PLANS", "DEFAULT_PLAN", "load_plan", "plan_path"]

BUNDLED_PLANS: dict[str, str] = {"hcmc-2024": "hcmc_2024.py"}
"""Plans shipped with dxplan: name → module file."""

DEFAULT_PLAN = "hcmc-2024"
"""The plan the command line uses when none is named."""

_CHECKOUT_PLANS = Path(__file__).resolve().parents[3] / "plans"


def plan_path(ref: str | Path) -> Path:
    """The file behind a plan name (``"hcmc-2024"``) or path.

    A bundled plan is looked up inside the installed package first (wheels
    carry it as ``dxplan/_plans``), then in the source checkout's ``plans/``
    (editable installs).
    """
    if not isinstance(ref, str | PathLike):
        raise InvalidValueError("ref", ref, "a bundled plan name or a path")
    if isinstance(ref, str) and ref in BUNDLED_PLANS:
        filename = BUNDLED_PLANS[ref]
        packaged = resources.files("dxplan").joinpath("_plans", filename)
        if packaged.is_file():
            return Path(str(packaged))
        return _CHECKOUT_PLANS / filename
    path = Path(ref)
    if not path.is_file():
        known = ", ".join(sorted(BUNDLED_PLANS))
        raise PlanNotFoundError(
            f"no plan named or found at {str(ref)!r}; expected a bundled plan name ({known}) "
            "or the path of a .py, .toml or .json plan file"
        )
    return path


def load_plan(ref: str | Path = DEFAULT_PLAN, *, validate: bool = True) -> Plan:
    """Load a plan by bundled name or by path, and check it.

    Args:
        ref: a bundled plan name (see :data:`BUNDLED_PLANS`) or a file path:
            ``.py`` (a module that defines ``plan``), ``.toml`` or ``.json``.
        validate: raise :class:`~dxplan.errors.PlanValidationError` listing every
            error :func:`~dxplan.check` finds. ``dxplan check`` turns this off to
            show the findings itself.
    """
    path = plan_path(ref)
    suffix = path.suffix.lower()
    if suffix == ".py":
        plan = _run_plan_module(path)
    elif suffix in (".toml", ".json"):
        from dxplan.formats.io import read_plan

        plan = read_plan(path)
    else:
        raise FileFormatError(
            f"cannot read a plan from {path}",
            [
                Problem(
                    str(path),
                    f"found a {suffix or 'suffix-less'} file; expected .py, .toml or .json",
                )
            ],
        )
    if validate:
        from dxplan.plan.validation import check

        check(plan).raise_for_errors()
    return plan


def _run_plan_module(path: Path) -> Plan:
    # Imported here so that naming the default plan (the CLI does) loads no plan model.
    from dxplan.plan.model import Plan

    module_name = f"_dxplan_plan_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise FileFormatError(
            f"cannot load {path}", [Problem(str(path), "not a loadable Python module")]
        )
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:  # sys.exit() would end the caller (dxplan check: exit 0, no word)
        problem = _where(path, exc, f"it called sys.exit({exc.code!r}); expected it to define plan")
        raise FileFormatError(f"the plan module {path} exited", [problem]) from exc
    except Exception as exc:  # a user's module may raise anything; say where
        raise FileFormatError(f"the plan module {path} failed", [_where(path, exc)]) from exc
    finally:
        sys.modules.pop(module_name, None)
    plan = getattr(module, "plan", None)
    if not isinstance(plan, Plan):
        raise FileFormatError(
            f"the plan module {path} defines no plan",
            [Problem(str(path), f"found plan = {plan!r}; expected a dxplan.Plan bound to 'plan'")],
        )
    return plan


def _where(path: Path, exc: BaseException, message: str | None = None) -> Problem:
    resolved = str(path.resolve())
    line = next(
        (
            frame.lineno
            for frame in reversed(traceback.extract_tb(exc.__traceback__))
            if str(Path(frame.filename).resolve()) == resolved
        ),
        None,
    )
    place = f"{path}:{line}" if line else str(path)
    return Problem(place, message or f"{type(exc).__name__}: {exc}")

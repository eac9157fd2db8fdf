"""Optional dependencies (the package's extras), imported where they are used.

Heavy libraries load only when a feature needs them, so ``import dxplan``
stays fast; a missing one is a :class:`~dxplan.errors.MissingExtraError` that
names the extra to install.
"""

from __future__ import annotations

import importlib
from typing import Any

from dxplan.errors import MissingExtraError


def import_pandas() -> Any:
    """The pandas module (the ``pandas`` extra), typed loosely: pandas is optional."""
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise MissingExtraError("pandas", "pandas") from exc

"""Old names kept for a while after a rename: each use warns and gives the new object.

A module lists its old names in ``__getattr__ = renamed(__name__, {"old": "new"})``;
the package's own ``__getattr__`` calls :func:`warn_renamed`. Every rename is in
CHANGELOG.md, with the release that removes the old name.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping

__all__ = ["renamed", "warn_renamed"]


def warn_renamed(old: str, new: str) -> None:
    """Warn, at the caller's caller, that ``old`` is now ``new``."""
    warnings.warn(
        f"{old} is deprecated: use {new} (the old name will be removed)",
        DeprecationWarning,
        stacklevel=3,
    )


def renamed(module: str, names: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` serving each old name of ``names`` as its new one, with a warning.

    Args:
        module: the module's ``__name__``.
        names: old name → new name, both in ``module``.
    """

    def module_getattr(name: str) -> object:
        if name not in names:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warn_renamed(f"{module}.{name}", f"{module}.{names[name]}")
        return getattr(sys.modules[module], names[name])

    return module_getattr

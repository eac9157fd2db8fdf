"""How result objects show themselves: views the presentation package registers.

Domain classes inherit :class:`Displayable`; its ``__rich__``, ``_repr_html_``
and ``rich(lang)`` look the object's view up here, by class, and phrases a
domain object speaks (a status's label) are looked up the same way through
:func:`text`. Nothing here renders: :mod:`dxplan.render` registers every view
and phrase (:func:`register_view`, :func:`register_text`) when it is loaded.

The presentation package is loaded by the first look-up that misses
(:data:`PRESENTATION`, imported by name), so a fresh notebook kernel or
``rich.print(obj)`` shows the view without the user importing
:mod:`dxplan.render`, while ``import dxplan`` loads neither rich nor the views.
This module is the only one outside the presentation side that loads it.

Views are keyed by the dotted path of the class (``dxplan.plan.model.Plan``)
and found along the object's method resolution order, so registering every
view imports no domain module: printing a scenario does not load the plan
graph or networkx.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import attrs

from dxplan.text import Language

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = ["PRESENTATION", "Displayable", "View", "register_text", "register_view", "text", "view"]

PRESENTATION: Final = "dxplan.render.notebook"
"""The module of :mod:`dxplan.render` that registers every view when imported."""


@attrs.frozen(kw_only=True)
class View:
    """How one class is shown: a function of the object and a language, and its defaults."""

    show: Callable[[Any, Language], RenderableType]
    lang: Language = "en"
    """The language of ``__rich__`` and ``_repr_html_``."""
    width: int = 100
    """Characters per line of the notebook view."""


_VIEWS: dict[str, View] = {}
_TEXTS: dict[tuple[str, str], Callable[[Any, Language], str]] = {}


def _path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def register_view(path: str, view: View) -> None:
    """Show instances of the class at ``path`` (``dxplan.plan.model.Plan``) with ``view``."""
    _VIEWS[path] = view


def register_text(path: str, kind: str, say: Callable[[Any, Language], str]) -> None:
    """Say the ``kind`` phrase of instances of the class at ``path`` with ``say``."""
    _TEXTS[(path, kind)] = say


def _find(obj: object, key: Callable[[str], Any], table: dict[Any, Any]) -> Any:
    for attempt in range(2):
        for cls in type(obj).__mro__:
            found = table.get(key(_path(cls)))
            if found is not None:
                return found
        if attempt == 0:
            importlib.import_module(PRESENTATION)
    return None


def view_of(obj: object) -> View:
    """The registered view of ``obj``'s class (or of the nearest base class that has one).

    Raises:
        TypeError: no view is registered for ``obj``.
    """
    found: View | None = _find(obj, lambda path: path, _VIEWS)
    if found is None:
        raise TypeError(f"no view of {type(obj).__qualname__}")
    return found


def view(obj: object, lang: Language | None = None) -> RenderableType:
    """``obj`` as a rich renderable in ``lang`` (its class's default language when None)."""
    found = view_of(obj)
    return found.show(obj, found.lang if lang is None else lang)


def text(obj: object, kind: str, lang: Language) -> str:
    """The ``kind`` phrase of ``obj`` in ``lang``, as :mod:`dxplan.render` says it.

    Raises:
        TypeError: no phrase of that kind is registered for ``obj``.
    """
    say: Callable[[Any, Language], str] | None = _find(obj, lambda path: (path, kind), _TEXTS)
    if say is None:
        raise TypeError(f"no {kind} text of {type(obj).__qualname__}")
    return say(obj, lang)


class Displayable:
    """Mixin of every result object a terminal or a notebook shows.

    ``print`` still uses the class's own short ``__repr__``; rich and Jupyter
    use these hooks, which call the view :mod:`dxplan.render` registered.
    """

    __slots__ = ()

    def rich(self, lang: Language | None = None) -> RenderableType:
        """The object as a rich renderable in ``lang`` (``"vi"`` or ``"en"``)."""
        return view(self, lang)

    def __rich__(self) -> RenderableType:
        return view(self)

    def _repr_html_(self) -> str:
        """The view as an HTML fragment for notebooks; rich escapes every text."""
        found = view_of(self)
        html: Callable[[RenderableType, int], str]
        html = importlib.import_module(PRESENTATION).html
        return html(found.show(self, found.lang), found.width)

"""What a plan's links reach, read without the plan's classes: its task cycle, its indices.

Both :mod:`dxplan.plan.graph` and :mod:`dxplan.plan.validation` need these, and
the graph sits below the plan model (``Plan.graph`` builds it), so they read
the plan through the few attributes they use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from dxplan.errors import DxplanError
from dxplan.index._outline import bundled_components
from dxplan.plan._cycles import find_cycle

if TYPE_CHECKING:
    from dxplan.index.model import Index

__all__ = ["index_components", "load_indices", "task_cycle"]


class _Link(Protocol):
    @property
    def to(self) -> str: ...


class _Drive(Protocol):
    @property
    def index(self) -> str: ...


class _Task(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def depends_on(self) -> Iterable[_Link]: ...
    @property
    def drives(self) -> Iterable[_Drive]: ...


class _Indicator(Protocol):
    @property
    def scored_from(self) -> str | None: ...


class _Plan(Protocol):
    @property
    def tasks(self) -> Sequence[_Task]: ...
    @property
    def indicators(self) -> Sequence[_Indicator]: ...


def task_cycle(tasks: Sequence[_Task]) -> tuple[str, ...]:
    """The first dependency cycle among ``tasks``, in order, or ``()``.

    The search visits tasks in the order given and follows ``depends_on`` in
    link order, so the same plan always names the same cycle. Links to unknown
    tasks are ignored here (they are reported as dangling).
    """
    depends: dict[str, list[str]] = {}
    for task in tasks:  # of two tasks with one id, the first one's links count
        depends.setdefault(task.id, [link.to for link in task.depends_on])
    return find_cycle(depends)


def _index_names(plan: _Plan) -> list[str]:
    names = [drive.index for task in plan.tasks for drive in task.drives]
    names += [i.scored_from for i in plan.indicators if i.scored_from is not None]
    return list(dict.fromkeys(names))


def load_indices(
    plan: _Plan, indices: Mapping[str, Index] | None = None
) -> tuple[dict[str, Index], dict[str, str]]:
    """Every index the plan names, by name; and why each one that failed could not be loaded.

    ``indices`` supplies indices by name; the others are loaded with
    :func:`dxplan.index.indices.resolve` (a bundled name, or a ``.toml``/``.json``
    file relative to the working folder).
    """
    return _load(_index_names(plan), indices)


def index_components(
    plan: _Plan, indices: Mapping[str, Index] | None = None
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The components of every index the plan names, by name; and why each that failed to load.

    As :func:`load_indices`, but a bundled index is read from its data, not built.
    """
    given = dict(indices or {})
    components: dict[str, tuple[str, ...]] = {}
    others = []
    for name in _index_names(plan):
        bundled = None if name in given else bundled_components(name)
        if bundled is None:
            others.append(name)
        else:
            components[name] = bundled
    loaded, failed = _load(others, given)
    components |= {name: index.components for name, index in loaded.items()}
    return components, failed


def _load(
    names: Iterable[str], given: Mapping[str, Index] | None
) -> tuple[dict[str, Index], dict[str, str]]:
    given = dict(given or {})
    loaded: dict[str, Index] = {}
    failed: dict[str, str] = {}
    for name in names:
        if name in given:
            loaded[name] = given[name]
            continue
        from dxplan.index.indices import resolve

        try:
            loaded[name] = resolve(name)
        except DxplanError as exc:
            failed[name] = str(exc)
    return loaded, failed

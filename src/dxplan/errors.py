"""The errors dxplan raises.

Every error derives from :class:`DxplanError`; each leaf also derives from the
builtin it refines, so ``except ValueError`` keeps working for callers who do
not know dxplan. Each error keeps its data on attributes and its message says
where (``file:line`` or ``$.path``), what was found and what was expected.

::

    DxplanError
    ├── InvalidValueError (ValueError)        a value object refused a field
    ├── UnitError (ValueError)                unknown unit, or units that cannot compare
    ├── PlanValidationError (ValueError)      dxplan.check found errors in a plan
    │   └── CyclicDependencyError             tasks that depend on each other in a cycle
    ├── PlanNotFoundError (LookupError)       no plan by that name or path
    ├── UnknownIdError (LookupError)          no element with that id
    ├── FileFormatError (ValueError)          a file that cannot be read as expected
    ├── ObservationError (ValueError)         observations that do not fit the plan
    ├── IndexDefinitionError (ValueError)     an index that cannot be built
    ├── EvaluationError (ValueError)          data an index cannot evaluate
    ├── ScenarioError (ValueError)            an edit that cannot apply
    ├── ConstructionError (ValueError)        a construction step that cannot apply
    └── MissingExtraError (ImportError)       an optional dependency is not installed

    DxplanWarning (UserWarning)               valid input that is probably wrong
    ├── UnitWarning                           a value that looks written in another unit
    └── ObservationWarning                    observations that leave the plan without data
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final

import attrs

__all__ = [
    "MAX_LISTED_PROBLEMS",
    "ConstructionError",
    "CyclicDependencyError",
    "DxplanError",
    "DxplanWarning",
    "EvaluationError",
    "FileFormatError",
    "IndexDefinitionError",
    "InvalidValueError",
    "MissingExtraError",
    "ObservationError",
    "ObservationWarning",
    "PlanNotFoundError",
    "PlanValidationError",
    "Problem",
    "Problems",
    "ScenarioError",
    "UnitError",
    "UnitWarning",
    "UnknownIdError",
]


class DxplanError(Exception):
    """The root of every error dxplan raises on purpose."""


@attrs.frozen
class Problem:
    """One problem found in an input: where it is and what is wrong.

    ``where`` is a path in a plan (``$.groups[2].indicators[0]``) or a place in
    a file (``observed.csv:4:value``).
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


MAX_LISTED_PROBLEMS: Final = 1000
"""Problems an error lists; the others are counted in one last line (a bad file has millions)."""


class Problems:
    """The problems of one input as they are found: at most ``limit`` kept, the rest counted.

    With ``order`` (a sort key), the ``limit`` first by that order are kept,
    whatever order they were found in; without, the first ``limit`` found.
    Memory stays bounded by ``limit`` however many are added.

    >>> found = Problems(limit=2)
    >>> found.extend(Problem(f"f.csv:{line}", "bad") for line in (2, 3, 4, 5))
    >>> [str(p) for p in found.listed()]  # doctest: +NORMALIZE_WHITESPACE
    ['f.csv:2: bad', 'f.csv:3: bad',
     'f.csv:4: this and 1 more problem(s) not listed; expected at most 2 listed
      (fix these and read the input again)']
    """

    def __init__(
        self,
        problems: Iterable[Problem] = (),
        *,
        order: Callable[[Problem], Any] | None = None,
        limit: int = MAX_LISTED_PROBLEMS,
    ) -> None:
        self._order = order
        self._limit = limit
        self._kept: list[Problem] = []
        self._dropped = 0
        self._first_dropped: Problem | None = None
        self.extend(problems)

    def __len__(self) -> int:
        """How many problems were found, listed or not."""
        return len(self._kept) + self._dropped

    def __iter__(self) -> Iterator[Problem]:
        """The problems :meth:`listed`."""
        return iter(self.listed())

    def append(self, problem: Problem) -> None:
        """Keep ``problem`` if it is among the first ``limit``, else count it."""
        if self._order is None and len(self._kept) >= self._limit:
            self._drop([problem])
            return
        self._kept.append(problem)
        if len(self._kept) >= 2 * self._limit:  # sorted and cut now and then, not per problem
            self._cut()

    def extend(self, problems: Iterable[Problem]) -> None:
        """:meth:`append` each of ``problems``."""
        for problem in problems:
            self.append(problem)

    def listed(self) -> tuple[Problem, ...]:
        """The problems kept (in ``order`` if given), and one line counting the others."""
        self._cut()
        if not self._dropped or self._first_dropped is None:
            return tuple(self._kept)
        more = self._dropped - 1
        counted = Problem(
            self._first_dropped.where,
            f"this and {more} more problem(s) not listed; expected at most {self._limit} "
            "listed (fix these and read the input again)",
        )
        return (*self._kept, counted)

    def _cut(self) -> None:
        if self._order is not None:
            self._kept.sort(key=self._order)
        if len(self._kept) > self._limit:
            self._drop(self._kept[self._limit :])
            del self._kept[self._limit :]

    def _drop(self, problems: Sequence[Problem]) -> None:
        self._dropped += len(problems)
        first, earlier, order = problems[0], self._first_dropped, self._order
        if earlier is None or (order is not None and order(first) < order(earlier)):
            self._first_dropped = first


def _joined(summary: str, problems: Sequence[Problem]) -> str:
    lines = [summary, *(f"  {problem}" for problem in problems)]
    return "\n".join(lines)


class _ManyProblemsError(DxplanError):
    """An error that reports every problem of an input at once.

    At most :data:`MAX_LISTED_PROBLEMS` are listed, the rest counted in a last line.
    """

    def __init__(self, summary: str, problems: Iterable[Problem]) -> None:
        collected = problems if isinstance(problems, Problems) else Problems(problems)
        self.problems: tuple[Problem, ...] = collected.listed()
        self.summary = summary
        super().__init__(_joined(summary, self.problems))


def _shown(value: object, limit: int = 200) -> str:
    """``repr(value)``, cut to ``limit`` characters; an integer too long to print is described."""
    try:
        text = repr(value)
    except ValueError:  # Python refuses to print integers of more than 4 300 digits
        return f"an integer of {value.bit_length() if isinstance(value, int) else '?'} bits"
    return text if len(text) <= limit else f"{text[:limit]}…"


class InvalidValueError(DxplanError, ValueError):
    """A value object or a function was given a value it cannot take.

    ``field`` names the field or argument, ``value`` is what was given and
    ``expected`` what would do; ``where`` says whose field it is when the field
    alone does not (``node 'I'``), and is empty otherwise.
    """

    def __init__(self, field: str, value: object, expected: str, *, where: str = "") -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}'{field}' must be {expected} (got {_shown(value)})")


class UnitError(DxplanError, ValueError):
    """A unit is unknown, or two units cannot be compared."""


class PlanValidationError(_ManyProblemsError, ValueError):
    """A plan has errors; ``problems`` lists every one with its path."""


class CyclicDependencyError(PlanValidationError):
    """Tasks depend on each other in a cycle; ``cycle`` lists it in order."""

    def __init__(self, cycle: Sequence[str], where: str = "$.tasks") -> None:
        self.cycle = tuple(cycle)
        loop = " → ".join([*self.cycle, self.cycle[0]])
        super().__init__(
            "tasks depend on each other in a cycle",
            [Problem(where, f"dependency cycle {loop}; expected no cycle")],
        )


class PlanNotFoundError(DxplanError, LookupError):
    """No plan is known by that name, or no file is at that path."""


class UnknownIdError(DxplanError, LookupError):
    """No element of a plan, index or data set has the id asked for."""


class FileFormatError(_ManyProblemsError, ValueError):
    """A file cannot be read; ``problems`` names each place (file:line)."""


class ObservationError(_ManyProblemsError, ValueError):
    """Observations do not fit their plan; ``problems`` names each place."""


class IndexDefinitionError(_ManyProblemsError, ValueError):
    """An index definition is not a valid composite index; ``problems`` names each place.

    Read from a file, each problem is at ``file:$.nodes[3].weight``. Raised while
    an index is built in Python, the error has the one problem its message
    states, at ``$`` (the index), and the message is that problem alone.
    """

    def __init__(self, summary: str, problems: Iterable[Problem] | None = None) -> None:
        if problems is not None:
            super().__init__(summary, problems)
            return
        DxplanError.__init__(self, summary)
        self.summary = summary
        self.problems = (Problem("$", summary),)


class EvaluationError(DxplanError, ValueError):
    """Data cannot be evaluated by an index."""


class ScenarioError(DxplanError, ValueError):
    """A scenario edit cannot be applied to its inputs."""


class ConstructionError(DxplanError, ValueError):
    """A construction step (screen, denominate, impute, treat) that cannot apply to the data."""


class MissingExtraError(DxplanError, ImportError):
    """An optional dependency is needed; the message names the extra to install."""

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"this needs {module}, which is not installed; "
            f"install it with: pip install 'dxplan[{extra}]'"
        )


class DxplanWarning(UserWarning):
    """Valid input that is probably not what was meant; the message says what to write."""


class UnitWarning(DxplanWarning):
    """A value that looks written in another unit (0.72 for 72 %)."""


class ObservationWarning(DxplanWarning):
    """Observations that leave a plan without data, such as values for another entity."""

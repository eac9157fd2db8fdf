"""Errors that list problems list a bounded number of them, whatever the input holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dxplan.errors import (
    MAX_LISTED_PROBLEMS,
    FileFormatError,
    IndexDefinitionError,
    ObservationError,
    PlanValidationError,
    Problem,
    Problems,
)


def _line(problem: Problem) -> int:
    return int(problem.where.split(":")[1])


class TestProblems:
    """The collector keeps the first problems (by order) and counts the rest."""

    @given(
        lines=st.lists(st.integers(min_value=1, max_value=10_000), max_size=60),
        limit=st.integers(min_value=1, max_value=12),
    )
    def test_keeps_the_first_by_order_and_counts_the_rest(
        self, lines: list[int], limit: int
    ) -> None:
        """Whatever order problems are found in: the ``limit`` first by line, then one count."""
        found = Problems(order=_line, limit=limit)
        found.extend(Problem(f"f.csv:{line}", "bad") for line in lines)
        expected = sorted(lines)
        listed = found.listed()
        assert len(found) == len(lines)
        assert [_line(p) for p in listed[:limit]] == expected[:limit]
        if len(lines) <= limit:
            assert len(listed) == len(lines)
        else:
            (counted,) = listed[limit:]
            assert counted.where == f"f.csv:{expected[limit]}"
            assert counted.message.startswith(
                f"this and {len(lines) - limit - 1} more problem(s) not listed; "
                f"expected at most {limit} listed"
            )

    @given(count=st.integers(min_value=0, max_value=40), limit=st.integers(1, 10))
    def test_without_order_keeps_the_first_found(self, count: int, limit: int) -> None:
        """Without an order, the first ``limit`` found are listed, in the order found."""
        found = Problems((Problem(f"$.items[{i}]", "bad") for i in range(count)), limit=limit)
        listed = found.listed()
        assert [p.where for p in listed[: min(count, limit)]] == [
            f"$.items[{i}]" for i in range(min(count, limit))
        ]
        assert len(listed) == min(count, limit) + (count > limit)

    def test_memory_is_bounded_by_the_limit(self) -> None:
        """100 000 problems added one by one: at most twice the limit held at any time."""
        found = Problems(order=_line, limit=10)
        for line in range(100_000, 0, -1):
            found.append(Problem(f"f.csv:{line}", "bad"))
            assert len(found._kept) < 20
        assert [p.where for p in found.listed()[:10]] == [f"f.csv:{i}" for i in range(1, 11)]
        assert found.listed()[10].message.startswith("this and 99989 more problem(s)")


class TestErrorsListAtMostTheLimit:
    """Every error that lists problems caps them in one place, whoever built them."""

    def test_plan_validation_error(self) -> None:
        """5 000 problems of a plan: 1 000 listed, one line counting the 4 000 others."""
        problems = [Problem(f"$.tasks[{i}].id", "duplicate id") for i in range(5000)]
        error = PlanValidationError("5000 errors", problems)
        assert len(error.problems) == MAX_LISTED_PROBLEMS + 1
        assert error.problems[:MAX_LISTED_PROBLEMS] == tuple(problems[:MAX_LISTED_PROBLEMS])
        assert str(error.problems[-1]) == (
            "$.tasks[1000].id: this and 3999 more problem(s) not listed; expected at most "
            "1000 listed (fix these and read the input again)"
        )
        assert str(error).count("\n") == MAX_LISTED_PROBLEMS + 1

    def test_file_observation_and_index_errors(self) -> None:
        """The same cap for file, observation and index definition errors."""
        problems = [Problem(f"f.csv:{i}", "bad") for i in range(2, 1503)]
        errors = (
            FileFormatError("x", problems),
            ObservationError("x", problems),
            IndexDefinitionError("x", problems),
        )
        for error in errors:
            assert len(error.problems) == MAX_LISTED_PROBLEMS + 1
            assert error.problems[-1].message.startswith("this and 500 more problem(s)")

    def test_a_few_problems_listed_as_given(self) -> None:
        """Under the cap nothing changes: every problem, in the order given."""
        problems = [Problem("b", "2"), Problem("a", "1")]
        assert ObservationError("x", problems).problems == tuple(problems)

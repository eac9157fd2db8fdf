"""The ``dxplan`` command line: parse, call the library, render.

Every :class:`~dxplan.errors.DxplanError` is shown as a message without a
traceback and the command exits with status 1; usage mistakes exit with 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console, RenderableType

from dxplan.errors import DxplanError
from dxplan.plans import DEFAULT_PLAN, load_plan
from dxplan.text import Language

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """A click group that turns dxplan's errors into clean messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DxplanError as exc:
            _console(stderr=True).print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
            ctx.exit(1)


def _console(*, stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False, highlight=False)


def _lang_option(function: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["vi", "en"]),
        default="vi",
        show_default=True,
        envvar="DXPLAN_LANG",
        help="Language of labels and headings.",
    )(function)


def _format_option(*choices: str) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(list(choices)),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(function)

    return decorate


_plan_argument = click.argument("plan", default=DEFAULT_PLAN, required=False)


def _print(*renderables: RenderableType) -> None:
    console = _console()
    for renderable in renderables:
        console.print(renderable)


def _print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dxplan")
def main() -> None:
    """Model, track and compare digital-transformation plans.

    PLAN is a bundled plan name (default: hcmc-2024) or the path of a .py,
    .toml or .json plan file.
    """


@main.command()
@_plan_argument
@_lang_option
@_format_option("table", "json")
def show(plan: str, lang: Language, output_format: str) -> None:
    """Show a plan: priorities, indicator groups with their targets, tasks."""
    from dxplan.render import plan_tree

    loaded = load_plan(plan)
    if output_format == "json":
        from dxplan.io import plan_to_dict

        _print_json(plan_to_dict(loaded))
    else:
        _print(plan_tree(loaded, lang))


@main.command()
@_plan_argument
@_lang_option
@_format_option("table", "json")
def check(plan: str, lang: Language, output_format: str) -> None:
    """Check a plan and list every finding; exit 1 when there are errors."""
    from dxplan.render import check_table
    from dxplan.validation import check as check_plan

    report = check_plan(load_plan(plan, validate=False))
    if output_format == "json":
        _print_json(
            [
                {
                    "severity": f.severity.value,
                    "code": f.code,
                    "where": f.where,
                    "message": f.message,
                }
                for f in report.findings
            ]
        )
    else:
        _print(check_table(report, lang))
    if not report.ok:
        sys.exit(1)


@main.command()
@_plan_argument
@_lang_option
@_format_option("table", "json")
def report(plan: str, lang: Language, output_format: str) -> None:
    """The main report: the plan, its checks (default: the HCMC 2024 plan)."""
    from dxplan.render import check_table, plan_tree
    from dxplan.validation import check as check_plan

    loaded = load_plan(plan, validate=False)
    findings = check_plan(loaded)
    if output_format == "json":
        from dxplan.io import plan_to_dict

        _print_json(
            {
                "plan": plan_to_dict(loaded),
                "findings": [
                    {
                        "severity": f.severity.value,
                        "code": f.code,
                        "where": f.where,
                        "message": f.message,
                    }
                    for f in findings.findings
                ],
            }
        )
    else:
        _print(plan_tree(loaded, lang), check_table(findings, lang))
    if not findings.ok:
        sys.exit(1)

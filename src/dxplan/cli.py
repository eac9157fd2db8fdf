"""The ``dxplan`` command line: parse, call the library, render.

Every :class:`~dxplan.errors.DxplanError` is shown as a message without a
traceback and the command exits with status 1; usage mistakes exit with 2.
"""

from __future__ import annotations

import io
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click
from rich.console import Console, RenderableType

from dxplan.errors import DxplanError
from dxplan.plan.catalogue import DEFAULT_PLAN, load_plan
from dxplan.text import Language, label_text

if TYPE_CHECKING:
    from dxplan._numbers import Locale
    from dxplan.index.data import IndexData
    from dxplan.index.model import Index, IndexResult
    from dxplan.index.provinces import Era
    from dxplan.plan.attainment import Missing, Policy
    from dxplan.plan.model import Plan
    from dxplan.plan.observations import Observations

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """A click group that turns dxplan's errors into clean messages."""

    def invoke(self, ctx: click.Context) -> Any:
        # Warnings of the libraries underneath (numpy's "overflow encountered")
        # are shown as dxplan's own warnings, once each, never as raw tracebacks.
        with warnings.catch_warnings(record=True) as caught:
            # Numbers out of range and dxplan's own warnings (UserWarnings); a library's
            # DeprecationWarning is for developers and keeps Python's default filter.
            warnings.simplefilter("always", RuntimeWarning)
            warnings.simplefilter("always", UserWarning)
            try:
                return super().invoke(ctx)
            except DxplanError as exc:
                click.echo(f"{click.style('error:', fg='red', bold=True)} {exc}", err=True)
                ctx.exit(1)
            finally:
                _show_warnings(caught)


def _show_warnings(caught: Sequence[warnings.WarningMessage]) -> None:
    shown: set[str] = set()
    for record in caught:
        if not isinstance(record.message, RuntimeWarning | UserWarning):
            continue
        text = str(record.message)
        if isinstance(record.message, RuntimeWarning):
            text = f"a computation went out of range ({text}); check the input for extreme values"
        if text not in shown:
            shown.add(text)
            click.echo(f"{click.style('warning:', fg='yellow', bold=True)} {text}", err=True)


def _console(*, stderr: bool = False) -> Console:
    # emoji=False: ":x:" in a label is text, and the emoji table stays unloaded.
    return Console(stderr=stderr, soft_wrap=False, highlight=False, emoji=False)


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


def _observations_option(function: F) -> F:
    function = click.option(
        "--era",
        type=click.Choice(["2024", "2025"]),
        default=None,
        help="Read the entity column of --observations as province names of this era "
        "[default: ids as written].",
    )(function)
    function = click.option(
        "--sheet", default=None, help="The sheet of an .xlsx --observations file [default: first]."
    )(function)
    return click.option(
        "--observations",
        "observations_file",
        default=None,
        # Not exists=True: a missing file is a data error (exit 1), as for plans, not usage (2).
        type=click.Path(path_type=Path),
        metavar="FILE",
        help="Observations, long CSV, JSON or .xlsx (default: the plan's bundled observations).",
    )(function)


def _print(*renderables: RenderableType) -> None:
    console = _console()
    for renderable in renderables:
        console.print(renderable)


def _print_json(data: object) -> None:
    from dxplan.formats.io import NON_FINITE_KEY, json_text

    text = json_text(data)
    click.echo(text)
    if f'"{NON_FINITE_KEY}": [' in text:
        click.echo(
            f"{click.style('warning:', fg='yellow', bold=True)} some numbers are not finite "
            f"and were written as null; see {NON_FINITE_KEY!r} in the output",
            err=True,
        )


#: A text cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(…)).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    """``value`` safe to open in a spreadsheet: text that would be a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _print_csv(rows: Sequence[Mapping[str, object]]) -> None:
    import csv

    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: _csv_cell(value) for key, value in row.items()} for row in rows)
    click.echo(buffer.getvalue(), nl=False)


def _observations_for(
    plan: Plan, path: Path | None, sheet: str | None = None, era: str | None = None
) -> Observations:
    """The observations in ``path`` of the plan's entity, or the plan's bundled ones."""
    from dxplan.plan.observations import BUNDLED, bundled_observations, load_observations

    if path is not None:
        chosen: Era | None = 2024 if era == "2024" else 2025 if era == "2025" else None
        # Only the plan's entity is assessed: other entities' rows are checked, not kept.
        return load_observations(path, plan, sheet=sheet, era=chosen, entity=plan.entity)
    if plan.id in BUNDLED:
        return bundled_observations(plan.id, plan)
    raise click.UsageError(
        f"plan {plan.id!r} has no bundled observations; give --observations FILE"
    )


#: The index each bundled data set was published with: ``--index`` when not given.
_INDEX_OF_DATA = {
    "dti-2022": "dti-922",
    "dti-2020": "dti-1726",
    "asem": "asem",
    "asem-panel": "asem",
}


def _component_name(index: Index, component: str, lang: Language = "vi") -> str:
    """A component's label in ``lang`` (its id when it has none)."""
    leaf = next((n for n in index.leaves if n.component == component), None)
    return label_text(None if leaf is None else leaf.label, lang, default=component)


_DEFAULT_INDEX = "dti-922"
#: The bundled data of one period each bundled index is published with: ``--data`` when not given.
_DATA_OF_INDEX = {"dti-922": "dti-2022", "dti-1726": "dti-2020", "asem": "asem"}


def _index_and_data(
    index_ref: str | None,
    data_ref: str,
    *,
    id_column: str = "id",
    name_column: str | None = None,
    components: bool = False,
    sheet: str | None = None,
    era: Era | None = None,
    locale: Locale | None = None,
    period_column: str | None = None,
) -> tuple[Index, IndexData]:
    """The index and data of ``--index`` and DATA; the index defaults to the data's own.

    With ``components``, a CSV DATA is read for the index's columns only.
    Data without a column for each of the index's components is refused
    with a hint at the ``--index`` that fits it.
    """
    from dxplan import datasets, indices
    from dxplan.errors import EvaluationError

    chosen = index_ref if index_ref is not None else _INDEX_OF_DATA.get(data_ref, _DEFAULT_INDEX)
    index = indices.resolve(chosen)
    data = datasets.resolve(
        data_ref,
        id_column=id_column,
        name_column=name_column,
        components=index.components if components else None,
        sheet=sheet,
        era=era,
        locale=locale,
        period_column=period_column,
    )
    missing = [c for c in index.components if c not in data.components]
    if missing:
        own = _INDEX_OF_DATA.get(data_ref)
        hint = (
            f"try --index {own}"
            if own is not None and own != chosen
            else "try --index with an index whose components are the data's columns "
            "(" + ", ".join(indices.BUNDLED) + " or a .toml/.json file)"
        )
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise EvaluationError(
            f"data {data_ref!r} has no column for {len(missing)} component(s) of index "
            f"{chosen!r} ({shown}); {hint}"
        )
    return index, data


def _index_option(function: F) -> F:
    return click.option(
        "--index",
        "index_ref",
        default=None,
        help="A bundled index (dti-922, dti-1726, asem) or a .toml/.json file "
        "[default: the bundled data's own index (dti-2022: dti-922, dti-2020: dti-1726, "
        "asem: asem), else dti-922].",
    )(function)


def _csv_options(function: F) -> F:
    """Options for reading a DATA file: .csv or .xlsx, ids or province names, number locale."""
    function = click.option(
        "--locale",
        "number_locale",
        type=click.Choice(["vi", "en"]),
        default=None,
        help="How numbers written as text are written: vi (0,7163; 1.234,5) or en "
        "(0.7163; 1,234.5) [default: inferred; a number that reads both ways is refused].",
    )(function)
    function = click.option(
        "--era",
        type=click.Choice(["2024", "2025"]),
        default=None,
        help="Read the id column as province names of this era: 2024 (the 63) or 2025 "
        "(the 34 from 1 July 2025) [default: ids as written].",
    )(function)
    function = click.option(
        "--sheet", default=None, help="The sheet of an .xlsx DATA file [default: the first]."
    )(function)
    function = click.option(
        "--name-column", default=None, help="Column of display names in a DATA file."
    )(function)
    return click.option(
        "--id-column",
        default="id",
        show_default=True,
        help="Entity ids (or names, with --era) in a DATA file.",
    )(function)


def _file_options(sheet: str | None, era: str | None, number_locale: str | None) -> dict[str, Any]:
    return {
        "sheet": sheet,
        "era": None if era is None else int(era),
        "locale": number_locale,
    }


def _excel_file(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{value}: expected a file name ending in .xlsx")
    return value


def _excel_output_option(function: F) -> F:
    return click.option(
        "--to",
        "excel_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=_excel_file,
        metavar="FILE.xlsx",
        help="Also write the tables to FILE.xlsx, with a README sheet of sources and "
        "parameters (needs dxplan[excel]).",
    )(function)


def _print_merged(
    index: Index,
    data: IndexData,
    node: str,
    excel_file: Path | None,
    force: bool,
    lang: Language,
    output_format: str,
) -> None:
    """Rank on the 34 units from 1 July 2025 with the DTI 2024's rule, and show it."""
    from rich.text import Text

    from dxplan.index.provinces import DTI_2024_RULE, DTI_2024_RULE_CITATION, rerank
    from dxplan.render import merged_ranking_table, phrase

    ranking = rerank(index, data, DTI_2024_RULE, node=node)
    if excel_file is not None:
        ranking.to_excel(excel_file, force=force)
    if output_format == "json":
        _print_json({"node": ranking.node, "rules": ranking.rules, "ranking": ranking.to_rows()})
    elif output_format == "csv":
        _print_csv(ranking.to_rows())
    else:
        _print(
            merged_ranking_table(ranking, lang=lang),
            Text(
                f"{phrase('rule', lang)}: {DTI_2024_RULE_CITATION}\n"
                f"{phrase('data', lang)}: {data.source}",
                style="dim",
            ),
        )


def _panel_options(function: F) -> F:
    function = click.option(
        "--reference",
        default="period",
        show_default=True,
        metavar="period|pooled|PERIOD",
        help="On a panel, where min-max and the other relative rules take their references: "
        "each period on its own, all periods pooled, or one period (fixed goalposts).",
    )(function)
    function = click.option(
        "--period",
        default=None,
        metavar="PERIOD",
        help="On a panel, the period to show [default: the latest].",
    )(function)
    return click.option(
        "--period-column",
        default=None,
        metavar="COLUMN",
        help="Read a .csv or .xlsx DATA file as a panel, one row per entity and period "
        "(e.g. Time).",
    )(function)


def _reference(value: str) -> str | int:
    """A --reference value: the words stay, a year becomes a number."""
    from dxplan._numbers import period_label

    return period_label(value)


def _one_period(
    index: Index, data: IndexData, period: str | None, reference: str, extra: str = "error"
) -> IndexResult:
    """Evaluate ``data`` and keep one period of a panel (the latest by default)."""
    from dxplan.index.data import PanelData

    chosen: Literal["error", "ignore"] = "ignore" if extra == "ignore" else "error"
    if isinstance(data, PanelData):
        panel = index.evaluate(data, extra=chosen, reference=_reference(reference))
        return panel.period(None if period is None else _reference(period))
    if period is not None or reference != "period":
        raise click.UsageError(
            "--period and --reference apply to a panel; "
            "give --period-column for a long .csv or .xlsx file"
        )
    return index.evaluate(data, extra=chosen)


def _plot_file(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter(f"{value}: expected a file name ending in .png or .svg")
    return value


def _plot_option(function: F) -> F:
    return click.option(
        "--plot",
        "plot_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=_plot_file,
        metavar="FILE.png|FILE.svg",
        help="Also draw a picture into FILE, PNG or SVG by its suffix (needs dxplan[plot]).",
    )(function)


def _force_option(function: F) -> F:
    return click.option("--force", is_flag=True, help="Overwrite output files that exist.")(
        function
    )


def _plain_text(renderable: RenderableType) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None, emoji=False).print(renderable)
    return buffer.getvalue()


def _emit(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it atomically to ``output`` (never over a file without force)."""
    if output is None:
        click.echo(text, nl=False)
    else:
        from dxplan._files import write_atomic

        write_atomic(output, text, force=force)


def _output_options(function: F) -> F:
    function = _force_option(function)
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write to this file (atomically) instead of the terminal.",
    )(function)


# Help uses the terminal's width up to 120 columns (click stops at 80 by default,
# cutting every command's summary short even in a wide terminal).
@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
@click.version_option(package_name="dxplan")
def main() -> None:
    """Model, track and compare digital-transformation plans.

    PLAN is a bundled plan name (default: hcmc-2024) or the path of a .py,
    .toml or .json plan file. A .py plan is Python code and runs with your
    rights: use only .py plans you trust (.toml and .json are only read).
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
        from dxplan.formats.io import plan_to_dict

        _print_json(plan_to_dict(loaded))
    else:
        _print(plan_tree(loaded, lang))


@main.command()
@_plan_argument
@_lang_option
@_format_option("table", "json")
def check(plan: str, lang: Language, output_format: str) -> None:
    """Check a plan and list every finding; exit 1 when there are errors."""
    from dxplan.plan.validation import check as check_plan
    from dxplan.render import check_table

    report = check_plan(load_plan(plan, validate=False))
    if output_format == "json":
        _print_json([f.to_dict() for f in report.findings])
    else:
        _print(check_table(report, lang))
    if not report.ok:
        sys.exit(1)


@main.command()
@_plan_argument
@_observations_option
@_lang_option
@_format_option("table", "json")
def report(
    plan: str,
    observations_file: Path | None,
    sheet: str | None,
    era: str | None,
    lang: Language,
    output_format: str,
) -> None:
    """The main report: attainment, DTI context and checks (default: HCMC 2024)."""
    from dxplan.render import report_view
    from dxplan.report import plan_report

    loaded = load_plan(plan, validate=False)
    result = plan_report(loaded, _observations_for(loaded, observations_file, sheet, era))
    if output_format == "json":
        _print_json(result.to_dict(lang))
    else:
        _print(report_view(result, lang))
    if not result.findings.ok:
        sys.exit(1)


@main.command()
@_plan_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["tree", "dot", "mermaid", "graphml", "json"]),
    default="tree",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--impact",
    "task_id",
    metavar="TASK",
    default=None,
    help="Only TASK and everything that depends on it, directly or through other tasks.",
)
@_output_options
@_plot_option
@_lang_option
def graph(
    plan: str,
    output_format: str,
    task_id: str | None,
    output: Path | None,
    force: bool,
    plot_file: Path | None,
    lang: Language,
) -> None:
    """The task ↔ indicator dependency graph: waves of tasks, a task's impact, or an export."""
    from dxplan.plan.graph import PlanGraph
    from dxplan.render import execution_tree, impact_tree

    # Not validated, so that a plan with a cycle can still be drawn; trees then raise cleanly.
    full = PlanGraph.from_plan(load_plan(plan, validate=False))
    shown = full if task_id is None else full.impact_graph(task_id)
    if full.dangling_links and output_format != "json":
        from dxplan.errors import DxplanWarning

        left_out = ", ".join(f"{e.source} → {e.target}" for e in full.dangling_links[:5])
        more = len(full.dangling_links) - 5
        warnings.warn(
            f"{len(full.dangling_links)} link(s) name an id the plan does not have and are "
            f"not drawn: {left_out}{f' and {more} more' if more > 0 else ''} "
            "(dxplan check lists them; --format json keeps them)",
            DxplanWarning,
            stacklevel=1,
        )
    if plot_file is not None:
        from dxplan.render.plots import graph_plot, save

        save(graph_plot(shown, lang=lang), plot_file, force=force)
    if output_format == "tree":
        tree = execution_tree(full, lang) if task_id is None else impact_tree(full, task_id, lang)
        if output is None:
            _print(tree)
            return
        text = _plain_text(tree)
    elif output_format == "dot":
        text = shown.to_dot(lang)
    elif output_format == "mermaid":
        text = shown.to_mermaid(lang)
    elif output_format == "graphml":
        text = shown.to_graphml(lang)
    else:
        from dxplan.formats.io import json_text

        text = json_text(shown.to_node_link(lang)) + "\n"
    _emit(text, output, force)


@main.command()
@_plan_argument
@_observations_option
@click.option(
    "--as-of",
    type=click.IntRange(1900, 2200),
    default=None,
    metavar="YEAR",
    help="Use values up to this year (1900–2200).",
)
@click.option(
    "--policy",
    type=click.Choice(["mean", "min"]),
    default="mean",
    show_default=True,
    help="How an indicator's targets combine.",
)
@click.option(
    "--missing",
    type=click.Choice(["skip", "zero", "fail"]),
    default="skip",
    show_default=True,
    help="Targets without data: left out (coverage shown), counted as 0, or an error.",
)
@_excel_output_option
@_plot_option
@_force_option
@_lang_option
@_format_option("table", "json", "csv")
def assess(
    plan: str,
    observations_file: Path | None,
    sheet: str | None,
    era: str | None,
    as_of: int | None,
    policy: Policy,
    missing: Missing,
    excel_file: Path | None,
    plot_file: Path | None,
    force: bool,
    lang: Language,
    output_format: str,
) -> None:
    """Is the plan on track? Attainment per target, indicator, group, task and plan."""
    from dxplan.plan.attainment import assess as assess_plan

    loaded = load_plan(plan)
    observed = _observations_for(loaded, observations_file, sheet, era)
    result = assess_plan(loaded, observed, as_of=as_of, policy=policy, missing=missing)
    if excel_file is not None:
        result.to_excel(excel_file, lang=lang, force=force)
    if plot_file is not None:
        from dxplan.render.plots import attainment_heatmap, save

        years = [p for p in observed.periods if as_of is None or p <= as_of]
        by_year = [
            assess_plan(loaded, observed, as_of=y, policy=policy, missing=missing) for y in years
        ]
        save(attainment_heatmap(by_year or result, lang=lang), plot_file, force=force)
    if output_format == "json":
        _print_json(result.to_dict(lang))
    elif output_format == "csv":
        _print_csv(result.rows("target", lang))
    else:
        from dxplan.render import attainment_view

        _print(attainment_view(result, lang))


@main.command()
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--node", default=None, help="Compare on this node (default: the index's root).")
@_csv_options
@_lang_option
@_format_option("table", "json")
def whatif(
    scenario_file: Path,
    node: str | None,
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    lang: Language,
    output_format: str,
) -> None:
    """Apply the what-if SCENARIO_FILE (.toml) and show what changes.

    The file names its data (a bundled name such as dti-2022, or a wide .csv
    or .xlsx file) and its index (a bundled name such as dti-922, or a .toml/.json
    file; by default the bundled data's own index) for score and rank
    changes; or its plan (a bundled name such as hcmc-2024, or a plan file)
    and, optionally, the plan's observations, for attainment changes; or both.
    """
    from dxplan.errors import FileFormatError, Problem
    from dxplan.formats.scenario_files import load_scenario
    from dxplan.render import attainment_comparison_view, comparison_view
    from dxplan.render.whatif import scenario_tree
    from dxplan.whatif.scenario import compare, compare_attainment

    if scenario_file.suffix.lower() != ".toml":
        raise FileFormatError(
            f"{scenario_file}: a scenario is a .toml file",
            [Problem(str(scenario_file), f"found the suffix {scenario_file.suffix or '(none)'!r}")],
        )
    scenario = load_scenario(scenario_file)
    if scenario.data_ref is None and scenario.plan_ref is None:
        raise FileFormatError(
            f"{scenario_file}: a scenario names what it changes",
            [
                Problem(
                    f"{scenario_file}:$",
                    f"found neither 'data' nor 'plan'; expected data = \"dti-2022\" (an index's "
                    f'data) or plan = "{DEFAULT_PLAN}" (a plan), or both',
                )
            ],
        )
    parts: dict[str, object] = {}
    views: list[RenderableType] = []
    if scenario.data_ref is not None:
        index, data = _index_and_data(
            scenario.index_ref,
            scenario.data_ref,
            id_column=id_column,
            name_column=name_column,
            **_file_options(sheet, era, number_locale),
        )
        if node is not None:
            _check_choice("--node", node, [n.id for n in index.nodes], "nodes of the index")
        both = scenario.plan_ref is not None
        comparison = compare(index, data, scenario.side("index") if both else scenario, node=node)
        parts.update(comparison.to_dict())
        views.append(comparison_view(comparison, lang=lang))
    if scenario.plan_ref is not None:
        loaded = load_plan(scenario.plan_ref)
        observations = _observations_for(
            loaded, None if scenario.observations_ref is None else Path(scenario.observations_ref)
        )
        plan_change = compare_attainment(
            loaded,
            observations,
            scenario.side("plan") if scenario.data_ref is not None else scenario,
        )
        if scenario.data_ref is None:
            parts.update(plan_change.to_dict())
        else:
            parts["plan"] = plan_change.to_dict()
        views.append(attainment_comparison_view(plan_change, lang=lang))
    if output_format == "json":
        _print_json(parts)
    else:
        _print(scenario_tree(scenario, lang), *views)


def _check_choice(option: str, value: str, choices: Sequence[str], what: str) -> None:
    """Refuse ``value`` unless it is one of ``choices``, naming the closest and listing them."""
    import difflib

    if value in choices:
        return
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    shown = ", ".join(choices[:40]) + (
        f" and {len(choices) - 40} more" if len(choices) > 40 else ""
    )
    raise click.BadParameter(
        f"{value!r} is not one of the {what}; {hint}choose from: {shown}", param_hint=option
    )


@main.command("goal-seek")
@_index_option
@click.option(
    "--data",
    "data_ref",
    default="dti-2022",
    show_default=True,
    help="A bundled data set (dti-2022, dti-2020, asem) or a wide .csv or .xlsx file.",
)
@click.option("--entity", required=True, help="Whose value moves, e.g. ho-chi-minh.")
@click.option("--lever", required=True, help="The component that moves, e.g. hd_xa_hoi_so.")
@click.option("--rank", "rank_goal", type=click.IntRange(min=1), help="Goal: rank K or better.")
@click.option(
    "--score",
    "score_goal",
    type=float,
    help="Goal: a score of at least S, on the index's own scale as `rank` prints it "
    "(DTI: 0–1, so 0.8 is 800 points of 1000).",
)
@click.option("--node", default=None, help="Judge the goal on this node (default: the root).")
@click.option(
    "--bounds",
    nargs=2,
    type=float,
    default=(0.0, 1.0),
    show_default=True,
    help="The values the lever may take.",
)
@_csv_options
@_lang_option
@_format_option("table", "json")
def goal_seek_command(
    index_ref: str | None,
    data_ref: str,
    entity: str,
    lever: str,
    rank_goal: int | None,
    score_goal: float | None,
    node: str | None,
    bounds: tuple[float, float],
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    lang: Language,
    output_format: str,
) -> None:
    """Find the least change of one lever that reaches a rank or score goal.

    Scores are on the index's own scale, as `rank` prints them (DTI 0.7164,
    not 716.4 points).
    """
    from dxplan.render import goal_seek_table
    from dxplan.whatif.goalseek import RankAtMost, ScoreAtLeast, goal_seek

    goal: RankAtMost | ScoreAtLeast
    if rank_goal is not None and score_goal is None:
        goal = RankAtMost(rank_goal, node=node)
    elif score_goal is not None and rank_goal is None:
        goal = ScoreAtLeast(score_goal, node=node)
    else:
        raise click.UsageError("give exactly one goal: --rank K or --score S")
    index, data = _index_and_data(
        index_ref,
        data_ref,
        id_column=id_column,
        name_column=name_column,
        **_file_options(sheet, era, number_locale),
    )
    if entity not in data.entities:
        _check_choice("--entity", entity, list(data.entities), "entities of the data")
    _check_choice("--lever", lever, list(index.components), "components of the index")
    if node is not None:
        _check_choice("--node", node, [n.id for n in index.nodes], "nodes of the index")
    result = goal_seek(index, data, entity=entity, lever=lever, goal=goal, bounds=bounds)
    if output_format == "json":
        _print_json(result.to_dict())
        return
    decimals = index.precision  # the decimals the index is published with (the DTI: 4)
    after = None
    if result.feasible and not result.already:
        new_index, new_data = result.scenario.apply(index, data)
        after = new_index.evaluate(new_data)
    _print(
        goal_seek_table(
            result,
            lang=lang,
            entity_name=data.name(entity),
            lever_name=_component_name(index, lever, lang),
            decimals=decimals,
            after=after,
        )
    )


@main.command()
@_plan_argument
@click.option(
    "--entity",
    default=None,
    help="Whose place on the index, e.g. ho-chi-minh (default: the plan's entity).",
)
@click.option(
    "--index",
    "index_ref",
    default=None,
    help="The index the plan's tasks drive, by the name their drives use "
    "[default: the one index the plan drives].",
)
@click.option(
    "--data",
    "data_ref",
    default="dti-2022",
    show_default=True,
    help="A bundled data set (dti-2022, …) or a wide .csv or .xlsx file.",
)
@click.option(
    "--goal-rank",
    type=click.IntRange(min=1),
    default=None,
    help="Also find the cheapest task outcomes that reach rank K or better.",
)
@click.option(
    "--goal-score",
    type=float,
    default=None,
    help="Also find the cheapest task outcomes that reach a score of at least S "
    "(the index's own scale; DTI 0–1).",
)
@click.option(
    "--costs",
    "costs_file",
    # Not exists=True: a missing file is a data error (exit 1), as for plans, not usage (2).
    type=click.Path(path_type=Path),
    metavar="FILE",
    default=None,
    help="Cost per unit by task (TOML `T08 = 3` or JSON); only these tasks move "
    "[default: every driving task at cost 1].",
)
@click.option(
    "--draws",
    type=click.IntRange(min=0),
    default=2_000,
    show_default=True,
    help="Weight draws for P(rank ≤ K) before and after the outcomes (0: skip).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Seed of the weight draws (the same draws before and after).",
)
@_csv_options
@_plot_option
@_force_option
@_lang_option
@_format_option("table", "json", "csv")
def tasks(
    plan: str,
    entity: str | None,
    index_ref: str | None,
    data_ref: str,
    goal_rank: int | None,
    goal_score: float | None,
    costs_file: Path | None,
    draws: int,
    seed: int,
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    plot_file: Path | None,
    force: bool,
    lang: Language,
    output_format: str,
) -> None:
    """Which task lifts the index most, and which task outcomes reach a rank.

    For each task that drives a component of the index (Task.drives): the
    points it adds per unit, the headroom to 1, the best rank it reaches
    alone and the least outcome for it. With --goal-rank or --goal-score:
    the cheapest combination of task outcomes, and P(rank ≤ K) before and
    after under ±25 % weight noise.
    """
    from dxplan.render import task_effects_view, task_moves_view
    from dxplan.whatif.goalseek import RankAtMost, ScoreAtLeast
    from dxplan.whatif.tasks import goal_seek_tasks, load_costs, task_effects

    loaded = load_plan(plan)
    costs = None if costs_file is None else load_costs(costs_file)
    if costs is not None and goal_rank is None and goal_score is None:
        raise click.UsageError("--costs prices a goal-seek: give --goal-rank K or --goal-score S")
    driven = list(dict.fromkeys(d.index for t in loaded.tasks for d in t.drives))
    if index_ref is None:
        if len(driven) != 1:
            raise click.UsageError(
                f"plan {loaded.id!r} drives {len(driven)} indices "
                f"({', '.join(driven) or 'none'}); choose one with --index"
            )
        index_ref = driven[0]
    if goal_rank is not None and goal_score is not None:
        raise click.UsageError("give at most one goal: --goal-rank K or --goal-score S")
    _, data = _index_and_data(
        index_ref,
        data_ref,
        id_column=id_column,
        name_column=name_column,
        components=True,
        **_file_options(sheet, era, number_locale),
    )
    effects = task_effects(loaded, index_ref, data, entity=entity)
    goal: RankAtMost | ScoreAtLeast | None = None
    if goal_rank is not None:
        goal = RankAtMost(goal_rank)
    elif goal_score is not None:
        goal = ScoreAtLeast(goal_score)
    found = None
    if goal is not None:
        found = goal_seek_tasks(
            loaded,
            index_ref,
            data,
            goal=goal,
            entity=entity,
            costs=costs,
            draws=draws,
            seed=seed,
        )
    if plot_file is not None:
        from dxplan.render.plots import save, task_effects_plot

        save(task_effects_plot(effects, lang=lang), plot_file, force=force)
    if output_format == "json":
        _print_json(
            {"effects": effects.to_dict(), "goal_seek": None if found is None else found.to_dict()}
        )
    elif output_format == "csv":
        _print_csv(effects.rows())
    else:
        _print(task_effects_view(effects, lang=lang))
        if found is not None:
            _print(task_moves_view(found, lang=lang))


_decimals_option = click.option(
    "--decimals",
    type=click.IntRange(0, 15),
    default=None,
    help="Judge ties after rounding scores to D decimals, and print them so "
    "(the DTI is published with 4).",
)


@main.command(short_help="Score a data set with an index and rank it.")
@click.argument("data_ref", metavar="DATA")
@_index_option
@click.option("--node", default=None, help="Rank on this node (default: the index's root).")
@click.option(
    "--explain",
    "entity",
    default=None,
    metavar="ENTITY",
    help="Explain ENTITY's gaps in points of the node's scale (DTI: of 1000).",
)
@_decimals_option
@_csv_options
@click.option(
    "--ignore-extra", is_flag=True, help="Read only the index's columns of a CSV DATA file."
)
@click.option(
    "--merged",
    is_flag=True,
    help="Rank DATA (on the 63 former provinces) on the 34 units from 1 July 2025: each "
    "component the equal-weight mean of the former units', as the DTI 2024 did.",
)
@_excel_output_option
@_panel_options
@click.option(
    "--since",
    default=None,
    metavar="PERIOD",
    help="On a panel, with --explain: which components moved ENTITY's score and rank "
    "from PERIOD to --period.",
)
@_plot_option
@_force_option
@_lang_option
@_format_option("table", "json", "csv")
def rank(
    data_ref: str,
    index_ref: str | None,
    node: str | None,
    entity: str | None,
    decimals: int | None,
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    ignore_extra: bool,
    merged: bool,
    excel_file: Path | None,
    period_column: str | None,
    period: str | None,
    reference: str,
    since: str | None,
    plot_file: Path | None,
    force: bool,
    lang: Language,
    output_format: str,
) -> None:
    """Score DATA (a bundled data set: dti-2022, dti-2020, asem, asem-panel; or a .csv or .xlsx
    file) and rank it.

    Scores are on the index's own scale (DTI: 0–1; × 1000 gives its points).
    On a panel (asem-panel, or a .csv or .xlsx file with --period-column) every period
    is scored and --period is shown.
    """
    from rich.text import Text

    from dxplan.render import change_view, explanation_view, phrase, ranking_table

    index, data = _index_and_data(
        index_ref,
        data_ref,
        id_column=id_column,
        name_column=name_column,
        components=ignore_extra,
        **_file_options(sheet, era, number_locale),
        period_column=period_column,
    )
    result = _one_period(index, data, period, reference, "ignore" if ignore_extra else "error")
    if entity is not None:
        _check_choice("--explain", entity, list(result.data.entities), "entities of the data")
    if node is not None:
        _check_choice("--node", node, [n.id for n in index.nodes], "nodes of the index")
    node_id = node or index.root
    if merged:
        if since is not None or reference != "period":
            raise click.UsageError(
                "--merged ranks one period: it takes --period, not --since or --reference"
            )
        from dxplan.index.data import PanelData

        one = result.data if isinstance(data, PanelData) else data  # the period shown
        _print_merged(index, one, node_id, excel_file, force, lang, output_format)
        return
    if excel_file is not None:
        result.to_excel(excel_file, node=node_id, force=force)
    explanation = result.explain(entity, node_id) if entity else None
    ranking = result.to_dict(node_id, decimals=decimals)
    change = None
    if since is not None:
        from dxplan.index.data import PanelData

        if entity is None or not isinstance(data, PanelData):
            raise click.UsageError("--since goes with --explain ENTITY on a panel")
        panel = index.evaluate(
            data, extra="ignore" if ignore_extra else "error", reference=_reference(reference)
        )
        after = panel.periods[-1] if period is None else _reference(period)
        change = panel.explain_change(entity, _reference(since), after, node_id)
    if plot_file is not None:
        from dxplan.render.plots import profile_plot, ranking_plot, save

        figure = (
            ranking_plot(result, node_id, lang=lang)
            if entity is None
            else profile_plot(result, entity, node_id, lang=lang)
        )
        save(figure, plot_file, force=force)
    if output_format == "json":
        if explanation is not None:
            ranking["explain"] = explanation.to_dict()
        if change is not None:
            ranking["change"] = change.to_dict()
        _print_json(ranking)
    elif output_format == "csv":
        _print_csv(ranking["ranking"])  # type: ignore[arg-type]
    else:
        sources = Text(phrase("sources", lang, index=index.citation, data=data.source), style="dim")
        _print(
            ranking_table(result, node_id, decimals=decimals, lang=lang),
            sources,
            *([explanation_view(explanation, lang)] if explanation is not None else []),
            *([change_view(change, lang)] if change is not None else []),
        )


_IMPUTE_METHODS = ("mean", "median", "group-mean", "group-median", "locf", "linear")


@main.command()
@click.argument("data_ref", metavar="DATA")
@_index_option
@click.option(
    "--screen",
    "min_availability",
    type=click.FloatRange(0, 1),
    default=None,
    metavar="SHARE",
    help="Drop entities with less than SHARE of their values present (COINr's 2/3 is 0.667).",
)
@click.option(
    "--impute",
    "method",
    type=click.Choice(_IMPUTE_METHODS),
    default=None,
    help="Fill missing values: column or group mean/median, or along periods (locf, linear).",
)
@click.option(
    "--group",
    default=None,
    metavar="ATTRIBUTE",
    help="The entity attribute grouping the group-mean and group-median imputation.",
)
@click.option(
    "--treat", is_flag=True, help="Treat outliers with COINr's default rule (winsorise, else log)."
)
@click.option("--node", default=None, help="Rank on this node (default: the index's root).")
@_csv_options
@_panel_options
@_lang_option
@_format_option("table", "json")
def build(
    data_ref: str,
    index_ref: str | None,
    min_availability: float | None,
    method: str | None,
    group: str | None,
    treat: bool,
    node: str | None,
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    period_column: str | None,
    period: str | None,
    reference: str,
    lang: Language,
    output_format: str,
) -> None:
    """Build an index from raw DATA: screen, impute, treat, then score and rank.

    The steps come from the index file's ``steps`` (if any), changed or added
    by the options here. Each step's report is shown, then the ranking (of
    --period on a panel).
    """
    from dxplan.index.data import PanelData
    from dxplan.index.denomination import DenominationResult
    from dxplan.index.imputation import ImputationResult
    from dxplan.index.indices import load_steps
    from dxplan.index.model import PanelResult
    from dxplan.index.pipeline import Impute, Pipeline, Screen, Step, Treat
    from dxplan.index.screening import ScreeningResult
    from dxplan.index.treatment import TreatmentResult
    from dxplan.render import (
        denomination_table,
        imputation_table,
        ranking_table,
        screening_table,
        treatment_table,
    )

    index, data = _index_and_data(
        index_ref,
        data_ref,
        id_column=id_column,
        name_column=name_column,
        components=True,
        **_file_options(sheet, era, number_locale),
        period_column=period_column,
    )
    steps: list[Step] = []
    if index_ref is not None and Path(index_ref).suffix.lower() in (".toml", ".json"):
        steps = list(load_steps(index_ref))
    if group is not None and method not in ("group-mean", "group-median"):
        raise click.UsageError("--group goes with --impute group-mean or group-median")
    chosen: list[Step] = []
    if min_availability is not None:
        chosen.append(Screen(min_availability=min_availability))
    if method is not None:
        chosen.append(Impute(method=method, group=group))  # type: ignore[arg-type]
    if treat:
        chosen.append(Treat())
    if not isinstance(data, PanelData) and (period is not None or reference != "period"):
        raise click.UsageError(
            "--period and --reference apply to a panel; "
            "give --period-column for a long .csv or .xlsx file"
        )
    pipeline = Pipeline(*steps, index=index, reference=_reference(reference))
    for step in chosen:
        pipeline = pipeline.replace(step.name, step)
    outcome = pipeline.run(data)
    result = outcome.result
    shown = (
        result.period(None if period is None else _reference(period))
        if isinstance(result, PanelResult)
        else result
    )
    node_id = node or index.root
    if output_format == "json":
        report = [
            {**described, "table": part.table.to_dict()}
            for described, part in zip(pipeline.describe(), outcome.steps, strict=False)
        ]
        _print_json({"steps": report, **shown.to_dict(node_id)})
        return
    views: list[RenderableType] = []
    for part in outcome.steps:
        if isinstance(part, ScreeningResult):
            views.append(screening_table(part, lang))
        elif isinstance(part, ImputationResult):
            views.append(imputation_table(part, lang))
        elif isinstance(part, TreatmentResult):
            views.append(treatment_table(part, lang))
        elif isinstance(part, DenominationResult):
            views.append(denomination_table(part, lang))
    _print(*views, ranking_table(shown, node_id, lang=lang))


@main.command()
@click.argument("data_ref", metavar="DATA")
@_index_option
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="How many random weight sets to rank under (fewer than 20 give rough quantiles).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed (0 or more) for reproducible draws.",
)
@click.option(
    "--noise",
    type=click.FloatRange(0, 1),
    default=0.25,
    show_default=True,
    help="Weight noise f: each weight becomes w·(1 + U(−1, 1)·f).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Also show P(rank ≤ K) for each entity.",
)
@click.option(
    "--decimals", type=click.IntRange(0, 15), default=None, help="Judge ties after rounding."
)
@_csv_options
@_excel_output_option
@_plot_option
@_force_option
@_lang_option
@_format_option("table", "json", "csv")
def uncertainty(
    data_ref: str,
    index_ref: str | None,
    draws: int,
    seed: int | None,
    noise: float,
    top: int,
    decimals: int | None,
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    excel_file: Path | None,
    plot_file: Path | None,
    force: bool,
    lang: Language,
    output_format: str,
) -> None:
    """How sure is each rank? Monte Carlo over the index's weights."""
    from rich.progress import Progress

    from dxplan.render import uncertainty_table
    from dxplan.whatif.uncertainty import run as run_uncertainty

    index, data = _index_and_data(
        index_ref,
        data_ref,
        id_column=id_column,
        name_column=name_column,
        components=True,
        **_file_options(sheet, era, number_locale),
    )
    with Progress(console=_console(stderr=True), transient=True) as bar:
        task = bar.add_task("draws", total=draws)
        result = run_uncertainty(
            index,
            data,
            draws=draws,
            weight_noise=noise,
            seed=seed,
            decimals=decimals,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    if plot_file is not None:
        from dxplan.render.plots import ranking_plot, save

        save(ranking_plot(result, lang=lang), plot_file, force=force)
    if excel_file is not None:
        result.to_excel(excel_file, force=force)
    summary = result.to_dict(top=top)
    if output_format == "json":
        _print_json(summary)
    elif output_format == "csv":
        _print_csv(summary["entities"])  # type: ignore[arg-type]
    else:
        _print(uncertainty_table(result, top=top, lang=lang))


@main.command("audit")
@click.argument("data_ref", metavar="DATA")
@_index_option
@click.option(
    "--method",
    type=click.Choice(["pearson", "spearman"]),
    default="pearson",
    show_default=True,
    help="Correlation coefficient.",
)
@click.option(
    "--optimise",
    "optimise_node",
    default=None,
    metavar="NODE",
    help="Also find weights under NODE that balance its children's correlations with it.",
)
@click.option(
    "--heatmap",
    "heatmap_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_plot_file,
    metavar="FILE.png|FILE.svg",
    help="Also draw every node's correlation with each aggregate into FILE (needs dxplan[plot]).",
)
@_csv_options
@_panel_options
@_plot_option
@_force_option
@_lang_option
@_format_option("table", "json", "csv")
def audit_command(
    data_ref: str,
    index_ref: str | None,
    method: str,
    optimise_node: str | None,
    heatmap_file: Path | None,
    id_column: str,
    name_column: str | None,
    sheet: str | None,
    era: str | None,
    number_locale: str | None,
    period_column: str | None,
    period: str | None,
    reference: str,
    plot_file: Path | None,
    force: bool,
    lang: Language,
    output_format: str,
) -> None:
    """Look inside an index: correlation flags, Cronbach's alphas, PCA, effective weights.

    Flags children that correlate negatively or weakly (< 0.3) with their
    parent and siblings above 0.92; --plot draws declared weights beside
    importance, --heatmap the correlations. On a panel, one period (the
    latest by default).
    """
    from dxplan.index.audit import audit, correlations

    index, data = _index_and_data(
        index_ref,
        data_ref,
        id_column=id_column,
        name_column=name_column,
        components=True,
        **_file_options(sheet, era, number_locale),
        period_column=period_column,
    )
    result = _one_period(index, data, period, reference, extra="ignore")
    found = audit(result, method="spearman" if method == "spearman" else "pearson")
    optimised = None
    if optimise_node is not None:
        from dxplan.index.weighting import optimise_weights

        if reference != "period":
            raise click.UsageError("--optimise works on one period with its own references")
        optimised = optimise_weights(
            index, result.data, node=optimise_node, method=found.method, extra="ignore"
        )
    if plot_file is not None:
        from dxplan.render.plots import effective_weights_plot, save

        save(effective_weights_plot(found.weights, lang=lang), plot_file, force=force)
    if heatmap_file is not None:
        from dxplan.render.plots import correlation_heatmap, save

        aggregates = [n.id for n in index.aggregates]
        table = correlations(result, [n.id for n in index.nodes], aggregates, method=found.method)
        save(correlation_heatmap(table, lang=lang), heatmap_file, force=force)
    if output_format == "json":
        summary = found.to_dict()
        if optimised is not None:
            summary["optimised"] = optimised.to_dict()
        _print_json(summary)
    elif output_format == "csv":
        _print_csv(_audit_rows(found))
    else:
        from dxplan.render import audit_view, optimised_weights_table

        shown: list[RenderableType] = [audit_view(found, lang)]
        if optimised is not None:
            shown.append(optimised_weights_table(optimised, lang))
        _print(*shown)


def _audit_rows(found: Any) -> list[dict[str, object]]:
    """One CSV row per parent–child link, with its flags and the parent's alpha and PCA."""
    groups = {p.group: p for p in found.components}
    rows: list[dict[str, object]] = []
    for row in found.weights.to_rows():
        flags = [
            f.kind if f.kind != "near-duplicate" else f"near-duplicate of {f.other}"
            for f in found.flags
            if f.node == row["node"] and f.group == row["parent"]
        ]
        pca = groups.get(row["parent"])
        rows.append(
            {
                **row,
                "flags": "; ".join(flags),
                "parent_alpha": found.alphas.get(row["parent"]),
                "parent_pc1_share": None if pca is None else pca.explained[0],
                "parent_pcs_for_90": None if pca is None else pca.components_needed(0.9),
            }
        )
    return rows


@main.command()
@_plan_argument
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: FILE.toml, FILE.json or FILE.xlsx.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def export(plan: str, target: Path, force: bool) -> None:
    """Write a plan as TOML (for authoring), JSON (for interchange) or .xlsx (for reading).

    The .xlsx holds one row per target and per task and a README sheet; it
    is a view, not read back (needs dxplan[excel]).
    """
    if target.suffix.lower() == ".xlsx":
        from dxplan.formats.excel import write_plan as write_workbook

        written = write_workbook(load_plan(plan), target, force=force)
        click.echo(f"wrote {written}", err=True)
        return
    from dxplan.formats.io import write_plan

    written = write_plan(load_plan(plan), target, force=force)
    click.echo(f"wrote {written}", err=True)


@main.command()
@click.option(
    "--kind",
    type=click.Choice(["plan", "index", "scenario"]),
    default="plan",
    show_default=True,
    help="Which files: plans, index definitions or scenarios.",
)
@_output_options
def schema(kind: str, output: Path | None, force: bool) -> None:
    """Print the JSON Schema of plan, index or scenario files.

    Every file dxplan writes or ships validates against the schema of its kind.
    """
    from dxplan.formats.io import json_text
    from dxplan.formats.schema import KINDS

    _emit(json_text(KINDS[kind]()) + "\n", output, force)


def _languages(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[Language, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [lang for lang in chosen if lang not in ("vi", "en")]
    if unknown or not chosen:
        raise click.BadParameter(f"{value!r}: expected vi, en or both, comma-separated (vi,en)")
    return tuple(dict.fromkeys(chosen))  # type: ignore[arg-type]


@main.command()
@_plan_argument
@_observations_option
@click.option(
    "--index",
    "index_ref",
    default=None,
    help="Add an index page: a bundled index (dti-922, dti-1726, asem) or a .toml/.json file.",
)
@click.option(
    "--data",
    "data_ref",
    default=None,
    help="The index's data: a bundled data set (dti-2022, dti-2020, asem) or a wide .csv or "
    ".xlsx file "
    "[default with --index dti-922: dti-2022].",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write: new, empty, or an earlier site (only changed files are rewritten).",
)
@click.option(
    "--lang",
    "langs",
    default="vi,en",
    show_default=True,
    callback=_languages,
    help="Languages of the site, comma-separated; each gets its own folder.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Build into a folder that holds other files (they are left as they are).",
)
def site(
    plan: str,
    observations_file: Path | None,
    sheet: str | None,
    era: str | None,
    index_ref: str | None,
    data_ref: str | None,
    out: Path,
    langs: tuple[Language, ...],
    force: bool,
) -> None:
    """Write a static bilingual website of the plan's progress (and an index's ranking).

    The pages need no server and no script: open OUT/index.html in a browser
    or copy OUT to any static host.
    """
    import time

    from dxplan.render.site import build_site

    started = time.perf_counter()
    loaded = load_plan(plan)
    observed = _observations_for(loaded, observations_file, sheet, era)
    index = data = None
    if index_ref is not None or data_ref is not None:
        chosen_data = data_ref or _DATA_OF_INDEX.get(index_ref or _DEFAULT_INDEX)
        if chosen_data is None:
            from dxplan import indices

            indices.resolve(index_ref or _DEFAULT_INDEX)  # a broken file is the first error
            raise click.UsageError(f"give --data for --index {index_ref}")
        index, data = _index_and_data(index_ref, chosen_data, components=True)
    summary = build_site(loaded, observed, out, index=index, data=data, langs=langs, force=force)
    click.echo(f"{summary} in {time.perf_counter() - started:.1f} s", err=True)

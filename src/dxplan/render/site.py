"""A static bilingual website of a plan's progress, and of its index, for any static host.

:func:`build_site` writes one HTML page per plan element in each language: a
home page (overview, attainment by group, status counts), a page per
indicator group, per indicator (targets, the observed series as an inline SVG
chart with the target line, status, projection, gap, sources, contributing
tasks) and per task (its indicators, dependencies and the graph around it),
and, when an index is given, an index page (ranking, the plan entity's
explanation, rank uncertainty). The pages need no server, no script and
nothing from another host: they open from ``file://``.

Pages come from Jinja2 templates shipped with the package
(``dxplan/render/site_templates/``), which escape every value; charts are SVG written
by a template from coordinates computed here. Each file is written
atomically, only when its bytes changed, and the folder keeps a manifest
(:data:`MANIFEST`) of what dxplan wrote, so that a re-run never touches a file
it did not write.
"""

from __future__ import annotations

import hashlib
import json
import math
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from dxplan._display import Displayable
from dxplan.errors import FileFormatError, InvalidValueError, MissingExtraError, Problem

# The index page's rank spread is the report's: the same draws, noise and seed.
from dxplan.render.attainment import gap_text, observed_text, status_label, target_result_text
from dxplan.render.numbers import is_percent, number, percent, quantity, signed
from dxplan.render.phrasebook import phrase
from dxplan.report import UNCERTAINTY_DRAWS, UNCERTAINTY_NOISE, UNCERTAINTY_SEED
from dxplan.text import LANGUAGES, Language, label_text
from dxplan.whatif.uncertainty import run as run_uncertainty

if TYPE_CHECKING:
    import jinja2

    from dxplan.index.data import IndexData
    from dxplan.index.model import ComponentGap, Explanation, Index, IndexResult
    from dxplan.plan.attainment import AttainmentReport, IndicatorResult, TargetResult
    from dxplan.plan.model import Plan
    from dxplan.plan.observations import Observation, Observations
    from dxplan.whatif.uncertainty import UncertaintyResult

__all__ = ["MANIFEST", "SiteSummary", "build_site"]

MANIFEST = ".dxplan-site.json"
"""The file in a site's folder that lists what dxplan wrote there, with a hash of each."""

_MANIFEST_FORMAT = 1
_STYLESHEET = "site.css"


# The summary -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SiteSummary(Displayable):
    """What :func:`build_site` did: where, how many pages and bytes, what it wrote.

    ``written``, ``unchanged`` and ``removed`` are paths relative to ``out``
    (with ``/``); ``removed`` lists pages of an earlier build that this one no
    longer makes. The manifest is counted in none of them.
    """

    out: Path
    langs: tuple[Language, ...]
    pages: int
    files: int
    bytes: int
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"SiteSummary(out={str(self.out)!r}, langs={self.langs!r}, pages={self.pages}, "
            f"files={self.files}, bytes={self.bytes}, written={len(self.written)}, "
            f"unchanged={len(self.unchanged)}, removed={len(self.removed)})"
        )

    def __str__(self) -> str:
        return (
            f"{self.out}: {self.pages} pages, {self.files} files, {self.bytes:,} bytes; "
            f"{len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed"
        )


# Charts ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Tick:
    at: float
    label: str


@attrs.frozen(kw_only=True)
class _Point:
    x: float
    y: float
    label: str


@attrs.frozen(kw_only=True)
class _SeriesChart:
    """Coordinates of one observed series against its target, in SVG user units."""

    id: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: tuple[_Tick, ...]
    y_ticks: tuple[_Tick, ...]
    points: tuple[_Point, ...]
    target_y: float
    target_label: str
    deadline_x: float | None
    projection: _Point | None
    title: str
    desc: str


def _axis_label(value: float, target: TargetResult, lang: Language) -> str:
    """A tick of the value axis: a bare number, with "%" on a percentage's axis."""
    if target.comparator.is_rank or not is_percent(target.unit):
        return number(value, lang)
    return quantity(value, target.unit, lang)


def _nice_step(span: float, count: int = 5) -> float:
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def _y_scale(values: Sequence[float], *, rank: bool) -> tuple[float, float, list[float]]:
    """The y domain (low, high) and its tick values; ranks start at 1, other values at 0."""
    if rank:
        low, high = 1.0, max(max(values) + 1, 2.0)
        step = max(1.0, math.ceil(_nice_step(high - low)))
    else:
        low = min(0.0, min(values))
        high = max(values) * 1.1 if max(values) > 0 else 1.0
        step = _nice_step(high - low)
        high = math.ceil(high / step) * step
    ticks: list[float] = []
    tick = low
    while tick <= high + step / 1000:
        ticks.append(round(tick, 10))
        tick += step
    return low, high, ticks


def _series_chart(
    chart_id: str,
    *,
    series: Sequence[Observation],
    target: TargetResult,
    indicator_label: str,
    lang: Language,
) -> _SeriesChart:
    width, height, left, right, top, bottom = 480, 280, 56, 28, 20, 44
    rank = target.comparator.is_rank
    years = [o.period for o in series]
    projection = target.projection
    last_year = max([*years, target.deadline or years[-1], projection.year if projection else 0])
    first_year = min(years)
    if last_year == first_year:
        first_year, last_year = first_year - 1, last_year + 1
    values = [o.value for o in series] + [target.target]
    if projection is not None:
        values.append(projection.value)
    low, high, y_values = _y_scale(values, rank=rank)

    def x_of(year: float) -> float:
        return round(left + (year - first_year) / (last_year - first_year) * (width - left - right))

    def y_of(value: float) -> float:
        share = (value - low) / (high - low)
        if rank:  # rank 1 at the top
            share = 1 - share
        return round(height - bottom - share * (height - top - bottom), 1)

    def shown(value: float) -> str:
        return _value_text(value, target, lang)

    points = tuple(_Point(x=x_of(o.period), y=y_of(o.value), label=shown(o.value)) for o in series)
    projected = (
        None
        if projection is None
        else _Point(
            x=x_of(projection.year), y=y_of(projection.value), label=shown(projection.value)
        )
    )
    target_text = target_result_text(target, lang)
    desc = phrase("site.chart desc", lang).format(
        points=", ".join(f"{shown(o.value)} ({o.period})" for o in series),
        target=target_text,
    )
    if projection is not None:
        desc += phrase("site.chart projection", lang).format(
            value=shown(projection.value), year=projection.year
        )
    return _SeriesChart(
        id=chart_id,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=tuple(
            _Tick(at=x_of(year), label=str(year)) for year in range(first_year, last_year + 1)
        ),
        y_ticks=tuple(
            _Tick(at=y_of(value), label=_axis_label(value, target, lang)) for value in y_values
        ),
        points=points,
        target_y=y_of(target.target),
        target_label=target_text,
        deadline_x=None if target.deadline is None else x_of(target.deadline),
        projection=projected,
        title=phrase("site.chart title", lang).format(
            indicator=indicator_label, target=target_text
        ),
        desc=desc,
    )


@attrs.frozen(kw_only=True)
class _Bar:
    label: str
    href: str
    y: float
    width: float
    value: str


@attrs.frozen(kw_only=True)
class _BarChart:
    id: str
    width: int
    height: int
    left: int
    plot_width: int
    bar_height: int
    bars: tuple[_Bar, ...]
    ticks: tuple[_Tick, ...]
    title: str
    desc: str


@attrs.frozen(kw_only=True)
class _GraphNode:
    id: str
    label: str
    title: str
    href: str
    kind: str
    x: float
    y: float


@attrs.frozen(kw_only=True)
class _GraphEdge:
    x1: float
    y1: float
    x2: float
    y2: float


@attrs.frozen(kw_only=True)
class _TaskGraph:
    id: str
    width: int
    height: int
    node_width: int
    node_height: int
    nodes: tuple[_GraphNode, ...]
    edges: tuple[_GraphEdge, ...]
    title: str
    desc: str


def _short(text: str, limit: int = 24) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


# Pages -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Page:
    """One page: its path under the language folder, its template and what it shows."""

    path: str
    template: str
    title: str
    crumbs: tuple[tuple[str, str], ...]
    context: Mapping[str, Any]


def _slug(element_id: str) -> str:
    # Ids are identifiers ([A-Za-z0-9._-]); a dot-only id would name a folder.
    return element_id if element_id.strip(".") else f"_{len(element_id)}"


def _indicator_path(indicator_id: str) -> str:
    return f"indicator/{_slug(indicator_id)}.html"


def _group_path(group_id: str) -> str:
    return f"group/{_slug(group_id)}.html"


def _task_path(task_id: str) -> str:
    return f"task/{_slug(task_id)}.html"


_INDEX_PATH = "ranking.html"


def _value_text(value: float, target: TargetResult, lang: Language) -> str:
    """An observed or projected value as its target is written: ``22 %``, ``hạng 2``."""
    if target.comparator.is_rank:
        return f"{phrase('rank', lang)} {number(value, lang)}"
    return quantity(value, target.unit, lang)


def _status_of(value: str) -> Any:
    from dxplan.plan.attainment import Status

    return Status(value)


def _status_class(status: object) -> str:
    return "status-" + str(status).replace(" ", "-")


class _Builder:
    """Gathers the pages of one site; :meth:`render` turns them into files."""

    def __init__(
        self,
        plan: Plan,
        observations: Observations,
        report: AttainmentReport,
        ranking: _IndexView | None,
        langs: tuple[Language, ...],
    ) -> None:
        self.plan = plan
        self.observations = observations.resolve(plan)
        self.report = report
        self.ranking = ranking
        self.langs = langs

    def pages(self, lang: Language) -> list[_Page]:
        plan, report = self.plan, self.report
        home = (phrase("site.home", lang), "index.html")
        pages = [self._home(lang)]
        for group in plan.groups:
            group_crumb = (f"{group.id} {group.label.text(lang)}", _group_path(group.id))
            pages.append(
                _Page(
                    path=_group_path(group.id),
                    template="group.html.j2",
                    title=f"{group.id} {group.label.text(lang)}",
                    crumbs=(home, group_crumb),
                    context={
                        "group": group,
                        "result": report.group(group.id),
                        "indicators": [report.indicator(i.id) for i in group.indicators],
                    },
                )
            )
            for indicator in group.indicators:
                pages.append(self._indicator(indicator.id, lang, (home, group_crumb)))
        for task in plan.tasks:
            pages.append(self._task(task.id, lang, home))
        if self.ranking is not None:
            pages.append(
                _Page(
                    path=_INDEX_PATH,
                    template="ranking.html.j2",
                    title=self.ranking.title(lang),
                    crumbs=(home, (self.ranking.title(lang), _INDEX_PATH)),
                    context={"view": self.ranking, "components": self.ranking.components},
                )
            )
        return pages

    def _home(self, lang: Language) -> _Page:
        report = self.report
        statuses: dict[str, int] = {}
        for result in report.indicators:
            statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
        bars = tuple(
            _Bar(
                label=f"{group.id} {_short(group.label.text(lang), 22)}",
                href=_group_path(group.id),
                y=24 + n * 36,
                width=round((group.attainment or 0.0) * 300, 1),
                value=percent(group.attainment, lang),
            )
            for n, group in enumerate(report.groups)
        )
        chart = _BarChart(
            id="bars-groups",
            width=580,
            height=24 + 36 * len(bars) + 28,
            left=200,
            plot_width=300,
            bar_height=24,
            bars=bars,
            ticks=tuple(
                _Tick(at=200 + share * 300, label=f"{number(share * 100, lang)} %")
                for share in (0, 0.25, 0.5, 0.75, 1)
            ),
            title=phrase("site.by group", lang),
            desc="; ".join(f"{bar.label}: {bar.value}" for bar in bars),
        )
        return _Page(
            path="index.html",
            template="home.html.j2",
            title=self.plan.label.text(lang),
            crumbs=(),
            context={
                "statuses": sorted(statuses.items(), key=lambda item: _status_order(item[0])),
                "bars": chart,
            },
        )

    def _indicator(
        self, indicator_id: str, lang: Language, crumbs: tuple[tuple[str, str], ...]
    ) -> _Page:
        plan = self.plan
        indicator = plan.indicator(indicator_id)
        result = self.report.indicator(indicator_id)
        label = indicator.label.text(lang)
        entity = self.report.entity
        blocks = []
        for n, (target, target_result) in enumerate(
            zip(indicator.targets, result.targets, strict=True)
        ):
            series = self.observations.series(entity, indicator_id, target.scope)
            chart = (
                _series_chart(
                    f"chart-{n + 1}",
                    series=series,
                    target=target_result,
                    indicator_label=f"{indicator_id} {label}",
                    lang=lang,
                )
                if series
                else None
            )
            blocks.append(
                {
                    "target": target,
                    "result": target_result,
                    "series": [
                        {
                            "period": o.period,
                            "value": _value_text(o.value, target_result, lang),
                            "source": o.source,
                        }
                        for o in series
                    ],
                    "chart": chart,
                }
            )
        tasks = [
            (task, next(link for link in task.contributes_to if link.to == indicator_id))
            for task in plan.graph.tasks_for(indicator_id)
        ]
        path = _indicator_path(indicator_id)
        return _Page(
            path=path,
            template="indicator.html.j2",
            title=f"{indicator_id} {label}",
            crumbs=(*crumbs, (f"{indicator_id} {_short(label, 40)}", path)),
            context={
                "indicator": indicator,
                "result": result,
                "blocks": blocks,
                "tasks": tasks,
            },
        )

    def _task(self, task_id: str, lang: Language, home: tuple[str, str]) -> _Page:
        plan = self.plan
        task = plan.task(task_id)
        before = [
            (plan.task(link.to), link) for link in task.depends_on if _has_task(plan, link.to)
        ]
        after = [t for t in plan.tasks if any(link.to == task_id for link in t.depends_on)]
        # What the task contributes to, and what its drives move through an index (1.1).
        wanted = {link.to for link in task.contributes_to}
        wanted |= {i.id for i in plan.graph.indicators_driven_by(task_id)}
        indicators = [self.report.indicator(i.id) for i in plan.indicators if i.id in wanted]
        path = _task_path(task_id)
        label = task.label.text(lang)
        return _Page(
            path=path,
            template="task.html.j2",
            title=f"{task_id} {label}",
            crumbs=(home, (f"{task_id} {label}", path)),
            context={
                "task": task,
                "result": self.report.task(task_id),
                "before": before,
                "after": after,
                "indicators": indicators,
                "priorities": [
                    plan.priority(link.to)
                    for link in task.priorities
                    if any(p.id == link.to for p in plan.priorities)
                ],
                "graph": _task_graph(
                    task_id, [t for t, _ in before], after, indicators, lang, plan
                ),
            },
        )


def _has_task(plan: Plan, task_id: str) -> bool:
    return any(t.id == task_id for t in plan.tasks)


def _status_order(status: str) -> int:
    from dxplan.plan.attainment import Status

    return Status(status).severity


def _task_graph(
    task_id: str,
    before: Sequence[Any],
    after: Sequence[Any],
    indicators: Sequence[IndicatorResult],
    lang: Language,
    plan: Plan,
) -> _TaskGraph:
    """Prerequisites on the left, the task in the middle, what it feeds on the right."""
    node_width, node_height, gap = 200, 32, 12
    width = 3 * node_width + 2 * 60 + 16
    right: list[tuple[str, str, str, str]] = [
        (t.id, t.label.text(lang), _task_path(t.id), "task") for t in after
    ] + [(i.id, i.label.text(lang), _indicator_path(i.id), "indicator") for i in indicators]
    left = [(t.id, t.label.text(lang), _task_path(t.id), "task") for t in before]
    rows = max(len(left), len(right), 1)
    height = 8 + rows * (node_height + gap)
    task = plan.task(task_id)

    def column(items: Sequence[tuple[str, str, str, str]], x: float) -> list[_GraphNode]:
        offset = (height - len(items) * (node_height + gap)) / 2
        return [
            _GraphNode(
                id=item_id,
                label=_short(f"{item_id} {text}", 26),
                title=f"{item_id} {text}",
                href=href,
                kind=kind,
                x=x,
                y=round(offset + gap / 2 + n * (node_height + gap), 1),
            )
            for n, (item_id, text, href, kind) in enumerate(items)
        ]

    left_nodes = column(left, 8)
    middle = column(
        [(task_id, task.label.text(lang), _task_path(task_id), "self")], 68 + node_width
    )
    right_nodes = column(right, 128 + 2 * node_width)
    centre = middle[0]
    edges = [
        _GraphEdge(
            x1=node.x + node_width,
            y1=node.y + node_height / 2,
            x2=centre.x,
            y2=centre.y + node_height / 2,
        )
        for node in left_nodes
    ] + [
        _GraphEdge(
            x1=centre.x + node_width,
            y1=centre.y + node_height / 2,
            x2=node.x,
            y2=node.y + node_height / 2,
        )
        for node in right_nodes
    ]
    nothing = phrase("site.nothing", lang)
    return _TaskGraph(
        id="graph-task",
        width=width,
        height=height,
        node_width=node_width,
        node_height=node_height,
        nodes=(*left_nodes, *middle, *right_nodes),
        edges=tuple(edges),
        title=phrase("site.graph", lang),
        desc=phrase("site.graph desc", lang).format(
            task=f"{task_id} {task.label.text(lang)}",
            before=", ".join(t.id for t in before) or nothing,
            after=", ".join(t.id for t in after) or nothing,
            indicators=", ".join(i.id for i in indicators) or nothing,
        ),
    )


# The index page --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _IndexView:
    """What the index page shows: ranking, the plan entity's explanation, rank spread."""

    result: IndexResult
    explanation: Explanation | None
    entity: str | None
    spread: UncertaintyResult
    top: int

    @property
    def index(self) -> Index:
        return self.result.index

    def title(self, lang: Language) -> str:
        return self.index.title(lang)

    def component_label(self, gap: ComponentGap, lang: Language) -> str:
        return label_text(gap.label, lang, default=gap.component)

    @property
    def components(self) -> tuple[Any, ...]:
        """The explanation's components, furthest above the median first (unknown first)."""
        if self.explanation is None:
            return ()
        return tuple(
            sorted(
                self.explanation.components,
                key=lambda g: -math.inf if math.isnan(g.vs_median) else -g.vs_median,
            )
        )

    @property
    def data(self) -> IndexData:
        return self.result.data


def _index_view(plan: Plan, index: Index, data: IndexData) -> _IndexView:
    result = index.evaluate(data)
    entity = plan.entity
    explanation = result.explain(entity) if entity is not None and entity in data.entities else None
    rank_targets = [t for i in plan.indicators for t in i.targets if t.comparator.is_rank]
    top = int(rank_targets[0].value) if rank_targets else 1
    spread = run_uncertainty(
        index, data, draws=UNCERTAINTY_DRAWS, weight_noise=UNCERTAINTY_NOISE, seed=UNCERTAINTY_SEED
    )
    return _IndexView(
        result=result,
        explanation=explanation,
        entity=entity,
        spread=spread,
        top=top,
    )


# Templates and writing ---------------------------------------------------------------


def _environment() -> jinja2.Environment:
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - jinja2 is in the test group
        raise MissingExtraError("jinja2", "site") from exc
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dxplan.render", "site_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _relative(target: str, page: str) -> str:
    """The URL of ``target`` from ``page``, both paths from the site's root."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def _render_pages(builder: _Builder, environment: jinja2.Environment) -> dict[str, bytes]:
    from importlib.metadata import version

    files: dict[str, bytes] = {}
    langs = builder.langs
    for lang in langs:
        for page in builder.pages(lang):
            where = f"{lang}/{page.path}"

            def url(path: str, _where: str = where, _lang: Language = lang) -> str:
                return _relative(f"{_lang}/{path}", _where)

            alternates = [
                {
                    "lang": other,
                    "name": phrase("site.language name", other),
                    "href": _relative(f"{other}/{page.path}", where),
                    "current": other == lang,
                }
                for other in langs
            ]
            template = environment.get_template(page.template)
            html = template.render(
                lang=lang,
                t=_phrases_of(lang),
                num=lambda value, decimals=None, _lang=lang: number(
                    value, _lang, decimals=decimals
                ),
                pct=lambda share, _lang=lang: percent(share, _lang),
                url=url,
                to_group=lambda group_id, _url=url: _url(_group_path(group_id)),
                to_indicator=lambda indicator_id, _url=url: _url(_indicator_path(indicator_id)),
                to_task=lambda task_id, _url=url: _url(_task_path(task_id)),
                target_text=lambda target, _lang=lang: target_result_text(target, _lang),
                observed_text=lambda target, _lang=lang: observed_text(target, _lang),
                gap_text=lambda target, _lang=lang: gap_text(target, _lang),
                value_text=lambda value, target, _lang=lang: _value_text(value, target, _lang),
                signed=lambda value, _lang=lang: signed(value, _lang, decimals=1),
                status_of=_status_of,
                status_label=lambda status, _lang=lang: status_label(status, _lang),
                noise=UNCERTAINTY_NOISE,
                seed=UNCERTAINTY_SEED,
                status_class=_status_class,
                stylesheet=_relative(_STYLESHEET, where),
                alternates=alternates,
                page=page,
                plan=builder.plan,
                report=builder.report,
                ranking=builder.ranking,
                index_path=_INDEX_PATH if builder.ranking is not None else None,
                version=version("dxplan"),
                **page.context,
            )
            files[where] = html.encode("utf-8")
    root = environment.get_template("root.html.j2").render(
        langs=[
            {
                "lang": lang,
                "name": phrase("site.language name", lang),
                "href": f"{lang}/index.html",
                "choose": phrase("site.choose language", lang),
                "title": builder.plan.label.text(lang),
            }
            for lang in langs
        ],
        lang=langs[0],
        stylesheet=_STYLESHEET,
    )
    files["index.html"] = root.encode("utf-8")
    files[_STYLESHEET] = (
        resources.files("dxplan.render") / "site_templates" / _STYLESHEET
    ).read_bytes()
    return files


def _phrases_of(lang: Language) -> Callable[..., str]:
    def t(key: str, **fields: object) -> str:
        return phrase(key, lang, **fields)

    return t


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _read_manifest(out: Path, force: bool) -> dict[str, str]:
    """What an earlier build wrote into ``out`` (path → sha256); refuses a folder not ours."""
    if out.exists() and not out.is_dir():
        raise FileFormatError(
            f"cannot build a site in {out}",
            [Problem(str(out), "found a file; expected a folder (new, empty, or an earlier site)")],
        )
    manifest = out / MANIFEST
    if not manifest.exists():
        if out.exists() and any(out.iterdir()) and not force:
            raise FileFormatError(
                f"will not build a site in {out}",
                [
                    Problem(
                        str(out),
                        f"found a folder with other files and no {MANIFEST}; expected a new or "
                        "empty folder or an earlier dxplan site, or --force / force=True "
                        "(files dxplan does not write are never touched)",
                    )
                ],
            )
        return {}
    from dxplan import _files

    try:
        data = _files.read_document(manifest, what="a dxplan site manifest")
    except FileFormatError as exc:
        if force:
            return {}
        raise FileFormatError(
            f"will not build a site in {out}",
            [Problem(str(manifest), f"{exc}; expected the JSON manifest dxplan writes")],
        ) from exc
    files = data.get("files") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or not isinstance(files, dict)
        or data.get("format") != _MANIFEST_FORMAT
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
    ):
        if force:
            return {}
        raise FileFormatError(
            f"will not build a site in {out}",
            [
                Problem(
                    str(manifest),
                    f"found no 'files' table of format {_MANIFEST_FORMAT}; "
                    "expected the manifest dxplan writes (or --force)",
                )
            ],
        )
    return dict(files)


def _inside(out: Path, relative: str) -> Path | None:
    """``out / relative`` when it stays inside ``out`` (a manifest is data, not trusted)."""
    path = (out / relative).resolve()
    return path if path.is_relative_to(out.resolve()) else None


def _write(out: Path, files: Mapping[str, bytes], force: bool) -> SiteSummary:
    from dxplan._files import write_atomic

    before = _read_manifest(out, force)
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged: list[str] = []
    for relative, content in sorted(files.items()):
        path = out / relative
        if path.is_file() and path.read_bytes() == content:
            unchanged.append(relative)
            continue
        if path.exists() and relative not in before and not force:
            raise FileFormatError(
                f"will not overwrite {path}",
                [
                    Problem(
                        str(path),
                        "the file exists and an earlier build did not write it; "
                        "expected a new path, or --force / force=True",
                    )
                ],
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content, force=True)
        written.append(relative)
    removed: list[str] = []
    for relative, digest in sorted(before.items()):
        if relative in files:
            continue
        stale = _inside(out, relative)
        # Only a file still as dxplan wrote it goes: an edited one is the user's now.
        if stale is not None and stale.is_file() and _digest(stale.read_bytes()) == digest:
            stale.unlink()
            removed.append(relative)
    manifest = {
        "format": _MANIFEST_FORMAT,
        "generator": "dxplan",
        "files": {relative: _digest(content) for relative, content in sorted(files.items())},
    }
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    if (out / MANIFEST).is_file() and (out / MANIFEST).read_text(encoding="utf-8") == text:
        pass
    else:
        write_atomic(out / MANIFEST, text, force=True)
    return SiteSummary(
        out=out,
        langs=(),
        pages=sum(1 for relative in files if relative.endswith(".html")),
        files=len(files),
        bytes=sum(len(content) for content in files.values()),
        written=tuple(written),
        unchanged=tuple(unchanged),
        removed=tuple(removed),
    )


def _languages(langs: Iterable[str]) -> tuple[Language, ...]:
    given = tuple(langs)
    chosen: list[Language] = []
    for lang in given:
        known = next((known for known in LANGUAGES if known == lang), None)
        if known is None:
            raise InvalidValueError("langs", lang, f"one of {', '.join(LANGUAGES)}")
        if known not in chosen:
            chosen.append(known)
    if not chosen:
        raise InvalidValueError("langs", given, "at least one language")
    return tuple(chosen)


def build_site(
    plan: Plan,
    observations: Observations,
    out: str | Path,
    *,
    index: Index | None = None,
    data: IndexData | None = None,
    langs: Sequence[str] = LANGUAGES,
    force: bool = False,
) -> SiteSummary:
    """Write the static site of ``plan``'s progress (and ``index``'s ranking) into ``out``.

    Args:
        plan: the plan.
        observations: its measured values (assessed with :func:`dxplan.assess`).
        out: the folder: new, empty, or an earlier site (recognised by its
            :data:`MANIFEST`).
        index: a composite index to rank the plan's entity on; needs ``data``.
        data: the index's data.
        langs: the languages, each in its own folder (``vi/``, ``en/``); the
            first is the one the root page names first.
        force: build into a folder that holds other files, and replace files
            an earlier build did not write. Files dxplan did not write are
            never deleted.

    Returns:
        What was built and written; files whose bytes did not change are not
        rewritten.

    Raises:
        FileFormatError: ``out`` is a file, or a folder with other files and no
            manifest (without ``force``).
        InvalidValueError: an unknown language, an index without data, or a
            panel (the site shows one period).
        MissingExtraError: Jinja2 is not installed (``pip install 'dxplan[site]'``).
    """
    from dxplan.plan.attainment import assess

    chosen = _languages(langs)
    if (index is None) != (data is None):
        raise InvalidValueError("data", data, "given together with index (both or neither)")
    from dxplan.index.data import PanelData

    if isinstance(data, PanelData):
        raise InvalidValueError(
            "data",
            f"a panel of {len(data.periods)} periods",
            "the data of one period (pick one with data.period(p))",
        )
    environment = _environment()
    report = assess(plan, observations)
    view = None if index is None or data is None else _index_view(plan, index, data)
    builder = _Builder(plan, observations, report, view, chosen)
    summary = _write(Path(out), _render_pages(builder, environment), force)
    return attrs.evolve(summary, langs=chosen)

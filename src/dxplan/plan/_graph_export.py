"""Text exports of a plan graph: DOT, Mermaid, GraphML and node-link JSON.

The functions here take plain rows (:class:`ExportNode`, :class:`ExportEdge`)
so that this module knows nothing of :mod:`dxplan.plan.graph`, which calls it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple


class ExportNode(NamedTuple):
    """One node as the exports see it."""

    key: str
    kind: str
    element_id: str
    label: str


class ExportEdge(NamedTuple):
    """One edge as the exports see it."""

    source: str
    target: str
    relation: str
    weight: float
    provenance: str
    note: str


# Shapes and styles tell the kinds apart without a legend.
_DOT_SHAPES = {
    "task": "box",
    "indicator": "ellipse",
    "group": "folder",
    "priority": "hexagon",
    "component": "parallelogram",
    "index_node": "doublecircle",
}
_DOT_STYLES = {"prerequisite_of": "bold", "belongs_to": "dashed", "serves": "dotted"}
_MERMAID_SHAPES = {
    "task": ('["', '"]'),
    "indicator": ('(["', '"])'),
    "group": ('[["', '"]]'),
    "priority": ('{{"', '"}}'),
    "component": ('[/"', '"/]'),
    "index_node": ('(("', '"))'),
}
_MERMAID_ARROWS = {"prerequisite_of": "==>", "belongs_to": "-.->", "serves": "-.->"}
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def dot_quote(text: str) -> str:
    r"""``text`` as a DOT double-quoted string.

    Backslashes are doubled so that Graphviz does not read ``\n`` or ``\l``
    in a label as its own escapes; line breaks become Graphviz's ``\n``.

    >>> print(dot_quote('say "hi"\\now'))
    "say \"hi\"\\now"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{escaped}"'


_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "\n": " ",
    "\r": " ",
}


def mermaid_text(text: str) -> str:
    """``text`` with the characters Mermaid would parse written as its entity codes.

    >>> mermaid_text('a "b" <c> #1')
    'a #quot;b#quot; #lt;c#gt; #35;1'
    """
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in text)


def _weight_text(weight: float) -> str:
    return f"{weight:g}"


def to_dot(name: str, title: str, nodes: Sequence[ExportNode], edges: Sequence[ExportEdge]) -> str:
    """The graph in Graphviz DOT; a weight other than 1 labels its edge."""
    lines = [
        f"digraph {dot_quote(name)} {{",
        "  rankdir=LR;",
        f"  label={dot_quote(title)};",
    ]
    for node in nodes:
        label = dot_quote(f"{node.element_id}\n{node.label}")
        lines.append(f"  {dot_quote(node.key)} [label={label}, shape={_DOT_SHAPES[node.kind]}];")
    for edge in edges:
        attributes = []
        if edge.relation in _DOT_STYLES:
            attributes.append(f"style={_DOT_STYLES[edge.relation]}")
        if edge.weight != 1:
            attributes.append(f"label={dot_quote(_weight_text(edge.weight))}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {dot_quote(edge.source)} -> {dot_quote(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_name(kind: str, element_id: str, taken: Collection[str] = ()) -> str:
    """A Mermaid node name made of the kind and the id, unlike any name in ``taken``.

    >>> mermaid_name("indicator", "3.1"), mermaid_name("task", "T-1", taken={"task_T_1"})
    ('indicator_3_1', 'task_T_1_2')
    """
    base = f"{kind}_{_NOT_NAME.sub('_', element_id)}"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    return name


def to_mermaid(nodes: Sequence[ExportNode], edges: Sequence[ExportEdge]) -> str:
    """The graph as a Mermaid flowchart; node names are ``kind_id`` with ``_`` for symbols."""
    names: dict[str, str] = {}
    lines = ["flowchart LR"]
    for node in nodes:
        name = mermaid_name(node.kind, node.element_id, names.values())
        names[node.key] = name
        opening, closing = _MERMAID_SHAPES[node.kind]
        label = mermaid_text(f"{node.element_id}: {node.label}")
        lines.append(f"  {name}{opening}{label}{closing}")
    for edge in edges:
        arrow = _MERMAID_ARROWS.get(edge.relation, "-->")
        if edge.weight != 1:
            arrow += f'|"{_weight_text(edge.weight)}"|'
        lines.append(f"  {names[edge.source]} {arrow} {names[edge.target]}")
    return "\n".join(lines) + "\n"


def _networkx(
    graph_data: dict[str, str], nodes: Sequence[ExportNode], edges: Sequence[ExportEdge]
) -> Any:
    import networkx as nx  # only GraphML needs it; the plan graph itself does not

    graph = nx.DiGraph(**graph_data)
    for node in nodes:
        graph.add_node(node.key, kind=node.kind, element_id=node.element_id, label=node.label)
    for edge in edges:
        graph.add_edge(
            edge.source,
            edge.target,
            relation=edge.relation,
            weight=float(edge.weight),
            provenance=edge.provenance,
            note=edge.note,
        )
    return graph


def to_graphml(
    graph_data: dict[str, str], nodes: Sequence[ExportNode], edges: Sequence[ExportEdge]
) -> str:
    """The graph as GraphML text (UTF-8, with its XML declaration)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(_networkx(graph_data, nodes, edges), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_node_link(
    graph_data: dict[str, str], nodes: Sequence[ExportNode], edges: Sequence[ExportEdge]
) -> dict[str, Any]:
    """The graph as networkx's node-link data, with the edge list under ``"edges"``.

    Built by hand rather than by ``nx.node_link_data`` so that the shape does
    not change with the installed networkx version.
    """
    return {
        "directed": True,
        "multigraph": False,
        "graph": dict(graph_data),
        "nodes": [
            {"id": node.key, "kind": node.kind, "element_id": node.element_id, "label": node.label}
            for node in nodes
        ],
        "edges": [
            {
                "source": edge.source,
                "target": edge.target,
                "relation": edge.relation,
                "weight": float(edge.weight),
                "provenance": edge.provenance,
                "note": edge.note,
            }
            for edge in edges
        ],
    }

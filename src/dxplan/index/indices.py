"""Bundled composite-index definitions, and user-defined ones from TOML or JSON.

- :func:`dti_922`: Vietnam's provincial DTI under Decision 922/QĐ-BTTTT (2022;
  used for DTI 2021–2023): nine main indicators scored by their maximum points
  (1 000 in all), and the three overlapping pillars reported beside it.
- :func:`dti_1726`: the 2020 provincial DTI (Decision 1726/QĐ-BTTTT): three
  pillars weighted 400 / 300 / 300.
- :func:`asem`: the ASEM Sustainable Connectivity index, COINr's worked example
  (49 indicators, 4 levels).
- :func:`load_index`: any index written as a TOML or JSON file (a label or
  name as a table ``{vi = "…", en = "…"}`` or as text).
- :func:`resolve`: a bundled index by name (``dti-922``, ``dti-1726``,
  ``asem``) or an index file by path, as the command line takes them.

Each definition carries its source in ``Index.citation``; what is inferred
rather than published is marked ``assumption=True`` with a note on the node.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dxplan.errors import InvalidValueError
from dxplan.index._outline import PILLARS, read_rows
from dxplan.index.aggregators import Aggregator, ArithmeticMean
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.rules import MinMax, Rule
from dxplan.text import Label

if TYPE_CHECKING:
    from dxplan.formats._index_files import index_from_dict, index_to_dict, load_index, load_steps

__all__ = [
    "ASEM_CITATION",
    "BUNDLED",
    "DTI_922_CITATION",
    "DTI_1726_CITATION",
    "asem",
    "dti_922",
    "dti_1726",
    "index_from_dict",
    "index_to_dict",
    "load_index",
    "load_steps",
    "resolve",
]

DTI_922_CITATION = (
    "Decision 922/QĐ-BTTTT of 20 May 2022 (Ministry of Information and Communications of "
    "Viet Nam), annex 1: provincial DTI, 9 main indicators, 98 components, 1 000 points; as "
    "summarised by provincial information departments (sctyenbai.gov.vn, stttt.daknong.gov.vn)"
)
DTI_1726_CITATION = (
    "Decision 1726/QĐ-BTTTT of 12 October 2020 (Ministry of Information and Communications of "
    "Viet Nam): provincial DTI 2020, three pillars of 7 main indicators; 1 000 points split "
    "400 / 300 / 300 (as reported for the national DTI; it fits the published 2020 values)"
)
ASEM_CITATION = (
    "COINr example data ASEM_iData / ASEM_iMeta (W. Becker et al., European Commission Joint "
    "Research Centre, MIT licence), from the ASEM Sustainable Connectivity Portal "
    "(Becker et al. 2018, JRC): 51 countries, 49 indicators, 4 levels"
)


def dti_922() -> Index:
    """The provincial DTI of Decision 922/QĐ-BTTTT (DTI 2021, 2022, 2023).

    Leaves are the nine main indicators on the published 0–1 scale (identity
    rule); ``DTI`` = Σ max points × value / 1 000 over them (the smart-city
    indicator is assessed but carries 0 points). The pillars ``chinh_quyen_so``
    (700 points = the foundation 500 + government activity 200),
    ``kinh_te_so`` and ``xa_hoi_so`` (650 each) overlap: each is the
    foundation indicators plus its own activity indicator. They hang under
    ``DTI`` with weight 0, reported beside it and not summed into it. Scores
    are published to four decimals and ranked as published (``precision=4``:
    two provinces at 0.5123 share a rank).
    """
    rows = read_rows("dti", "structure_922.csv")
    leaves: list[Node] = [
        Leaf(
            id=row["id"],
            label=Label(vi=row["name_vi"], en=row["name_en"]),
            note=f"{row['group']} indicator, {row['components']} components, "
            f"{row['max_points']} points" + ("" if row["scored"] == "yes" else ", not scored"),
        )
        for row in rows
    ]
    points = {row["id"]: float(row["max_points"]) for row in rows}
    foundation = [row["id"] for row in rows if row["group"] == "foundation" and points[row["id"]]]
    pillars: list[Node] = []
    for pillar_id, name_vi, name_en, activity in PILLARS:
        children = (*foundation, activity)
        scale = sum(points[c] for c in children)
        pillars.append(
            Aggregate(
                id=pillar_id,
                label=Label(vi=name_vi, en=name_en),
                children=children,
                weights=tuple(points[c] for c in children),
                points=scale,
                assumption=True,
                note=(
                    f"the foundation indicators plus {activity}, {scale:g} points. The "
                    "government pillar's 700-point scale is from a provincial source; the "
                    "650-point scales of the others, and a pillar value being its points "
                    "over its scale, are our inference (assumption)"
                ),
            )
        )
    root = Aggregate(
        id="DTI",
        label=Label(vi="Chỉ số chuyển đổi số cấp tỉnh", en="Provincial DTI"),
        children=(*points, *(p.id for p in pillars)),
        weights=(*points.values(), *(0.0 for _ in pillars)),
        points=1000.0,
        note="Σ max points × main-indicator value / 1 000; pillars have weight 0 "
        "(reported, not summed: since DTI 2021 the total is the main indicators' points)",
    )
    return Index(
        root="DTI",
        nodes=(*leaves, *pillars, root),
        name=Label(vi="DTI (Quyết định 922/QĐ-BTTTT)", en="DTI (Decision 922/QĐ-BTTTT)"),
        citation=DTI_922_CITATION,
        precision=4,
        note="Component scoring (98 components) is not modelled: the annex was not available; "
        "leaves take the published main-indicator values.",
    )


def dti_1726() -> Index:
    """The 2020 provincial DTI of Decision 1726/QĐ-BTTTT, from its pillar values.

    ``DTI`` = (400 × government + 300 × economy + 300 × society) / 1 000 over
    the published pillar values; the 21 main indicators are not modelled. No
    ``precision`` is declared: the 2020 ranks were decided on unrounded values
    (Thừa Thiên Huế 0.40965 and Bắc Ninh 0.40956 both print as 0.4096 but are
    published 2nd and 3rd).
    """
    leaves = [
        Leaf(id=pillar_id, label=Label(vi=name_vi, en=name_en))
        for pillar_id, name_vi, name_en, _ in PILLARS
    ]
    root = Aggregate(
        id="DTI",
        label=Label(vi="Chỉ số chuyển đổi số cấp tỉnh 2020", en="Provincial DTI 2020"),
        children=tuple(leaf.id for leaf in leaves),
        weights=(400.0, 300.0, 300.0),
        points=1000.0,
        note="400 / 300 / 300 points reported for the national DTI; it reproduces the "
        "published 2020 provincial ranks",
    )
    return Index(
        root="DTI",
        nodes=(*leaves, root),
        name=Label(
            vi="DTI 2020 (Quyết định 1726/QĐ-BTTTT)", en="DTI 2020 (Decision 1726/QĐ-BTTTT)"
        ),
        citation=DTI_1726_CITATION,
    )


def asem(*, rule: Rule | None = None, aggregator: Aggregator | None = None) -> Index:
    """The ASEM Sustainable Connectivity index (COINr's example), built from its ``iMeta``.

    49 indicators → 8 sub-pillars → 2 pillars → ``Index``, directions and
    weights from iMeta. By default indicators are min-maxed onto [0, 100] and
    every level is a weighted arithmetic mean, as in COINr's worked example.
    iMeta names the nodes in English only: each label is that one name
    (``Label(vi=name)``), shown as written in both languages.
    """
    leaf_rule = MinMax(low=0, high=100) if rule is None else rule
    combine = ArithmeticMean() if aggregator is None else aggregator
    rows = [
        row for row in read_rows("asem", "iMeta.csv") if row["Type"] in ("Indicator", "Aggregate")
    ]
    children: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        if row["Parent"]:
            children.setdefault(row["Parent"], []).append((row["iCode"], float(row["Weight"])))
    nodes: list[Node] = []
    for row in rows:
        if row["Type"] == "Indicator":
            direction = int(row["Direction"])
            nodes.append(
                Leaf(
                    id=row["iCode"],
                    label=row["iName"],
                    rule=leaf_rule,
                    direction=direction if leaf_rule.takes_direction else 1,
                    note=f"unit: {row['Unit']}",
                )
            )
        else:
            kids = children[row["iCode"]]
            nodes.append(
                Aggregate(
                    id=row["iCode"],
                    label=row["iName"],
                    children=tuple(c for c, _ in kids),
                    weights=tuple(w for _, w in kids),
                    aggregator=combine,
                    points=1.0,
                )
            )
    return Index(
        root="Index",
        nodes=tuple(nodes),
        name="ASEM Sustainable Connectivity",
        citation=ASEM_CITATION,
    )


#: Bundled index definitions by the name the command line uses.
BUNDLED: dict[str, Callable[[], Index]] = {"dti-922": dti_922, "dti-1726": dti_1726, "asem": asem}


def resolve(ref: str) -> Index:
    """A bundled index by name (``dti-922``, ``dti-1726``, ``asem``) or from a .toml/.json file."""
    if ref in BUNDLED:
        return BUNDLED[ref]()
    if Path(ref).suffix.lower() in (".toml", ".json"):
        from dxplan.formats._index_files import load_index

        return load_index(ref)
    raise InvalidValueError(
        "index", ref, "one of " + ", ".join(BUNDLED) + " or the path of a .toml/.json file"
    )


# Index files load cattrs and the construction steps: only when a file is read,
# so that ranking a bundled index starts fast.
_FROM_FILES = ("index_from_dict", "index_to_dict", "load_index", "load_steps")


def __getattr__(name: str) -> object:
    if name in _FROM_FILES:
        from dxplan.formats import _index_files

        return getattr(_index_files, name)
    raise AttributeError(f"module 'dxplan.index.indices' has no attribute {name!r}")

"""Bundled data: published DTI values and ranks, and COINr's ASEM example.

Every data set carries its source (``IndexData.source``,
``PublishedRanking.source``). Values are as published; nothing is filled in.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from dxplan.index.provinces import Era

from dxplan._numbers import Locale, parse_number
from dxplan.errors import InvalidValueError
from dxplan.index.data import IndexData, PanelData
from dxplan.index.indices import ASEM_CITATION

__all__ = [
    "BUNDLED",
    "PublishedRanking",
    "asem",
    "asem_denominations",
    "asem_panel",
    "dti_2020",
    "dti_2020_ranking",
    "dti_2022",
    "dti_2022_ranking",
    "resolve",
]

DTI_2022_SOURCE = (
    "Ministry of Information and Communications of Viet Nam, DTI 2022 provincial results, "
    "dti.gov.vn/xep-hang-2022"
)
DTI_2020_SOURCE = (
    "DTI 2020 provincial results (Ministry of Information and Communications of Viet Nam), "
    "via the public dataset letrinhan/vn-dti-provincial; Bắc Ninh row cross-checked with a "
    "Party news site"
)

_MAIN_922 = (
    "nhan_thuc_so",
    "the_che_so",
    "ha_tang_so",
    "nhan_luc_so",
    "an_toan_thong_tin_mang",
    "do_thi_thong_minh",
    "hd_chinh_quyen_so",
    "hd_kinh_te_so",
    "hd_xa_hoi_so",
)


def _rows(folder: str, name: str) -> list[dict[str, str]]:
    text = resources.files("dxplan").joinpath("data", folder, name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _value(text: str | None) -> float:
    # The bundled files are written the English way; read them with the one parser all the same.
    return math.nan if text is None or not text.strip() else parse_number(text, locale="en")


@attrs.frozen(kw_only=True)
class PublishedRanking:
    """A ranking as published: ``(entity, rank)`` pairs, best first, with its source."""

    title: str
    entries: tuple[tuple[str, int], ...]
    names: tuple[str, ...]
    source: str

    @property
    def ranks(self) -> dict[str, int]:
        """Entity id → published rank."""
        return dict(self.entries)

    def rank(self, entity: str) -> int:
        """The published rank of ``entity``."""
        try:
            return self.ranks[entity]
        except KeyError:
            raise InvalidValueError("entity", entity, "an entity of the ranking") from None

    def name(self, entity: str) -> str:
        """The published name of ``entity``."""
        for (e, _), name in zip(self.entries, self.names, strict=True):
            if e == entity:
                return name
        raise InvalidValueError("entity", entity, "an entity of the ranking")


def dti_2022() -> IndexData:
    """DTI 2022 values of the main indicators for the top five provinces.

    Columns are the main indicators of :func:`dxplan.index.indices.dti_922`; the
    smart-city indicator (assessed, 0 points) was not published and is NaN.
    """
    rows = _rows("dti", "dti_2022_main_indicators_top5.csv")
    return IndexData.from_mapping(
        {row["id"]: {c: _value(row.get(c)) for c in _MAIN_922} for row in rows},
        components=_MAIN_922,
        names={row["id"]: row["province"] for row in rows},
        source=DTI_2022_SOURCE + " (main-indicator values, ranks 1–5)",
    )


def dti_2022_ranking() -> PublishedRanking:
    """The published DTI 2022 rank of all 63 provinces (Thanh Hóa and Yên Bái share 15th)."""
    rows = _rows("dti", "dti_2022_ranking.csv")
    return PublishedRanking(
        title="DTI 2022, provinces",
        entries=tuple((row["id"], int(row["rank"])) for row in rows),
        names=tuple(row["province"] for row in rows),
        source=DTI_2022_SOURCE,
    )


def dti_2020() -> IndexData:
    """DTI 2020 pillar values of the top nine provinces (the inputs of ``indices.dti_1726``)."""
    rows = _rows("dti", "dti_2020_pillars_top9.csv")
    pillars = ("chinh_quyen_so", "kinh_te_so", "xa_hoi_so")
    return IndexData.from_mapping(
        {row["id"]: {p: _value(row[p]) for p in pillars} for row in rows},
        components=pillars,
        names={row["id"]: row["province"] for row in rows},
        source=DTI_2020_SOURCE + " (pillar values, ranks 1–9)",
    )


def dti_2020_ranking() -> PublishedRanking:
    """The published DTI 2020 ranks 1–9."""
    rows = _rows("dti", "dti_2020_pillars_top9.csv")
    return PublishedRanking(
        title="DTI 2020, provinces ranked 1–9",
        entries=tuple((row["id"], int(row["dti_rank"])) for row in rows),
        names=tuple(row["province"] for row in rows),
        source=DTI_2020_SOURCE,
    )


ASEM_GROUPS = ("GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group")
ASEM_PANEL_CITATION = (
    ASEM_CITATION + "; COINr's example panel ASEM_iData_p (51 countries × 2018–2022)"
)


def _asem_meta() -> tuple[list[str], list[str]]:
    meta = _rows("asem", "iMeta.csv")
    indicators = [row["iCode"] for row in meta if row["Type"] == "Indicator"]
    denominators = [row["iCode"] for row in meta if row["Type"] == "Denominator"]
    return indicators, denominators


def asem() -> IndexData:
    """COINr's ASEM example: 51 countries × 49 raw indicators (63 missing values).

    The four grouping columns are kept as entity attributes and the four
    denominators (``Area``, ``Energy``, ``GDP``, ``Population``) as
    :attr:`IndexData.denominators`.
    """
    indicators, denominators = _asem_meta()
    path = resources.files("dxplan").joinpath("data", "asem", "iData.csv")
    with resources.as_file(path) as file:
        return IndexData.from_csv(
            file,
            components=indicators,
            attributes=ASEM_GROUPS,
            denominators=denominators,
            source=ASEM_CITATION,
        )


def asem_panel() -> PanelData:
    """COINr's ASEM panel: 51 countries × 5 years (2018–2022) × 49 indicators."""
    indicators, denominators = _asem_meta()
    path = resources.files("dxplan").joinpath("data", "asem", "iData_panel.csv")
    with resources.as_file(path) as file:
        return IndexData.from_csv(
            file,
            period="Time",
            components=indicators,
            attributes=ASEM_GROUPS,
            denominators=denominators,
            source=ASEM_PANEL_CITATION,
        )


def asem_denominations() -> dict[str, str]:
    """COINr's ASEM ``iMeta`` denominators: ``{indicator: denominator}`` for those that have one."""
    meta = _rows("asem", "iMeta.csv")
    return {
        row["iCode"]: row["Denominator"]
        for row in meta
        if row["Type"] == "Indicator" and row["Denominator"] not in ("", "NA")
    }


#: Bundled index data by the name the command line uses.
BUNDLED: dict[str, Callable[[], IndexData]] = {
    "dti-2022": dti_2022,
    "dti-2020": dti_2020,
    "asem": asem,
    "asem-panel": asem_panel,
}


def resolve(
    ref: str,
    *,
    id_column: str = "id",
    name_column: str | None = None,
    components: Sequence[str] | None = None,
    sheet: str | int | None = None,
    era: Era | None = None,
    locale: Locale | None = None,
    period_column: str | None = None,
) -> IndexData:
    """Bundled data by name (``dti-2022``, ``dti-2020``, ``asem``, ``asem-panel``) or a file.

    A file is a wide .csv or .xlsx; ``components`` reads only those columns
    (other columns may then hold anything); ``period_column`` reads a long
    file as a panel; see
    :meth:`IndexData.from_csv` and :meth:`IndexData.from_excel` (``sheet``,
    ``era`` to match province names, ``locale`` of numbers written as text).
    """
    if ref in BUNDLED:
        return BUNDLED[ref]()
    suffix = Path(ref).suffix.lower()
    if suffix == ".csv":
        if period_column is not None:
            return IndexData.from_csv(
                ref,
                id_column=id_column,
                name_column=name_column,
                components=components,
                period=period_column,
                locale=locale,
            )
        return IndexData.from_csv(
            ref, id_column=id_column, name_column=name_column, components=components, locale=locale
        )
    if suffix in (".xlsx", ".xlsm"):
        return IndexData.from_excel(
            ref,
            sheet,
            id_column=id_column,
            name_column=name_column,
            components=components,
            era=era,
            locale=locale,
            period=period_column,
        )
    raise InvalidValueError(
        "data", ref, "one of " + ", ".join(BUNDLED) + " or the path of a .csv or .xlsx file"
    )

"""How views name an entity (a province by its official name, else its id) and an index node."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from dxplan.errors import UnknownIdError
from dxplan.index.provinces import Province, province
from dxplan.text import Language, label_text

if TYPE_CHECKING:
    from dxplan.index.model import Index

__all__ = ["entity_name", "node_name"]


@functools.cache
def _province(entity: str) -> Province | None:
    for era in (2024, 2025):
        try:
            return province(entity, era)
        except UnknownIdError:
            continue
    return None


def entity_name(entity: str, lang: Language) -> str:
    """``"TP. Hồ Chí Minh"`` (vi) or ``"Hồ Chí Minh City"`` (en) for ``"ho-chi-minh"``.

    Names are proper names and keep their Vietnamese spelling in English; an
    entity that is no province of either era is shown by its id.
    """
    unit = _province(entity)
    if unit is None:
        return entity
    if lang == "vi":
        return unit.full_name
    return f"{unit.name_vi} {'City' if unit.kind == 'city' else 'Province'}"


def node_name(index: Index, node: str, lang: Language) -> str:
    """The label of ``node`` in ``lang`` (Vietnamese when untranslated), else its id."""
    return label_text(index.node(node).label, lang, default=node)

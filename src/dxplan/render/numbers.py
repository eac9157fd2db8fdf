"""The one locale-aware number, percent and comparator formatter of every view.

Vietnamese writes ``0,7164`` and ``12.345,6``; English ``0.7164`` and
``12,345.6``. Every number a view shows passes through :func:`number` or
:func:`percent`; every comparison through :func:`comparison`, so that ``check``,
``graph`` and ``report`` all print ``≥ 25 %`` and ``hạng ≤ 5/63``. Machine
formats (JSON, CSV) never come here: they keep codes and dot decimals.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

from dxplan.render.phrasebook import phrase
from dxplan.text import Language

if TYPE_CHECKING:
    from dxplan.plan.model import Comparator
    from dxplan.units import Unit

__all__ = [
    "DASH",
    "comparison",
    "number",
    "percent",
    "quantity",
    "round_away",
    "signed",
]

DASH: Final = "—"
"""What a missing number shows as."""


_TO_VI = str.maketrans({".": ",", ",": "."})
_PERCENT_UNITS = frozenset({"%", "percent", "phần_trăm"})
_PLAIN_UNITS = frozenset({"dimensionless", "1", ""})


def _localise(text: str, lang: Language) -> str:
    return text.translate(_TO_VI) if lang == "vi" else text


def number(
    value: float | None,
    lang: Language,
    *,
    decimals: int | None = None,
    significant: int = 10,
) -> str:
    """``value`` in ``lang``: a decimal comma in Vietnamese, a point in English.

    With ``decimals``, exactly that many decimals; otherwise the shortest form
    with at most ``significant`` digits (``22``, ``0.7164``). Thousands are
    grouped from 10 000 up (``12.345,6`` / ``12,345.6``; four digits stay
    together, as SI writes them). ``None`` and NaN show as an em dash.

    >>> number(0.71637, "vi", decimals=4), number(0.71637, "en", decimals=4)
    ('0,7164', '0.7164')
    >>> number(12345.6, "vi"), number(22.0, "en")
    ('12.345,6', '22')
    """
    if value is None or math.isnan(value):
        return DASH
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    group = "," if abs(value) >= 10_000 else ""
    spec = f"{group}.{decimals}f" if decimals is not None else f"{group}.{significant}g"
    return _localise(format(value, spec), lang)


def signed(value: float | None, lang: Language, *, decimals: int | None = None) -> str:
    """``value`` with its sign always shown (``+1,5``, ``-0,2``); zero unsigned."""
    text = number(value, lang, decimals=decimals)
    if value is None or math.isnan(value) or text.lstrip("-").strip("0.,") == "":
        return text.lstrip("-")
    return text if text.startswith("-") else f"+{text}"


def percent(value: float | None, lang: Language, *, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.96`` → ``"96,0 %"`` / ``"96.0 %"``.

    A value below 1 never shows as 100 %: an unmet attainment or a probability
    short of certainty shows as ``99,9 %`` at most, so the overview and the
    tables agree on what is met.

    >>> percent(0.9999, "en"), percent(1.0, "vi"), percent(None, "en")
    ('99.9 %', '100,0 %', '—')
    """
    if value is None or math.isnan(value):
        return DASH
    shown = round(value * 100, decimals)
    if value < 1:
        shown = min(shown, 100 - 10.0**-decimals)
    return f"{number(shown, lang, decimals=decimals)} %"


def round_away(value: float, start: float, decimals: int) -> float:
    """The least value that reaches a goal, rounded away from ``start`` so the shown value reaches.

    Such a value is rarely round: 0.917633 shown as 0.9176 would fall short of the
    goal it answers, so it is shown as 0.9177.

    >>> round_away(0.917633, 0.359, 4), round_away(0.0812, 0.5, 2), round_away(0.4662, 0.359, 4)
    (0.9177, 0.08, 0.4662)
    """
    scaled = value * 10.0**decimals
    # A value already on the grid (0.4662 stored as 4661.999…) stays where it is.
    step = math.ceil(scaled - 1e-6) if value > start else math.floor(scaled + 1e-6)
    return step / 10.0**decimals


def is_percent(unit: Unit) -> bool:
    """Whether ``unit`` is a percentage (shown as ``22 %``)."""
    return unit.symbol in _PERCENT_UNITS


def quantity(value: float | None, unit: Unit | None, lang: Language) -> str:
    """``value`` with its unit: ``"22 %"``, ``"716,4 điểm"``, ``"3"`` (dimensionless)."""
    text = number(value, lang)
    if value is None or unit is None or unit.symbol in _PLAIN_UNITS:
        return text
    if is_percent(unit):
        return f"{text} %"
    return f"{text} {unit.symbol}"


def comparison(
    comparator: Comparator,
    value: float,
    unit: Unit | None,
    lang: Language,
    *,
    out_of: int | None = None,
) -> str:
    """A target as a reader writes it: ``"≥ 25 %"``, ``"> 10 %"``, ``"hạng ≤ 5/63"``.

    >>> from dxplan.plan.model import Comparator
    >>> comparison(Comparator.RANK_AT_MOST, 5, None, "en", out_of=63)
    'rank ≤ 5/63'
    """
    symbol = comparator.symbol
    if comparator.is_rank:
        text = f"{phrase('rank', lang)} {symbol} {number(value, lang)}"
        return f"{text}/{out_of}" if out_of else text
    return f"{symbol} {quantity(value, unit, lang)}"

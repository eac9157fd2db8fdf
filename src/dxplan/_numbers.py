"""Numbers written as text, the way Vietnamese and English tables write them.

The one place where text becomes a number (CSV cells, Excel cells stored as
text, observation values). Vietnamese writes a decimal comma and groups
thousands with a dot (``"1.234,5"``); English the other way round
(``"1,234.5"``); both may group with spaces. A value may end in ``%`` or in a
magnitude word (``"1,5 triệu"``).

The locale is declared (``"vi"`` or ``"en"``) or inferred, and inferred only
when the text allows one reading: ``"0,7163"`` (a group of thousands never
has 4 digits), ``"1.234,5"`` (both marks: the last is the decimal one),
``"1.234.567"`` (a decimal mark appears once). ``"1.234"`` alone could be
1.234 or 1234: without a declared locale it is refused, saying so.
:func:`infer_locale` decides for a whole column or file at once, so that one
unambiguous cell settles the others and two cells that disagree are both named.

>>> parse_number("0,7163"), parse_number("1.234,5"), parse_number("1,234.5")
(0.7163, 1234.5, 1234.5)
>>> parse_number("1.234", locale="vi"), parse_number("1.234", locale="en")
(1234.0, 1.234)
>>> split_number("72 %")
(72.0, '%')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final, Literal

from dxplan.errors import InvalidValueError
from dxplan.text import nfc

__all__ = [
    "LOCALES",
    "MAGNITUDES",
    "Locale",
    "infer_locale",
    "locales_of",
    "parse_number",
    "period_label",
    "split_number",
]

Locale = Literal["vi", "en"]
LOCALES: Final[tuple[Locale, ...]] = ("vi", "en")

MAGNITUDES: Final[dict[str, float]] = {
    "nghìn": 1e3,
    "ngàn": 1e3,
    "thousand": 1e3,
    "triệu": 1e6,
    "million": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
    "billion": 1e9,
}
"""Magnitude words a number may end in, and what they multiply it by."""

_MARKS: Final = {"vi": (",", "."), "en": (".", ",")}  # (decimal mark, group mark)
_SIGNS = {"+": 1.0, "-": -1.0, "\u2212": -1.0, "\u2013": -1.0}
_BODY = re.compile(r"[0-9][0-9.,]*|[.,][0-9]+")
_SPACE_GROUP = re.compile(r"[ \u00a0\u202f\u2009]([0-9]{3})(?![0-9])([.,][0-9]+)?")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]{1,3}")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:G[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]*")
_MAX_LENGTH = 200


def _expected(locale: Locale | None) -> str:
    if locale == "vi":
        return "a number written the Vietnamese way, like 0,7163 or 1.234,5"
    if locale == "en":
        return "a number written the English way, like 0.7163 or 1,234.5"
    return "a number such as 0,7163, 1.234,5 or 72 %"


def locales_of(text: str) -> frozenset[Locale]:
    """The locales under which ``text`` reads as a number (both when either would do).

    Empty when neither reads it. ``"1.234"`` gives both, though they disagree:
    use :func:`ambiguous` to ask whether the readings differ.

    >>> sorted(locales_of("0,5")), sorted(locales_of("12")), sorted(locales_of("1,2,3"))
    (['vi'], ['en', 'vi'], [])
    """
    body = _body(text)
    if body is None:
        return frozenset()
    return frozenset(loc for loc in LOCALES if _read_body(body, loc) is not None)


def ambiguous(text: str) -> bool:
    """Whether ``text`` reads as two different numbers in Vietnamese and in English."""
    body = _body(text)
    if body is None:
        return False
    vi, en = _read_body(body, "vi"), _read_body(body, "en")
    return vi is not None and en is not None and vi != en


def infer_locale(texts: Iterable[str]) -> Locale | None:
    """The one locale that reads every text that only one locale reads, if any.

    ``None`` when no text decides (every one reads the same either way, or is
    ambiguous). Texts that neither locale reads are left for the parser to refuse.

    Raises:
        InvalidValueError: one text reads only the Vietnamese way and another
            only the English way; both are named.
    """
    decided: dict[Locale, str] = {}
    for text in texts:
        readings = locales_of(text)
        if len(readings) == 1:
            (only,) = readings
            decided.setdefault(only, text)
    if len(decided) == 2:
        raise InvalidValueError(
            "numbers",
            f"{decided['vi']!r} (decimal comma) and {decided['en']!r} (decimal point)",
            "numbers written one way throughout; declare the locale ('vi' or 'en')",
        )
    return next(iter(decided), None)


def split_number(
    text: str, *, locale: Locale | None = None, field: str = "value"
) -> tuple[float, str]:
    """A number at the start of ``text`` and the rest of it (a unit, ``%``, a magnitude word).

    The number is not scaled: ``"72 %"`` gives ``(72.0, "%")`` and
    ``"1,5 triệu"`` gives ``(1.5, "triệu")``; the caller knows what the rest
    means. See :func:`parse_number` for a plain value.

    Raises:
        InvalidValueError: ``text`` does not start with a number, reads
            differently in Vietnamese and English without a declared
            ``locale``, or is not written the declared way.
    """
    if not isinstance(text, str):
        raise InvalidValueError(field, text, "text holding a number")
    if locale is not None and locale not in LOCALES:
        raise InvalidValueError("locale", locale, "'vi', 'en' or None (inferred)")
    if len(text) > _MAX_LENGTH:
        raise InvalidValueError(field, text, f"a number of at most {_MAX_LENGTH} characters")
    sign, body, rest = _take(text)
    if body is None:
        raise InvalidValueError(field, text, _expected(locale))
    exponent = _EXPONENT.match(rest)
    power = ""
    if exponent is not None and "," not in body:
        power, rest = exponent.group(0), rest[exponent.end() :]
    # "12abc" is not a number followed by a unit; "12 abc", "12%" and "12triệu" are.
    if rest[:1].isalnum() and not any(rest.lower().startswith(w) for w in MAGNITUDES):
        raise InvalidValueError(field, text, _expected(locale))
    number = _number(body, locale, text, field)
    if power and math.isfinite(number):
        number = float(f"{number!r}{power}")
    value = sign * number
    if not math.isfinite(value):
        raise InvalidValueError(field, text, "a finite number")
    return value, nfc(" ".join(rest.split()))


def parse_number(text: str, *, locale: Locale | None = None, field: str = "value") -> float:
    """``text`` as a number: ``%`` divides by 100, a magnitude word multiplies.

    >>> parse_number("72 %"), parse_number("1,5 triệu"), parse_number("-3")
    (0.72, 1500000.0, -3.0)

    Raises:
        InvalidValueError: anything :func:`split_number` refuses, or text
            after the number that is neither ``%`` nor a magnitude word.
    """
    number, rest = split_number(text, locale=locale, field=field)
    if not rest:
        return number
    scale = 0.01 if rest == "%" else MAGNITUDES.get(rest.lower())
    if scale is None:
        raise InvalidValueError(
            field, text, _expected(locale) + ", maybe followed by % or triệu/tỷ/nghìn"
        )
    # In decimal, so that "71,63 %" is 0.7163 and not 0.7162999999999999.
    scaled = float(Decimal(repr(number)) * Decimal(repr(scale)))
    if not math.isfinite(scaled):
        raise InvalidValueError(field, text, "a finite number")
    return scaled


def _take(text: str) -> tuple[float, str | None, str]:
    """The sign, the digits-and-marks part (``G`` for a space between groups) and the rest."""
    stripped = text.strip()
    sign = 1.0
    if stripped[:1] in _SIGNS:
        sign, stripped = _SIGNS[stripped[0]], stripped[1:].lstrip()
    match = _BODY.match(stripped)
    if match is None:
        return sign, None, stripped
    body, rest = match.group(0), stripped[match.end() :]
    # Digits grouped with spaces ("1 234,5"): join the groups of three that follow.
    while (more := _SPACE_GROUP.match(rest)) is not None:
        body, rest = body + "G" + more.group(1) + (more.group(2) or ""), rest[more.end() :]
    return sign, body, rest


def _body(text: object) -> str | None:
    if not isinstance(text, str) or len(text) > _MAX_LENGTH:
        return None
    return _take(text)[1]


def _number(body: str, locale: Locale | None, text: str, field: str) -> float:
    if locale is not None:
        value = _read_body(body, locale)
        if value is None:
            raise InvalidValueError(field, text, _expected(locale))
        return value
    vi, en = _read_body(body, "vi"), _read_body(body, "en")
    if vi is not None and en is not None and vi != en:
        raise InvalidValueError(
            field,
            text,
            f"a number that reads one way: {text.strip()!r} is {_plain(vi)} with a decimal "
            f"comma (vi) but {_plain(en)} with a decimal point (en); declare the locale",
        )
    value = vi if vi is not None else en
    if value is None:
        raise InvalidValueError(field, text, _expected(None))
    return value


def _plain(value: float) -> str:
    return f"{value:.15g}"


def _read_body(body: str, locale: Locale) -> float | None:
    """``body`` (digits, marks, ``G`` for a space between groups) read in ``locale``."""
    decimal, group = _MARKS[locale]
    whole, _, fraction = body.partition(decimal)
    if decimal in fraction or group in fraction:
        return None
    if not whole and not fraction:
        return None
    if "G" in fraction:
        return None
    grouped = whole.replace(group, "G")
    if "G" in grouped:
        if not _GROUPED.fullmatch(grouped):
            return None
        # Space groups and mark groups together ("1 234.567") are not a way anyone writes.
        if "G" in whole and group in whole:
            return None
    digits = grouped.replace("G", "")
    if not _DIGITS.fullmatch(digits):
        return None
    if decimal in body and not fraction and not digits:
        return None
    return float(f"{digits or '0'}.{fraction or '0'}")


def period_label(text: str) -> int | str:
    """A period as written in a file: digits are a year (an int), anything else a label."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text

"""Units: the one pint registry of dxplan, and :class:`Unit`.

A :class:`Unit` is a pint unit plus the *basis* it is a share of. 22 % and
0.22 are the same value; but 22 % of GRDP and 22 % of retail sales are not
comparable, so the basis is part of the unit.

The registry is deliberately small (shares, ranks, points, counts, time and
currencies with Vietnamese magnitudes): it builds in milliseconds, where pint's
full default registry takes a noticeable part of a second. Users may add units
with :func:`define`. It is built on first use, not at import.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from dxplan.errors import UnitError
from dxplan.text import nfc

if TYPE_CHECKING:
    import pint

__all__ = [
    "PERCENT",
    "POINT",
    "RANK",
    "Unit",
    "define",
    "registry",
]

_DEFINITIONS = (
    "percent = 0.01 = % = phần_trăm",
    "permille = 0.001 = ‰",
    "rank = [rank] = _ = hạng",
    "point = [point] = _ = điểm",
    "count = [count]",
    "VND = [currency_VND] = _ = đồng = dong",
    "USD = [currency_USD]",
    # Vietnamese magnitudes, as they are written before a currency.
    "nghìn = 1e3 = _ = ngàn = thousand",
    "triệu = 1e6 = _ = million",
    "tỷ = 1e9 = _ = tỉ = billion",
    "second = [time] = s",
    "minute = 60 * second = min",
    "hour = 60 * minute = h = giờ",
    "day = 24 * hour = d = ngày",
    "year = 365.25 * day = yr = năm",
    "month = year / 12 = tháng",
)


def _new_registry() -> pint.UnitRegistry[Any]:
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(None, on_redefinition="raise")
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


@functools.cache
def _registry() -> pint.UnitRegistry[Any]:
    return _new_registry()


if TYPE_CHECKING:
    registry: pint.UnitRegistry[Any]
    """The one unit registry; every quantity dxplan makes comes from it."""


def __getattr__(name: str) -> pint.UnitRegistry[Any]:
    # ``registry`` is built on first use, so that commands which convert no
    # unit (rank, uncertainty, schema of an index) do not pay for it.
    if name == "registry":
        return _registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def define(definition: str) -> None:
    """Add a unit to the registry, in pint's definition syntax (``"bed = [bed]"``)."""
    import pint

    try:
        _registry().define(definition)
    except (pint.PintError, ValueError) as exc:
        raise UnitError(f"cannot define unit {definition!r}: {exc}") from exc


_MAX_SYMBOL_LENGTH = 100
# pint computes powers with Python integers: 10**10**10, 10**(…) or (…)**9 would
# run for ever, so a power must be a small number applied to a unit or number.
_RISKY_POWER = re.compile(
    r"\)\s*(?:\*\*|\^)|(?:\*\*|\^)(?!\s*[-+]?\d{1,2}(?:\.\d+)?(?![\d.eE]|\s*(?:\*\*|\^)))"
)


# Parsed once per symbol: a large observations file asks about the same few
# units a million times. Units are never redefined (on_redefinition="raise"),
# so a parse stays true; refusals raise and are not cached.
@functools.lru_cache(maxsize=1024)
def _parse_pint(symbol: str) -> pint.Unit:
    unknown = (
        f"unknown unit {symbol[:_MAX_SYMBOL_LENGTH]!r}; expected a unit such as '%', 'rank', "
        "'point', 'VND', 'tỷ VND' or 'count'"
    )
    if len(symbol) > _MAX_SYMBOL_LENGTH or _RISKY_POWER.search(symbol):
        raise UnitError(unknown)
    try:
        return _registry().parse_units(symbol)
    except Exception as exc:  # pint's parser raises many kinds (AssertionError, TokenError, …)
        raise UnitError(unknown) from exc


Dimensions = frozenset[tuple[str, float]]
"""A dimensionality as (base dimension, exponent) pairs; empty for a share."""

# The symbols _DEFINITIONS always defines, with their dimensions and their factor
# to the base unit: what pint would answer, without importing it.
_BUILT_IN: dict[str, tuple[Dimensions, Decimal]] = {
    "%": (frozenset(), Decimal("0.01")),
    "percent": (frozenset(), Decimal("0.01")),
    "dimensionless": (frozenset(), Decimal(1)),
    "1": (frozenset(), Decimal(1)),
    "rank": (frozenset({("[rank]", 1)}), Decimal(1)),
    "point": (frozenset({("[point]", 1)}), Decimal(1)),
    "count": (frozenset({("[count]", 1)}), Decimal(1)),
    "VND": (frozenset({("[currency_VND]", 1)}), Decimal(1)),
}


@functools.lru_cache(maxsize=1024)
def _dimensions(symbol: str) -> Dimensions:
    """The dimensionality of a symbol, worked out once per symbol."""
    if symbol in _BUILT_IN:
        return _BUILT_IN[symbol][0]
    unit = _parse_pint(symbol)
    try:
        powers = unit.dimensionality.items()
    except Exception as exc:  # a user-defined logarithmic unit in a compound, for one
        raise UnitError(
            f"unit {symbol!r} has no dimension dxplan can compare; expected a unit of the "
            "registry, or a product or ratio of them"
        ) from exc
    # pint types a power as any number, complex included; a unit's powers are real.
    return frozenset((name, float(power)) for name, power in powers)  # type: ignore[arg-type]


def symbol_pattern() -> str:
    """A regular expression of the symbols the registry reads, for the JSON Schema.

    Names, aliases and symbols of the registry's units (as they are now, with
    :func:`define`'s additions), numbers, small powers, and ``*``, ``/`` or a
    space between them: ``"%"``, ``"tỷ VND"``, ``"VND / count"``.
    """
    names = {"dimensionless"}
    for name, definition in _registry()._units.items():
        names.add(name)
        names.update(getattr(definition, "aliases", ()) or ())
        if getattr(definition, "symbol", None):
            names.add(definition.symbol)
    words = "|".join(re.escape(name) for name in sorted(names, key=lambda n: (-len(n), n)))
    token = rf"(?:{words}|[0-9]+(?:\.[0-9]+)?)(?:\s*(?:\*\*|\^)\s*-?[0-9]{{1,2}})?"
    return rf"^\s*{token}(?:\s*(?:\*|/|\s)\s*{token})*\s*$"


def _symbol_schema() -> dict[str, Any]:
    return {"string": {"pattern": symbol_pattern(), "maxLength": _MAX_SYMBOL_LENGTH}}


def _check_symbol(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise UnitError(f"'{attribute.name}' must be a unit symbol (got {value!r})")
    if value not in _BUILT_IN:
        _parse_pint(value)


_check_symbol.json_schema = _symbol_schema  # type: ignore[attr-defined]  # see dxplan.formats.schema


def _optional_basis(basis: str | None) -> str | None:
    if not isinstance(basis, str):
        return basis  # None, or a non-text value for the validator to refuse
    basis = " ".join(nfc(basis).split())
    return basis or None


def _check_basis(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise UnitError(f"'{attribute.name}' must be text or None (got {value!r})")


_OF = re.compile(r"\s+(?:of|của)\s+", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Unit:
    """A pint unit and the basis it is a share of.

    >>> share = Unit(symbol="%", basis="GRDP")
    >>> share.convert(22, Unit(symbol="dimensionless", basis="GRDP"))
    0.22
    >>> share.is_comparable(Unit(symbol="%", basis="retail sales"))
    False
    >>> str(Unit.parse("% of GRDP"))
    '% of GRDP'
    """

    symbol: str = attrs.field(validator=_check_symbol)
    basis: str | None = attrs.field(default=None, converter=_optional_basis, validator=_check_basis)

    @classmethod
    def parse(cls, text: str) -> Unit:
        """Read ``"% of GRDP"``, ``"% của GRDP"``, ``"tỷ VND"`` or ``"rank"``."""
        parts = _OF.split(nfc(text).strip(), maxsplit=1)
        symbol = parts[0]
        basis = parts[1] if len(parts) == 2 else ""
        return cls(symbol=symbol, basis=basis or None)

    @property
    def pint_unit(self) -> pint.Unit:
        """The pint unit, from the one registry."""
        return _parse_pint(self.symbol)

    @property
    def dimensionality(self) -> str:
        """The pint dimensionality, as text (``"dimensionless"``, ``"[rank]"``)."""
        dimensions = _dimensions(self.symbol)
        if not dimensions:
            return "dimensionless"
        (name, power), *others = dimensions
        if not others and power == 1:
            return name
        return str(_parse_pint(self.symbol).dimensionality)

    @property
    def is_share(self) -> bool:
        """True for dimensionless units: fractions, percentages, ratios."""
        return not _dimensions(self.symbol)

    @property
    def is_rank(self) -> bool:
        """True for the rank unit."""
        return _dimensions(self.symbol) == _dimensions("rank")

    def is_comparable(self, other: Unit) -> bool:
        """Same dimension and same basis: values can be converted into each other."""
        return self.basis == other.basis and _dimensions(self.symbol) == _dimensions(other.symbol)

    def convert(self, value: float, to: Unit) -> float:
        """``value`` in this unit, expressed in ``to``: the one conversion of dxplan.

        Exact in decimal (``0.29`` → ``29.0`` %, not ``28.999999999999996``), so
        a value on a target's boundary stays on it whatever unit it was written
        in; :func:`dxplan.plan.observations.convert` and ``assess`` use this too.
        """
        if not self.is_comparable(to):
            raise UnitError(
                f"cannot convert {value!r} {self} into {to}; "
                "expected units of the same dimension and basis"
            )
        if self.symbol == to.symbol:
            return value
        return float(Decimal(repr(float(value))) * _symbol_factor(self.symbol, to.symbol))

    def __str__(self) -> str:
        return self.symbol if self.basis is None else f"{self.symbol} of {self.basis}"


@functools.lru_cache(maxsize=1024)
def _symbol_factor(symbol: str, to: str) -> Decimal:
    """What one ``symbol`` is in ``to``, for symbols of the same dimension."""
    if symbol in _BUILT_IN and to in _BUILT_IN:
        return _BUILT_IN[symbol][1] / _BUILT_IN[to][1]
    quantity, source, target = _registry().Quantity, _parse_pint(symbol), _parse_pint(to)
    try:
        factor = quantity(1.0, source).to(target).magnitude
        zero = quantity(0.0, source).to(target).magnitude
    except Exception as exc:  # pint raises several kinds here; all mean "cannot convert"
        raise UnitError(f"cannot convert {symbol} into {to}: {exc}") from exc
    if zero != 0:
        raise UnitError(
            f"cannot convert {symbol} into {to}: their zeros differ (an offset unit such as "
            "degC); expected units that only scale"
        )
    # Factors in the registry are decimal; rounding to 15 digits undoes float noise.
    return Decimal(f"{float(factor):.15g}")


PERCENT = Unit(symbol="%")
"""Percent of an unnamed whole."""
RANK = Unit(symbol="rank")
"""A position in a ranking; 1 is best."""
POINT = Unit(symbol="point")
"""Points of a scoring scheme such as the DTI's 1 000."""

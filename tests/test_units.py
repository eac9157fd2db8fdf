"""Tests of dxplan.units: the one pint registry and Unit with its basis."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan import units
from dxplan.errors import DxplanError, UnitError
from dxplan.units import PERCENT, POINT, RANK, Unit

DIMENSIONLESS = Unit(symbol="dimensionless")
VND = Unit(symbol="VND")


class TestUnitParse:
    def test_share_of_a_basis_in_english(self) -> None:
        """'% of GRDP' is percent with GRDP as its basis."""
        assert Unit.parse("% of GRDP") == Unit(symbol="%", basis="GRDP")

    def test_share_of_a_basis_in_vietnamese(self) -> None:
        """'% của GRDP' is the same unit as '% of GRDP'."""
        assert Unit.parse("% của GRDP") == Unit.parse("% of GRDP")

    def test_basis_whitespace_and_nfc(self) -> None:
        """Runs of whitespace collapse and the basis is NFC, so spellings compare equal."""
        parsed = Unit.parse("  %  of   doanh nghie\u0302\u0323p ")
        assert parsed == Unit(symbol="%", basis="doanh nghiệp")
        assert parsed.basis == "doanh nghiệp"

    def test_without_basis(self) -> None:
        """A plain symbol has no basis."""
        assert Unit.parse("rank") == RANK
        assert Unit.parse("rank").basis is None

    def test_vietnamese_magnitude(self) -> None:
        """'tỷ VND' is a billion đồng: 1.5 tỷ VND is 1.5e9 VND."""
        assert Unit.parse("tỷ VND").convert(1.5, VND) == pytest.approx(1.5e9)

    @pytest.mark.parametrize(
        ("text", "factor"),
        [("nghìn VND", 1e3), ("triệu VND", 1e6), ("tỉ VND", 1e9), ("tỷ đồng", 1e9)],
    )
    def test_other_magnitudes(self, text: str, factor: float) -> None:
        """nghìn, triệu and tỷ (also spelled tỉ) scale đồng by 10^3, 10^6 and 10^9."""
        assert Unit.parse(text).convert(2, VND) == pytest.approx(2 * factor)

    def test_str_round_trip(self) -> None:
        """str() of a unit parses back to the same unit."""
        unit = Unit(symbol="%", basis="retail sales")
        assert str(unit) == "% of retail sales"
        assert Unit.parse(str(unit)) == unit

    def test_unknown_unit(self) -> None:
        """An unknown symbol raises a UnitError that is a DxplanError and a ValueError."""
        with pytest.raises(UnitError, match=r"unknown unit 'furlong'; expected a unit such as"):
            Unit.parse("furlong")
        assert issubclass(UnitError, DxplanError)
        assert issubclass(UnitError, ValueError)


class TestUnit:
    def test_unknown_symbol_refused_at_construction(self) -> None:
        """A Unit with an unknown symbol cannot be built."""
        with pytest.raises(UnitError, match="unknown unit 'parsec'"):
            Unit(symbol="parsec")

    def test_non_text_symbol(self) -> None:
        """A symbol that is not text is refused by name."""
        with pytest.raises(UnitError, match=r"'symbol' must be a unit symbol \(got 5\)"):
            Unit(symbol=5)  # type: ignore[arg-type]

    def test_non_text_basis(self) -> None:
        """A basis that is not text is refused by name, not with a TypeError."""
        with pytest.raises(UnitError, match=r"'basis' must be text or None \(got 5\)"):
            Unit(symbol="%", basis=5)  # type: ignore[arg-type]

    def test_blank_basis_is_none(self) -> None:
        """A blank basis means no basis."""
        assert Unit(symbol="%", basis="  ") == PERCENT

    def test_percent_is_a_hundredth(self) -> None:
        """22 % is 0.22 of the same whole."""
        assert PERCENT.convert(22, DIMENSIONLESS) == 0.22
        assert DIMENSIONLESS.convert(0.22, PERCENT) == 22.0

    def test_percent_with_basis_converts_within_basis(self) -> None:
        """22 % of GRDP is 0.22 of GRDP."""
        share = Unit(symbol="%", basis="GRDP")
        assert share.convert(22, Unit(symbol="dimensionless", basis="GRDP")) == 0.22

    def test_permille(self) -> None:
        """5 ‰ is 0.5 %."""
        assert Unit(symbol="‰").convert(5, PERCENT) == 0.5

    def test_conversion_is_exact_in_decimal(self) -> None:
        """0.29 as a fraction is 29 % exactly (pint's float product is 28.999999999999996)."""
        assert Unit(symbol="1").convert(0.29, PERCENT) == 29.0
        assert Unit(symbol="%").convert(0.1, Unit(symbol="‰")) == 1.0

    @given(st.integers(-(10**6), 10**6), st.integers(0, 6))
    def test_one_conversion_for_units_and_assess(self, k: int, places: int) -> None:
        """Unit.convert, observations.convert and what assess reads are the same float."""
        from dxplan.plan.attainment import assess
        from dxplan.plan.model import Indicator, IndicatorGroup, Plan, Target
        from dxplan.plan.observations import Observation, Observations, convert
        from dxplan.text import Label

        value = k / 10**places
        by_unit = Unit(symbol="1").convert(value, PERCENT)
        assert convert(value, Unit(symbol="1"), PERCENT) == by_unit
        indicator = Indicator(id="3.1", label=Label(vi="x", en="x"), unit=PERCENT,
                              targets=(Target(comparator=">=", value=25),))  # fmt: skip
        plan = Plan(id="p", label=Label(vi="p", en="p"), entity="e", groups=(
            IndicatorGroup(id="G", label=Label(vi="g", en="g"), declared_count=1,
                           indicators=(indicator,)),))  # fmt: skip
        fraction = min(max(value, 0.0), 1.0)
        row = Observation(
            entity="e", indicator="3.1", period=2024, value=fraction, unit=Unit(symbol="1")
        )
        observed = Observations(items=(row,))
        seen = assess(plan, observed).indicator("3.1").targets[0].observed
        assert seen == Unit(symbol="1").convert(fraction, PERCENT)

    def test_same_symbol_is_identity(self) -> None:
        """Converting into the same unit gives the value back."""
        assert PERCENT.convert(37.5, PERCENT) == 37.5

    def test_different_bases_not_comparable(self) -> None:
        """% of GRDP and % of retail sales cannot be compared."""
        grdp = Unit(symbol="%", basis="GRDP")
        retail = Unit(symbol="%", basis="retail sales")
        assert not grdp.is_comparable(retail)
        with pytest.raises(
            UnitError,
            match=r"cannot convert 22 % of GRDP into % of retail sales; expected units of the "
            "same dimension and basis",
        ):
            grdp.convert(22, retail)

    def test_basis_against_no_basis_not_comparable(self) -> None:
        """A share of a named basis is not comparable with a share of an unnamed whole."""
        assert not Unit(symbol="%", basis="GRDP").is_comparable(PERCENT)

    def test_rank_and_point_are_distinct_dimensions(self) -> None:
        """Ranks, points and shares are three dimensions that never convert into each other."""
        assert RANK.dimensionality == "[rank]"
        assert POINT.dimensionality == "[point]"
        assert PERCENT.dimensionality == "dimensionless"
        assert not RANK.is_comparable(POINT)
        assert not RANK.is_comparable(PERCENT)
        with pytest.raises(UnitError, match="cannot convert 3 rank into point"):
            RANK.convert(3, POINT)

    def test_vietnamese_aliases(self) -> None:
        """'hạng' is rank and 'điểm' is point."""
        assert Unit(symbol="hạng").is_comparable(RANK)
        assert Unit(symbol="điểm").is_comparable(POINT)

    def test_currency_is_not_a_share(self) -> None:
        """VND is its own dimension, neither a share nor USD."""
        assert not VND.is_share
        assert not VND.is_comparable(Unit(symbol="USD"))

    def test_is_share(self) -> None:
        """Percent and plain ratios are shares; ranks are not."""
        assert PERCENT.is_share
        assert DIMENSIONLESS.is_share
        assert not RANK.is_share

    def test_is_rank(self) -> None:
        """Only the rank unit is a rank."""
        assert RANK.is_rank
        assert not POINT.is_rank
        assert not PERCENT.is_rank

    def test_time_units(self) -> None:
        """A year is 12 months and 365.25 days."""
        assert Unit(symbol="year").convert(1, Unit(symbol="month")) == pytest.approx(12)
        assert Unit(symbol="năm").convert(1, Unit(symbol="ngày")) == pytest.approx(365.25)


def test_one_registry() -> None:
    """Every unit's pint unit comes from dxplan's one registry."""
    assert PERCENT.pint_unit._REGISTRY is units.registry


def test_define_refuses_a_redefinition() -> None:
    """Redefining an existing unit raises a UnitError instead of changing it silently."""
    with pytest.raises(UnitError, match=r"cannot define unit 'rank = \[other\]'"):
        units.define("rank = [other]")


def test_built_in_symbols_answer_as_pint_does() -> None:
    """Each symbol answered without pint has pint's dimensions and conversion factors."""
    for symbol, (dimensions, _) in units._BUILT_IN.items():
        parsed = units.registry.parse_units(symbol)
        assert frozenset(parsed.dimensionality.items()) == dimensions, symbol
        for to, (other, _) in units._BUILT_IN.items():
            if other == dimensions:
                pint_factor = units.registry.Quantity(1.0, parsed).to(to).magnitude
                assert units._symbol_factor(symbol, to) == Decimal(f"{pint_factor:.15g}"), (
                    symbol,
                    to,
                )


def test_import_builds_no_registry() -> None:
    """``import dxplan`` and the built-in units leave pint unloaded; 'tỷ VND' loads it."""
    code = (
        "import sys, dxplan, dxplan.units as u\n"
        "dxplan.Unit.parse('% of GRDP').convert(0.5, dxplan.Unit.parse('1 of GRDP'))\n"
        "assert dxplan.Unit(symbol='rank').is_rank\n"
        "print(u._registry.cache_info().currsize, 'pint' in sys.modules)\n"
        "dxplan.Unit.parse('tỷ VND')\n"
        "print(u._registry.cache_info().currsize, 'pint' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False", "1", "True"]


def test_a_unit_without_a_comparable_dimension_is_a_unit_error() -> None:
    """pint has no dimension for a logarithmic unit in a ratio: a UnitError, not pint's error.

    In a fresh interpreter, so that the unit defined stays out of the registry of other tests.
    """
    code = (
        "from dxplan import units\n"
        "from dxplan.errors import UnitError\n"
        "units.define('decibel = 1 ; logbase: 10; logfactor: 10 = dB')\n"
        "try:\n"
        "    units.Unit(symbol='dB/count').convert(2.0, units.Unit(symbol='1/count'))\n"
        "except UnitError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("unit 'dB/count' has no dimension dxplan can compare; expected")


def test_an_offset_unit_is_refused_rather_than_scaled() -> None:
    """K to degC is not a factor: 2 K is −271.15 degC, never 2 × (−272.15); dxplan refuses it.

    In a fresh interpreter, so that the units defined stay out of the registry of other tests.
    """
    code = (
        "from dxplan import units\n"
        "from dxplan.errors import UnitError\n"
        "units.define('kelvin = [temperature] = K')\n"
        "units.define('degree_Celsius = kelvin; offset: 273.15 = degC')\n"
        "print(units.Unit(symbol='K').convert(2.0, units.Unit(symbol='K')))\n"
        "try:\n"
        "    units.Unit(symbol='K').convert(2.0, units.Unit(symbol='degC'))\n"
        "except UnitError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    same, refused = done.stdout.splitlines()
    assert same == "2.0"
    assert refused.startswith("cannot convert K into degC: their zeros differ")

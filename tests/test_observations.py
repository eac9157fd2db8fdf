"""Tests of dxplan.plan.observations: values by entity, indicator, period and scope."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from dxplan.errors import (
    DxplanError,
    FileFormatError,
    InvalidValueError,
    ObservationError,
    UnitError,
    UnknownIdError,
)
from dxplan.plan.model import Indicator, IndicatorGroup, Plan, Target
from dxplan.plan.observations import (
    BUNDLED,
    MAX_FILE_BYTES,
    Observation,
    Observations,
    bundled_observations,
    convert,
    load_observations,
)
from dxplan.text import Label
from dxplan.units import Unit

HEADER = "entity,indicator,period,value,unit,scope,source\n"
GRDP = Unit(symbol="%", basis="GRDP")


def small_plan() -> Plan:
    """A plan with a share, a scoped share, a rank and a count indicator."""
    return Plan(
        id="small",
        label=Label(vi="Kế hoạch nhỏ"),
        entity="ho-chi-minh",
        groups=(
            IndicatorGroup(
                id="G1",
                label=Label(vi="Nhóm 1"),
                declared_count=4,
                indicators=(
                    Indicator(
                        id="1.1",
                        label=Label(vi="Xếp hạng DTI"),
                        unit=Unit(symbol="rank"),
                        targets=(Target(comparator="rank<=", value=5, out_of=63),),
                    ),
                    Indicator(
                        id="3.1",
                        label=Label(vi="Kinh tế số"),
                        unit=GRDP,
                        targets=(Target(comparator=">=", value=25),),
                    ),
                    Indicator(
                        id="2.7",
                        label=Label(vi="Số hóa"),
                        unit=Unit(symbol="%"),
                        targets=(
                            Target(comparator=">=", value=70, scope="city"),
                            Target(comparator=">=", value=60, scope="district"),
                        ),
                    ),
                ),
            ),
        ),
    )


def write(tmp_path: Path, text: str, name: str = "observed.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def obs(
    indicator: str = "3.1", period: int = 2024, value: float = 22.0, **kw: object
) -> Observation:
    return Observation(
        entity=str(kw.pop("entity", "ho-chi-minh")),
        indicator=indicator,
        period=period,
        value=value,
        **kw,  # type: ignore[arg-type]
    )


class TestObservation:
    def test_key(self) -> None:
        """The key is entity, indicator, period and scope."""
        assert obs(scope="city").key == ("ho-chi-minh", "3.1", 2024, "city")

    def test_empty_scope_is_none(self) -> None:
        """An empty scope means no scope."""
        assert obs(scope="").scope is None

    def test_int_value_becomes_float(self) -> None:
        """A whole number is kept as a float."""
        assert obs(value=5).value == 5.0
        assert isinstance(obs(value=5).value, float)

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, "22"])
    def test_refuses_non_finite(self, value: object) -> None:
        """NaN, infinities, booleans and text are refused with the field named."""
        with pytest.raises(InvalidValueError, match=r"'value' must be a finite number"):
            obs(value=value)  # type: ignore[arg-type]

    def test_refuses_bad_period(self) -> None:
        """A period must be a year."""
        with pytest.raises(InvalidValueError, match=r"'period' must be a year"):
            obs(period=24)

    def test_where_takes_no_part_in_equality(self) -> None:
        """Two observations read from different lines are still equal."""
        assert obs(where="a.csv:2") == obs(where="b.csv:9")

    def test_frozen(self) -> None:
        """Observations are immutable."""
        item = obs()
        with pytest.raises(AttributeError):
            item.value = 1.0  # type: ignore[misc]


class TestObservations:
    def test_canonical_order(self) -> None:
        """Items are sorted by entity, indicator (naturally), scope and period."""
        a = obs("2.10", 2023)
        b = obs("2.9", 2024)
        c = obs("2.9", 2022)
        collection = Observations(items=(a, b, c))
        assert collection.items == (c, b, a)
        assert Observations(items=(b, a, c)) == collection

    def test_duplicates_refused(self) -> None:
        """Two values with one key are refused, naming both."""
        with pytest.raises(ObservationError, match=r"\$\.items\[1\]: duplicate of \$\.items\[0\]"):
            Observations(items=(obs(), obs(value=23.0)))

    def test_same_key_other_scope_allowed(self) -> None:
        """Different scopes of one indicator are different keys."""
        assert len(Observations(items=(obs(scope="city"), obs(scope="district")))) == 2

    def test_refuses_non_observations(self) -> None:
        """Items must be Observation objects."""
        with pytest.raises(InvalidValueError, match=r"'items\[0\]' must be an Observation"):
            Observations(items=("x",))  # type: ignore[arg-type]

    def test_lookups(self) -> None:
        """Entities, indicators and periods are listed sorted; get finds one value."""
        collection = Observations(
            items=(obs("3.1", 2023, 21.5), obs("3.1", 2024), obs("1.1", 2024, 1, entity="ha-noi"))
        )
        assert collection.entities == ("ha-noi", "ho-chi-minh")
        assert collection.indicators == ("1.1", "3.1")
        assert collection.periods == (2023, 2024)
        assert collection.get("ho-chi-minh", "3.1", 2023) == obs("3.1", 2023, 21.5)
        assert collection.get("ho-chi-minh", "3.1", 2020) is None

    def test_series_and_latest(self) -> None:
        """A series is oldest first; latest respects ``until``."""
        collection = Observations(items=(obs(period=2024), obs(period=2022, value=18.66)))
        assert [o.period for o in collection.series("ho-chi-minh", "3.1")] == [2022, 2024]
        assert collection.latest("ho-chi-minh", "3.1", until=2023) == obs("3.1", 2022, 18.66)
        assert collection.latest("ho-chi-minh", "3.1", until=2021) is None

    def test_series_by_scope(self) -> None:
        """A scoped series holds only that scope."""
        collection = Observations(
            items=(obs("2.7", scope="city", value=70), obs("2.7", scope="district", value=50))
        )
        assert [o.value for o in collection.series("ho-chi-minh", "2.7", "district")] == [50.0]

    def test_select(self) -> None:
        """select keeps what matches every criterion."""
        collection = Observations(
            items=(obs(period=2022), obs(period=2024), obs("1.1", 2024, 1, entity="ha-noi"))
        )
        assert len(collection.select(entity="ho-chi-minh")) == 2
        assert len(collection.select(until=2023)) == 1
        assert len(collection.select(indicator="1.1", period=2024)) == 1

    def test_add(self) -> None:
        """Two collections add into one, still refusing duplicates."""
        joined = Observations(items=(obs(period=2023),)) + Observations(items=(obs(),))
        assert len(joined) == 2
        with pytest.raises(ObservationError, match="duplicate"):
            _ = joined + Observations(items=(obs(),))

    def test_resolve_converts_units(self) -> None:
        """Values in %, fractions and bare numbers all end in the indicator's unit."""
        plan = small_plan()
        collection = Observations(
            items=(
                obs(period=2022, value=0.1866, unit=Unit(symbol="dimensionless")),
                obs(period=2023, value=21.5, unit=Unit(symbol="%")),
                obs(period=2024, value=22),
            )
        )
        resolved = collection.resolve(plan)
        assert [o.value for o in resolved] == [18.66, 21.5, 22.0]
        assert {o.unit for o in resolved} == {GRDP}

    def test_resolve_is_idempotent(self) -> None:
        """Resolving twice changes nothing."""
        plan = small_plan()
        once = Observations(items=(obs(value=0.22, unit=Unit(symbol="1")),)).resolve(plan)
        assert once.resolve(plan) == once

    def test_resolve_reports_every_problem(self) -> None:
        """Unknown indicator, scope, unit, share and rank problems come in one error."""
        plan = small_plan()
        collection = Observations(
            items=(
                obs("9.9"),
                obs("2.7", scope="ward"),
                obs(unit=Unit(symbol="%", basis="retail sales")),
                obs(period=2023, value=120.0),
                obs("1.1", value=70, unit=Unit(symbol="rank")),
                obs("1.1", period=2023, value=1.5),
            )
        )
        with pytest.raises(ObservationError) as caught:
            collection.resolve(plan)
        messages = [str(p) for p in caught.value.problems]
        assert len(messages) == 6
        text = "\n".join(messages)
        assert "unknown indicator '9.9'" in text
        assert "unknown scope 'ward' for indicator '2.7'; expected 'city', 'district'" in text
        assert "unit '% of retail sales' cannot convert" in text
        assert "120 is a share outside 0–100 %" in text
        assert "rank 70 rank is beyond the 63 entities ranked" in text
        assert "found 1.5; expected a whole rank >= 1" in text


class TestConvert:
    def test_fraction_to_percent_is_exact(self) -> None:
        """0.1 as a fraction is exactly 10 %, so boundaries stay boundaries."""
        assert convert(0.1, Unit(symbol="1"), Unit(symbol="%")) == 10.0
        assert convert(0.215, Unit(symbol="dimensionless"), GRDP) == 21.5

    def test_percent_to_fraction(self) -> None:
        """22 % is 0.22."""
        assert convert(22, Unit(symbol="%"), Unit(symbol="dimensionless")) == 0.22

    def test_none_means_same_unit(self) -> None:
        """No unit: the value is already in the target unit."""
        assert convert(3.0, None, GRDP) == 3.0

    def test_basis_inherited(self) -> None:
        """A unit without a basis takes the target's basis."""
        assert convert(22, Unit(symbol="%"), GRDP) == 22

    def test_other_basis_refused(self) -> None:
        """% of retail sales is not % of GRDP."""
        with pytest.raises(UnitError, match="cannot convert 22 % of retail sales into % of GRDP"):
            convert(22, Unit(symbol="%", basis="retail sales"), GRDP)

    def test_other_dimension_refused(self) -> None:
        """A rank is not a share."""
        with pytest.raises(UnitError, match="same dimension and basis"):
            convert(1, Unit(symbol="rank"), Unit(symbol="%"))


class TestLoadObservations:
    def test_csv_with_units(self, tmp_path: Path) -> None:
        """Units may be written with the value, in the unit column, or left to the indicator."""
        path = write(
            tmp_path,
            HEADER + "ho-chi-minh,3.1,2023,21.5 %,,,a\n"
            "ho-chi-minh,3.1,2022,0.1866,fraction,,b\n"
            "ho-chi-minh,3.1,2024,22,,,c\n"
            "ho-chi-minh,2.7,2024,70,%,city,d\n"
            "ho-chi-minh,1.1,2024,1,rank,,e\n",
        )
        raw = load_observations(path)
        assert raw.get("ho-chi-minh", "3.1", 2024) == obs(source="c")
        assert raw.get("ho-chi-minh", "3.1", 2023) == obs(
            period=2023, value=21.5, unit=Unit(symbol="%"), source="a"
        )
        resolved = load_observations(path, small_plan())
        assert [o.value for o in resolved.series("ho-chi-minh", "3.1")] == [18.66, 21.5, 22.0]
        assert resolved.get("ho-chi-minh", "2.7", 2024, "city") is not None

    def test_where_is_remembered(self, tmp_path: Path) -> None:
        """Each observation knows its file and line."""
        path = write(tmp_path, HEADER + "ho-chi-minh,3.1,2024,22,,,\n")
        assert load_observations(path).items[0].where == "observed.csv:2"

    def test_optional_columns_may_be_left_out(self, tmp_path: Path) -> None:
        """entity, indicator, period and value suffice; columns may come in any order."""
        path = write(tmp_path, "value,period,indicator,entity\n22,2024,3.1,ho-chi-minh\n")
        assert load_observations(path).items == (obs(),)

    def test_bom_and_blank_lines(self, tmp_path: Path) -> None:
        """A UTF-8 byte-order mark and blank lines are accepted."""
        path = tmp_path / "observed.csv"
        path.write_bytes(("\ufeff" + HEADER + "\nho-chi-minh,3.1,2024,22,,,\n\n").encode())
        assert len(load_observations(path)) == 1

    @pytest.mark.parametrize(
        ("other", "way"),
        [("12.5", "the English way, like 0.7163"), ("12,5", "the Vietnamese way, like 0,7163")],
    )
    def test_not_a_number_names_the_files_way(self, tmp_path: Path, other: str, way: str) -> None:
        """Where the file's other numbers settle its way of writing them, the error gives
        examples in that way only."""
        path = write(
            tmp_path, f'{HEADER}ho-chi-minh,3.1,2023,"{other}",,,\nho-chi-minh,3.1,2024,abc,,,\n'
        )
        with pytest.raises(ObservationError) as caught:
            load_observations(path, small_plan())
        (problem,) = caught.value.problems
        assert problem.where == "observed.csv:3:value"
        assert problem.message.startswith(f"'abc' is not a number; expected a number written {way}")
        assert problem.message.endswith(", maybe with its unit ('72 %')")

    def test_one_error_of_each_kind_all_reported(self, tmp_path: Path) -> None:
        """Every bad value of a file comes in one error, with file:line:column each."""
        path = write(
            tmp_path,
            HEADER
            + "ho-chi-minh,9.9,2024,22,%,,unknown indicator\n"  # 2
            + "ho-chi-minh,3.1,2021,15,rank,,wrong unit\n"  # 3
            + "ho-chi-minh,3.1,2022,NaN,%,,nan\n"  # 4
            + "ho-chi-minh,3.1,2023,inf,%,,infinity\n"  # 5
            + "ho-chi-minh,2.7,2024,120,%,city,share above 100\n"  # 6
            + "ho-chi-minh,1.1,2024,1,rank,,first\n"  # 7
            + "ho-chi-minh,1.1,2024,2,rank,,duplicate\n"  # 8
            + "ho-chi-minh,1.1,2023,abc,rank,,not a number\n"  # 9
            + "ho-chi-minh,1.1,20x3,2,rank,,bad period\n"  # 10
            + "ho-chi-minh,1.1,2022,2,furlong,,unknown unit\n"  # 11
            + "ho-chi-minh,1.1,2021\n"  # 12
            + ",1.1,2020,5,rank,,no entity\n"  # 13
            + "ho-chi-minh,8.8,2020,x,,,unknown indicator and bad value\n",  # 14
        )
        with pytest.raises(ObservationError, match=r"13 problem\(s\) in observed\.csv") as caught:
            load_observations(path, small_plan())
        assert [p.where for p in caught.value.problems] == [
            "observed.csv:2:indicator",
            "observed.csv:3:unit",
            "observed.csv:4:value",
            "observed.csv:5:value",
            "observed.csv:6:value",
            "observed.csv:8",
            "observed.csv:9:value",
            "observed.csv:10:period",
            "observed.csv:11:unit",
            "observed.csv:12",
            "observed.csv:13:entity",
            "observed.csv:14:indicator",
            "observed.csv:14:value",
        ]
        messages = [p.message for p in caught.value.problems]
        assert "unknown indicator '9.9'" in messages[0]
        assert "unit 'rank' cannot convert into indicator '3.1'" in messages[1]
        assert "'NaN' is not a number (NaN); expected a finite number" in messages[2]
        assert "'inf' is infinite; expected a finite number" in messages[3]
        assert "120 % is a share outside 0–100 %" in messages[4]
        assert re.search(r"duplicate of observed\.csv:7 .*expected one value per", messages[5])
        assert "'abc' is not a number; expected a number such as 21.5" in messages[6]
        assert "'20x3' is not a year; expected a year such as 2024" in messages[7]
        assert "unknown unit 'furlong'" in messages[8]
        assert "3 fields; expected 7 like the header" in messages[9]
        assert "no entity; expected entity id" in messages[10]

    def test_share_checked_without_plan(self, tmp_path: Path) -> None:
        """A value written as a share is checked even without a plan."""
        path = write(tmp_path, HEADER + "ho-chi-minh,3.1,2024,1.5,fraction,,\n")
        with pytest.raises(ObservationError, match=r"observed\.csv:2:value: 1.5 dimensionless"):
            load_observations(path)

    def test_conflicting_units(self, tmp_path: Path) -> None:
        """A unit with the value and another in the unit column is refused."""
        path = write(tmp_path, HEADER + "ho-chi-minh,3.1,2024,22 %,rank,,\n")
        with pytest.raises(ObservationError, match=r"observed\.csv:2:unit: unit 'rank' disagrees"):
            load_observations(path)

    def test_missing_column(self, tmp_path: Path) -> None:
        """A missing required column is a FileFormatError naming it."""
        path = write(tmp_path, "entity,indicator,value\nho-chi-minh,3.1,22\n")
        with pytest.raises(FileFormatError, match=r"observed\.csv:1: missing column\(s\) period"):
            load_observations(path)

    def test_unknown_column(self, tmp_path: Path) -> None:
        """A misspelt column is reported, not ignored."""
        path = write(tmp_path, "entity,indicator,period,value,unti\n")
        with pytest.raises(FileFormatError, match=r"observed\.csv:1:unti: unknown column 'unti'"):
            load_observations(path)

    def test_empty_file(self, tmp_path: Path) -> None:
        """An empty file is refused."""
        path = write(tmp_path, "  \n")
        with pytest.raises(FileFormatError, match=r"observed\.csv: empty file; expected a CSV"):
            load_observations(path)

    def test_binary_file(self, tmp_path: Path) -> None:
        """A binary file is refused, naming where its first NUL byte is."""
        path = tmp_path / "observed.csv"
        path.write_bytes(b"PK\x03\x04\x00\x00binary")
        with pytest.raises(
            FileFormatError, match=r"binary content \(a NUL byte at offset 4\); expected a CSV"
        ):
            load_observations(path)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Text in another encoding is refused with its line."""
        path = tmp_path / "observed.csv"
        path.write_bytes(HEADER.encode() + "ho-chi-minh,3.1,2024,22,,,café\n".encode("latin-1"))
        with pytest.raises(FileFormatError, match=r"observed\.csv:2: byte 0x\w+ is not UTF-8"):
            load_observations(path)

    def test_too_large(self, tmp_path: Path) -> None:
        """A file over the size limit is refused before it is read."""
        path = write(tmp_path, HEADER + "ho-chi-minh,3.1,2024,22,,,\n")
        with pytest.raises(FileFormatError, match=r"bytes; expected at most 10 bytes"):
            load_observations(path, max_bytes=10)
        assert MAX_FILE_BYTES == 50 * 1024 * 1024

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a FileFormatError, which is a DxplanError."""
        with pytest.raises(FileFormatError, match=r"cannot read nothing\.csv") as caught:
            load_observations(tmp_path / "nothing.csv")
        assert isinstance(caught.value, DxplanError)

    def test_unknown_suffix(self, tmp_path: Path) -> None:
        """Only .csv, .json and .xlsx are read; nothing else is guessed or executed."""
        path = write(tmp_path, "plan = 1\n", name="observed.py")
        with pytest.raises(
            FileFormatError, match=r"suffix '\.py'; expected '\.csv', '\.json' or '\.xlsx'"
        ):
            load_observations(path)

    def test_formula_like_text_is_data(self, tmp_path: Path) -> None:
        """Text that looks like code or a spreadsheet formula is only ever data."""
        path = write(tmp_path, HEADER + "ho-chi-minh,3.1,2024,22,,,\"=__import__('os')\"\n")
        assert load_observations(path).items[0].source == "=__import__('os')"

    def test_json(self, tmp_path: Path) -> None:
        """JSON holds the same records; numbers may be numbers or text with a unit."""
        records = [
            {"entity": "ho-chi-minh", "indicator": "3.1", "period": 2024, "value": 22},
            {
                "entity": "ho-chi-minh",
                "indicator": "3.1",
                "period": 2023,
                "value": "21.5 %",
                "source": "x",
            },
        ]
        path = write(tmp_path, json.dumps({"observations": records}), name="observed.json")
        loaded = load_observations(path, small_plan())
        assert [o.value for o in loaded] == [21.5, 22.0]

    def test_json_problems(self, tmp_path: Path) -> None:
        """JSON problems name the record path and the key; NaN is refused."""
        text = (
            '[{"entity": "ho-chi-minh", "indicator": "3.1", "period": 2024, "value": "x"},'
            ' {"entity": "ho-chi-minh", "indicator": "3.1", "period": 2023, "value": 1,'
            ' "colour": "red"}]'
        )
        path = write(tmp_path, text, name="observed.json")
        with pytest.raises(ObservationError) as caught:
            load_observations(path)
        assert [p.where for p in caught.value.problems] == [
            "observed.json:$[0].value",
            "observed.json:$[1].colour",
        ]
        path = write(tmp_path, '[{"value": NaN}]', name="nan.json")
        with pytest.raises(
            FileFormatError, match=r"nan\.json:\$\[0\]\.value: NaN is not a finite number"
        ):
            load_observations(path)


class TestBundledObservations:
    def test_names(self) -> None:
        """The HCMC 2024 set is bundled."""
        assert BUNDLED == ("hcmc-2024",)

    def test_hcmc_2024(self) -> None:
        """HCMC's DTI ranks 2020–2024 and digital-economy shares 2021–2024 are there, cited."""
        observations = bundled_observations("hcmc-2024")
        assert observations.entities == ("ho-chi-minh",)
        ranks = observations.series("ho-chi-minh", "1.1")
        assert [(o.period, o.value) for o in ranks] == [
            (2020, 5.0),
            (2021, 3.0),
            (2022, 2.0),
            (2023, 2.0),
            (2024, 1.0),
        ]
        for indicator in ("1.3", "3.1"):
            shares = observations.series("ho-chi-minh", indicator)
            assert [o.value for o in shares] == [15.38, 18.66, 21.5, 22.0]
        assert observations.get("ho-chi-minh", "1.2", 2024) is not None
        assert observations.get("ho-chi-minh", "2.1", 2024) is not None
        assert observations.indicators == ("1.1", "1.2", "1.3", "2.1", "3.1")
        assert all(o.source.strip() for o in observations)

    def test_hcmc_2024_fits_the_plan(self) -> None:
        """The bundled values resolve against the HCMC plan without a problem."""
        plans = pytest.importorskip("dxplan.plan.catalogue")
        plan = plans.load_plan("hcmc-2024")
        resolved = bundled_observations("hcmc-2024", plan)
        assert len(resolved) == 15

    def test_unknown_name(self) -> None:
        """An unknown name lists the known ones."""
        with pytest.raises(UnknownIdError, match=r"no bundled observations named 'x'; known: hcmc"):
            bundled_observations("x")

"""Tests for dxplan.index.provinces: the gazetteer of the 63 and the 34, and regrouping 63 → 34."""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan import datasets, indices
from dxplan.errors import DxplanError, InvalidValueError, UnknownIdError
from dxplan.index.data import IndexData
from dxplan.index.provinces import (
    DTI_2024_RULE,
    UnknownProvinceError,
    combined,
    former,
    match,
    merged,
    province,
    provinces,
    regroup,
    rerank,
)

SHARED = Path(__file__).parents[1] / "src" / "dxplan" / "data"


def rows(folder: str, name: str) -> list[dict[str, str]]:
    text = resources.files("dxplan").joinpath("data", folder, name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def old_style(name: str) -> str:
    """The other tone-mark placement: "Hóa" ↔ "Hoá", "Thủy" ↔ "Thuỷ" (a reference rewrite)."""
    swaps = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "ủy": "uỷ", "úy": "uý"}
    for new, old in swaps.items():
        name = name.replace(new, old)
    return name


def bare(name: str) -> str:
    """No diacritics at all, đ as d (a reference rewrite)."""
    text = name.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class TestGazetteer:
    def test_counts(self) -> None:
        """63 units before 1 July 2025 and 34 after, with 6 centrally governed cities after."""
        assert len(provinces(2024)) == 63
        assert len(provinces(2025)) == 34
        assert sum(p.kind == "city" for p in provinces(2024)) == 5
        assert {p.id for p in provinces(2025) if p.kind == "city"} == {
            "ha-noi",
            "hue",
            "hai-phong",
            "da-nang",
            "ho-chi-minh",
            "can-tho",
        }

    def test_merger_shape(self) -> None:
        """11 units kept their territory; 23 were formed from two or three (Resolution 202)."""
        sizes = [len(former(p.id)) for p in provinces(2025)]
        assert sizes.count(1) == 11
        assert len(sizes) - sizes.count(1) == 23
        assert max(sizes) == 3
        assert sum(sizes) == 63

    def test_bundled_files_agree(self) -> None:
        """The 34's names are those the merger table gives; every DTI id is one of the 63."""
        merger = rows("vn_provinces", "merger_2025.csv")
        names = {r["new_id"]: r["new_name_vi"] for r in merger}
        assert {p.id: p.name_vi for p in provinces(2025)} == names
        ids = {p.id for p in provinces(2024)}
        assert {r["old_id"] for r in merger} == ids
        for name in (
            "dti_2022_ranking.csv",
            "dti_2022_main_indicators_top5.csv",
            "dti_2020_pillars_top9.csv",
        ):
            assert {r["id"] for r in rows("dti", name)} <= ids, name
        assert {r["id"] for r in rows("dti", "dti_2022_ranking.csv")} == ids

    def test_hcmc_from_1_july_2025(self) -> None:
        """HCMC of 2025 is HCMC + Bình Dương + Bà Rịa - Vũng Tàu (the shared README)."""
        assert set(former("ho-chi-minh")) == {"ho-chi-minh", "binh-duong", "ba-ria-vung-tau"}
        assert merged("binh-duong") == "ho-chi-minh"
        assert merged("thua-thien-hue") == "hue"
        assert province("ho-chi-minh", 2024).gso_code == "79"
        assert province("ho-chi-minh", 2024).full_name == "TP. Hồ Chí Minh"
        assert province("quang-ninh", 2024).full_name == "Tỉnh Quảng Ninh"

    def test_unknown_id(self) -> None:
        """merged/former/province of an unknown id are UnknownIdErrors with candidates."""
        with pytest.raises(UnknownIdError, match="closest: Đà Nẵng"):
            merged("da-nag")
        with pytest.raises(UnknownIdError):
            former("quang-nam")
        with pytest.raises(InvalidValueError, match="'era' must be 2024"):
            provinces(2023)  # type: ignore[arg-type]


class TestMatch:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("TP. Hồ Chí Minh", "ho-chi-minh"),
            ("Thành phố Hồ Chí Minh", "ho-chi-minh"),
            ("TP.HCM", "ho-chi-minh"),
            ("TP HCM", "ho-chi-minh"),
            ("HCMC", "ho-chi-minh"),
            ("Ho Chi Minh City", "ho-chi-minh"),
            ("ho-chi-minh", "ho-chi-minh"),
            ("79", "ho-chi-minh"),
            ("Thừa Thiên - Huế", "thua-thien-hue"),
            ("Thừa Thiên Huế", "thua-thien-hue"),
            ("TT-Huế", "thua-thien-hue"),
            ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
            ("Bà Rịa–Vũng Tàu", "ba-ria-vung-tau"),
            ("BR-VT", "ba-ria-vung-tau"),
            ("Hòa Bình", "hoa-binh"),
            ("Hoà Bình", "hoa-binh"),
            ("Thanh Hóa", "thanh-hoa"),
            ("Thanh Hoá", "thanh-hoa"),
            ("Tỉnh Thanh Hoá", "thanh-hoa"),
            ("Đắk Lắk", "dak-lak"),
            ("Dak Lak", "dak-lak"),
            ("Daklak", "dak-lak"),
            ("Kon Tum", "kon-tum"),
            ("Kontum", "kon-tum"),
            ("Hanoi", "ha-noi"),
            ("Thủ đô Hà Nội", "ha-noi"),
            ("Da Nang", "da-nang"),
            ("  TP.  Cần   Thơ ", "can-tho"),
            ("Quang Ninh Province", "quang-ninh"),
        ],
    )
    def test_published_spellings_2024(self, name: str, expected: str) -> None:
        """Names as published tables write them match their unit of the 63."""
        assert match(name, era=2024) == expected

    def test_every_name_in_every_spelling(self) -> None:
        """Each unit's name, full name, id, other tone placement, bare and upper-case form match."""
        for era in (2024, 2025):
            for p in provinces(era):
                for form in (
                    p.name_vi,
                    p.full_name,
                    p.id,
                    old_style(p.name_vi),
                    bare(p.name_vi),
                    p.name_vi.upper(),
                    unicodedata.normalize("NFD", p.name_vi),
                ):
                    assert match(form, era=era) == p.id, (form, era)

    def test_era_is_explicit(self) -> None:
        """Đà Nẵng names a unit in both eras; Quảng Nam only before 1 July 2025."""
        assert match("Đà Nẵng", era=2024) == "da-nang"
        assert match("Đà Nẵng", era=2025) == "da-nang"
        assert match("Quảng Nam", era=2024) == "quang-nam"
        with pytest.raises(
            UnknownProvinceError, match=r"merged into Đà Nẵng \(da-nang\)"
        ) as caught:
            match("Quảng Nam", era=2025)
        assert caught.value.candidates == ("da-nang",)
        assert match("Huế", era=2025) == "hue"
        assert match("Thừa Thiên Huế", era=2025) == "hue"
        assert match("Huế", era=2024) == "thua-thien-hue"

    def test_ambiguous_initials(self) -> None:
        """'QN' could be Quảng Ninh, Quảng Nam or Quảng Ngãi: an error listing all three."""
        with pytest.raises(UnknownProvinceError, match="ambiguous") as caught:
            match("QN", era=2024)
        assert set(caught.value.candidates) == {"quang-ninh", "quang-nam", "quang-ngai"}

    def test_unknown_with_closest(self) -> None:
        """A misspelt name is an UnknownIdError (LookupError) naming the closest units."""
        with pytest.raises(UnknownIdError, match=r"closest: .*Hà Nội \(ha-noi\)") as caught:
            match("Ha Noy", era=2024)
        assert isinstance(caught.value, LookupError)
        assert caught.value.candidates[0] == "ha-noi"  # type: ignore[attr-defined]

    def test_no_era_is_refused(self) -> None:
        """The era is a required choice of 2024 or 2025."""
        with pytest.raises(InvalidValueError, match="'era'"):
            match("Hà Nội", era=2023)  # type: ignore[arg-type]

    @given(st.text(max_size=60), st.sampled_from([2024, 2025]))
    def test_fuzz_only_dxplan_errors(self, name: str, era: int) -> None:
        """Any text gives an id of the era or a DxplanError."""
        try:
            found = match(name, era=era)  # type: ignore[arg-type]
        except DxplanError:
            return
        assert found in {p.id for p in provinces(era)}  # type: ignore[arg-type]

    @given(
        st.sampled_from([p.name_vi for p in provinces(2024)]),
        st.sampled_from(["", "TP. ", "Thành phố ", "Tỉnh ", "tp."]),
        st.sampled_from(["", " City", " province"]),
        st.sampled_from([str, str.upper, str.lower, bare, old_style]),
    )
    def test_prefixes_suffixes_and_case(
        self, name: str, prefix: str, suffix: str, style: object
    ) -> None:
        """Prefix, suffix, case and accents never change which unit a name matches."""
        expected = match(name, era=2024)
        assert callable(style)
        assert match(style(prefix + name + suffix), era=2024) == expected


def data_on(values: Mapping[str, Mapping[str, float]]) -> IndexData:
    return IndexData.from_mapping(values, source="test")


class TestRegroup:
    def test_sum_mean_and_none(self) -> None:
        """HCMC 2025 = HCMC + Bình Dương + Bà Rịa - Vũng Tàu, by each declared rule."""
        data = data_on(
            {
                "ho-chi-minh": {"money": 100.0, "share": 0.2, "rank": 1.0},
                "binh-duong": {"money": 50.0, "share": 0.5, "rank": 19.0},
                "ba-ria-vung-tau": {"money": 30.0, "share": 0.8, "rank": 28.0},
                "quang-ninh": {"money": 7.0, "share": 0.4, "rank": 3.0},
            }
        )
        weights = {"ho-chi-minh": 9.0, "binh-duong": 3.0, "ba-ria-vung-tau": 1.0}
        out = regroup(data, {"money": "sum", "share": ("mean", weights), "rank": "none"})
        assert out.entities == ("quang-ninh", "ho-chi-minh")  # GSO order of the 34's members
        assert out.names == ("Quảng Ninh", "Hồ Chí Minh")
        assert out.value("ho-chi-minh", "money") == 180.0
        assert out.value("ho-chi-minh", "share") == pytest.approx(
            (9 * 0.2 + 3 * 0.5 + 1 * 0.8) / 13, abs=1e-15
        )
        assert math.isnan(out.value("ho-chi-minh", "rank"))
        assert out.value("quang-ninh", "rank") == 3.0  # one former unit: same territory
        assert "weighted mean" in out.source
        assert "not comparable" in out.source

    def test_equal_mean_is_declared(self) -> None:
        """('mean', 'equal') is the DTI 2024's rule: the plain mean of the former units."""
        data = data_on({"da-nang": {"x": 0.9}, "quang-nam": {"x": 0.5}})
        assert regroup(data, DTI_2024_RULE).value("da-nang", "x") == pytest.approx(0.7)

    def test_bare_mean_is_refused(self) -> None:
        """Averaging shares without declared weights is refused, saying how to declare them."""
        data = data_on({"da-nang": {"x": 0.9}, "quang-nam": {"x": 0.5}})
        with pytest.raises(InvalidValueError, match=r"needs weights .*\('mean', 'equal'\)"):
            regroup(data, "mean")  # type: ignore[arg-type]

    def test_rules_must_cover_every_component(self) -> None:
        """A component without a rule, or a rule for no component, is refused."""
        data = data_on({"da-nang": {"x": 0.9, "y": 1.0}})
        with pytest.raises(InvalidValueError, match="a rule declared for every component"):
            regroup(data, {"x": "sum"})
        with pytest.raises(InvalidValueError, match="rules for components of the data"):
            regroup(data, {"x": "sum", "y": "sum", "z": "sum"})

    def test_missing_weight_and_bad_weight(self) -> None:
        """Every former unit present needs a finite weight ≥ 0."""
        data = data_on({"da-nang": {"x": 0.9}, "quang-nam": {"x": 0.5}})
        with pytest.raises(InvalidValueError, match=r"no weight for \['quang-nam'\]"):
            regroup(data, ("mean", {"da-nang": 1.0}))
        with pytest.raises(InvalidValueError, match="a finite weight >= 0"):
            regroup(data, ("mean", {"da-nang": 1.0, "quang-nam": -1.0}))

    def test_missing_member_is_nan_unless_partial(self) -> None:
        """Without Quảng Nam, Đà Nẵng 2025 has no value; partial=True uses what there is."""
        data = data_on({"da-nang": {"x": 0.9}, "ha-noi": {"x": 0.6}})
        strict = regroup(data, "sum")
        assert math.isnan(strict.value("da-nang", "x"))
        assert strict.value("ha-noi", "x") == 0.6
        assert regroup(data, "sum", partial=True).value("da-nang", "x") == 0.9
        (unit,) = [u for u in combined(data) if u.id == "da-nang"]
        assert unit.members == ("da-nang",)
        assert unit.missing == ("quang-nam",)
        assert unit.combined

    def test_entities_must_be_ids_of_the_63(self) -> None:
        """Names or 2025 ids are refused with a hint to match them first."""
        with pytest.raises(UnknownIdError, match="match names with era=2024 first"):
            regroup(data_on({"TP. Đà Nẵng": {"x": 1.0}}), "sum")
        with pytest.raises(UnknownIdError):
            regroup(data_on({"hue": {"x": 1.0}}), "sum")

    @given(
        st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=63, max_size=63),
        st.lists(st.floats(min_value=0.01, max_value=100), min_size=63, max_size=63),
    )
    def test_laws(self, values: list[float], weights: list[float]) -> None:
        """Sums keep the national total; a weighted mean is the reference formula, within range."""
        ids = [p.id for p in provinces(2024)]
        data = data_on({e: {"x": v, "y": v} for e, v in zip(ids, values, strict=True)})
        weight = dict(zip(ids, weights, strict=True))
        out = regroup(data, {"x": "sum", "y": ("mean", weight)})
        assert len(out) == 34
        assert float(np.sum(out.column("x"))) == pytest.approx(sum(values), rel=1e-9, abs=1e-6)
        by_id = dict(zip(ids, values, strict=True))
        for unit in out.entities:
            members = former(unit)
            expected = sum(weight[m] * by_id[m] for m in members) / sum(weight[m] for m in members)
            got = out.value(unit, "y")
            assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)
            lo, hi = min(by_id[m] for m in members), max(by_id[m] for m in members)
            assert lo - 1e-9 <= got <= hi + 1e-9


class TestRerank:
    def test_dti_2022_top5_on_the_34(self) -> None:
        """Only Quảng Ninh and Huế keep their territory among the bundled top five: they rank."""
        ranking = rerank(indices.dti_922(), datasets.dti_2022())
        by_id = {e.id: e for e in ranking.entries}
        top = {r["id"]: r for r in rows("dti", "dti_2022_main_indicators_top5.csv")}
        points = {r["id"]: float(r["max_points"]) for r in rows("dti", "structure_922.csv")}

        def dti(unit: str) -> float:
            return sum(points[c] * float(top[unit][c]) for c in points if points[c]) / 1000

        assert by_id["quang-ninh"].score == pytest.approx(dti("quang-ninh"), abs=1e-12)
        assert by_id["hue"].score == pytest.approx(dti("thua-thien-hue"), abs=1e-12)
        assert (by_id["quang-ninh"].rank, by_id["hue"].rank) == (1, 2)
        assert by_id["hue"].former_ranks == (("thua-thien-hue", 4),)
        for unit, missing in (
            ("da-nang", ("quang-nam",)),
            ("ho-chi-minh", ("binh-duong", "ba-ria-vung-tau")),
            ("can-tho", ("hau-giang", "soc-trang")),
        ):
            assert by_id[unit].rank is None
            assert math.isnan(by_id[unit].score)
            assert by_id[unit].missing == missing
        assert ranking.rule == "equal-weight mean of every component"

    def test_merged_unit_ranks_on_the_mean(self) -> None:
        """With Quảng Nam present, Đà Nẵng 2025 scores the mean of the two and can fall."""
        base = datasets.dti_2022()
        quang_nam = {c: 0.5 for c in base.components if c != "do_thi_thong_minh"}
        values = {e: {c: base.value(e, c) for c in base.components} for e in base.entities}
        data = IndexData.from_mapping(
            {**values, "quang-nam": quang_nam}, components=base.components, source="test"
        )
        ranking = rerank(indices.dti_922(), data, DTI_2024_RULE)
        entry = ranking.entry("da-nang")
        old = indices.dti_922().evaluate(data)
        expected = (old.score("da-nang") + old.score("quang-nam")) / 2  # linear index
        assert entry.score == pytest.approx(expected, abs=1e-12)
        assert entry.former_ranks == (("da-nang", 1), ("quang-nam", 6))
        assert entry.combined
        assert [e.id for e in ranking.entries if e.rank is not None] == [
            "quang-ninh",
            "hue",
            "da-nang",
        ]

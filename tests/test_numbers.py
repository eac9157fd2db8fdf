"""Tests for dxplan._numbers: numbers written as text the Vietnamese or the English way."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxplan._numbers import ambiguous, infer_locale, locales_of, parse_number, split_number
from dxplan.errors import DxplanError, InvalidValueError


def written(value: int, decimals: str, locale: str, *, group: str | None = None) -> str:
    """A reference writer: ``value`` grouped by thousands, then the decimals, in ``locale``."""
    whole = f"{value:,}"  # English grouping: 1,234,567
    mark, sep = (",", ".") if locale == "vi" else (".", ",")
    whole = whole.replace(",", sep if group is None else group)
    return whole + (mark + decimals if decimals else "")


class TestParseNumber:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("0,7163", 0.7163),
            ("1.234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("1 234,5", 1234.5),
            ("1\u00a0234,5", 1234.5),
            ("72 %", 0.72),
            ("72%", 0.72),
            ("71,63 %", 0.7163),
            ("1,5 triệu", 1_500_000.0),
            ("2 tỷ", 2e9),
            ("3 nghìn", 3000.0),
            ("1.234.567", 1_234_567.0),
            ("1,234,567", 1_234_567.0),
            ("−3,5", -3.5),
            ("-0.25", -0.25),
            ("+12", 12.0),
            ("0.123", 0.123),
            ("0,123", 0.123),
            ("1e-3", 0.001),
            ("  42  ", 42.0),
        ],
    )
    def test_published_forms(self, text: str, expected: float) -> None:
        """Numbers as Vietnamese and English tables print them read without a declared locale."""
        assert parse_number(text) == expected

    def test_ambiguous_without_a_locale_is_refused_and_says_so(self) -> None:
        """'1.234' is 1234 in Vietnamese and 1.234 in English: the error names both readings."""
        with pytest.raises(InvalidValueError, match=r"1234 with a decimal comma \(vi\)") as caught:
            parse_number("1.234")
        assert "1.234 with a decimal point (en)" in str(caught.value)
        assert "declare the locale" in str(caught.value)

    def test_declared_locale_settles_it(self) -> None:
        """With the locale declared the same text has one meaning."""
        assert parse_number("1.234", locale="vi") == 1234.0
        assert parse_number("1.234", locale="en") == 1.234
        assert parse_number("1,234", locale="vi") == 1.234
        assert parse_number("1,234", locale="en") == 1234.0

    def test_a_declared_locale_refuses_the_other_way(self) -> None:
        """A decimal comma is not read when English is declared, and vice versa."""
        with pytest.raises(InvalidValueError, match="the English way"):
            parse_number("0,7163", locale="en")
        with pytest.raises(InvalidValueError, match="the Vietnamese way"):
            parse_number("1,234.5", locale="vi")

    @pytest.mark.parametrize(
        "text", ["", "abc", "12abc", "1,2,3", "1.23.4", "nan", "inf", "0x10", "1_000", "²", "+"]
    )
    def test_not_numbers(self, text: str) -> None:
        """Text that is not a number written either way is refused by name."""
        with pytest.raises(InvalidValueError, match="'value' must be"):
            parse_number(text)

    def test_unknown_word_after_the_number(self) -> None:
        """Only % and magnitude words may follow a plain value."""
        with pytest.raises(InvalidValueError, match="triệu/tỷ/nghìn"):
            parse_number("12 apples")

    def test_field_is_named(self) -> None:
        """The caller's field name is in the message."""
        with pytest.raises(InvalidValueError, match="'nhan_thuc_so' must be"):
            parse_number("x", field="nhan_thuc_so")


class TestSplitNumber:
    def test_rest_is_returned_unscaled(self) -> None:
        """The unit text after the number is left for the caller to interpret."""
        assert split_number("72 %") == (72.0, "%")
        assert split_number("18,66 % of GRDP") == (18.66, "% of GRDP")
        assert split_number("1,5 tỷ VND") == (1.5, "tỷ VND")
        assert split_number("12") == (12.0, "")


class TestInferLocale:
    def test_one_unambiguous_text_decides(self) -> None:
        """A decimal comma in one cell settles an ambiguous '1.234' in another as Vietnamese."""
        assert infer_locale(["1.234", "0,5", "12"]) == "vi"
        assert infer_locale(["1.234", "0.5"]) == "en"

    def test_nothing_decides(self) -> None:
        """Integers and ambiguous texts alone leave the locale open."""
        assert infer_locale(["12", "1.234", "x"]) is None

    def test_conflict_names_both_cells(self) -> None:
        """A decimal comma and a decimal point in one file are refused, both shown."""
        with pytest.raises(InvalidValueError, match=r"'0,5' \(decimal comma\) and '0.25'"):
            infer_locale(["0,5", "0.25"])

    def test_locales_of(self) -> None:
        """Which locales read a text."""
        assert locales_of("0,5") == {"vi"}
        assert locales_of("0.5") == {"en"}
        assert locales_of("1.234") == {"vi", "en"}
        assert ambiguous("1.234")
        assert not ambiguous("12")
        assert locales_of("abc") == frozenset()


class TestLaws:
    @given(
        st.integers(min_value=0, max_value=10**12),
        st.text(alphabet="0123456789", max_size=6),
        st.sampled_from(["vi", "en"]),
        st.sampled_from([None, " ", "\u00a0"]),
    )
    def test_written_numbers_read_back(
        self, value: int, decimals: str, locale: str, group: str | None
    ) -> None:
        """A number grouped and written the vi or en way reads back as that number."""
        text = written(value, decimals, locale, group=group)
        expected = float(f"{value}.{decimals or '0'}")
        assert parse_number(text, locale=locale) == expected  # type: ignore[arg-type]

    @given(
        st.integers(min_value=0, max_value=10**9),
        st.text(alphabet="0123456789", min_size=1, max_size=6),
    )
    def test_inferred_when_unambiguous(self, value: int, decimals: str) -> None:
        """Without a locale a text is read when both readings agree or only one exists."""
        text = written(value, decimals, "vi")
        readings = [
            parse_number(text, locale=loc) for loc in ("vi", "en") if loc in locales_of(text)
        ]
        if len(set(readings)) == 1:
            assert parse_number(text) == readings[0]
        else:
            with pytest.raises(InvalidValueError, match="declare the locale"):
                parse_number(text)

    @given(st.text(max_size=40), st.sampled_from([None, "vi", "en"]))
    def test_fuzz_only_dxplan_errors(self, text: str, locale: str | None) -> None:
        """Any text gives a finite number or a DxplanError, never another exception."""
        try:
            value = parse_number(text, locale=locale)  # type: ignore[arg-type]
        except DxplanError:
            return
        assert math.isfinite(value)

    @given(
        st.text(alphabet="0123456789.,  -+%eE\u00a0triệuỷtỉnghìn", max_size=24),
        st.sampled_from([None, "vi", "en"]),
    )
    def test_fuzz_number_like_text(self, text: str, locale: str | None) -> None:
        """Text made of digits, marks and magnitude letters: a number or a DxplanError."""
        try:
            split_number(text, locale=locale)  # type: ignore[arg-type]
            locales_of(text)
            infer_locale([text, text[::-1]])
        except DxplanError:
            pass

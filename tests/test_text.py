"""Tests of dxplan.text: bilingual labels in Unicode normal form C."""

from __future__ import annotations

import unicodedata

import pytest

from dxplan.errors import DxplanError, InvalidValueError
from dxplan.text import LANGUAGES, Label, nfc

DECOMPOSED_HO = "Ho\u0302\u0300"  # "H", "o", combining circumflex, combining grave
COMPOSED_HO = "H\u1ed3"  # "Hồ" as two code points


def test_nfc_composes_vietnamese_letters() -> None:
    """A letter typed with combining marks becomes the one precomposed code point."""
    assert nfc(DECOMPOSED_HO) == COMPOSED_HO
    assert len(nfc(DECOMPOSED_HO)) == 2


def test_languages_are_vietnamese_then_english() -> None:
    """Vietnamese is the source language and comes first."""
    assert LANGUAGES == ("vi", "en")


class TestLabel:
    def test_decomposed_equals_composed(self) -> None:
        """A label typed with combining marks equals the same label typed precomposed."""
        assert Label(vi=DECOMPOSED_HO + " Chí Minh") == Label(vi="Hồ Chí Minh")

    def test_stores_nfc(self) -> None:
        """Both languages are stored in normal form C."""
        label = Label(vi=DECOMPOSED_HO, en="Cafe\u0301")
        assert label.vi == COMPOSED_HO
        assert label.en == "Café"
        assert unicodedata.is_normalized("NFC", label.vi)

    def test_hash_follows_equality(self) -> None:
        """Equal labels typed differently collapse to one set member."""
        assert len({Label(vi=DECOMPOSED_HO), Label(vi=COMPOSED_HO)}) == 1

    def test_english_is_optional(self) -> None:
        """A label needs only its Vietnamese text."""
        assert Label(vi="Hạ tầng số").en is None

    def test_text_in_english(self) -> None:
        """text('en') gives the translation when there is one."""
        label = Label(vi="Hạ tầng số", en="Digital infrastructure")
        assert label.text("en") == "Digital infrastructure"
        assert label.text("vi") == "Hạ tầng số"

    def test_text_falls_back_to_vietnamese(self) -> None:
        """text('en') gives the Vietnamese source when there is no translation."""
        assert Label(vi="Hạ tầng số").text("en") == "Hạ tầng số"
        assert Label(vi="Hạ tầng số", en="").text("en") == "Hạ tầng số"

    def test_text_defaults_to_vietnamese(self) -> None:
        """text() without a language gives the Vietnamese source."""
        assert Label(vi="Dữ liệu số", en="Digital data").text() == "Dữ liệu số"

    def test_str_is_vietnamese(self) -> None:
        """str() of a label is its Vietnamese text."""
        assert str(Label(vi="Nhân lực số", en="Digital workforce")) == "Nhân lực số"

    @pytest.mark.parametrize("vi", ["", "   ", "\n\t"])
    def test_refuses_empty_vietnamese(self, vi: str) -> None:
        """A label without visible Vietnamese text cannot be built."""
        with pytest.raises(InvalidValueError, match=r"'vi' must be non-empty text \(got '"):
            Label(vi=vi)

    def test_refuses_non_text_vietnamese(self) -> None:
        """A number given as the Vietnamese text is refused by name, not with a TypeError."""
        with pytest.raises(InvalidValueError, match=r"'vi' must be non-empty text \(got 5\)"):
            Label(vi=5)  # type: ignore[arg-type]

    def test_refuses_non_text_english(self) -> None:
        """A number given as the English text is refused by name."""
        with pytest.raises(InvalidValueError, match=r"'en' must be text or None \(got 5\)"):
            Label(vi="Xã hội số", en=5)  # type: ignore[arg-type]

    def test_error_is_a_value_error(self) -> None:
        """The refusal is both a DxplanError and a ValueError, and keeps its data."""
        with pytest.raises(ValueError, match="non-empty text") as caught:
            Label(vi="")
        assert isinstance(caught.value, DxplanError)
        assert isinstance(caught.value, InvalidValueError)
        assert (caught.value.field, caught.value.value) == ("vi", "")

    def test_is_frozen(self) -> None:
        """A label cannot be changed after it is built."""
        label = Label(vi="Thể chế số")
        with pytest.raises(AttributeError):
            label.vi = "Thể chế"  # type: ignore[misc]

    def test_is_keyword_only(self) -> None:
        """Fields are given by name, so vi and en cannot be swapped by accident."""
        with pytest.raises(TypeError):
            Label("Thể chế số")  # type: ignore[call-arg]

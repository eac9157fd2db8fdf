"""Bilingual text: Vietnamese is the source, English the translation."""

from __future__ import annotations

import unicodedata
from typing import Literal

import attrs

from dxplan._validators import instance_of, non_empty_text, optional

__all__ = ["LANGUAGES", "Label", "Language", "label_text", "nfc"]

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C.

    Vietnamese letters can be typed as one code point or as a letter plus
    combining marks; NFC makes both spellings compare equal.

    >>> nfc("Ho\\u0302\\u0300") == "Hồ"
    True
    """
    return unicodedata.normalize("NFC", text)


def _nfc_text(text: str) -> str:
    try:
        return nfc(text)
    except TypeError:
        return text  # not text: passed on for the validator to refuse by name


def _optional_nfc(text: str | None) -> str | None:
    return None if text is None else _nfc_text(text)


@attrs.frozen(kw_only=True)
class Label:
    """A name in Vietnamese with an optional English translation.

    >>> Label(vi="Hạ tầng số", en="Digital infrastructure").text("en")
    'Digital infrastructure'
    >>> Label(vi="Hạ tầng số").text("en")
    'Hạ tầng số'
    """

    vi: str = attrs.field(converter=_nfc_text, validator=non_empty_text)
    en: str | None = attrs.field(
        default=None, converter=_optional_nfc, validator=optional(instance_of(str, "text or None"))
    )

    def text(self, lang: Language = "vi") -> str:
        """The label in ``lang``, falling back to Vietnamese where no translation exists."""
        if lang == "en" and self.en:
            return self.en
        return self.vi

    def to_dict(self) -> dict[str, str | None]:
        """Both languages as plain data, the way JSON output carries a label.

        >>> Label(vi="Hạ tầng số").to_dict()
        {'vi': 'Hạ tầng số', 'en': None}
        """
        return {"vi": self.vi, "en": self.en}

    def __str__(self) -> str:
        return self.vi


def label_text(label: Label | None, lang: Language = "vi", default: str = "") -> str:
    """``label`` in ``lang`` as :meth:`Label.text` gives it, or ``default`` when there is none.

    Index nodes may be unlabelled; views show their id instead.

    >>> label_text(None, "en", default="ha_tang_so")
    'ha_tang_so'
    """
    return default if label is None else label.text(lang)

"""Vietnam's provinces: a gazetteer of the 63 and the 34, and the 2025 merger.

Until 30 June 2025 Vietnam had 63 provincial-level units; from 1 July 2025
(National Assembly Resolution 202/2025/QH15) it has 34, 23 of them formed
from two or three former ones. The DTI 2020–2023 and the HCMC 2024 plan use
the 63; the DTI 2024 was published for the 34. A name such as "Đà Nẵng"
means different territories before and after the merger, so every lookup
names its era: ``2024`` (the 63) or ``2025`` (the 34).

- :func:`match` turns a name as tables write it ("TP. Hồ Chí Minh",
  "Thừa Thiên - Huế", "Thanh Hoá", "BR-VT", "Ho Chi Minh City") into an id.
- :func:`merged` gives the 2025 unit a former unit belongs to;
  :func:`former` the former units of a 2025 unit.
- :func:`regroup` maps entity × component data from the 63 to the 34 with a
  declared rule per component; :func:`rerank` ranks an index on the 34 and
  says which units were combined.

>>> match("TP. Hồ Chí Minh", era=2024), match("Thanh Hoá", era=2024), match("BR-VT", era=2024)
('ho-chi-minh', 'thanh-hoa', 'ba-ria-vung-tau')
>>> merged("binh-duong"), former("ho-chi-minh")
('ho-chi-minh', ('binh-duong', 'ba-ria-vung-tau', 'ho-chi-minh'))
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

import attrs
import numpy as np

from dxplan import _validators as v
from dxplan._validators import cross_section
from dxplan.errors import InvalidValueError, UnknownIdError
from dxplan.text import nfc

if TYPE_CHECKING:
    from dxplan.index.data import IndexData
    from dxplan.index.model import Index

__all__ = [
    "DTI_2024_RULE",
    "DTI_2024_RULE_CITATION",
    "ERAS",
    "MERGER_CITATION",
    "Era",
    "MergedRank",
    "MergedRanking",
    "MergedUnit",
    "Province",
    "Rule",
    "UnknownProvinceError",
    "combined",
    "former",
    "match",
    "merged",
    "province",
    "provinces",
    "regroup",
    "rerank",
]

Era = Literal[2024, 2025]
ERAS: Final[tuple[Era, ...]] = (2024, 2025)

MERGER_CITATION: Final = (
    "National Assembly of Viet Nam, Resolution 202/2025/QH15 of 12 June 2025 on the arrangement "
    "of provincial-level administrative units (63 → 34 from 1 July 2025); GSO codes of the 63 as "
    "listed in the R package vietnamcode (LaDilettante/vietnamcode)"
)
DTI_2024_RULE_CITATION: Final = (
    "Ministry of Science and Technology of Viet Nam, DTI 2024 results for the 34 merged units "
    "(reported by vtcnews.vn, 21 October 2025): a merged unit's value is the arithmetic mean of "
    "the main-indicator values of the provinces merged into it"
)

Rule: TypeAlias = (
    Literal["sum", "none"] | tuple[Literal["mean"], "Mapping[str, float] | Literal['equal']"]
)
"""How one component is combined: ``"sum"`` (counts, money), ``("mean", weights)``
(shares; weights per former unit, or ``"equal"`` declared), or ``"none"`` (not comparable)."""

DTI_2024_RULE: Final[Rule] = ("mean", "equal")
"""The DTI's own regrouping: an equal-weight mean of the former units' values (see
:data:`DTI_2024_RULE_CITATION`)."""


class UnknownProvinceError(UnknownIdError):
    """A name matches no unit of its era, or several; ``candidates`` are the closest ids."""

    def __init__(self, name: str, era: int, reason: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.era = era
        self.candidates = tuple(candidates)
        shown = ", ".join(f"{_NAMES[era].get(c, c)} ({c})" for c in self.candidates)
        super().__init__(
            f"province {name!r} ({_ERA_WORDS.get(era, era)}): {reason}"
            + (f"; closest: {shown}" if shown else "")
        )


_ERA_WORDS: Final[dict[int, str]] = {
    2024: "era 2024, the 63 units to 30 June 2025",
    2025: "era 2025, the 34 units from 1 July 2025",
}


@attrs.frozen(kw_only=True)
class Province:
    """One provincial-level unit of one era.

    ``kind`` is ``"city"`` for a centrally governed city (thành phố trực thuộc
    trung ương), else ``"province"``; ``gso_code`` is the General Statistics
    Office code (bundled for the 63 only).
    """

    id: str
    name_vi: str
    kind: Literal["city", "province"]
    era: Era
    gso_code: str | None = None

    @property
    def full_name(self) -> str:
        """The name with its prefix, as official tables write it ("TP. Hồ Chí Minh")."""
        return ("TP. " if self.kind == "city" else "Tỉnh ") + self.name_vi


def _rows(name: str) -> list[dict[str, str]]:
    data = resources.files("dxplan").joinpath("data", "vn_provinces", name)
    return list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))


@functools.cache
def _units() -> dict[int, tuple[Province, ...]]:
    old = tuple(
        Province(
            id=row["id"],
            name_vi=nfc(row["name_vi"]),
            kind="city" if row["kind"] == "city" else "province",
            era=2024,
            gso_code=row["gso_code"],
        )
        for row in _rows("provinces_63.csv")
    )
    new = tuple(
        Province(
            id=row["id"],
            name_vi=nfc(row["name_vi"]),
            kind="city" if row["kind"] == "city" else "province",
            era=2025,
        )
        for row in _rows("provinces_34.csv")
    )
    return {2024: old, 2025: new}


@functools.cache
def _merger() -> dict[str, str]:
    return {row["old_id"]: row["new_id"] for row in _rows("merger_2025.csv")}


class _Names(dict[int, dict[str, str]]):
    """Era → id → Vietnamese name, loaded on first use (error messages need it)."""

    def __missing__(self, era: int) -> dict[str, str]:
        names = {p.id: p.name_vi for p in _units().get(era, ())}
        self[era] = names
        return names


_NAMES: Final = _Names()


def provinces(era: Era) -> tuple[Province, ...]:
    """The units of ``era``: the 63 (2024) in GSO-code order, or the 34 (2025)."""
    return _units()[_era(era)]


def province(unit_id: str, era: Era) -> Province:
    """The unit of ``era`` with id ``unit_id``."""
    for unit in provinces(era):
        if unit.id == unit_id:
            return unit
    raise UnknownProvinceError(unit_id, era, "no unit with this id", _closest(unit_id, era))


_ERAS = v.one_of((2024, 2025))


def _era(era: object) -> Era:
    if _ERAS.accepts(era):
        return 2024 if era == 2024 else 2025
    raise InvalidValueError(
        "era", era, "2024 (the 63 units to 30 June 2025) or 2025 (the 34 from 1 July 2025)"
    )


# ---------------------------------------------------------------------------- matching

_PREFIXES: Final = ("thanh pho", "thu do", "tinh", "tp", "city of", "province of")
_SUFFIXES: Final = ("city", "province")  # not "tỉnh": Hà Tĩnh ends in it
# Spellings that folding cannot reach: abbreviations, exonyms, old spellings.
_ALIASES: Final[dict[int, dict[str, str]]] = {
    2024: {
        "hcm": "ho-chi-minh",
        "tphcm": "ho-chi-minh",
        "hcmc": "ho-chi-minh",
        "saigon": "ho-chi-minh",
        "tthue": "thua-thien-hue",
        "hue": "thua-thien-hue",
        "baccan": "bac-kan",
    },
    2025: {
        "hcm": "ho-chi-minh",
        "tphcm": "ho-chi-minh",
        "hcmc": "ho-chi-minh",
        "saigon": "ho-chi-minh",
        "tthue": "hue",
    },
}
_MAX_NAME = 200


def _words(name: str) -> list[str]:
    """Lower-case ASCII words of ``name``: no tone marks, đ → d, punctuation as spaces."""
    text = nfc(name).lower().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", bare).split()


def _key(name: str) -> str:
    """The key a name is matched by: folded words without the prefix or suffix, joined."""
    words = _words(name)
    for prefix in _PREFIXES:
        parts = prefix.split()
        if words[: len(parts)] == parts and len(words) > len(parts):
            words = words[len(parts) :]
            break
    for suffix in _SUFFIXES:
        parts = suffix.split()
        if words[-len(parts) :] == parts and len(words) > len(parts):
            words = words[: -len(parts)]
            break
    return "".join(words)


def _initials(name: str) -> str:
    return "".join(word[0] for word in _words(name))


@functools.cache
def _table(era: Era) -> dict[str, frozenset[str]]:
    """Key → ids of ``era``; a key of several ids is ambiguous."""
    found: dict[str, set[str]] = {}

    def add(key: str, unit_id: str) -> None:
        if key:
            found.setdefault(key, set()).add(unit_id)

    for unit in provinces(era):
        add(_key(unit.name_vi), unit.id)
        add(_key(unit.id), unit.id)
        if len(_words(unit.name_vi)) > 1:
            add(_initials(unit.name_vi), unit.id)
        if unit.gso_code:
            add(unit.gso_code, unit.id)
            add(unit.gso_code.lstrip("0"), unit.id)
    if era == 2025:
        # A former unit whose territory did not change still names its successor.
        members: dict[str, list[str]] = {}
        for old, new in _merger().items():
            members.setdefault(new, []).append(old)
        for new, olds in members.items():
            if len(olds) == 1:
                unit = province(olds[0], 2024)
                add(_key(unit.name_vi), new)
                add(_key(unit.id), new)
    for alias, unit_id in _ALIASES[era].items():
        found[alias] = {unit_id}
    return {key: frozenset(ids) for key, ids in found.items()}


def _closest(name: str, era: Era, *, count: int = 3) -> tuple[str, ...]:
    key = _key(name)
    table = _table(era)
    keys = difflib.get_close_matches(key, [k for k in table if len(k) > 3], n=count, cutoff=0.6)
    ids = dict.fromkeys(i for k in keys for i in sorted(table[k]))
    return tuple(ids)[:count]


def match(name: str, *, era: Era) -> str:
    """The id of the unit of ``era`` that ``name`` names.

    Matching ignores case, tone marks (so both "Hoá" and "Hóa" placements, and
    no diacritics at all), spacing, hyphens and dots, a "TP." / "Thành phố" /
    "Tỉnh" prefix and a "City" / "Province" suffix. It also knows the ids,
    GSO codes (era 2024), initials ("BR-VT", "TT-Huế") and common forms
    ("TP.HCM", "HCMC", "Saigon", "Ho Chi Minh City", "Hanoi").

    >>> match("Thành phố Hồ Chí Minh", era=2024), match("Thừa Thiên - Huế", era=2025)
    ('ho-chi-minh', 'hue')

    Raises:
        UnknownProvinceError: no unit of ``era`` has that name (a former unit
            asked for in era 2025 says which unit it was merged into), or
            several do; ``candidates`` holds the closest ids.
    """
    era = _era(era)
    if not isinstance(name, str):
        raise InvalidValueError("name", name, "a province name (text)")
    if len(name) > _MAX_NAME:
        raise UnknownProvinceError(name[:40] + "…", era, f"longer than {_MAX_NAME} characters", ())
    key = _key(name)
    ids = _table(era).get(key)
    if ids is not None and len(ids) == 1:
        return next(iter(ids))
    if ids:
        return _ambiguous(name, era, sorted(ids))
    if era == 2025:
        old = _table(2024).get(key)
        if old is not None and len(old) == 1:
            old_id = next(iter(old))
            new_id = _merger()[old_id]
            raise UnknownProvinceError(
                name,
                era,
                f"{_NAMES[2024][old_id]} ({old_id}) is a former unit, merged into "
                f"{_NAMES[2025][new_id]} ({new_id}) on 1 July 2025; ask era=2024 for the former "
                "unit, or merged() for its successor",
                (new_id,),
            )
    if era == 2024 and key.isdigit():
        raise UnknownProvinceError(name, era, "no unit has this GSO code", ())
    raise UnknownProvinceError(name, era, "no unit has this name", _closest(name, era))


def _ambiguous(name: str, era: Era, ids: Sequence[str]) -> str:
    raise UnknownProvinceError(name, era, f"ambiguous: it names {len(ids)} units", ids)


def merged(unit_id: str) -> str:
    """The id of the unit (from 1 July 2025) that the former unit ``unit_id`` belongs to.

    >>> merged("quang-nam"), merged("thua-thien-hue"), merged("ha-noi")
    ('da-nang', 'hue', 'ha-noi')
    """
    try:
        return _merger()[unit_id]
    except (KeyError, TypeError):
        raise UnknownProvinceError(
            str(unit_id), 2024, "no former unit with this id", _closest(str(unit_id), 2024)
        ) from None


def former(unit_id: str) -> tuple[str, ...]:
    """The former units (the 63) that make up the unit ``unit_id`` from 1 July 2025, by GSO code."""
    province(unit_id, 2025)
    return tuple(p.id for p in provinces(2024) if _merger()[p.id] == unit_id)


# ---------------------------------------------------------------------------- regrouping


@attrs.frozen(kw_only=True)
class MergedUnit:
    """A unit from 1 July 2025 and the former units of it that a data set holds.

    ``missing`` are its former units that the data lacks; a value combined
    without them is not the unit's value (see ``partial`` in :func:`regroup`).
    """

    id: str
    name: str
    members: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def combined(self) -> bool:
        """Whether two or more former units make up this unit."""
        return len(self.members) + len(self.missing) > 1


def combined(data: IndexData) -> tuple[MergedUnit, ...]:
    """The units from 1 July 2025 that ``data`` (on the 63) has members of, in GSO order.

    Raises:
        UnknownProvinceError: an entity of ``data`` is not one of the 63 ids.
    """
    present = set(data.entities)
    for entity in data.entities:
        if entity not in _merger():
            raise UnknownProvinceError(
                entity,
                2024,
                "data to regroup must use the ids of the 63 (match names with era=2024 first)",
                _closest(entity, 2024),
            )
    units = []
    for unit in provinces(2025):
        members = former(unit.id)
        held = tuple(m for m in members if m in present)
        if held:
            units.append(
                MergedUnit(
                    id=unit.id,
                    name=unit.name_vi,
                    members=held,
                    missing=tuple(m for m in members if m not in present),
                )
            )
    return tuple(units)


def _weights(rule: object, component: str) -> Mapping[str, float] | Literal["equal"] | None:
    """The weights of a mean rule, ``None`` for ``sum``/``none``; a bad rule is refused."""
    where = f"rules[{component!r}]"
    if rule in ("sum", "none"):
        return None
    if rule == "mean":
        raise InvalidValueError(
            where,
            rule,
            "('mean', weights): a mean of shares needs weights per former unit "
            "(population, GRDP, …) or ('mean', 'equal') to declare equal weights, as the "
            "DTI 2024 did",
        )
    if isinstance(rule, tuple) and len(rule) == 2 and rule[0] == "mean":
        weights = rule[1]
        if weights == "equal":
            return "equal"
        if isinstance(weights, Mapping):
            for unit_id, weight in weights.items():
                v.weight.check(f"{where}[1][{unit_id!r}]", weight)
            return weights
    raise InvalidValueError(
        where, rule, "'sum', ('mean', {former id: weight}), ('mean', 'equal') or 'none'"
    )


def regroup(
    data: IndexData,
    rules: Rule | Mapping[str, Rule],
    *,
    partial: bool = False,
) -> IndexData:
    """``data`` on the 63 mapped onto the 34, one declared rule per component.

    Args:
        data: entity × component data whose entities are ids of the 63.
        rules: one rule for every component, or a mapping with a rule for each:
            ``"sum"`` (counts, money), ``("mean", weights)`` (a weighted mean:
            weights per former id, such as population or GRDP, or ``"equal"``
            to declare equal weights, as :data:`DTI_2024_RULE`), or ``"none"``
            (not comparable: a unit formed from two or more is NaN). A bare
            ``"mean"`` is refused: averaging shares needs declared weights.
        partial: combine what the data holds when a former unit is missing or
            NaN (renormalising a mean's weights). By default such a unit's
            value is NaN, because it would not be the merged unit's value.

    Returns:
        Data on the units from 1 July 2025 that have a former unit in ``data``
        (in GSO order), named in Vietnamese; its ``source`` says the rules.
    """
    data = cross_section(data, "regrouping on the 34 units")
    per_component: dict[str, Rule]
    if isinstance(rules, Mapping):
        unknown = [c for c in rules if c not in data.components]
        if unknown:
            raise InvalidValueError("rules", unknown, "rules for components of the data")
        absent = [c for c in data.components if c not in rules]
        if absent:
            raise InvalidValueError(
                "rules", f"no rule for {absent}", "a rule declared for every component"
            )
        per_component = dict(rules)
    else:
        per_component = dict.fromkeys(data.components, rules)
    weights = {c: _weights(rule, c) for c, rule in per_component.items()}
    units = combined(data)
    rows = np.full((len(units), len(data.components)), np.nan)
    for i, unit in enumerate(units):
        positions = [data.position(m) for m in unit.members]
        block = data.values[positions]
        for j, component in enumerate(data.components):
            column = block[:, j]
            known = ~np.isnan(column)
            complete = not unit.missing and bool(known.all())
            if not known.any() or (not complete and not partial):
                continue
            rule = per_component[component]
            if rule == "none":
                if not unit.combined:
                    rows[i, j] = column[0]
            elif rule == "sum":
                rows[i, j] = float(column[known].sum())
            else:
                w = weights[component]
                if int(known.sum()) == 1:
                    rows[i, j] = float(column[known][0])  # one value: no weights to apply
                    continue
                if w == "equal":
                    share = np.ones(len(column))
                else:
                    assert isinstance(w, Mapping)
                    lacking = [m for m in unit.members if m not in w]
                    if lacking:
                        raise InvalidValueError(
                            f"rules[{component!r}][1]",
                            f"no weight for {lacking}",
                            "a weight for every former unit in the data",
                        )
                    share = np.array([float(w[m]) for m in unit.members])
                total = float(share[known].sum())
                if total <= 0:
                    continue
                rows[i, j] = float((share[known] * column[known]).sum() / total)
    said = "; ".join(f"{c}: {_rule_words(per_component[c])}" for c in data.components)
    return type(data)(
        entities=[u.id for u in units],
        components=data.components,
        values=rows,
        names=[u.name for u in units],
        source=(
            f"{data.source} — regrouped onto the 34 units from 1 July 2025 "
            f"({'partial members allowed' if partial else 'complete members only'}; {said}). "
            f"{MERGER_CITATION}"
        ).lstrip(" —"),
    )


def _rules_words(components: Sequence[str], rules: Rule | Mapping[str, Rule]) -> str:
    """``rules`` in words: one rule for all components, or per component."""
    if not isinstance(rules, Mapping):
        return f"{_rule_words(rules)} of every component"
    said = {_rule_words(rules[c]) for c in components}
    if len(said) == 1:
        return f"{said.pop()} of every component"
    return "; ".join(f"{c}: {_rule_words(rules[c])}" for c in components)


def _rule_words(rule: Rule) -> str:
    if rule == "sum":
        return "sum"
    if rule == "none":
        return "not comparable"
    return "equal-weight mean" if rule[1] == "equal" else "weighted mean"


@attrs.frozen(kw_only=True)
class MergedRank:
    """One unit from 1 July 2025 in a ranking on the 34, with the former units behind it.

    ``former_ranks`` are the former units' ranks on the 63 (on the same node),
    ``None`` where the data lacks the unit.
    """

    id: str
    name: str
    score: float
    rank: int | None
    former_ranks: tuple[tuple[str, int | None], ...]
    missing: tuple[str, ...]

    @property
    def combined(self) -> bool:
        """Whether two or more former units make up this unit."""
        return len(self.former_ranks) > 1


@attrs.frozen(kw_only=True)
class MergedRanking:
    """An index ranked on the 34, beside the ranking of the same data on the 63.

    ``rule`` says the regrouping rule in words; ``rules`` is the regrouped
    data's full source (rules, member policy and citation);
    ``rule_by_component`` pairs each component with its rule's kind (``"sum"``,
    ``"equal-weight mean"``, ``"weighted mean"``, ``"not comparable"``).
    """

    node: str
    entries: tuple[MergedRank, ...]
    ranked_former: int
    rule: str
    rules: str
    source: str
    rule_by_component: tuple[tuple[str, str], ...] = ()

    def entry(self, unit_id: str) -> MergedRank:
        """The entry of the unit ``unit_id`` (from 1 July 2025)."""
        for entry in self.entries:
            if entry.id == unit_id:
                return entry
        raise UnknownProvinceError(unit_id, 2025, "not in this ranking", ())

    def to_excel(self, path: str | PathLike[str], *, force: bool = False) -> Path:
        """Write the ranking on the 34 as ``.xlsx``, with a README of the rules and sources."""
        from dxplan.formats.excel import write_tables

        return write_tables(
            path,
            {"ranking": self.to_rows()},
            {
                "node": self.node,
                "regrouped": self.rules,
                "sources": self.source,
                "former": "former units with their rank on the 63 in brackets",
            },
            force=force,
        )

    def to_rows(self) -> list[dict[str, object]]:
        """One plain row per unit, best first (language-neutral: ids, dot decimals)."""
        return [
            {
                "rank": e.rank,
                "id": e.id,
                "name": e.name,
                "score": None if math.isnan(e.score) else e.score,
                "former": " + ".join(
                    f"{m} ({r if r is not None else '–'})" for m, r in e.former_ranks
                ),
                "missing": " ".join(e.missing),
            }
            for e in self.entries
        ]


def rerank(
    index: Index,
    data: IndexData,
    rules: Rule | Mapping[str, Rule] = DTI_2024_RULE,
    *,
    node: str | None = None,
    partial: bool = False,
) -> MergedRanking:
    """Rank ``index`` on the 34 units from data on the 63, and say which units were combined.

    The data are regrouped component by component (:func:`regroup`) and the
    index evaluated on the result, which is how the DTI 2024 ranked the 34
    (the default rule, :data:`DTI_2024_RULE`). Each entry keeps the former
    units' ranks on the 63 so a report can say "1st of the 63 former, 4th of
    the 34". Units whose value is NaN (a former unit missing from the data,
    unless ``partial``) have no rank and come last.
    """
    before = index.evaluate(cross_section(data, "ranking on the 34 units"))
    target = node or index.root
    old_ranks = before.rank(target)
    regrouped = regroup(data, rules, partial=partial)
    after = index.evaluate(regrouped)
    new_ranks = after.rank(target)
    scores = after.scores(target)
    units = {u.id: u for u in combined(data)}
    entries = [
        MergedRank(
            id=unit_id,
            name=units[unit_id].name,
            score=scores[unit_id],
            rank=new_ranks[unit_id],
            former_ranks=tuple((m, old_ranks.get(m)) for m in units[unit_id].members),
            missing=units[unit_id].missing,
        )
        for unit_id in regrouped.entities
    ]
    entries.sort(key=lambda e: (e.rank is None, e.rank or 0, e.id))
    return MergedRanking(
        node=target,
        entries=tuple(entries),
        ranked_former=sum(r is not None for r in old_ranks.values()),
        rule=_rules_words(data.components, rules),
        rules=regrouped.source,
        rule_by_component=tuple(
            (c, _rule_words(rules[c] if isinstance(rules, Mapping) else rules))
            for c in data.components
        ),
        source=f"{index.citation}; {data.source}",
    )

"""Property tests of the model's laws: NFC labels, unit conversion, comparators, plan files."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
import unicodedata

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan.formats.io import plan_from_dict, plan_to_dict
from dxplan.plan.model import (
    Comparator,
    Indicator,
    IndicatorGroup,
    Link,
    Plan,
    Priority,
    Provenance,
    Source,
    Target,
    Task,
)
from dxplan.text import Label, nfc
from dxplan.units import PERCENT, Unit

# --- local strategies ---------------------------------------------------------------------

VIETNAMESE = "aăâeêioôơuưyđAĂÂĐ\u0300\u0301\u0303\u0309\u0323 ồếạửỹ"

# Vietnamese letters with loose combining marks, plus any other text (no surrogates).
texts = st.text(alphabet=st.sampled_from(VIETNAMESE), min_size=1, max_size=12) | st.text(
    min_size=1, max_size=12
)
visible_texts = texts.filter(lambda s: bool(s.strip()))
identifiers = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,5}", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
years = st.integers(1900, 2200)


@st.composite
def labels(draw: st.DrawFn) -> Label:
    return Label(vi=draw(visible_texts), en=draw(st.none() | texts))


@st.composite
def provenances(draw: st.DrawFn) -> Provenance:
    source = draw(st.sampled_from(Source))
    note = draw(st.just("") | texts) if source is Source.SEED else draw(visible_texts)
    return Provenance(source=source, note=note)


UNITS = [Unit.parse(text) for text in ("%", "% of GRDP", "% của doanh nghiệp", "tỷ VND", "count")]
RANK_UNIT = Unit(symbol="rank")


@st.composite
def targets(draw: st.DrawFn, unit: Unit) -> Target:
    deadline = draw(st.none() | years | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
    scope = draw(st.none() | identifiers)
    scope_label = draw(st.none() | labels())
    provenance = draw(provenances())
    if unit == RANK_UNIT:
        rank = draw(st.integers(1, 70))
        return Target(
            comparator="rank<=",
            value=rank,
            out_of=draw(st.none() | st.integers(rank, 100)),
            deadline=deadline,
            scope=scope,
            scope_label=scope_label,
            provenance=provenance,
        )
    value = draw(finite)
    return Target(
        comparator=draw(st.sampled_from([c for c in Comparator if not c.is_rank])),
        value=value,
        unit=draw(st.sampled_from([None, unit])),
        baseline=draw(st.none() | finite.filter(lambda b: b != value)),
        deadline=deadline,
        scope=scope,
        scope_label=scope_label,
        provenance=provenance,
    )


@st.composite
def indicators(draw: st.DrawFn) -> Indicator:
    unit = draw(st.sampled_from([*UNITS, RANK_UNIT]))
    return Indicator(
        id=draw(identifiers),
        label=draw(labels()),
        unit=unit,
        targets=draw(st.lists(targets(unit), min_size=1, max_size=3)),
        measures=draw(st.none() | identifiers),
        provenance=draw(provenances()),
    )


@st.composite
def links(draw: st.DrawFn) -> Link:
    return Link(
        to=draw(identifiers),
        provenance=draw(provenances()),
        weight=draw(st.floats(0, 10, allow_nan=False)),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Small plans, valid value objects but not necessarily passing dxplan.check."""
    groups = [
        IndicatorGroup(
            id=draw(identifiers),
            label=draw(labels()),
            declared_count=draw(st.integers(0, 20)),
            indicators=draw(st.lists(indicators(), max_size=3)),
            provenance=draw(provenances()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    few_links = st.lists(links(), max_size=2)
    tasks = [
        Task(
            id=draw(identifiers),
            label=draw(labels()),
            depends_on=draw(few_links),
            contributes_to=draw(few_links),
            priorities=draw(few_links),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    priorities = draw(
        st.lists(
            st.builds(Priority, id=identifiers, label=labels(), description=st.none() | labels()),
            max_size=2,
        )
    )
    return Plan(
        id=draw(identifiers),
        label=draw(labels()),
        year=draw(st.none() | years),
        entity=draw(st.none() | identifiers),
        theme=draw(st.none() | labels()),
        priorities=priorities,
        groups=groups,
        tasks=tasks,
        provenance=draw(provenances()),
    )


# --- laws -----------------------------------------------------------------------------------


class TestLabelLaws:
    @given(visible_texts)
    def test_nfc_is_idempotent(self, text: str) -> None:
        """Building a label from a label's own text changes nothing."""
        label = Label(vi=text, en=text)
        assert label.vi == nfc(text)
        assert Label(vi=label.vi, en=label.en) == label
        assert unicodedata.is_normalized("NFC", label.vi)

    @given(visible_texts)
    def test_equal_under_normalisation(self, text: str) -> None:
        """Any normal form of the same text gives an equal label with an equal hash."""
        forms = [Label(vi=unicodedata.normalize(form, text)) for form in ("NFC", "NFD")]
        assert forms[0] == forms[1]
        assert hash(forms[0]) == hash(forms[1])

    @given(labels())
    def test_text_falls_back(self, label: Label) -> None:
        """text('en') is the translation when there is one, else the Vietnamese."""
        assert label.text("en") == (label.en or label.vi)
        assert label.text("vi") == label.vi


class TestUnitLaws:
    @given(st.floats(-1e12, 1e12, allow_nan=False))
    def test_percent_round_trip(self, value: float) -> None:
        """% → dimensionless → % gives the value back, within float tolerance."""
        fraction = PERCENT.convert(value, Unit(symbol="dimensionless"))
        assert abs(fraction - value / 100) <= 1e-12 * max(1.0, abs(value))
        back = Unit(symbol="dimensionless").convert(fraction, PERCENT)
        assert abs(back - value) <= 1e-12 * max(1.0, abs(value))

    @given(st.sampled_from(["GRDP", "retail sales", "doanh nghiệp"]), finite)
    def test_basis_survives_conversion_only_within_itself(self, basis: str, value: float) -> None:
        """Units of one basis compare with each other and never with another basis."""
        share = Unit(symbol="%", basis=basis)
        assert share.is_comparable(Unit(symbol="dimensionless", basis=basis))
        assert not share.is_comparable(Unit(symbol="%", basis=basis + " x"))

    @given(st.floats(0, 1e6, allow_nan=False))
    def test_vnd_magnitudes(self, value: float) -> None:
        """tỷ VND is a thousand triệu VND."""
        ty, trieu = Unit.parse("tỷ VND"), Unit.parse("triệu VND")
        assert abs(ty.convert(value, trieu) - value * 1000) <= 1e-9 * max(1.0, value * 1000)


class TestComparatorLaws:
    @given(st.sampled_from(Comparator), finite, finite)
    def test_is_met_matches_direction_and_strictness(
        self, comparator: Comparator, observed: float, target: float
    ) -> None:
        """Above the target meets iff higher is better; at the target iff not strict."""
        met = comparator.is_met(observed, target)
        if observed == target:
            assert met is not comparator.is_strict
        elif observed > target:
            assert met is comparator.higher_is_better
        else:
            assert met is not comparator.higher_is_better

    @given(st.sampled_from(Comparator), finite, finite, finite)
    def test_monotone(self, comparator: Comparator, a: float, b: float, target: float) -> None:
        """If a value meets the target, every better value does too."""
        worse, better = sorted((a, b), reverse=not comparator.higher_is_better)
        if comparator.is_met(worse, target):
            assert comparator.is_met(better, target)


class TestPlanFileLaws:
    @settings(deadline=None, max_examples=60)
    @given(plans())
    def test_dict_round_trip(self, plan: Plan) -> None:
        """plan → dict → plan is the identity, and so is dict → plan → dict."""
        data = plan_to_dict(plan)
        assert plan_from_dict(data) == plan
        assert plan_to_dict(plan_from_dict(data)) == data

    @settings(deadline=None, max_examples=60)
    @given(plans())
    def test_json_and_toml_text_round_trip(self, plan: Plan) -> None:
        """plan → JSON or TOML text → plan is the identity."""
        data = plan_to_dict(plan)
        assert plan_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == plan
        assert plan_from_dict(tomllib.loads(tomli_w.dumps(data))) == plan

"""Construction steps on COINr's ASEM data, checked against plain reference implementations.

Each reference below is a direct, loop-by-loop reading of COINr's R source
(``i_mean``, ``i_median``, ``i_mean_grp``, ``skew``, ``kurt``,
``check_SkewKurt``, ``winsorise``, ``log_CT``, ``Treat.numeric``), written
independently of dxplan's vectorised code.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence

import numpy as np
import pytest

import dxplan as dx
from dxplan import datasets
from dxplan.errors import ConstructionError, InvalidValueError
from dxplan.index.data import IndexData, PanelData
from dxplan.index.imputation import Method
from dxplan.index.pipeline import Impute, Treat
from dxplan.index.treatment import kurtosis, skewness

ASEM = datasets.asem()


def _present(xs: Sequence[float] | np.ndarray) -> list[float]:
    return [float(x) for x in xs if not math.isnan(x)]


def ref_skew(xs: Sequence[float] | np.ndarray) -> float:
    x = _present(xs)
    n = len(x)
    m = sum(x) / n
    d = [v - m for v in x]
    y = math.sqrt(n) * sum(v**3 for v in d) / sum(v**2 for v in d) ** 1.5
    return float(y * math.sqrt(n * (n - 1)) / (n - 2))


def ref_kurt(xs: Sequence[float] | np.ndarray) -> float:
    x = _present(xs)
    n = len(x)
    m = sum(x) / n
    d = [v - m for v in x]
    r = n * sum(v**4 for v in d) / sum(v**2 for v in d) ** 2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def ref_passes(xs: Sequence[float] | np.ndarray) -> bool:
    return abs(ref_skew(xs)) < 2 or ref_kurt(xs) < 3.5


def ref_treat(xs: Sequence[float]) -> tuple[list[float], int, str]:
    """COINr's Treat.numeric with winsorise (winmax 5) then log_CT on the original."""
    x = list(xs)
    if ref_passes(x):
        return x, 0, ""
    nwin = 0
    imax: list[int] = []
    imin: list[int] = []
    passing = False
    while not passing and nwin < 5:
        present = _present(x)
        if ref_skew(x) >= 0:
            top = max(present)
            imax = [i for i, v in enumerate(x) if v == top]
            nxt = max(v for i, v in enumerate(x) if i not in imax and not math.isnan(v))
            for i in imax:
                x[i] = nxt
        else:
            bottom = min(present)
            imin = [i for i, v in enumerate(x) if v == bottom]
            nxt = min(v for i, v in enumerate(x) if i not in imin and not math.isnan(v))
            for i in imin:
                x[i] = nxt
        nwin = len(imax) + len(imin)
        passing = ref_passes(x)
    if passing:
        return x, nwin, ""
    lo, hi = min(_present(xs)), max(_present(xs))
    logged = [v if math.isnan(v) else math.log(v - lo + 0.01 * (hi - lo)) for v in xs]
    return logged, 0, "log_CT"


class TestSkewKurtosis:
    """COINr's skew and kurt estimators (e1071 type 2)."""

    def test_every_asem_column(self) -> None:
        """Skewness and kurtosis of each ASEM indicator match the formulas of COINr's R code."""
        sk, kt = skewness(ASEM.values), kurtosis(ASEM.values)
        for j, c in enumerate(ASEM.components):
            column = list(ASEM.values[:, j])
            assert sk[j] == pytest.approx(ref_skew(column), abs=1e-9), c
            assert kt[j] == pytest.approx(ref_kurt(column), abs=1e-9), c

    def test_too_few_values(self) -> None:
        """Skewness needs three values and kurtosis four; below that they are NaN."""
        assert math.isnan(float(skewness([1.0, 2.0])))
        assert math.isnan(float(kurtosis([1.0, 2.0, 4.0])))


class TestTreat:
    """Outlier treatment with COINr's default rule."""

    def test_asem_matches_reference(self) -> None:
        """Every treated ASEM value and the table's counts match the reference, to 1e-9."""
        result = dx.treat(ASEM)
        for j, c in enumerate(ASEM.components):
            expected, nwin, transform = ref_treat(list(ASEM.values[:, j]))
            np.testing.assert_allclose(
                result.data.values[:, j], expected, rtol=0, atol=1e-9, equal_nan=True
            )
            (row,) = result.table.where(component=c)
            assert row["winsorised"] == nwin, c
            assert row["transform"] == transform, c
            assert row["skew_before"] == pytest.approx(ref_skew(ASEM.values[:, j]), abs=1e-9)
            assert row["skew_after"] == pytest.approx(ref_skew(expected), abs=1e-9)
            assert row["kurtosis_after"] == pytest.approx(ref_kurt(expected), abs=1e-9)

    def test_asem_some_treated(self) -> None:
        """On ASEM some indicators fail the check and are winsorised (the table says which)."""
        result = dx.treat(ASEM)
        failing = [c for j, c in enumerate(ASEM.components) if not ref_passes(ASEM.values[:, j])]
        assert failing
        assert set(result.winsorised) | set(result.transformed) == set(failing)

    def test_raw_untouched(self) -> None:
        """Treatment returns new data; the input keeps its values."""
        before = np.array(ASEM.values)
        result = dx.treat(ASEM)
        assert result.raw is ASEM
        assert np.array_equal(ASEM.values, before, equal_nan=True)

    def test_log_when_winsorising_is_not_enough(self) -> None:
        """A column still failing after 5 points is log-transformed from its original values."""
        x = [1.0 + 0.01 * i for i in range(50)] + [2.0**k for k in range(5, 17)]
        data = IndexData(
            entities=[f"e{i}" for i in range(len(x))], components=["x"], values=np.array(x)[:, None]
        )
        result = dx.treat(data)
        expected, _, transform = ref_treat(x)
        (row,) = result.table.rows
        assert (transform, row[9], row[8]) == ("log_CT", "log_CT", 5)
        np.testing.assert_allclose(result.data.values[:, 0], expected, atol=1e-12)

    def test_panel_per_period(self) -> None:
        """On a panel each period is treated on its own, as the same year's cross-section."""
        panel = datasets.asem_panel()
        result = dx.treat(panel)
        for period in (2018, 2022):
            alone = dx.treat(panel.period(period))
            np.testing.assert_array_equal(result.data.period(period).values, alone.data.values)
            rows = result.table.where(period=period)
            assert [r["winsorised"] for r in rows] == list(alone.table.column("winsorised"))

    def test_thresholds_and_skip(self) -> None:
        """A higher skew threshold or skipping a component leaves it untreated."""
        assert dx.treat(ASEM, skew_threshold=100).data == ASEM
        gas = dx.treat(ASEM, skip=["Gas"])
        assert np.array_equal(gas.data.column("Gas"), ASEM.column("Gas"), equal_nan=True)
        with pytest.raises(InvalidValueError, match="max_winsorised"):
            dx.treat(ASEM, max_winsorised=-1)

    def test_per_component_overrides(self) -> None:
        """Overrides change the rule for one component only (COINr's indiv_specs)."""
        result = dx.treat(ASEM, overrides={"Tariff": {"max_winsorised": 1, "transform": None}})
        (tariff,) = result.table.where(component="Tariff")
        assert tariff["winsorised"] == 1
        assert not tariff["passed_after"]
        j = ASEM.components.index("Tariff")
        x = list(ASEM.values[:, j])
        top = max(_present(x))
        second = max(v for v in _present(x) if v != top)
        expected = [second if v == top else v for v in x]
        np.testing.assert_array_equal(result.data.values[:, j], expected)
        (goods,) = result.table.where(component="Goods")
        assert goods["winsorised"] == 2
        with pytest.raises(InvalidValueError, match=r"overrides\['Gas'\]"):
            dx.treat(ASEM, overrides={"Gas": {"winmax": 2}})


class TestImpute:
    """Imputation methods against COINr's i_* functions."""

    def test_mean_and_median(self) -> None:
        """Column mean and median fill exactly the missing values (COINr i_mean, i_median)."""
        stats: tuple[tuple[Method, Callable[[list[float]], float]], ...] = (
            ("mean", statistics.fmean),
            ("median", statistics.median),
        )
        for method, stat in stats:
            result = dx.impute(ASEM, method)
            for j in range(len(ASEM.components)):
                raw = list(ASEM.values[:, j])
                fill = stat(_present(raw))
                expected = [fill if math.isnan(v) else v for v in raw]
                np.testing.assert_allclose(result.data.values[:, j], expected, rtol=0, atol=1e-9)
        assert dx.impute(ASEM, "mean").count == 63

    def test_group_mean_by_income_group(self) -> None:
        """Group means by GDPpc_group fill each gap with its group's mean (COINr i_mean_grp)."""
        groups = ASEM.attribute("GDPpc_group")
        result = dx.impute(ASEM, "group-mean", group="GDPpc_group")
        for j in range(len(ASEM.components)):
            raw = list(ASEM.values[:, j])
            for i, v in enumerate(raw):
                if math.isnan(v):
                    peers = [x for x, g in zip(raw, groups, strict=True) if g == groups[i]]
                    present = _present(peers)
                    expected = statistics.fmean(present) if present else math.nan
                    got = result.data.values[i, j]
                    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(
                        expected, abs=1e-9
                    )

    def test_flags_and_raw(self) -> None:
        """Imputed values are flagged one by one and the raw data keeps its gaps."""
        result = dx.impute(ASEM, "median")
        assert result.data.imputed is not None
        assert np.array_equal(result.data.imputed, np.isnan(ASEM.values))
        assert int(np.isnan(result.raw.values).sum()) == 63

    def test_explain_shows_imputed(self) -> None:
        """An explanation marks the components whose value was imputed."""
        data = dx.impute(ASEM, "mean").data
        i, j = map(int, np.argwhere(np.isnan(ASEM.values))[0])
        entity, component = ASEM.entities[i], ASEM.components[j]
        explanation = dx.indices.asem().evaluate(data).explain(entity)
        flagged = {g.component for g in explanation.components if g.imputed}
        assert component in flagged
        assert flagged == {c for k, c in enumerate(ASEM.components) if np.isnan(ASEM.values[i, k])}

    def test_user_function(self) -> None:
        """A user function fills values; one that changes an observed value is refused."""
        zero = dx.impute(ASEM, lambda x: np.where(np.isnan(x), 0.0, x))
        assert np.array_equal(zero.data.values, np.nan_to_num(ASEM.values, nan=0.0))
        with pytest.raises(ConstructionError, match="changed an observed value"):
            dx.impute(ASEM, lambda x: x + 1)

    def test_bad_arguments(self) -> None:
        """Unknown methods, a missing group and panel methods on a cross-section are refused."""
        with pytest.raises(InvalidValueError, match="method"):
            dx.impute(ASEM, "mode")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="group"):
            dx.impute(ASEM, "group-mean")
        with pytest.raises(InvalidValueError, match="no periods"):
            dx.impute(ASEM, "locf")


class TestPanelImpute:
    """Imputation along periods."""

    def panel(self) -> PanelData:
        values = np.array(
            [[[1.0], [np.nan]], [[np.nan], [4.0]], [[3.0], [np.nan]], [[np.nan], [np.nan]]]
        )
        return PanelData(
            entities=["a", "b"], components=["x"], values=values, periods=[2020, 2021, 2023, 2024]
        )

    def test_locf(self) -> None:
        """The last earlier value is carried forward; nothing before the first observation."""
        out = dx.impute(self.panel(), "locf").data.values[:, :, 0]
        np.testing.assert_array_equal(out, [[1, np.nan], [1, 4], [3, 4], [3, 4]])
        limited = dx.impute(self.panel(), "locf", max_periods=1).data.values[:, :, 0]
        np.testing.assert_array_equal(limited, [[1, np.nan], [1, 4], [3, 4], [3, np.nan]])

    def test_linear(self) -> None:
        """Linear along the years (2021 between 2020 and 2023), held flat at the ends."""
        out = dx.impute(self.panel(), "linear").data.values[:, :, 0]
        expected = np.array([[1, 4], [1 + 2 / 3, 4], [3, 4], [3, 4]], dtype=np.float64)
        np.testing.assert_allclose(out, expected)


class TestScreen:
    """Screening by data availability."""

    def test_asem_threshold(self) -> None:
        """Entities below the availability threshold are dropped, each with its reason."""
        share = 1 - np.isnan(ASEM.values).mean(axis=1)
        result = dx.screen(ASEM, min_availability=0.9)
        expected = [e for e, s in zip(ASEM.entities, share, strict=True) if s < 0.9]
        assert result.dropped == tuple(expected)
        assert result.data.entities == tuple(e for e in ASEM.entities if e not in expected)
        for row in result.table.where(kind="entity", kept=False):
            assert row["reason"] == "availability"

    def test_components_and_force(self) -> None:
        """Components are screened too, and a forced entity stays."""
        result = dx.screen(
            ASEM, min_availability=0.9, component_min_availability=0.95, force_include=["BRN"]
        )
        assert "BRN" in result.data.entities
        share = 1 - np.isnan(result.data.values).mean(axis=0)
        assert all(share >= 0.95)
        assert result.dropped_components


class TestDenominate:
    """Division by denominators."""

    def test_asem_meta_denominators(self) -> None:
        """Each indicator with a denominator in iMeta is divided by it, entity by entity."""
        by = datasets.asem_denominations()
        result = dx.denominate(ASEM, by=by)
        assert ASEM.denominators is not None
        for c, d in by.items():
            np.testing.assert_allclose(
                result.data.column(c), ASEM.column(c) / ASEM.denominators.column(d), rtol=1e-15
            )
        assert {r["component"]: r["denominator"] for r in result.table} == by

    def test_unknown_denominator(self) -> None:
        """A denominator that is not in the data is refused, naming the choices."""
        with pytest.raises(InvalidValueError, match="denominators"):
            dx.denominate(ASEM, by={"Goods": "Wealth"})


class TestPipeline:
    """A pipeline records its steps and regenerates a what-if."""

    def test_run_and_replace(self) -> None:
        """Replacing the imputation step changes only what depends on it."""
        index = dx.indices.asem()
        base = dx.Pipeline(Impute(method="mean"), Treat(), index=index)
        what_if = base.replace("impute", Impute(method="median"))
        assert [s["step"] for s in what_if.describe()] == ["impute", "treat", "evaluate"]
        assert what_if.describe()[0]["method"] == "median"
        one, two = base.run(ASEM), what_if.run(ASEM)
        manual = index.evaluate(dx.treat(dx.impute(ASEM, "mean").data).data)
        assert isinstance(one.result, dx.IndexResult)
        np.testing.assert_array_equal(one.result.values, manual.values)
        changes = one.compare(two)
        assert {c.entity for c in changes} == set(ASEM.entities)


class TestViews:
    """Step results render as tables in both languages."""

    def test_treatment_view(self) -> None:
        """The treatment table lists the 18 failing ASEM indicators; Vietnamese uses commas."""
        from rich.console import Console

        from dxplan.render import treatment_table

        result = dx.treat(ASEM)
        for lang, text in (("en", "2.83 → 1.60"), ("vi", "2,83 → 1,60")):
            console = Console(record=True, width=80)
            console.print(treatment_table(result, lang))  # type: ignore[arg-type]
            out = console.export_text()
            assert text in out
            assert "CostImpEx" in out
        assert "<table" in result._repr_html_() or "<pre" in result._repr_html_()

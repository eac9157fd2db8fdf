"""Index labels are bilingual (``Label``), as plans' are: in the model, files and views."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path

import attrs
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from rich.console import Console

import dxplan as dx
from dxplan import strategies as ds
from dxplan.cli import main
from dxplan.errors import IndexDefinitionError, InvalidValueError
from dxplan.index.data import IndexData
from dxplan.index.indices import asem, dti_922, dti_1726, index_from_dict, index_to_dict, load_index
from dxplan.index.model import Aggregate, Index, Leaf
from dxplan.render.index import change_view, explanation_view, index_tree, ranking_table
from dxplan.render.site import build_site
from dxplan.render.whatif import comparison_view
from dxplan.text import Label, Language

INFRASTRUCTURE = Label(vi="Hạ tầng số", en="Digital infrastructure")


def _rows(folder: str, name: str) -> list[dict[str, str]]:
    text = resources.files("dxplan").joinpath("data", folder, name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def sample() -> Index:
    """Three leaves: translated, named in one language only (with brackets), unnamed."""
    return Index(
        root="I",
        name=Label(vi="Chỉ số mẫu", en="Sample index"),
        nodes=(
            Leaf(id="ha_tang_so", label=INFRASTRUCTURE),
            Leaf(id="gdp", label="GDP (current US$)"),
            Leaf(id="x"),
            Aggregate(id="I", children=("ha_tang_so", "gdp", "x"), label="Tổng"),
        ),
    )


SAMPLE_DATA = IndexData(
    entities=("e1", "e2", "e3"),
    components=("ha_tang_so", "gdp", "x"),
    values=np.array([[0.2, 0.5, 0.1], [0.9, 0.4, 0.3], [0.6, 0.8, 0.2]]),
)


def _text(renderable: object, width: int = 100) -> str:
    console = Console(record=True, width=width)
    console.print(renderable)
    return console.export_text()


class TestNodeLabels:
    """Leaf.label, Aggregate.label and Index.name hold a Label, or None."""

    def test_text_is_the_vietnamese_name(self) -> None:
        """Text is taken as Label(vi=text), as a name given in one language only."""
        assert Leaf(id="a", label="Hạ tầng số").label == Label(vi="Hạ tầng số")
        assert Aggregate(id="P", children=("a",), label="Trụ cột").label == Label(vi="Trụ cột")
        assert Index(root="a", nodes=(Leaf(id="a"),), name="Chỉ số").name == Label(vi="Chỉ số")

    def test_label_kept(self) -> None:
        """A Label is kept as given, translation and all."""
        assert Leaf(id="a", label=INFRASTRUCTURE).label is INFRASTRUCTURE

    def test_no_label(self) -> None:
        """No label is None; the empty text of older code means the same."""
        assert Leaf(id="a").label is None
        assert Leaf(id="a", label="").label is None
        assert Index(root="a", nodes=(Leaf(id="a"),)).name is None

    @pytest.mark.parametrize("bad", ["  ", 3, ("Hạ tầng số",)])
    def test_refused(self, bad: object) -> None:
        """Blank text and anything not text or a Label are refused by name."""
        with pytest.raises(
            InvalidValueError, match=r"^'label' must be a Label, non-empty text or None \(got "
        ) as info:
            Leaf(id="a", label=bad)  # type: ignore[arg-type]
        assert (info.value.field, info.value.value) == ("label", bad)

    def test_nfc(self) -> None:
        """Text in decomposed form is stored NFC, as plans' labels are."""
        assert Leaf(id="a", label="Ho\u0302\u0300 Chi\u0301 Minh").label == Label(vi="Hồ Chí Minh")

    def test_title(self) -> None:
        """An index's title is its name in the language asked, Vietnamese when untranslated."""
        index = sample()
        assert (index.title("vi"), index.title("en")) == ("Chỉ số mẫu", "Sample index")
        vietnamese_only = Index(root="a", nodes=(Leaf(id="a"),), name="Chỉ số")
        assert vietnamese_only.title("en") == "Chỉ số"
        assert Index(root="a", nodes=(Leaf(id="a"),)).title("en") == "a"


class TestBundledLabels:
    """The bundled indices name their nodes in both languages where the sources do."""

    def test_dti_922_main_indicators_as_in_the_structure_file(self) -> None:
        """Each leaf's label is name_vi / name_en of data/dti/structure_922.csv."""
        index = dti_922()
        rows = _rows("dti", "structure_922.csv")
        assert {leaf.id: leaf.label for leaf in index.leaves} == {
            row["id"]: Label(vi=row["name_vi"], en=row["name_en"]) for row in rows
        }

    def test_dti_pillars_as_in_the_readme(self) -> None:
        """Pillars are named as data/dti/README.md names them, in both DTI definitions."""
        # README: "chính quyền số (digital government), kinh tế số (digital economy),
        # xã hội số (digital society)".
        pillars = {
            "chinh_quyen_so": Label(vi="Chính quyền số", en="Digital government"),
            "kinh_te_so": Label(vi="Kinh tế số", en="Digital economy"),
            "xa_hoi_so": Label(vi="Xã hội số", en="Digital society"),
        }
        old = dti_1726()
        assert {p: dti_922().node(p).label for p in pillars} == pillars
        assert {leaf.id: leaf.label for leaf in old.leaves} == pillars

    def test_dti_names(self) -> None:
        """The DTI definitions are named after their decisions in both languages."""
        assert dti_922().title("vi") == "DTI (Quyết định 922/QĐ-BTTTT)"
        assert dti_922().title("en") == "DTI (Decision 922/QĐ-BTTTT)"
        assert dti_1726().title("en") == "DTI 2020 (Decision 1726/QĐ-BTTTT)"

    def test_asem_names_as_in_imeta(self) -> None:
        """ASEM's iMeta names nodes in English only: one name, shown in every language."""
        index = asem()
        rows = [r for r in _rows("asem", "iMeta.csv") if r["Type"] in ("Indicator", "Aggregate")]
        assert {n.id: n.label for n in index.nodes} == {
            r["iCode"]: Label(vi=r["iName"]) for r in rows
        }
        assert index.node("LPI").label == Label(vi="Logistics Performance Index")


TOML_LABELLED = """
root = "I"
name = { vi = "Chỉ số mẫu", en = "Sample index" }
[[nodes]]
id = "ha_tang_so"
label = { vi = "Hạ tầng số", en = "Digital infrastructure" }
[[nodes]]
id = "gdp"
label = "GDP (current US$)"
[[nodes]]
id = "x"
[[nodes]]
id = "I"
label = "Tổng"
children = ["ha_tang_so", "gdp", "x"]
"""


class TestLabelFiles:
    """Index files carry a label as a table {vi, en} or as text; writing keeps them."""

    def test_table_and_text(self, tmp_path: Path) -> None:
        """A table gives both languages; text is the Vietnamese name; none is None."""
        path = tmp_path / "i.toml"
        path.write_text(TOML_LABELLED, encoding="utf-8")
        assert load_index(path) == sample()

    def test_written_back(self) -> None:
        """A translated label is written as a table, an untranslated one as text, none not."""
        data = index_to_dict(sample())
        assert data["name"] == {"vi": "Chỉ số mẫu", "en": "Sample index"}
        assert [node.get("label") for node in data["nodes"]] == [
            {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
            "GDP (current US$)",
            None,
            "Tổng",
        ]

    def test_json_round_trip(self, tmp_path: Path) -> None:
        """The bundled DTI written as JSON loads back equal, labels included."""
        path = tmp_path / "dti.json"
        path.write_text(json.dumps(index_to_dict(dti_922()), ensure_ascii=False), "utf-8")
        assert load_index(path) == dti_922()

    @settings(max_examples=30, deadline=None)
    @given(ds.composite_indices(max_leaves=5))
    def test_any_index_round_trips(self, index: Index) -> None:
        """Any index, whatever its labels, reads back equal from index_to_dict."""
        assert index_from_dict(index_to_dict(index)) == index

    def test_every_bad_label_with_its_path(self) -> None:
        """Each bad label is reported with its $.path, what was found and what was expected."""
        raw = {
            "root": "I",
            "name": ["Chỉ số"],
            "nodes": [
                {"id": "a", "label": 3},
                {"id": "b", "label": {"vi": " "}},
                {"id": "c", "label": {"vi": "Ba", "fr": "Trois"}},
                {"id": "d", "label": {"vi": "Bốn", "en": 4}},
                {"id": "e", "label": ""},
                {"id": "I", "children": ["a", "b", "c", "d", "e"], "label": {"en": "Index"}},
            ],
        }
        with pytest.raises(IndexDefinitionError) as info:
            index_from_dict(raw, source="x.json")
        lines = str(info.value).splitlines()
        assert lines[0] == "cannot read an index definition from x.json"
        tables = 'text or a table {vi = "…", en = "…"}'
        assert lines[1:] == [
            f"  x.json:$.nodes[0].label: found 3; expected {tables}",
            "  x.json:$.nodes[1].label.vi: found ' '; expected non-empty text",
            "  x.json:$.nodes[2].label.fr: found an unknown key; expected one of en, vi",
            "  x.json:$.nodes[3].label.en: found 4; expected text",
            "  x.json:$.nodes[4].label: found ''; expected non-empty text",
            "  x.json:$.nodes[5].label.vi: found nothing; expected a value (a required key)",
            f"  x.json:$.name: found ['Chỉ số']; expected {tables}",
        ]


class TestViews:
    """Every view shows a label in the language asked, Vietnamese when untranslated, else the id."""

    @pytest.mark.parametrize(
        ("lang", "shown", "hidden"),
        [
            ("vi", ["Hạ tầng số", "GDP (current US$)"], "Digital infrastructure"),
            ("en", ["Digital infrastructure", "GDP (current US$)"], "Hạ tầng số"),
        ],
    )
    def test_explanation(self, lang: Language, shown: list[str], hidden: str) -> None:
        """The explanation's component rows, in one language; an unnamed leaf by its id."""
        text = _text(explanation_view(sample().evaluate(SAMPLE_DATA).explain("e1"), lang))
        for words in shown:
            assert words in text
        assert hidden not in text
        assert re.search(r"^│ x +│", text, re.MULTILINE)

    @pytest.mark.parametrize(("lang", "head"), [("vi", "e1 trên Tổng: "), ("en", "e1 on Tổng: ")])
    def test_explanation_names_its_node(self, lang: Language, head: str) -> None:
        """The explanation says which node by its label (untranslated: as written)."""
        text = _text(explanation_view(sample().evaluate(SAMPLE_DATA).explain("e1"), lang))
        assert text.startswith(head)

    @pytest.mark.parametrize(
        ("lang", "head"), [("vi", "Austria trên Thể chế, "), ("en", "Austria on Institutions, ")]
    )
    def test_change_names_its_node(self, lang: Language, head: str) -> None:
        """A change between periods names its node by its label in the language asked."""
        institutions = Label(vi="Thể chế", en="Institutions")
        index = asem()
        relabelled = attrs.evolve(
            index,
            nodes=tuple(
                attrs.evolve(n, label=institutions) if n.id == "Instit" else n for n in index.nodes
            ),
        )
        result = relabelled.evaluate(dx.datasets.asem_panel())
        change = result.explain_change("AUT", 2018, 2022, "Instit")
        assert change.node_label == institutions
        assert _text(change_view(change, lang)).startswith(head)
        assert change.to_dict()["node_label"] == {"vi": "Thể chế", "en": "Institutions"}

    @pytest.mark.parametrize(
        ("lang", "title"),
        [
            ("vi", "society push: Chỉ số chuyển đổi số cấp tỉnh"),
            ("en", "society push: Provincial DTI"),
        ],
    )
    def test_comparison_names_its_node(self, lang: Language, title: str) -> None:
        """A scenario's comparison is titled with the node's label in the language asked."""
        scenario = dx.Scenario("society push").set("ho-chi-minh", "hd_xa_hoi_so", 0.55)
        comparison = dx.compare(dti_922(), dx.datasets.dti_2022(), scenario)
        assert _text(comparison_view(comparison, lang=lang)).lstrip().startswith(title)

    def test_tree(self) -> None:
        """The index tree labels nodes in the language asked; an unnamed leaf shows its id only."""
        vi, en = (_text(index_tree(sample(), lang)) for lang in ("vi", "en"))
        assert "ha_tang_so Hạ tầng số identity" in vi
        assert "ha_tang_so Digital infrastructure identity" in en
        assert "gdp GDP (current US$) identity" in en
        assert "── x identity" in en

    def test_ranking_title(self) -> None:
        """The ranking is titled with the index's name in the language asked."""
        result = sample().evaluate(SAMPLE_DATA)
        assert _text(ranking_table(result, lang="vi")).lstrip().startswith("Chỉ số mẫu")
        assert _text(ranking_table(result, lang="en")).lstrip().startswith("Sample index")

    def test_json_is_language_neutral(self) -> None:
        """Explanation data carry both languages of a label, or None."""
        data = sample().evaluate(SAMPLE_DATA).explain("e1").to_dict()
        assert data["node_label"] == {"vi": "Tổng", "en": None}
        components = data["components"]
        assert [c["label"] for c in components] == [  # type: ignore[attr-defined]
            {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
            {"vi": "GDP (current US$)", "en": None},
            None,
        ]

    def test_frame_in_a_language(self) -> None:
        """to_frame labels components in the language asked; an unnamed one is empty."""
        pytest.importorskip("pandas")
        explanation = sample().evaluate(SAMPLE_DATA).explain("e1")
        assert list(explanation.to_frame(lang="vi")["label"]) == [
            "Hạ tầng số",
            "GDP (current US$)",
            "",
        ]
        assert explanation.to_frame()["label"].iloc[0] == "Digital infrastructure"

    @pytest.mark.parametrize(
        ("lang", "shown", "hidden"),
        [("vi", "Hạ tầng số", "Digital"), ("en", "Digital infrastructure", "Hạ tầng số")],
    )
    def test_cli_rank_explain(self, lang: str, shown: str, hidden: str) -> None:
        """`dxplan rank --explain` names the DTI's components in one language."""
        result = CliRunner().invoke(
            main,
            ["rank", "dti-2022", "--explain", "ho-chi-minh", "--lang", lang],
            env={"COLUMNS": "80"},
        )
        assert result.exit_code == 0, result.output
        assert shown in result.output
        assert hidden not in result.output

    def test_site_ranking_page(self, tmp_path: Path) -> None:
        """The site's index page names components in its own language, never "vi (en)"."""
        plan = dx.load_plan("hcmc-2024")
        observed = dx.bundled_observations("hcmc-2024", plan)
        build_site(plan, observed, tmp_path, index=dti_922(), data=dx.datasets.dti_2022())
        vi = (tmp_path / "vi" / "ranking.html").read_text(encoding="utf-8")
        en = (tmp_path / "en" / "ranking.html").read_text(encoding="utf-8")
        assert "<h1>DTI (Quyết định 922/QĐ-BTTTT)</h1>" in vi
        assert "<h1>DTI (Decision 922/QĐ-BTTTT)</h1>" in en
        assert 'scope="row">Hạ tầng số</th>' in vi
        assert 'scope="row">Digital infrastructure</th>' in en
        assert "Digital infrastructure" not in vi
        assert "Hạ tầng số" not in en

"""What a bundled index reads, known without building it.

``dxplan check`` runs on every plan loaded and needs only the components a
task may drive; building the index for that would load the index engine (a
sixth of a command's start). The bundled definitions in :mod:`dxplan.index.indices`
read the same rows, so the two cannot disagree (a test holds them equal).
"""

from __future__ import annotations

import csv
import io
from importlib import resources

__all__ = ["PILLARS", "bundled_components", "read_rows"]

# The pillars' names in Vietnamese and English, as data/dti/README.md gives them
# (Decisions 922/QĐ-BTTTT and 1726/QĐ-BTTTT; the main indicators' names are in
# structure_922.csv), and the activity indicator of each.
PILLARS = (
    ("chinh_quyen_so", "Chính quyền số", "Digital government", "hd_chinh_quyen_so"),
    ("kinh_te_so", "Kinh tế số", "Digital economy", "hd_kinh_te_so"),
    ("xa_hoi_so", "Xã hội số", "Digital society", "hd_xa_hoi_so"),
)


def read_rows(folder: str, name: str) -> list[dict[str, str]]:
    """The rows of the bundled CSV ``data/<folder>/<name>``."""
    text = resources.files("dxplan").joinpath("data", folder, name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def bundled_components(name: str) -> tuple[str, ...] | None:
    """The components the bundled index ``name`` reads, or None if no index has that name."""
    if name == "dti-922":
        return tuple(row["id"] for row in read_rows("dti", "structure_922.csv"))
    if name == "dti-1726":
        return tuple(pillar for pillar, *_ in PILLARS)
    if name == "asem":
        return tuple(
            row["iCode"] for row in read_rows("asem", "iMeta.csv") if row["Type"] == "Indicator"
        )
    return None

"""Evaluate + rank: dxplan against a hand-written numpy kernel of the same sums.

A DTI-sized problem: 63 provinces × 98 components (about 5 % missing), min-max
per component, the components averaged into the nine main indicators of
Decision 922 (10, 11, 7, 13, 12, 3, 22, 12, 8 components), the three
overlapping pillars, and the DTI as points × value over 1 000; then
competition ranks. Both sides run interleaved in one process; the median of
several repetitions is reported with the ratio (goal: ≤ 2×).

Run: ``python benchmarks/bench_index.py [--small]``.
"""

from __future__ import annotations

import argparse

import numpy as np
import numpy.typing as npt

from _timing import interleaved, verdict
from dxplan.index.data import IndexData
from dxplan.index.model import Aggregate, Index, Leaf, Node
from dxplan.index.rules import MinMax

FloatArray = npt.NDArray[np.float64]

GROUPS = (
    ("nhan_thuc_so", 10, 100.0),
    ("the_che_so", 11, 100.0),
    ("ha_tang_so", 7, 100.0),
    ("nhan_luc_so", 13, 100.0),
    ("an_toan_thong_tin_mang", 12, 100.0),
    ("do_thi_thong_minh", 3, 0.0),
    ("hd_chinh_quyen_so", 22, 200.0),
    ("hd_kinh_te_so", 12, 150.0),
    ("hd_xa_hoi_so", 8, 150.0),
)


def build(seed: int = 0) -> tuple[Index, IndexData, FloatArray, FloatArray]:
    """The index, its data, and the membership matrix and points the kernel uses."""
    rng = np.random.default_rng(seed)
    nodes: list[Node] = []
    membership = np.zeros((98, 9))
    column = 0
    components: list[str] = []
    for g, (group, count, _) in enumerate(GROUPS):
        ids = [f"{group}.{k}" for k in range(count)]
        nodes += [Leaf(id=c, rule=MinMax()) for c in ids]
        nodes.append(Aggregate(id=group, children=tuple(ids)))
        membership[column : column + count, g] = 1.0
        column += count
        components += ids
    points = np.array([p for _, _, p in GROUPS])
    foundation = [g for g, _, p in GROUPS[:6] if p]
    for pillar, activity in (
        ("chinh_quyen_so", "hd_chinh_quyen_so"),
        ("kinh_te_so", "hd_kinh_te_so"),
        ("xa_hoi_so", "hd_xa_hoi_so"),
    ):
        children = (*foundation, activity)
        weights = tuple(float(points[[g for g, _, _ in GROUPS].index(c)]) for c in children)
        nodes.append(Aggregate(id=pillar, children=children, weights=weights))
    nodes.append(
        Aggregate(
            id="DTI",
            children=(*(g for g, _, _ in GROUPS), "chinh_quyen_so", "kinh_te_so", "xa_hoi_so"),
            weights=(*points, 0.0, 0.0, 0.0),
        )
    )
    index = Index(root="DTI", nodes=tuple(nodes))
    values = rng.uniform(0, 10, size=(63, 98))
    values[rng.random(values.shape) < 0.05] = np.nan
    values[:, 0] = rng.uniform(0, 10, size=63)  # no column entirely missing
    data = IndexData(
        entities=[f"p{i:02d}" for i in range(63)], components=components, values=values
    )
    return index, data, membership, points


def kernel(values: FloatArray, membership: FloatArray, points: FloatArray) -> FloatArray:
    """The same sums written by hand: min-max, group means skipping NaN, points, ranks."""
    lo = np.nanmin(values, axis=0)
    hi = np.nanmax(values, axis=0)
    scores = (values - lo) / (hi - lo)
    present = ~np.isnan(scores)
    main = (np.where(present, scores, 0.0) @ membership) / (present @ membership)
    pillar_weights = np.zeros((9, 3))
    for p, activity in enumerate((6, 7, 8)):
        pillar_weights[:5, p] = points[:5]
        pillar_weights[activity, p] = points[activity]
    pillars = main @ pillar_weights / pillar_weights.sum(axis=0)
    dti = main @ points / points.sum()
    order = np.argsort(-dti, kind="stable")
    sorted_dti = dti[order]
    new = np.ones(dti.size, dtype=bool)
    new[1:] = sorted_dti[1:] != sorted_dti[:-1]
    ranks = np.empty(dti.size)
    ranks[order] = np.maximum.accumulate(np.where(new, np.arange(1, dti.size + 1), 0))
    return np.concatenate([dti, pillars.ravel(), ranks])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick run with fewer repetitions")
    args = parser.parse_args()
    repetitions, loops = (5, 50) if args.small else (15, 300)
    index, data, membership, points = build()

    def library() -> object:
        result = index.evaluate(data)
        return result.rank()

    def by_hand() -> object:
        return kernel(np.array(data.values), membership, points)

    # Same numbers before timing anything.
    result = index.evaluate(data)
    expected = kernel(np.array(data.values), membership, points)
    np.testing.assert_allclose([result.score(e) for e in data.entities], expected[:63], rtol=1e-12)
    assert [result.rank()[e] for e in data.entities] == expected[-63:].astype(int).tolist()

    lib, hand = interleaved(library, by_hand, repetitions, loops)
    print("evaluate + rank, 63 entities × 98 components, 9 main indicators, 3 pillars")
    print(f"  dxplan         {lib * 1e6:9.1f} µs  (median of {repetitions} × {loops})")
    print(f"  numpy kernel   {hand * 1e6:9.1f} µs")
    print(f"  ratio          {lib / hand:9.2f} ×  (goal ≤ 2: {verdict(lib / hand, 2)})")


if __name__ == "__main__":
    main()

"""Draw the pictures of the documentation into this folder.

Run from anywhere: ``python docs/img/make_pictures.py`` (needs the ``plot``
extra). Existing pictures are replaced. A PNG over :data:`LIMIT` bytes is
reduced to a 256-colour palette (Pillow comes with matplotlib), which keeps
it small without a visible change in a drawing of lines and flat colours.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from PIL import Image

import dxplan
from dxplan import datasets, indices
from dxplan.plan.attainment import assess
from dxplan.plan.observations import bundled_observations
from dxplan.render import plots

HERE = Path(__file__).resolve().parent
LIMIT = 250_000


def _write(figure: Figure, name: str) -> None:
    path = plots.save(figure, HERE / name, force=True)
    if path.stat().st_size > LIMIT:
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
        small.save(path, optimize=True)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


def main() -> None:
    """Draw ranking_asem.png, attainment_hcmc.png, profile_hcmc.png and graph_hcmc.png."""
    uncertainty = dxplan.uncertainty(indices.asem(), datasets.asem(), draws=500, seed=1)
    _write(plots.ranking_plot(uncertainty), "ranking_asem.png")

    plan = dxplan.load_plan("hcmc-2024")
    observations = bundled_observations("hcmc-2024", plan)
    reports = [assess(plan, observations, as_of=year) for year in range(2021, 2025)]
    _write(plots.attainment_heatmap(reports), "attainment_hcmc.png")

    dti = indices.dti_922().evaluate(datasets.dti_2022())
    _write(plots.profile_plot(dti, "ho-chi-minh", lang="vi"), "profile_hcmc.png")

    _write(plots.graph_plot(plan.graph), "graph_hcmc.png")


if __name__ == "__main__":
    main()

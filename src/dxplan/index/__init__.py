"""Composite indices, built and audited the way the JRC does (COINr).

- :mod:`~dxplan.index.model`: :class:`~dxplan.index.model.Index`, its nodes and results;
- :mod:`~dxplan.index._engine`: the compiled index and its kernels, for one evaluation or
  many weight draws;
- :mod:`~dxplan.index.rules`, :mod:`~dxplan.index.aggregators`,
  :mod:`~dxplan.index.ranking`: normalisation, aggregation and ranking;
- :mod:`~dxplan.index.data`: :class:`~dxplan.index.data.IndexData`, an entity × indicator table;
- :mod:`~dxplan.index.screening`, :mod:`~dxplan.index.denomination`,
  :mod:`~dxplan.index.imputation`, :mod:`~dxplan.index.treatment`,
  :mod:`~dxplan.index.pipeline`: the construction steps;
- :mod:`~dxplan.index.audit`, :mod:`~dxplan.index.weighting`: statistical audit and weights;
- :mod:`~dxplan.index.indices`, :mod:`~dxplan.index.datasets`,
  :mod:`~dxplan.index.provinces`: the bundled indices, data and Vietnam's provinces.

This package depends only on the base modules and :mod:`dxplan.formats` readers;
it never imports :mod:`dxplan.plan`, :mod:`dxplan.whatif` or :mod:`dxplan.render`.
"""

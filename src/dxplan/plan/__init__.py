"""The government plan: its model, checks, dependency graph, observations and attainment.

- :mod:`~dxplan.plan.model`: priorities, tasks, indicators, targets and links;
- :mod:`~dxplan.plan.validation`: ``dxplan check``, the findings on a plan;
- :mod:`~dxplan.plan.graph`: the dependency graph of tasks and indicators, and impact;
- :mod:`~dxplan.plan.observations`: observed values, read from files;
- :mod:`~dxplan.plan.attainment`: how far each target is reached;
- :mod:`~dxplan.plan.catalogue`: the bundled plans and :func:`~dxplan.plan.catalogue.load_plan`.

Nothing here imports :mod:`dxplan.whatif` or :mod:`dxplan.render`.
"""

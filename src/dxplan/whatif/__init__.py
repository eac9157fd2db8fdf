"""What if? Uncertainty, sensitivity, scenarios, goal-seek and the plan's tasks.

- :mod:`~dxplan.whatif.uncertainty`: Monte Carlo ranks under uncertain choices;
- :mod:`~dxplan.whatif.sensitivity`: leave-one-out and Sobol indices;
- :mod:`~dxplan.whatif.scenario`: scenarios of edits, and their comparison;
- :mod:`~dxplan.whatif.goalseek`: the smallest move that reaches a goal;
- :mod:`~dxplan.whatif.tasks`: which of a plan's tasks moves the index, and how far.
"""

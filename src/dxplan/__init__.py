"""dxplan: model, track and compare government digital-transformation plans.

>>> import dxplan as dx
>>> plan = dx.load_plan("hcmc-2024")
>>> [t.value for t in plan.indicator("2.7").targets]
[70, 60, 55]
"""

from importlib.metadata import version as _version

from dxplan.errors import (
    CyclicDependencyError,
    DxplanError,
    PlanNotFoundError,
    PlanValidationError,
    UnknownIdError,
)
from dxplan.model import (
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
from dxplan.plans import load_plan
from dxplan.text import Label
from dxplan.units import Unit
from dxplan.validation import CheckReport, Finding, Severity, check

__version__ = _version("dxplan")

__all__ = [
    "CheckReport",
    "Comparator",
    "CyclicDependencyError",
    "DxplanError",
    "Finding",
    "Indicator",
    "IndicatorGroup",
    "Label",
    "Link",
    "Plan",
    "PlanNotFoundError",
    "PlanValidationError",
    "Priority",
    "Provenance",
    "Severity",
    "Source",
    "Target",
    "Task",
    "Unit",
    "UnknownIdError",
    "__version__",
    "check",
    "load_plan",
]

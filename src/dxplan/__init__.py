"""dxplan: model, track and compare government digital-transformation plans."""

from importlib.metadata import version as _version

from dxplan.errors import DxplanError

__version__ = _version("dxplan")

__all__ = ["DxplanError", "__version__"]

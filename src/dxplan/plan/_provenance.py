"""Where a fact of a plan comes from: :class:`Provenance` and its :class:`Source`.

Re-exported by :mod:`dxplan.plan.model`, which is where users import them; they
live apart so that the plan graph, below the model, can cite its own edges.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from dxplan import _validators as v
from dxplan.errors import InvalidValueError

__all__ = ["SEED", "Provenance", "Source"]


class Source(enum.StrEnum):
    """Where a modelled fact comes from."""

    SEED = "seed"
    """The plan's own text."""
    EXTERNAL = "external"
    """Another public source, cited."""
    ASSUMPTION = "assumption"
    """A modelling choice, with its reason."""


def _to_source(value: object) -> Source:
    return v.to_enum(Source, "source", value)


def _note_required(instance: Provenance, attribute: attrs.Attribute[Any], value: str) -> None:
    if instance.source is not Source.SEED and not value.strip():
        wanted = "a citation" if instance.source is Source.EXTERNAL else "a reason"
        raise InvalidValueError(attribute.name, value, f"{wanted} for a {instance.source} fact")


@attrs.frozen(kw_only=True)
class Provenance:
    """Where an element comes from: the plan text, a cited source, or an assumption.

    >>> Provenance.assumption("the source links no task to an indicator").source
    <Source.ASSUMPTION: 'assumption'>
    """

    source: Source = attrs.field(converter=_to_source)
    note: str = attrs.field(default="", validator=[v.instance_of(str, "text"), _note_required])

    @classmethod
    def seed(cls, note: str = "") -> Provenance:
        """A fact from the plan's own text; ``note`` may quote it."""
        return cls(source=Source.SEED, note=note)

    @classmethod
    def external(cls, citation: str) -> Provenance:
        """A fact from another public source."""
        return cls(source=Source.EXTERNAL, note=citation)

    @classmethod
    def assumption(cls, reason: str) -> Provenance:
        """A modelling choice that the sources do not make."""
        return cls(source=Source.ASSUMPTION, note=reason)


SEED = Provenance.seed()

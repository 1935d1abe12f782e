"""What every ownership reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from corridor.model.ownership import GraphParty, OwnershipEdge


@dataclass
class GraphData:
    """Edges and described parties read from one file."""

    format: str
    edges: list[OwnershipEdge] = field(default_factory=list)
    parties: list[GraphParty] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

"""The graph compiled for evaluation: integer nodes and adjacency lists, as of one date.

Several ownership edges between the same owner and owned party (equity and voting shares, or the
same stake reported by two sources) count once, with the larger share at each end of the
interval (DOMAIN 4.1: "use the max of both if they differ").
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from corridor.model.ownership import (
    ControlType,
    Designation,
    EdgeKind,
    GraphParty,
    OwnershipEdge,
)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of acyclic objects (edges,
    tuples): its repeated full passes over a growing heap cost more than the work itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class CompiledGraph:
    ids: list[str]
    index: dict[str, int]
    # per node: [(owned, share_min, share_max), ...] with one entry per owned party
    own_out: list[list[tuple[int, float, float]]]
    # per node: [(controlled, control type), ...]
    ctrl_out: list[list[tuple[int, ControlType]]]
    edges: list[OwnershipEdge]  # the edges valid on the date (for traces)
    parties: dict[str, GraphParty] = field(default_factory=dict)
    designations: dict[str, Designation] = field(default_factory=dict)
    as_of: str | None = None

    def node(self, entity_id: str) -> int:
        idx = self.index.get(entity_id)
        if idx is None:
            idx = len(self.ids)
            self.index[entity_id] = idx
            self.ids.append(entity_id)
            self.own_out.append([])
            self.ctrl_out.append([])
        return idx

    def name(self, entity_id: str) -> str:
        party = self.parties.get(entity_id)
        if party is not None:
            return party.name
        des = self.designations.get(entity_id)
        if des is not None and des.name:
            return des.name
        return entity_id

    @property
    def edge_count(self) -> int:
        return len(self.edges)


def compile_graph(
    edges: Iterable[OwnershipEdge],
    designations: Iterable[Designation] = (),
    parties: Iterable[GraphParty] = (),
    as_of: str | None = None,
) -> CompiledGraph:
    """Keep the edges and designations valid on ``as_of`` (all of them when None) and index
    them."""
    graph = CompiledGraph([], {}, [], [], [], as_of=as_of)
    graph.parties = {p.id: p for p in parties}
    for pid in graph.parties:
        graph.node(pid)
    graph.designations = {}
    for des in designations:
        if des.valid_on(as_of):
            # the same party on several lists: the union of what its listings trigger
            prev = graph.designations.get(des.id)
            if prev is not None:
                des = Designation(
                    des.id,
                    prev.name or des.name,
                    f"{prev.list}; {des.list}" if des.list not in prev.list else prev.list,
                    prev.jurisdictions | des.jurisdictions,
                    prev.designated_from,
                    prev.designated_to,
                )
            graph.designations[des.id] = des
            graph.node(des.id)
    stakes: dict[int, tuple[float, float]] = {}  # key: owner << 32 | owned
    node = graph.node
    index = graph.index
    kept = graph.edges
    ctrl_out = graph.ctrl_out
    ownership = EdgeKind.OWNERSHIP
    with paused_gc():
        for edge in edges:
            owner, owned = edge.owner, edge.owned
            u = index.get(owner)
            if u is None:
                u = node(owner)
            v = index.get(owned)
            if v is None:
                v = node(owned)
            if as_of is not None:
                start, end = edge.valid_from, edge.valid_to
                if (start is not None and as_of < start) or (end is not None and as_of >= end):
                    continue  # the parties stay known: explain says why nothing holds
            if u == v:
                continue
            kept.append(edge)
            if edge.kind is ownership:
                key = u << 32 | v
                prev_share = stakes.get(key)
                if prev_share is None:
                    stakes[key] = (edge.share_min, edge.share_max)
                else:
                    stakes[key] = (
                        max(prev_share[0], edge.share_min),
                        max(prev_share[1], edge.share_max),
                    )
            elif edge.control_type is not None:
                ctrl_out[u].append((v, edge.control_type))
    own_out = graph.own_out
    mask = (1 << 32) - 1
    with paused_gc():
        for key, (low, high) in stakes.items():
            own_out[key >> 32].append((key & mask, low, high))
    return graph

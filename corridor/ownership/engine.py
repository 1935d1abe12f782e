"""Propagation: the least fixpoint of "owned (in aggregate) or controlled by the set".

One run starts from a set of seeds (designated persons) and adds every party whose stakes held
by members of the set reach the threshold, or that a member controls by a counting control type,
until nothing changes. Stakes held by a member count in full, never multiplied along a chain
(OFAC FAQ 401), and ownership flows only through members, so the run is monotone and ends on
cyclic graphs: each party enters the set at most once and each edge is followed at most once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from corridor.model.ownership import ControlType
from corridor.ownership.graph import CompiledGraph

EPSILON = 1e-9  # shares are sums of decimals: 33.33 + 16.67 must reach 50


@dataclass
class Run:
    """The outcome of one propagation: who is in the set, in which order, and why."""

    seeds: frozenset[int]
    order: dict[int, int] = field(default_factory=dict)  # member -> position of entry
    held: dict[int, float] = field(default_factory=dict)  # party -> share held by members
    stakes: dict[int, list[tuple[int, float, float]]] = field(
        default_factory=dict
    )  # party -> [(owner, share low, share high)]
    control: dict[int, list[tuple[int, ControlType]]] = field(default_factory=dict)
    via_control: dict[int, ControlType] = field(default_factory=dict)  # entered by control

    def __contains__(self, node: int) -> bool:
        return node in self.order


def propagate(
    graph: CompiledGraph,
    seeds: Iterable[int],
    percent: float,
    inclusive: bool,
    control_types: frozenset[ControlType],
    upper: bool,
) -> Run:
    """Run the fixpoint with the low (``upper=False``) or high ends of the share intervals."""
    run = Run(frozenset(seeds))
    order = run.order
    held = run.held
    stakes = run.stakes
    control = run.control
    limit = percent - EPSILON if inclusive else percent + EPSILON
    own_out = graph.own_out
    ctrl_out = graph.ctrl_out
    queue = list(run.seeds)
    for node in queue:
        order[node] = len(order)
    pos = 0
    while pos < len(queue):
        u = queue[pos]
        pos += 1
        for v, low, high in own_out[u]:
            share = high if upper else low
            if share <= 0.0:
                continue
            total = held.get(v, 0.0) + share
            held[v] = total
            owners = stakes.get(v)
            if owners is None:
                stakes[v] = [(u, low, high)]
            else:
                owners.append((u, low, high))
            if v not in order and (total >= limit if inclusive else total > limit):
                order[v] = len(order)
                queue.append(v)
        for v, ctype in ctrl_out[u]:
            links = control.get(v)
            if links is None:
                control[v] = [(u, ctype)]
            else:
                links.append((u, ctype))
            if ctype in control_types and v not in order:
                order[v] = len(order)
                run.via_control[v] = ctype
                queue.append(v)
    return run

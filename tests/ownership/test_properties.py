"""Properties of the engine on random graphs (hypothesis): it agrees with the textbook
fixpoint of DOMAIN.md 4.1, terminates on cycles, is monotone, and lists exactly the affected
parties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.model.ownership import ControlType, Designation, EdgeKind, OwnershipEdge
from corridor.ownership import Evaluation, Status, compile_graph
from corridor.ownership.engine import EPSILON
from corridor.ownership.graph import CompiledGraph

NODES = [f"N{i}" for i in range(12)]
CONTROL = [ControlType.BOARD_APPOINTMENT, ControlType.CONSOLIDATED_ACCOUNTS, ControlType.MANAGEMENT]

shares = st.sampled_from([5.0, 10.0, 25.0, 30.0, 40.0, 49.99, 50.0, 50.01, 60.0, 100.0])
ownership_edges = st.builds(
    lambda u, v, low, spread: OwnershipEdge(
        u, v, EdgeKind.OWNERSHIP, low, min(100.0, low + spread)
    ),
    st.sampled_from(NODES),
    st.sampled_from(NODES),
    shares,
    st.sampled_from([0.0, 0.0, 20.0]),
)
control_edges = st.builds(
    lambda u, v, t: OwnershipEdge(u, v, EdgeKind.CONTROL, control_type=t),
    st.sampled_from(NODES),
    st.sampled_from(NODES),
    st.sampled_from(CONTROL),
)
graphs = st.tuples(
    st.lists(st.one_of(ownership_edges, ownership_edges, control_edges), max_size=30),
    st.sets(st.sampled_from(NODES), min_size=1, max_size=4),
)


def _designate(ids: set[str]) -> list[Designation]:
    return [Designation(i, i, "SDN;EU;UK", frozenset({"us", "eu", "uk"})) for i in sorted(ids)]


def _textbook(graph: CompiledGraph, seeds: set[int], upper: bool) -> set[int]:
    blocked = set(seeds)
    while True:
        totals: dict[int, float] = {}
        for u in blocked:
            for v, low, high in graph.own_out[u]:
                totals[v] = totals.get(v, 0.0) + (high if upper else low)
        new = {v for v, s in totals.items() if s >= 50.0 - EPSILON and v not in blocked}
        if not new:
            return blocked
        blocked |= new


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_us_matches_the_textbook_fixpoint(data: tuple[list[OwnershipEdge], set[str]]) -> None:
    edges, designated = data
    graph = compile_graph(edges, _designate(designated))
    ev = Evaluation(graph, ("us",))
    seeds = {graph.index[d] for d in designated}
    definite = _textbook(graph, seeds, upper=False)
    possible = _textbook(graph, seeds, upper=True)
    for node, eid in enumerate(graph.ids):
        status = ev.status(eid, "us")
        expected = (
            Status.BLOCKED
            if node in definite
            else Status.POSSIBLY_BLOCKED
            if node in possible
            else Status.NOT_BLOCKED
        )
        assert status is expected, eid


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_affected_is_exactly_the_parties_with_a_finding(
    data: tuple[list[OwnershipEdge], set[str]],
) -> None:
    edges, designated = data
    ev = Evaluation(compile_graph(edges, _designate(designated)))
    brute = sorted(e for e in ev.graph.ids if any(f.affected for f in ev.explain(e)))
    assert ev.affected() == brute
    for finding in ev.findings():
        if finding.status is not Status.NOT_BLOCKED:
            assert finding.paths and all("designated" in p[0] for p in finding.paths)


@settings(max_examples=100, deadline=None)
@given(graphs, st.sampled_from(NODES))
def test_more_designations_never_unblock(
    data: tuple[list[OwnershipEdge], set[str]], extra: str
) -> None:
    edges, designated = data
    before = Evaluation(compile_graph(edges, _designate(designated)))
    after = Evaluation(compile_graph(edges, _designate(designated | {extra})))
    rank = {Status.NOT_BLOCKED: 0, Status.POSSIBLY_BLOCKED: 1, Status.BLOCKED: 2}
    for eid in before.graph.ids:
        for code in ("us", "eu", "uk"):
            assert rank[after.status(eid, code)] >= rank[before.status(eid, code)]


@settings(max_examples=100, deadline=None)
@given(graphs)
def test_uk_is_never_wider_than_the_eu(data: tuple[list[OwnershipEdge], set[str]]) -> None:
    """Without joint arrangements, per-person > 50 % is stricter than aggregate >= 50 %,
    and the UK's control types are a subset of the EU's."""
    edges, designated = data
    ev = Evaluation(compile_graph(edges, _designate(designated)))
    for eid in ev.graph.ids:
        if ev.status(eid, "uk") is Status.BLOCKED:
            assert ev.status(eid, "eu") is Status.BLOCKED, eid

"""Ownership graphs in the store, on SQLite and PostgreSQL: versions, activation, atomicity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.exceptions import CorridorError, ParseError
from corridor.model.ownership import OwnershipEdge
from corridor.ownership import read_graph
from corridor.service.ownership import load_graph
from corridor.store import SqlStore

DATA = Path(__file__).resolve().parent.parent / "data" / "ownership"


def test_import_round_trip(store: SqlStore) -> None:
    data = read_graph(DATA / "edges.csv")
    result = load_graph(store, DATA / "edges.csv", source="registry")
    info = result.version
    assert info is not None and info.active and not result.skipped
    assert (info.edge_count, info.party_count) == (8, len(data.parties))
    stored = list(store.iter_graph_edges([info.id]))
    assert [e.to_dict() for e in stored] == [e.to_dict() for e in data.edges]
    assert {p.id: p for p in store.graph_parties([info.id])} == {p.id: p for p in data.parties}
    assert store.graph_signature() == (("registry", info.id),)


def test_versions_and_activation(store: SqlStore, tmp_path: Path) -> None:
    first = load_graph(store, DATA / "edges.csv", source="registry").version
    again = load_graph(store, DATA / "edges.csv", source="registry")
    assert again.skipped and again.version == first
    changed = tmp_path / "edges.csv"
    changed.write_text(
        (DATA / "edges.csv").read_text("utf-8") + "X,G,70,ownership,,,,,,\n", "utf-8"
    )
    second = load_graph(store, changed, source="registry").version
    assert first is not None and second is not None and second.id != first.id
    assert [v.id for v in store.active_graphs()] == [second.id]
    assert [v.active for v in store.graph_versions("registry")] == [False, True]
    store.activate_graph("registry", first.id)
    assert [v.id for v in store.active_graphs()] == [first.id]
    other = load_graph(store, DATA / "bods-0.3.json").version
    assert other is not None
    assert {v.source for v in store.active_graphs()} == {"registry", "bods-0"}


def test_failed_import_keeps_the_previous_version(store: SqlStore, tmp_path: Path) -> None:
    good = load_graph(store, DATA / "edges.csv", source="registry").version
    assert good is not None
    bad = tmp_path / "edges.csv"
    lines = (DATA / "edges.csv").read_text("utf-8").splitlines()
    bad.write_text("\n".join([*lines, "X,H,abc,ownership,,,,,,"]) + "\n", "utf-8")
    with pytest.raises(ParseError, match="line 10: field share"):
        load_graph(store, bad, source="registry")

    def exploding() -> Iterator[OwnershipEdge]:
        yield from read_graph(DATA / "edges.csv").edges
        raise CorridorError("disk full")

    with pytest.raises(CorridorError, match="disk full"):
        store.import_graph("registry", "edges_csv", "edges.csv", "0" * 64, 1, exploding())
    assert [v.id for v in store.graph_versions("registry")] == [good.id]
    assert store.active_graphs()[0].id == good.id
    assert len(list(store.iter_graph_edges([good.id]))) == 8

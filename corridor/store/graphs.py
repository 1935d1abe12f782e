"""Ownership graphs in the store: versions per source, one active each, imported atomically."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from corridor.exceptions import ListIngestError, NotFound, StoreError
from corridor.model.ownership import (
    ControlType,
    EdgeKind,
    GraphParty,
    OwnershipEdge,
    ShareBasis,
)
from corridor.store import schema
from corridor.store.dialect import BATCH_ROWS
from corridor.store.versioned import StorePart, active_ids, now, set_active


@dataclass(frozen=True)
class GraphVersion:
    id: int
    source: str
    format: str
    file_name: str
    file_hash: str
    file_size: int
    imported_at: str
    edge_count: int
    party_count: int
    active: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "file_size": self.file_size,
            "imported_at": self.imported_at,
            "edge_count": self.edge_count,
            "party_count": self.party_count,
            "active": self.active,
        }


def _edge_row(vid: int, seq: int, e: OwnershipEdge) -> dict[str, Any]:
    return {
        "version_id": vid,
        "seq": seq,
        "owner_id": e.owner,
        "owned_id": e.owned,
        "kind": e.kind.value,
        "share_min": e.share_min,
        "share_max": e.share_max,
        "basis": e.basis.value,
        "control_type": e.control_type.value if e.control_type else None,
        "valid_from": e.valid_from,
        "valid_to": e.valid_to,
        "source_ref": e.source,
    }


class GraphTables(StorePart):
    """The ownership-graph part of :class:`corridor.store.sql.SqlStore`."""

    engine: Engine

    def import_graph(
        self,
        source: str,
        format: str,
        file_name: str,
        file_hash: str,
        file_size: int,
        edges: Iterable[OwnershipEdge],
        parties: Iterable[GraphParty] = (),
    ) -> GraphVersion:
        """Store a graph as the new active version of ``source``, in one transaction."""
        gv = schema.graph_versions
        try:
            with self._write() as conn:
                vid = conn.execute(
                    gv.insert().returning(gv.c.id),
                    {
                        "source": source,
                        "format": format,
                        "file_name": file_name,
                        "file_hash": file_hash,
                        "file_size": file_size,
                        "imported_at": now(),
                        "edge_count": 0,
                        "party_count": 0,
                    },
                ).scalar_one()
                batch: list[dict[str, Any]] = []
                n_edges = 0
                for n_edges, edge in enumerate(edges, start=1):
                    batch.append(_edge_row(vid, n_edges, edge))
                    if len(batch) >= BATCH_ROWS:
                        conn.execute(schema.graph_edges.insert(), batch)
                        batch.clear()
                if batch:
                    conn.execute(schema.graph_edges.insert(), batch)
                if n_edges == 0:
                    raise ListIngestError(f"{file_name}: the file holds no edges")
                rows: dict[str, dict[str, Any]] = {}
                for p in parties:
                    rows[p.id] = {
                        "version_id": vid,
                        "party_id": p.id,
                        "name": p.name,
                        "kind": p.kind,
                        "country": p.country,
                        "registration_id": p.registration_id,
                    }
                values = list(rows.values())
                for start in range(0, len(values), BATCH_ROWS):
                    conn.execute(schema.graph_parties.insert(), values[start : start + BATCH_ROWS])
                conn.execute(
                    update(gv)
                    .where(gv.c.id == vid)
                    .values(edge_count=n_edges, party_count=len(rows))
                )
                set_active(conn, schema.graph_sources, source, vid)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"graph import into {self.safe_url} failed: {str(exc).splitlines()[0]}"
            ) from exc
        return self.graph_version(vid)

    def _graph_info(self, row: Any, active: set[int]) -> GraphVersion:
        return GraphVersion(
            row.id,
            row.source,
            row.format,
            row.file_name,
            row.file_hash,
            row.file_size,
            row.imported_at,
            row.edge_count,
            row.party_count,
            row.id in active,
        )

    def _active_graph_ids(self, conn: Connection) -> set[int]:
        return active_ids(conn, schema.graph_sources)

    def graph_version(self, version_id: int) -> GraphVersion:
        gv = schema.graph_versions
        with self._read() as conn:
            row = conn.execute(select(gv).where(gv.c.id == version_id)).first()
            if row is None:
                raise NotFound(f"no ownership graph version {version_id}")
            return self._graph_info(row, self._active_graph_ids(conn))

    def graph_versions(self, source: str | None = None) -> list[GraphVersion]:
        gv = schema.graph_versions
        with self._read() as conn:
            active = self._active_graph_ids(conn)
            query = select(gv).order_by(gv.c.id)
            if source is not None:
                query = query.where(gv.c.source == source)
            return [self._graph_info(r, active) for r in conn.execute(query)]

    def active_graphs(self) -> list[GraphVersion]:
        return [v for v in self.graph_versions() if v.active]

    def activate_graph(self, source: str, version_id: int) -> None:
        info = self.graph_version(version_id)
        if info.source != source:
            raise NotFound(f"graph version {version_id} belongs to {info.source}, not {source}")
        with self._write() as conn:
            set_active(conn, schema.graph_sources, source, version_id)

    def iter_graph_edges(self, version_ids: Iterable[int]) -> Iterator[OwnershipEdge]:
        ge = schema.graph_edges
        ids = list(version_ids)
        if not ids:
            return
        kinds = {k.value: k for k in EdgeKind}
        bases = {b.value: b for b in ShareBasis}
        ctypes = {c.value: c for c in ControlType}
        with self._read() as conn:
            result = conn.execution_options(yield_per=20000).execute(
                select(
                    ge.c.owner_id,
                    ge.c.owned_id,
                    ge.c.kind,
                    ge.c.share_min,
                    ge.c.share_max,
                    ge.c.basis,
                    ge.c.control_type,
                    ge.c.valid_from,
                    ge.c.valid_to,
                    ge.c.source_ref,
                )
                .where(ge.c.version_id.in_(ids))
                .order_by(ge.c.version_id, ge.c.seq)
            )
            for r in result:
                yield OwnershipEdge(
                    r[0],
                    r[1],
                    kinds[r[2]],
                    r[3],
                    r[4],
                    bases[r[5]],
                    ctypes[r[6]] if r[6] else None,
                    r[7],
                    r[8],
                    r[9],
                )

    def graph_parties(self, version_ids: Iterable[int]) -> list[GraphParty]:
        gp = schema.graph_parties
        ids = list(version_ids)
        if not ids:
            return []
        with self._read() as conn:
            rows = conn.execute(
                select(gp.c.party_id, gp.c.name, gp.c.kind, gp.c.country, gp.c.registration_id)
                .where(gp.c.version_id.in_(ids))
                .order_by(gp.c.version_id)
            )
            return [GraphParty(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def graph_signature(self) -> tuple[tuple[str, int], ...]:
        gs = schema.graph_sources
        with self._read() as conn:
            rows = conn.execute(select(gs.c.name, gs.c.active_version).order_by(gs.c.name))
            return tuple((r[0], int(r[1])) for r in rows if r[1] is not None)

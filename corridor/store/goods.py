"""Goods lists in the store: versions per source, one active each, imported atomically."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from corridor.exceptions import ListIngestError, NotFound, StoreError
from corridor.model.goods import GoodsListEntry
from corridor.store import schema
from corridor.store.dialect import BATCH_ROWS
from corridor.store.versioned import StorePart, active_ids, now, set_active


@dataclass(frozen=True)
class GoodsVersion:
    id: int
    source: str
    file_name: str
    file_hash: str
    file_size: int
    imported_at: str
    entry_count: int
    active: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "file_size": self.file_size,
            "imported_at": self.imported_at,
            "entry_count": self.entry_count,
            "active": self.active,
        }


class GoodsTables(StorePart):
    """The goods-list part of :class:`corridor.store.sql.SqlStore`."""

    def import_goods(
        self,
        source: str,
        file_name: str,
        file_hash: str,
        file_size: int,
        entries: Iterable[GoodsListEntry],
    ) -> GoodsVersion:
        """Store a goods list as the new active version of ``source``, in one transaction."""
        gv = schema.goods_versions
        try:
            with self._write() as conn:
                vid = conn.execute(
                    gv.insert().returning(gv.c.id),
                    {
                        "source": source,
                        "file_name": file_name,
                        "file_hash": file_hash,
                        "file_size": file_size,
                        "imported_at": now(),
                        "entry_count": 0,
                    },
                ).scalar_one()
                rows = [
                    {
                        "version_id": vid,
                        "seq": seq,
                        "code": e.code,
                        "list": e.list,
                        "tier": e.tier,
                        "jurisdictions": ";".join(e.jurisdictions),
                        "legal_basis": e.legal_basis,
                        "valid_from": e.valid_from,
                        "valid_to": e.valid_to,
                        "hs_version": e.hs_version,
                        "description": e.description,
                    }
                    for seq, e in enumerate(entries, start=1)
                ]
                if not rows:
                    raise ListIngestError(f"{file_name}: the file holds no goods-list entries")
                for start in range(0, len(rows), BATCH_ROWS):
                    conn.execute(schema.goods_entries.insert(), rows[start : start + BATCH_ROWS])
                conn.execute(update(gv).where(gv.c.id == vid).values(entry_count=len(rows)))
                set_active(conn, schema.goods_sources, source, vid)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"goods-list import into {self.safe_url} failed: {str(exc).splitlines()[0]}"
            ) from exc
        return self.goods_version(vid)

    def _goods_info(self, row: Any, active: set[int]) -> GoodsVersion:
        return GoodsVersion(
            row.id,
            row.source,
            row.file_name,
            row.file_hash,
            row.file_size,
            row.imported_at,
            row.entry_count,
            row.id in active,
        )

    def goods_version(self, version_id: int) -> GoodsVersion:
        gv = schema.goods_versions
        with self._read() as conn:
            row = conn.execute(select(gv).where(gv.c.id == version_id)).first()
            if row is None:
                raise NotFound(f"no goods-list version {version_id}")
            return self._goods_info(row, active_ids(conn, schema.goods_sources))

    def goods_versions(self, source: str | None = None) -> list[GoodsVersion]:
        gv = schema.goods_versions
        with self._read() as conn:
            active = active_ids(conn, schema.goods_sources)
            query = select(gv).order_by(gv.c.id)
            if source is not None:
                query = query.where(gv.c.source == source)
            return [self._goods_info(r, active) for r in conn.execute(query)]

    def active_goods_lists(self) -> list[GoodsVersion]:
        return [v for v in self.goods_versions() if v.active]

    def goods_entries(self, version_ids: Iterable[int]) -> list[GoodsListEntry]:
        ge = schema.goods_entries
        ids = list(version_ids)
        if not ids:
            return []
        with self._read() as conn:
            rows = conn.execute(
                select(ge).where(ge.c.version_id.in_(ids)).order_by(ge.c.version_id, ge.c.seq)
            )
            return [
                GoodsListEntry(
                    r.code,
                    r.list,
                    r.tier,
                    tuple(j for j in r.jurisdictions.split(";") if j),
                    r.legal_basis,
                    r.valid_from,
                    r.valid_to,
                    r.hs_version,
                    r.description,
                )
                for r in rows
            ]

    def goods_signature(self) -> tuple[tuple[str, int], ...]:
        gs = schema.goods_sources
        with self._read() as conn:
            rows = conn.execute(select(gs.c.name, gs.c.active_version).order_by(gs.c.name))
            return tuple((r[0], int(r[1])) for r in rows if r[1] is not None)

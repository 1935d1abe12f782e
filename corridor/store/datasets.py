"""Versioned record sets of other kinds (licences...): JSON records per version, one active
version per (kind, source), imported atomically."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.exc import SQLAlchemyError

from corridor.exceptions import ListIngestError, StoreError
from corridor.store import schema
from corridor.store.dialect import BATCH_ROWS
from corridor.store.versioned import StorePart, now


@dataclass(frozen=True)
class DatasetVersion:
    id: int
    kind: str
    source: str
    file_name: str
    file_hash: str
    imported_at: str
    record_count: int
    active: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "source": self.source,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "imported_at": self.imported_at,
            "record_count": self.record_count,
            "active": self.active,
        }


class DatasetTables(StorePart):
    """The record-set part of :class:`corridor.store.sql.SqlStore`."""

    def import_dataset(
        self,
        kind: str,
        source: str,
        file_name: str,
        file_hash: str,
        file_size: int,
        records: Iterable[tuple[str, dict[str, Any]]],
    ) -> DatasetVersion:
        dv, ds = schema.dataset_versions, schema.dataset_sources
        try:
            with self._write() as conn:
                vid = conn.execute(
                    dv.insert().returning(dv.c.id),
                    {
                        "kind": kind,
                        "source": source,
                        "file_name": file_name,
                        "file_hash": file_hash,
                        "file_size": file_size,
                        "imported_at": now(),
                        "record_count": 0,
                    },
                ).scalar_one()
                rows = [
                    {
                        "version_id": vid,
                        "seq": i,
                        "record_key": key[:256],
                        "data": json.dumps(data, ensure_ascii=False, sort_keys=True),
                    }
                    for i, (key, data) in enumerate(records, start=1)
                ]
                if not rows:
                    raise ListIngestError(f"{file_name}: the file holds no records")
                for start in range(0, len(rows), BATCH_ROWS):
                    conn.execute(schema.dataset_records.insert(), rows[start : start + BATCH_ROWS])
                conn.execute(update(dv).where(dv.c.id == vid).values(record_count=len(rows)))
                where = and_(ds.c.kind == kind, ds.c.name == source)
                if conn.execute(select(ds.c.name).where(where)).first():
                    conn.execute(
                        update(ds).where(where).values(active_version=vid, updated_at=now())
                    )
                else:
                    conn.execute(
                        ds.insert(),
                        {"kind": kind, "name": source, "active_version": vid, "updated_at": now()},
                    )
        except SQLAlchemyError as exc:
            raise StoreError(
                f"{kind} import into {self.safe_url} failed: {str(exc).splitlines()[0]}"
            ) from exc
        return next(v for v in self.dataset_versions(kind, source) if v.id == vid)

    def dataset_versions(self, kind: str, source: str | None = None) -> list[DatasetVersion]:
        dv, ds = schema.dataset_versions, schema.dataset_sources
        with self._read() as conn:
            active = {
                r[0]
                for r in conn.execute(select(ds.c.active_version).where(ds.c.kind == kind))
                if r[0]
            }
            query = select(dv).where(dv.c.kind == kind).order_by(dv.c.id)
            if source is not None:
                query = query.where(dv.c.source == source)
            return [
                DatasetVersion(
                    r.id,
                    r.kind,
                    r.source,
                    r.file_name,
                    r.file_hash,
                    r.imported_at,
                    r.record_count,
                    r.id in active,
                )
                for r in conn.execute(query)
            ]

    def active_dataset_records(self, kind: str) -> list[dict[str, Any]]:
        ids = [v.id for v in self.dataset_versions(kind) if v.active]
        if not ids:
            return []
        dr = schema.dataset_records
        with self._read() as conn:
            rows = conn.execute(
                select(dr.c.data)
                .where(dr.c.version_id.in_(ids))
                .order_by(dr.c.version_id, dr.c.seq)
            )
            return [json.loads(r[0]) for r in rows]

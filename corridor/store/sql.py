"""The SQL store: SQLite (embedded default) and PostgreSQL through SQLAlchemy Core."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, func, make_url, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from corridor.exceptions import ListIngestError, NotFound, StoreError
from corridor.lists.diff import changed_fields
from corridor.model.entity import Entity, record_hash
from corridor.store import schema
from corridor.store.base import EntityChange, NewVersion, VersionDiff, VersionInfo
from corridor.store.datasets import DatasetTables
from corridor.store.dialect import BATCH_ROWS, configure, insert_ignore, is_sqlite, normalise_url
from corridor.store.goods import GoodsTables
from corridor.store.graphs import GraphTables
from corridor.store.profiles import ProfileTables
from corridor.store.versioned import now as _now


class SqlStore(GraphTables, GoodsTables, DatasetTables, ProfileTables):
    """A :class:`corridor.store.base.Store` on SQLite or PostgreSQL.

    Every import runs in one transaction that also switches the source's active version, so a
    reader sees either the old version or the complete new one, never a partial import.
    """

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            if self.url.startswith("sqlite:///"):
                db_path = Path(self.url[len("sqlite:///") :])
                if str(db_path) not in ("", ":memory:"):
                    db_path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(self.url, future=True)
            configure(self.engine)
            schema.metadata.create_all(self.engine)
            self._add_indexes()
            self._check_schema()
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open store {self.safe_url}: {exc.__class__.__name__}: "
                f"{str(exc).splitlines()[0]}"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot open store {self.safe_url}: {exc}") from exc
        except ImportError as exc:  # the driver of a PostgreSQL URL is an extra
            raise StoreError(
                f"cannot open store {self.safe_url}: PostgreSQL needs its driver: "
                "pip install 'corridor[postgres]'"
            ) from exc

    @property
    def safe_url(self) -> str:
        """The URL without its password."""
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "(a store URL that cannot be read)"

    def _add_indexes(self) -> None:
        """Indexes added since a store's tables were made (``create_all`` makes a table's
        indexes only with the table)."""
        for table in schema.metadata.sorted_tables:
            for index in table.indexes:
                try:
                    index.create(self.engine, checkfirst=True)
                except SQLAlchemyError:  # another process made it at the same moment
                    continue

    def _check_schema(self) -> None:
        with self._write() as conn:
            row = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).first()
            if row is None:
                conn.execute(
                    insert_ignore(self.engine, schema.meta),
                    [{"key": "schema_version", "value": schema.SCHEMA_VERSION}],
                )
            elif row[0] != schema.SCHEMA_VERSION:
                raise StoreError(
                    f"store {self.safe_url} has schema {row[0]}, this Corridor expects "
                    f"{schema.SCHEMA_VERSION}"
                )

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(corridor_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction (SQLite: taken with the write lock up front), committed when
        the block ends, rolled back on any error."""
        with self._write() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction."""
        with self._read() as conn:
            yield conn

    # -- writing -------------------------------------------------------------------------

    def import_version(
        self,
        meta: NewVersion,
        entities: Iterable[Entity],
        hold: Callable[[int, str | None], str | None] | None = None,
    ) -> VersionInfo:
        """Store a complete version and make it active, in one transaction. ``hold`` is asked,
        once every entity is read, with the entity count and the publication date: a reason
        it returns keeps the version stored but not active."""
        imported_at = _now()
        counts: Counter[str] = Counter()
        seen: set[str] = set()
        try:
            with self._write() as conn:
                vid = conn.execute(
                    schema.versions.insert().returning(schema.versions.c.id),
                    {
                        "source": meta.source,
                        "format": meta.format,
                        "file_name": meta.file_name,
                        "file_hash": meta.file_hash,
                        "file_size": meta.file_size,
                        "published": meta.published,
                        "imported_at": imported_at,
                        "entity_count": 0,
                        "counts": "{}",
                    },
                ).scalar_one()
                rec_stmt = insert_ignore(self.engine, schema.records)
                batch_records: list[dict[str, Any]] = []
                batch_links: list[dict[str, Any]] = []

                def flush() -> None:
                    if batch_records:
                        conn.execute(rec_stmt, batch_records)
                        conn.execute(schema.version_entities.insert(), batch_links)
                        batch_records.clear()
                        batch_links.clear()

                for ent in entities:
                    if ent.id in seen:
                        raise ListIngestError(
                            f"{meta.file_name}: entity id {ent.id} appears twice in the file"
                        )
                    seen.add(ent.id)
                    data = ent.to_json()
                    digest = record_hash(data)
                    counts[ent.kind.value] += 1
                    batch_records.append({"hash": digest, "data": data})
                    batch_links.append(
                        {
                            "version_id": vid,
                            "entity_id": ent.id,
                            "kind": ent.kind.value,
                            "caption": ent.caption[:500],
                            "hash": digest,
                        }
                    )
                    if len(batch_records) >= BATCH_ROWS:
                        flush()
                flush()
                total = sum(counts.values())
                if total == 0:
                    raise ListIngestError(f"{meta.file_name}: the file holds no entities")
                conn.execute(
                    update(schema.versions)
                    .where(schema.versions.c.id == vid)
                    .values(
                        entity_count=total,
                        counts=json.dumps(dict(sorted(counts.items()))),
                        published=meta.published,
                    )
                )
                if hold is None or hold(total, meta.published) is None:
                    self._set_active(conn, meta.source, vid)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"import into {self.safe_url} failed: {str(exc).splitlines()[0]}"
            ) from exc
        info = self.version(vid)
        return info

    def _set_active(self, conn: Connection, source: str, vid: int) -> None:
        exists = conn.execute(
            select(schema.sources.c.name).where(schema.sources.c.name == source)
        ).first()
        if exists:
            conn.execute(
                update(schema.sources)
                .where(schema.sources.c.name == source)
                .values(active_version=vid, updated_at=_now())
            )
        else:
            conn.execute(
                schema.sources.insert(),
                {"name": source, "active_version": vid, "updated_at": _now()},
            )

    def activate(self, source: str, version_id: int) -> None:
        info = self.version(version_id)
        if info.source != source:
            raise NotFound(f"version {version_id} belongs to {info.source}, not {source}")
        with self._write() as conn:
            self._set_active(conn, source, version_id)

    # -- reading -------------------------------------------------------------------------

    def _info(self, row: Any, active_ids: set[int]) -> VersionInfo:
        return VersionInfo(
            id=row.id,
            source=row.source,
            format=row.format,
            file_name=row.file_name,
            file_hash=row.file_hash,
            file_size=row.file_size,
            published=row.published,
            imported_at=row.imported_at,
            entity_count=row.entity_count,
            counts=json.loads(row.counts),
            active=row.id in active_ids,
        )

    def _active_ids(self, conn: Connection) -> set[int]:
        return {r[0] for r in conn.execute(select(schema.sources.c.active_version)) if r[0]}

    def version(self, version_id: int) -> VersionInfo:
        with self._read() as conn:
            row = conn.execute(
                select(schema.versions).where(schema.versions.c.id == version_id)
            ).first()
            if row is None:
                raise NotFound(f"no list version {version_id}")
            return self._info(row, self._active_ids(conn))

    def sources(self) -> list[str]:
        with self._read() as conn:
            return [
                r[0]
                for r in conn.execute(select(schema.sources.c.name).order_by(schema.sources.c.name))
            ]

    def active_version(self, source: str) -> VersionInfo | None:
        with self._read() as conn:
            row = conn.execute(
                select(schema.versions)
                .join(schema.sources, schema.sources.c.active_version == schema.versions.c.id)
                .where(schema.sources.c.name == source)
            ).first()
            return self._info(row, {row.id}) if row is not None else None

    def versions(self, source: str) -> list[VersionInfo]:
        with self._read() as conn:
            active = self._active_ids(conn)
            rows = conn.execute(
                select(schema.versions)
                .where(schema.versions.c.source == source)
                .order_by(schema.versions.c.id)
            )
            return [self._info(r, active) for r in rows]

    def get_entity(self, entity_id: str, version_id: int | None = None) -> Entity | None:
        ve, rec = schema.version_entities, schema.records
        with self._read() as conn:
            query = (
                select(rec.c.data)
                .join(ve, ve.c.hash == rec.c.hash)
                .where(ve.c.entity_id == entity_id)
            )
            if version_id is None:
                query = query.join(
                    schema.sources, schema.sources.c.active_version == ve.c.version_id
                )
            else:
                query = query.where(ve.c.version_id == version_id)
            row = conn.execute(query.limit(1)).first()
            return Entity.from_dict(json.loads(row[0])) if row is not None else None

    def active_records(self, entity_ids: list[str]) -> list[Entity]:
        """Every active record of these ids (one id may be on two lists: OFAC gives a party on
        its SDN and non-SDN lists one record number), by id then source."""
        ve, rec = schema.version_entities, schema.records
        out: list[Entity] = []
        with self._read() as conn:
            for i in range(0, len(entity_ids), BATCH_ROWS):
                rows = conn.execute(
                    select(rec.c.data)
                    .join(ve, ve.c.hash == rec.c.hash)
                    .join(schema.sources, schema.sources.c.active_version == ve.c.version_id)
                    .where(ve.c.entity_id.in_(entity_ids[i : i + BATCH_ROWS]))
                )
                out += [Entity.from_dict(json.loads(r[0])) for r in rows]
        out.sort(key=lambda e: (e.id, e.source))
        return out

    def entity_history(self, entity_id: str) -> list[tuple[VersionInfo, str]]:
        """Every version holding ``entity_id``, oldest first, with the record hash there."""
        ve = schema.version_entities
        with self._read() as conn:
            active = self._active_ids(conn)
            rows = conn.execute(
                select(schema.versions, ve.c.hash.label("record_hash"))
                .join(ve, ve.c.version_id == schema.versions.c.id)
                .where(ve.c.entity_id == entity_id)
                .order_by(schema.versions.c.id)
            ).all()
            return [(self._info(r, active), r.record_hash) for r in rows]

    def last_changes(self, entity_ids: list[str]) -> dict[str, str]:
        """When each entity's active record was first imported: its last change (the store's
        stamp format), for the entities of ``entity_ids`` that are on an active list."""
        ve, v, src = schema.version_entities, schema.versions, schema.sources
        current = ve.alias("current")
        if not entity_ids:
            return {}
        with self._read() as conn:
            rows = conn.execute(
                select(ve.c.entity_id, func.min(v.c.imported_at))
                .join(v, v.c.id == ve.c.version_id)
                .join(
                    current,
                    (current.c.entity_id == ve.c.entity_id) & (current.c.hash == ve.c.hash),
                )
                .join(src, src.c.active_version == current.c.version_id)
                .where(ve.c.entity_id.in_(entity_ids))
                .group_by(ve.c.entity_id)
            )
            return {str(r[0]): str(r[1]) for r in rows}

    def iter_entities(self, version_id: int) -> Iterator[Entity]:
        ve, rec = schema.version_entities, schema.records
        with self._read() as conn:
            result = conn.execution_options(yield_per=2000).execute(
                select(rec.c.data)
                .join(ve, ve.c.hash == rec.c.hash)
                .where(ve.c.version_id == version_id)
                .order_by(ve.c.entity_id)
            )
            for row in result:
                yield Entity.from_dict(json.loads(row[0]))

    def iter_active_entities(self) -> Iterator[Entity]:
        for source in self.sources():
            info = self.active_version(source)
            if info is not None:
                yield from self.iter_entities(info.id)

    def active_signature(self) -> tuple[tuple[str, int], ...]:
        """(source, active version id) of every source: changes whenever a list does."""
        with self._read() as conn:
            rows = conn.execute(
                select(schema.sources.c.name, schema.sources.c.active_version).order_by(
                    schema.sources.c.name
                )
            )
            return tuple((r[0], int(r[1])) for r in rows if r[1] is not None)

    def active_versions_detail(self) -> list[list[Any]]:
        """Every active list and graph version with what identifies its contents (id, file
        hash, import time): what a compiled index is keyed by, so that no two stores, and no
        two imports of a store, share one."""
        lv, gv = schema.versions, schema.graph_versions
        src, gsrc = schema.sources, schema.graph_sources
        with self._read() as conn:
            lists = conn.execute(
                select(src.c.name, lv.c.id, lv.c.file_hash, lv.c.imported_at)
                .join(lv, lv.c.id == src.c.active_version)
                .order_by(src.c.name)
            )
            out = [["list", *row] for row in lists]
            graphs = conn.execute(
                select(gsrc.c.name, gv.c.id, gv.c.file_hash, gv.c.imported_at)
                .join(gv, gv.c.id == gsrc.c.active_version)
                .order_by(gsrc.c.name)
            )
            out += [["graph", *row] for row in graphs]
        digest = self.profile_state().get("digest")
        if digest:  # the index groups results by profile
            out.append(["profiles", digest])
        return [list(r) for r in out]

    def count_entities(self) -> int:
        ve = schema.version_entities
        with self._read() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(ve)
                    .join(schema.sources, schema.sources.c.active_version == ve.c.version_id)
                ).scalar_one()
            )

    def _members(self, conn: Connection, version_id: int) -> dict[str, tuple[str, str]]:
        ve = schema.version_entities
        rows = conn.execute(
            select(ve.c.entity_id, ve.c.hash, ve.c.caption).where(ve.c.version_id == version_id)
        )
        return {r.entity_id: (r.hash, r.caption) for r in rows}

    def _record(self, conn: Connection, digest: str) -> dict[str, Any]:
        row = conn.execute(
            select(schema.records.c.data).where(schema.records.c.hash == digest)
        ).first()
        if row is None:
            raise StoreError(f"record {digest} is missing from the store")
        data: dict[str, Any] = json.loads(row[0])
        return data

    def diff(self, source: str, from_version: int | None, to_version: int) -> VersionDiff:
        """Entities added, removed and changed (with the changed fields) between versions."""
        to_info = self.version(to_version)
        if to_info.source != source:
            raise NotFound(f"version {to_version} belongs to {to_info.source}, not {source}")
        if from_version is not None and self.version(from_version).source != source:
            raise NotFound(f"version {from_version} does not belong to {source}")
        result = VersionDiff(source=source, from_version=from_version, to_version=to_version)
        with self._read() as conn:
            old = self._members(conn, from_version) if from_version is not None else {}
            new = self._members(conn, to_version)
            for eid in sorted(new.keys() - old.keys()):
                result.added.append(EntityChange(eid, new[eid][1]))
            for eid in sorted(old.keys() - new.keys()):
                result.removed.append(EntityChange(eid, old[eid][1]))
            for eid in sorted(new.keys() & old.keys()):
                if new[eid][0] == old[eid][0]:
                    result.unchanged += 1
                    continue
                before, after = self._record(conn, old[eid][0]), self._record(conn, new[eid][0])
                fields = changed_fields(before, after)
                values = {f: (before.get(f), after.get(f)) for f in fields}
                result.changed.append(EntityChange(eid, new[eid][1], fields, values))
        return result

    def integrity_ok(self) -> bool:
        """True when the database file passes its own integrity check (SQLite) or answers."""
        with self._read() as conn:
            if is_sqlite(self.engine):
                return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            return conn.exec_driver_sql("SELECT 1").scalar() == 1

    def close(self) -> None:
        self.engine.dispose()

"""What the versioned tables (ownership graphs, goods lists) share: one active version per
source, switched inside the importing transaction."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.engine import Engine

STAMP = "%Y-%m-%dT%H:%M:%SZ"  # how the store writes a moment (UTC, to the second)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, STAMP).replace(tzinfo=UTC)


def now() -> str:
    return stamp(datetime.now(UTC))


def set_active(conn: Connection, sources: Table, source: str, version_id: int) -> None:
    """Make ``version_id`` the active version of ``source`` in a ``*_sources`` table."""
    stamp = now()
    if conn.execute(select(sources.c.name).where(sources.c.name == source)).first():
        conn.execute(
            update(sources)
            .where(sources.c.name == source)
            .values(active_version=version_id, updated_at=stamp)
        )
    else:
        conn.execute(
            sources.insert(), {"name": source, "active_version": version_id, "updated_at": stamp}
        )


def active_ids(conn: Connection, sources: Table) -> set[int]:
    return {r[0] for r in conn.execute(select(sources.c.active_version)) if r[0]}


class StorePart:
    """What the parts of :class:`corridor.store.sql.SqlStore` (graphs, goods lists, record
    sets) rely on; the store provides it."""

    engine: Engine

    @property
    def safe_url(self) -> str:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

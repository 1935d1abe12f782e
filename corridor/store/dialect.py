"""Everything that differs between SQLite and PostgreSQL lives here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import Insert

# SQLite allows at most 32766 bound variables per statement.
SQLITE_MAX_VARS = 32766
BATCH_ROWS = 2000


def normalise_url(url: str) -> str:
    """Accept ``postgres://``/``postgresql://`` and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def insert_ignore(engine: Engine, table: Table) -> Insert:
    """An INSERT that silently skips rows whose primary key already exists."""
    if is_sqlite(engine):
        return sqlite.insert(table).on_conflict_do_nothing()
    return postgresql.insert(table).on_conflict_do_nothing()


def increment(engine: Engine, table: Table) -> Any:
    """An INSERT of ``(key, window, count)`` that adds ``count`` to the row's count when it
    exists, and returns the count after, in one atomic statement (SQLite 3.35+ and
    PostgreSQL)."""
    ins = (sqlite if is_sqlite(engine) else postgresql).insert(table)
    return ins.on_conflict_do_update(
        index_elements=[table.c.key, table.c.window],
        set_={"count": table.c.count + ins.excluded.count},
    ).returning(table.c.count)


def configure(engine: Engine) -> None:
    """Per-connection settings: WAL journal and a busy timeout for SQLite."""
    if not is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event below issue BEGIN itself
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # writers take the write lock at the start (execution option ``corridor_write``), so
        # concurrent writers queue instead of failing; readers use a deferred transaction
        mode = "IMMEDIATE" if conn.get_execution_options().get("corridor_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

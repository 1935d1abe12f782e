"""The audit trail: append-only and hash-chained.

Every entry stores the hash of the one before it, and its own hash covers its sequence
number, time, actor, action, object, detail and that previous hash. A single head row holds
the last sequence number and hash; appending locks it (``SELECT ... FOR UPDATE`` on
PostgreSQL, the write lock on SQLite), so concurrent writers form one chain. ``verify`` walks
the chain and reports any entry that was edited (its hash no longer matches), deleted (a gap
in the sequence, a broken link, or a head that points past the last entry) or inserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, func, select, update

from corridor.store import schema
from corridor.store.dialect import insert_ignore, is_sqlite
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

GENESIS = "0" * 64
HEAD_ID = 1


def entry_hash(seq: int, at: str, actor: str, action: str, obj: str, detail: str, prev: str) -> str:
    """SHA-256 of the JSON array ``[seq, at, actor, action, object, detail, prev]`` (as
    ``json.dumps(..., ensure_ascii=False)`` writes it), formatted directly: verifying a long
    chain spends most of its time here."""
    q = encode_basestring
    payload = f"[{seq}, {q(at)}, {q(actor)}, {q(action)}, {q(obj)}, {q(detail)}, {q(prev)}]"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


COLUMNS = ("seq", "at", "actor", "action", "object", "detail", "prev_hash", "hash")
Row = tuple[int, str, str, str, str, str, str, str]


def chain_rows(
    seq: int, prev: str, entries: list[tuple[str, str, str, dict[str, Any]]]
) -> list[Row]:
    """The rows that extend a chain whose head is (``seq``, ``prev``) by ``entries``, each
    linked to the one before and hashed (values in the order of ``COLUMNS``)."""
    rows: list[Row] = []
    for actor, action, obj, detail in entries:
        seq += 1
        at = now()
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash(seq, at, actor, action, obj, text, prev)
        rows.append((seq, at, actor, action, obj, text, prev, digest))
        prev = digest
    return rows


def append(
    conn: Connection, actor: str, action: str, obj: str, detail: dict[str, Any] | None = None
) -> int:
    """Append one entry inside the caller's transaction (so the audited change and its entry
    commit together); returns its sequence number."""
    return append_many(conn, [(actor, action, obj, detail or {})])


def append_many(conn: Connection, entries: list[tuple[str, str, str, dict[str, Any]]]) -> int:
    """Append several entries under one lock of the head (one round trip each for the head
    and the rows); returns the last sequence number."""
    head_t = schema.audit_head
    query = select(head_t.c.seq, head_t.c.hash).where(head_t.c.id == HEAD_ID)
    if not is_sqlite(conn.engine):
        query = query.with_for_update()
    head = conn.execute(query).first()
    if head is None:
        conn.execute(
            insert_ignore(conn.engine, head_t), [{"id": HEAD_ID, "seq": 0, "hash": GENESIS}]
        )
        head = conn.execute(query).first()
        assert head is not None
    rows = chain_rows(int(head.seq), str(head.hash), entries)
    conn.execute(schema.audit_log.insert(), [dict(zip(COLUMNS, r, strict=True)) for r in rows])
    seq, digest = rows[-1][0], rows[-1][-1]
    conn.execute(update(head_t).where(head_t.c.id == HEAD_ID).values(seq=seq, hash=digest))
    return seq


def record(
    store: SqlStore, actor: str, action: str, obj: str, detail: dict[str, Any] | None = None
) -> int:
    """Append one entry in its own transaction."""
    with store.transaction() as conn:
        return append(conn, actor, action, obj, detail)


@dataclass
class _Pending:
    entry: tuple[str, str, str, dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    seq: int = 0
    error: BaseException | None = None
    future: asyncio.Future[int] | None = None

    def finish(self) -> None:
        self.done.set()
        future = self.future
        if future is not None:
            loop = future.get_loop()
            if self.error is not None:
                loop.call_soon_threadsafe(_settle, future, None, self.error)
            else:
                loop.call_soon_threadsafe(_settle, future, self.seq, None)


def _settle(future: asyncio.Future[int], seq: int | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(seq or 0)


class AuditWriter:
    """Group commit for a busy server: callers from many threads hand in entries and wait
    until theirs is committed; one writer thread appends whatever has queued up in one
    transaction. A caller returns only after its entry is durable, so an acknowledged
    request always has its audit entry."""

    def __init__(self, store: SqlStore, max_batch: int = 500) -> None:
        self.store, self.max_batch = store, max_batch
        self.queue: queue.Queue[_Pending] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self.thread.start()

    def record(
        self, actor: str, action: str, obj: str, detail: dict[str, Any] | None = None
    ) -> int:
        pending = _Pending((actor, action, obj, detail or {}))
        self.queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.seq

    async def arecord(
        self, actor: str, action: str, obj: str, detail: dict[str, Any] | None = None
    ) -> int:
        """``record`` for async code: the event loop keeps serving while the entry commits."""
        pending = _Pending(
            (actor, action, obj, detail or {}), future=asyncio.get_running_loop().create_future()
        )
        self.queue.put(pending)
        assert pending.future is not None
        return await pending.future

    def _run(self) -> None:
        raw: Any = None
        while True:
            batch = [self.queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                if raw is None:
                    with self.store.transaction() as conn:  # make sure the head exists
                        conn.execute(
                            insert_ignore(conn.engine, schema.audit_head),
                            [{"id": HEAD_ID, "seq": 0, "hash": GENESIS}],
                        )
                    raw = self.store.engine.raw_connection()
                last = _append_raw(raw, is_sqlite(self.store.engine), [p.entry for p in batch])
                for i, p in enumerate(batch):
                    p.seq = last - len(batch) + 1 + i
            except BaseException as exc:  # noqa: BLE001 - handed to every waiting caller
                for p in batch:
                    p.error = exc
                if raw is not None:
                    with contextlib.suppress(Exception):
                        raw.close()
                raw = None
            for p in batch:
                p.finish()


_RAW = {
    True: (  # SQLite: qmark parameters, the write lock taken up front
        "BEGIN IMMEDIATE",
        "SELECT seq, hash FROM audit_head WHERE id = 1",
        "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
    ),
    False: (  # PostgreSQL (psycopg): the head row locked until commit
        None,
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        "UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1",
    ),
}


def _append_raw(raw: Any, sqlite: bool, entries: list[tuple[str, str, str, dict[str, Any]]]) -> int:
    """``append_many`` on a driver connection: the same chain, a fraction of the CPU (the
    writer's hot path)."""
    begin, head_sql, insert_sql, update_sql = _RAW[sqlite]
    cur = raw.cursor()
    try:
        if begin:
            cur.execute(begin)
        cur.execute(head_sql)
        seq, prev = cur.fetchone()
        rows = chain_rows(int(seq), str(prev), entries)
        cur.executemany(insert_sql, rows)
        seq, prev = rows[-1][0], rows[-1][-1]
        cur.execute(update_sql, (seq, prev))
        if sqlite:
            cur.execute("COMMIT")
        else:
            raw.commit()
        return seq
    except BaseException:
        if sqlite:
            with contextlib.suppress(Exception):
                cur.execute("ROLLBACK")
        else:
            raw.rollback()
        raise
    finally:
        cur.close()


@dataclass
class Verification:
    ok: bool
    entries: int
    head_seq: int
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head_seq": self.head_seq,
            "problems": self.problems,
        }


def iter_entries(
    store: SqlStore,
    since: int = 0,
    actor: str | None = None,
    action: str | None = None,
    limit: int | None = None,
    objects: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    log = schema.audit_log
    query = select(log).where(log.c.seq > since).order_by(log.c.seq)
    if objects is not None:
        query = query.where(log.c.object.in_(objects))
    if actor:
        query = query.where(log.c.actor == actor)
    if action:
        query = query.where(log.c.action == action)
    if limit:
        query = query.limit(limit)
    with store.reading() as conn:
        for row in conn.execution_options(yield_per=5000).execute(query):
            yield _entry(row)


def _entry(row: Any) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "object": row.object,
        "detail": json.loads(row.detail),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def latest_entries(
    store: SqlStore,
    actor: str | None = None,
    action: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Entries newest first (those before ``before`` when given): a page to browse."""
    log = schema.audit_log
    query = select(log).order_by(log.c.seq.desc()).limit(limit)
    if before is not None:
        query = query.where(log.c.seq < before)
    if actor:
        query = query.where(log.c.actor == actor)
    if action:
        query = query.where(log.c.action == action)
    with store.reading() as conn:
        return [_entry(row) for row in conn.execute(query)]


def actions(store: SqlStore) -> list[str]:
    """The kinds of action the trail holds (for filtering)."""
    log = schema.audit_log
    with store.reading() as conn:
        return sorted(r[0] for r in conn.execute(select(log.c.action).distinct()))


def verify(store: SqlStore, max_problems: int = 50) -> Verification:
    """Walk the whole chain; any edit, deletion or insertion is reported with its place."""
    log, head_t = schema.audit_log, schema.audit_head
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    count = 0
    with store.reading() as conn:
        head = conn.execute(select(head_t.c.seq, head_t.c.hash)).first()
        # plain driver rows: this loop is the cost of verifying, a few microseconds an entry
        rows = conn.exec_driver_sql(
            "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
            "FROM audit_log ORDER BY seq"
        )
        for seq, at, actor, action, obj, detail, prev_hash, stored in rows:
            count += 1
            if seq != expected_seq:
                problems.append(
                    f"entries {expected_seq}..{seq - 1} are missing (deleted)"
                    if seq > expected_seq
                    else f"entry {seq} appears out of order"
                )
            if prev_hash != prev:
                problems.append(f"entry {seq}: does not link to the entry before it")
            if entry_hash(seq, at, actor, action, obj, detail, prev_hash) != stored:
                problems.append(f"entry {seq}: its content was changed after it was written")
            prev, expected_seq = stored, seq + 1
            if len(problems) >= max_problems:
                break
        total = conn.execute(select(func.count()).select_from(log)).scalar_one()
    head_seq = int(head.seq) if head else 0
    if head is not None and len(problems) < max_problems:
        if head.seq != expected_seq - 1 or head.hash != prev:
            problems.append(
                f"the chain ends at entry {expected_seq - 1} but its head records entry "
                f"{head.seq}: entries at the end were deleted or replaced"
            )
    elif head is None and total:
        problems.append("entries exist but the chain head is missing")
    return Verification(not problems, int(total), head_seq, problems)


def export(store: SqlStore, path: str, since: int = 0) -> int:
    """Write the trail as JSON lines (each entry with its hashes); returns the count."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for entry in iter_entries(store, since):
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            n += 1
    return n

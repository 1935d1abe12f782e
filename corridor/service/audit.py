"""The audit trail: append-only, hash-chained and keyed.

Every entry stores the hash of the one before it, and its own hash is an HMAC-SHA256, under a
key held outside the database (:mod:`corridor.service.auditkey`), of its sequence number,
time, actor, action, object, detail and that previous hash. A single head row holds the last
sequence number and hash, and a seal row holds the head's own HMAC; appending locks the head
(``SELECT ... FOR UPDATE`` on PostgreSQL, the write lock on SQLite), so concurrent writers
form one chain.

``verify`` walks the chain from the last checkpoint it verified (signed rows of
``audit_checkpoints``: sequence, hash, time) and reports any entry that was edited, deleted,
inserted, renumbered or re-hashed (without the key no one can compute a valid hash), a head
moved (the seal no longer matches), and a tail cut off below a checkpoint. ``checkpoint``
exports a signed checkpoint to keep elsewhere; ``verify`` against it detects even a trail
cut back and re-sealed by someone who holds the key.

Entries written before the trail was keyed (by an older Corridor) keep their unkeyed
SHA-256; the meta row ``audit_keyed_from`` says where keyed entries begin.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import queue
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, func, select, update

from corridor.exceptions import Conflict
from corridor.service.auditkey import current_key
from corridor.store import schema
from corridor.store.dialect import insert_ignore, is_sqlite
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

GENESIS = "0" * 64
HEAD_ID = 1
KEYED_FROM = "audit_keyed_from"  # meta key: the first entry hashed with the key


def entry_hash(
    seq: int,
    at: str,
    actor: str,
    action: str,
    obj: str,
    detail: str,
    prev: str,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 under ``key`` (SHA-256 when None: entries of an older, unkeyed trail) of
    the JSON array ``[seq, at, actor, action, object, detail, prev]`` (as
    ``json.dumps(..., ensure_ascii=False)`` writes it), formatted directly: verifying a long
    chain spends most of its time here."""
    q = encode_basestring
    payload = f"[{seq}, {q(at)}, {q(actor)}, {q(action)}, {q(obj)}, {q(detail)}, {q(prev)}]"
    if key is None:
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return hmac.digest(key, payload.encode("utf-8"), "sha256").hex()


def seal_mac(seq: int, digest: str, key: bytes) -> str:
    """The head's seal: an HMAC of its sequence number and hash."""
    return hmac.digest(key, f"head|{seq}|{digest}".encode(), "sha256").hex()


def checkpoint_mac(seq: int, digest: str, at: str, key: bytes) -> str:
    return hmac.digest(key, f"checkpoint|{seq}|{digest}|{at}".encode(), "sha256").hex()


COLUMNS = ("seq", "at", "actor", "action", "object", "detail", "prev_hash", "hash")
Row = tuple[int, str, str, str, str, str, str, str]


MAX_FIELD = 256  # characters of an actor or object written to the trail


def chain_rows(
    seq: int, prev: str, entries: list[tuple[str, str, str, dict[str, Any]]], key: bytes
) -> list[Row]:
    """The rows that extend a chain whose head is (``seq``, ``prev``) by ``entries``, each
    linked to the one before and hashed under ``key`` (values in the order of ``COLUMNS``)."""
    rows: list[Row] = []
    for actor, action, obj, detail in entries:
        seq += 1
        at = now()
        actor, obj = actor[:MAX_FIELD], obj[:MAX_FIELD]
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash(seq, at, actor, action, obj, text, prev, key)
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
    key = current_key()
    conn.execute(
        insert_ignore(conn.engine, schema.meta),
        [{"key": KEYED_FROM, "value": str(int(head.seq) + 1)}],
    )
    rows = chain_rows(int(head.seq), str(head.hash), entries, key)
    conn.execute(schema.audit_log.insert(), [dict(zip(COLUMNS, r, strict=True)) for r in rows])
    seq, digest = rows[-1][0], rows[-1][-1]
    conn.execute(update(head_t).where(head_t.c.id == HEAD_ID).values(seq=seq, hash=digest))
    seal = schema.audit_seal
    values = {"seq": seq, "hash": digest, "mac": seal_mac(seq, digest, key)}
    if conn.execute(update(seal).where(seal.c.id == HEAD_ID).values(**values)).rowcount == 0:
        conn.execute(seal.insert(), {"id": HEAD_ID, **values})
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
        "INSERT INTO audit_seal (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) "
        "DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
        "INSERT INTO corridor_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    ),
    False: (  # PostgreSQL (psycopg): the head row locked until commit
        None,
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        "UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1",
        "INSERT INTO audit_seal (id, seq, hash, mac) VALUES (1, %s, %s, %s) ON CONFLICT (id) "
        "DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
        "INSERT INTO corridor_meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
    ),
}


def _append_raw(raw: Any, sqlite: bool, entries: list[tuple[str, str, str, dict[str, Any]]]) -> int:
    """``append_many`` on a driver connection: the same chain, a fraction of the CPU (the
    writer's hot path)."""
    begin, head_sql, insert_sql, update_sql, seal_sql, meta_sql = _RAW[sqlite]
    key = current_key()
    cur = raw.cursor()
    try:
        if begin:
            cur.execute(begin)
        cur.execute(head_sql)
        seq, prev = cur.fetchone()
        cur.execute(meta_sql, (KEYED_FROM, str(int(seq) + 1)))
        rows = chain_rows(int(seq), str(prev), entries, key)
        cur.executemany(insert_sql, rows)
        seq, prev = rows[-1][0], rows[-1][-1]
        cur.execute(update_sql, (seq, prev))
        cur.execute(seal_sql, (seq, prev, seal_mac(seq, prev, key)))
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
    checked_from: int = 0  # the checkpoint the walk began at (0: the start of the trail)
    checked: int = 0  # entries walked

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head_seq": self.head_seq,
            "checked_from": self.checked_from,
            "checked": self.checked,
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


def _keyed_from(conn: Connection) -> int:
    row = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == KEYED_FROM)).first()
    try:
        return int(row[0]) if row else 1
    except ValueError:
        return 0  # a damaged marker: every entry is checked with the key


def _start(conn: Connection, key: bytes, problems: list[str]) -> tuple[int, str]:
    """Where an incremental walk begins: the latest checkpoint that is signed with the key
    and whose entry still has the recorded hash (each one that is not is reported)."""
    cp, log = schema.audit_checkpoints, schema.audit_log
    for row in conn.execute(select(cp).order_by(cp.c.seq.desc()).limit(20)):
        if not hmac.compare_digest(row.mac, checkpoint_mac(row.seq, row.hash, row.at, key)):
            problems.append(f"checkpoint {row.seq}: its signature does not match: forged")
            continue
        entry = conn.execute(select(log.c.hash).where(log.c.seq == row.seq)).first()
        if entry is None:
            problems.append(
                f"entry {row.seq}, verified at checkpoint {row.at}, is missing: the trail was "
                "cut back"
            )
        elif entry[0] != row.hash:
            problems.append(
                f"entry {row.seq} no longer has the hash verified at checkpoint {row.at}: the "
                "trail was rewritten"
            )
        else:
            return int(row.seq), str(row.hash)
    return 0, GENESIS


def verify(
    store: SqlStore,
    max_problems: int = 50,
    full: bool = False,
    checkpoint: dict[str, Any] | None = None,
    record: bool = False,
) -> Verification:
    """Walk the chain from the last verified checkpoint (from the start with ``full``); any
    edit, deletion, insertion, renumbering, re-hashing, forged append or moved head is
    reported with its place. ``checkpoint`` is one exported by :func:`checkpoint` and kept
    elsewhere: the trail must still hold its entry, unchanged. ``record`` keeps a new
    checkpoint at the head when all is well, so the next walk starts there."""
    log, head_t, seal_t = schema.audit_log, schema.audit_head, schema.audit_seal
    key = current_key()
    problems: list[str] = []
    count = 0
    with store.reading() as conn:
        keyed_from = _keyed_from(conn)
        start, prev = (0, GENESIS) if full else _start(conn, key, problems)
        expected_seq = start + 1
        head = conn.execute(select(head_t.c.seq, head_t.c.hash)).first()
        seal = conn.execute(select(seal_t.c.seq, seal_t.c.hash, seal_t.c.mac)).first()
        # plain driver rows: this loop is the cost of verifying, a few microseconds an entry
        rows = conn.exec_driver_sql(
            "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
            f"FROM audit_log WHERE seq > {int(start)} ORDER BY seq"
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
            entry_key = key if seq >= keyed_from else None
            if not hmac.compare_digest(
                entry_hash(seq, at, actor, action, obj, detail, prev_hash, entry_key), stored
            ):
                problems.append(
                    f"entry {seq}: its content or hash was changed after it was written"
                )
            prev, expected_seq = stored, seq + 1
            if len(problems) >= max_problems:
                break
        total = conn.execute(select(func.count()).select_from(log)).scalar_one()
        if start and len(problems) < max_problems:
            _sample_before(conn, start, keyed_from, key, problems)
        if checkpoint is not None:
            _check_exported(conn, checkpoint, key, problems)
    last = expected_seq - 1
    head_seq = int(head.seq) if head else 0
    if len(problems) < max_problems:
        if head is None:
            if total:
                problems.append("entries exist but the chain head is missing")
        elif head.seq != last or head.hash != prev:
            problems.append(
                f"the chain ends at entry {last} but its head records entry "
                f"{head.seq}: entries at the end were deleted or replaced"
            )
        if head is not None and head.seq > 0:
            if seal is None:
                problems.append("the chain head has no seal: it was replaced")
            elif (seal.seq, seal.hash) != (head.seq, head.hash) or not hmac.compare_digest(
                seal.mac, seal_mac(int(seal.seq), str(seal.hash), key)
            ):
                problems.append(
                    f"the chain head (entry {head.seq}) does not match its seal: the head was "
                    "moved, or the trail cut back or extended without the key"
                )
    result = Verification(not problems, int(total), head_seq, problems, start, count)
    if record and result.ok and head is not None and head.seq > start:
        _record_checkpoint(store, int(head.seq), str(head.hash), key)
    return result


SAMPLE = 2000  # entries before the checkpoint re-checked at random on each incremental walk


def _sample_before(
    conn: Connection, start: int, keyed_from: int, key: bytes, problems: list[str]
) -> None:
    """Re-check the hashes of a random sample of the entries the checkpoint vouches for: an
    edit made there since is found by some walk sooner or later (``full`` finds it at once)."""
    seqs = sorted(random.sample(range(1, start + 1), min(SAMPLE, start)))
    log = schema.audit_log
    seen: set[int] = set()
    for chunk in range(0, len(seqs), 500):
        rows = conn.execute(
            select(
                log.c.seq,
                log.c.at,
                log.c.actor,
                log.c.action,
                log.c.object,
                log.c.detail,
                log.c.prev_hash,
                log.c.hash,
            ).where(log.c.seq.in_(seqs[chunk : chunk + 500]))
        )
        for seq, at, actor, action, obj, detail, prev_hash, stored in rows:
            seen.add(int(seq))
            entry_key = key if seq >= keyed_from else None
            if not hmac.compare_digest(
                entry_hash(seq, at, actor, action, obj, detail, prev_hash, entry_key), stored
            ):
                problems.append(
                    f"entry {seq}: its content or hash was changed after it was written "
                    "(found in a sample of the entries before the last checkpoint)"
                )
    missing = [s for s in seqs if s not in seen]
    if missing:
        problems.append(
            f"entries {', '.join(map(str, missing[:5]))} before the last checkpoint are missing "
            "(deleted)"
        )


def _check_exported(
    conn: Connection, checkpoint: dict[str, Any], key: bytes, problems: list[str]
) -> None:
    try:
        seq, digest, at = int(checkpoint["seq"]), str(checkpoint["hash"]), str(checkpoint["at"])
        mac = str(checkpoint["mac"])
    except (KeyError, TypeError, ValueError):
        problems.append("the checkpoint file is not a Corridor audit checkpoint")
        return
    if not hmac.compare_digest(mac, checkpoint_mac(seq, digest, at, key)):
        problems.append(
            "the checkpoint file's signature does not match this trail's key: forged, or "
            "from another deployment"
        )
        return
    row = conn.execute(select(schema.audit_log.c.hash).where(schema.audit_log.c.seq == seq)).first()
    if row is None:
        problems.append(
            f"entry {seq}, recorded in the checkpoint of {at}, is missing: the trail was cut back"
        )
    elif row[0] != digest:
        problems.append(f"entry {seq} differs from the checkpoint of {at}: the trail was rewritten")


def _record_checkpoint(store: SqlStore, seq: int, digest: str, key: bytes) -> dict[str, Any]:
    at = now()
    cp = {"seq": seq, "hash": digest, "at": at, "mac": checkpoint_mac(seq, digest, at, key)}
    with store.transaction() as conn:
        conn.execute(insert_ignore(conn.engine, schema.audit_checkpoints), [cp])
    return cp


def checkpoint(store: SqlStore) -> dict[str, Any]:
    """Verify the trail and sign a checkpoint at its head (sequence, hash, time, MAC): kept in
    the store, for the next incremental verification, and returned, to be kept elsewhere
    (``corridor audit checkpoint --output FILE``; ``verify --checkpoint FILE`` checks it)."""
    result = verify(store)
    if not result.ok:
        raise Conflict("the audit trail does not verify: " + "; ".join(result.problems[:3]))
    with store.reading() as conn:
        head = conn.execute(select(schema.audit_head.c.seq, schema.audit_head.c.hash)).first()
    if head is None or head.seq == 0:
        raise Conflict("the audit trail is empty: nothing to checkpoint")
    return _record_checkpoint(store, int(head.seq), str(head.hash), current_key())


def export(store: SqlStore, path: str, since: int = 0) -> int:
    """Write the trail as JSON lines (each entry with its hashes); returns the count."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for entry in iter_entries(store, since):
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            n += 1
    return n

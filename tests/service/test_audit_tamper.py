"""Tampering with the audit trail, as someone who can write the database but does not hold the
key would: every one of these is detected, on SQLite and PostgreSQL (the first four went
unseen with an unkeyed chain)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, delete, insert, select, update

from corridor.service import audit
from corridor.store import SqlStore, schema

LOG, HEAD, SEAL, CHECKPOINTS = (
    schema.audit_log,
    schema.audit_head,
    schema.audit_seal,
    schema.audit_checkpoints,
)


def _rows(conn: Connection, since: int = 0) -> list[Any]:
    return list(conn.execute(select(LOG).where(LOG.c.seq > since).order_by(LOG.c.seq)))


def _rehash_from(conn: Connection, seq: int) -> None:
    """Re-hash every entry from ``seq`` on, linking each to the one before, the way an
    attacker without the key can (plain SHA-256), and move the head to the end."""
    prev = conn.execute(select(LOG.c.hash).where(LOG.c.seq == seq - 1)).scalar_one()
    for r in _rows(conn, seq - 1):
        digest = audit.entry_hash(r.seq, r.at, r.actor, r.action, r.object, r.detail, prev)
        conn.execute(update(LOG).where(LOG.c.seq == r.seq).values(prev_hash=prev, hash=digest))
        prev = digest
    last = _rows(conn)[-1]
    conn.execute(update(HEAD).values(seq=last.seq, hash=last.hash))


def edit_after_checkpoint(conn: Connection) -> None:
    conn.execute(update(LOG).where(LOG.c.seq == 25).values(detail='{"i": 999}'))


def edit_before_checkpoint(conn: Connection) -> None:
    conn.execute(update(LOG).where(LOG.c.seq == 10).values(actor="someone else"))


def edit_and_rehash_everything_after(conn: Connection) -> None:
    conn.execute(update(LOG).where(LOG.c.seq == 24).values(detail='{"i": 999}'))
    _rehash_from(conn, 24)


def delete_in_the_middle(conn: Connection) -> None:
    conn.execute(delete(LOG).where(LOG.c.seq == 27))


def delete_the_tail(conn: Connection) -> None:
    conn.execute(delete(LOG).where(LOG.c.seq > 28))


def delete_the_tail_and_move_the_head_back(conn: Connection) -> None:
    conn.execute(delete(LOG).where(LOG.c.seq > 28))
    last = _rows(conn)[-1]
    conn.execute(update(HEAD).values(seq=last.seq, hash=last.hash))


def forged_append_with_the_head_moved(conn: Connection) -> None:
    last = _rows(conn)[-1]
    seq, at, detail = last.seq + 1, last.at, '{"forged": true}'
    digest = audit.entry_hash(seq, at, "admin", "user.add", "user:eve", detail, last.hash)
    conn.execute(
        insert(LOG).values(
            seq=seq,
            at=at,
            actor="admin",
            action="user.add",
            object="user:eve",
            detail=detail,
            prev_hash=last.hash,
            hash=digest,
        )
    )
    conn.execute(update(HEAD).values(seq=seq, hash=digest))


def delete_renumber_and_rehash(conn: Connection) -> None:
    conn.execute(delete(LOG).where(LOG.c.seq == 22))
    for r in _rows(conn, 22):
        conn.execute(update(LOG).where(LOG.c.seq == r.seq).values(seq=r.seq - 1))
    _rehash_from(conn, 22)


def insert_in_the_middle(conn: Connection) -> None:
    for r in reversed(_rows(conn, 22)):
        conn.execute(update(LOG).where(LOG.c.seq == r.seq).values(seq=r.seq + 1))
    prev = conn.execute(select(LOG.c.hash).where(LOG.c.seq == 22)).scalar_one()
    conn.execute(
        insert(LOG).values(
            seq=23,
            at="2026-01-01T00:00:00Z",
            actor="admin",
            action="alert.decide",
            object="alert:1",
            detail="{}",
            prev_hash=prev,
            hash=audit.entry_hash(
                23, "2026-01-01T00:00:00Z", "admin", "alert.decide", "alert:1", "{}", prev
            ),
        )
    )
    _rehash_from(conn, 24)


def forge_a_checkpoint_over_a_rewrite(conn: Connection) -> None:
    edit_and_rehash_everything_after(conn)
    last = _rows(conn)[-1]
    conn.execute(delete(CHECKPOINTS))
    conn.execute(
        insert(CHECKPOINTS).values(
            seq=last.seq, hash=last.hash, at="2030-01-01T00:00:00Z", mac="0" * 64
        )
    )


def wipe_checkpoints_and_edit_an_old_entry(conn: Connection) -> None:
    conn.execute(delete(CHECKPOINTS))
    conn.execute(update(LOG).where(LOG.c.seq == 5).values(object="x:elsewhere"))


def replay_an_old_head_and_seal(conn: Connection, old: dict[str, Any]) -> None:
    """Cut the trail back to entry 25 and put back the head and seal of that time (as from a
    backup): consistent inside the database; only a checkpoint kept elsewhere sees it."""
    conn.execute(delete(LOG).where(LOG.c.seq > 25))
    conn.execute(update(HEAD).values(seq=old["head"][0], hash=old["head"][1]))
    conn.execute(update(SEAL).values(seq=old["seal"][0], hash=old["seal"][1], mac=old["seal"][2]))
    conn.execute(delete(CHECKPOINTS).where(CHECKPOINTS.c.seq > 25))


TAMPERINGS: list[Callable[..., None]] = [
    edit_after_checkpoint,
    edit_before_checkpoint,
    edit_and_rehash_everything_after,
    delete_in_the_middle,
    delete_the_tail,
    delete_the_tail_and_move_the_head_back,
    forged_append_with_the_head_moved,
    delete_renumber_and_rehash,
    insert_in_the_middle,
    forge_a_checkpoint_over_a_rewrite,
    wipe_checkpoints_and_edit_an_old_entry,
    replay_an_old_head_and_seal,
]


def _append(store: SqlStore, first: int, last: int) -> None:
    for i in range(first, last + 1):
        audit.record(store, "tester", "test", f"x:{i}", {"i": i})


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=[t.__name__ for t in TAMPERINGS])
def test_every_tampering_is_detected(store: SqlStore, tamper: Callable[..., None]) -> None:
    _append(store, 1, 20)
    assert audit.verify(store, record=True).ok  # a checkpoint at entry 20
    _append(store, 21, 25)
    with store.reading() as conn:
        old = {
            "head": tuple(conn.execute(select(HEAD.c.seq, HEAD.c.hash)).one()),
            "seal": tuple(conn.execute(select(SEAL.c.seq, SEAL.c.hash, SEAL.c.mac)).one()),
        }
    _append(store, 26, 30)
    exported = audit.checkpoint(store)  # kept outside the database
    assert exported["seq"] == 30 and audit.verify(store, full=True).ok
    with store.transaction() as conn:
        if tamper is replay_an_old_head_and_seal:
            tamper(conn, old)
        else:
            tamper(conn)
    incremental = audit.verify(store, checkpoint=exported)
    full = audit.verify(store, full=True, checkpoint=exported)
    assert not incremental.ok, tamper.__name__
    assert not full.ok and full.problems, tamper.__name__


def test_incremental_verification_walks_only_what_is_new(store: SqlStore) -> None:
    _append(store, 1, 300)
    first = audit.verify(store, record=True)
    assert first.ok and first.checked == 300 and first.checked_from == 0
    _append(store, 301, 310)
    second = audit.verify(store, record=True)
    assert second.ok and second.checked_from == 300 and second.checked == 10


def test_a_checkpoint_from_another_key_is_refused(store: SqlStore) -> None:
    _append(store, 1, 3)
    cp = audit.checkpoint(store)
    cp["mac"] = "f" * 64
    result = audit.verify(store, checkpoint=cp)
    assert not result.ok and "signature does not match" in result.problems[0]

"""Counters shared by every worker: counted atomically, old windows of a kind cleared."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from corridor.service import counters
from corridor.store import SqlStore, schema


def _rows(store: SqlStore) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.counters)).scalar_one())


def test_old_windows_of_a_kind_are_cleared(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(50):  # a flood of names, each seen once, long ago
        counters.hit(store, f"login:name-{i}", 300.0, at=1_000_000.0)
    counters.hit(store, "rate:user:1", 1.0, at=1_000_000.0)
    assert _rows(store) == 51
    monkeypatch.setattr(counters.random, "random", lambda: 0.0)  # clean on this hit
    assert counters.hit(store, "login:someone", 300.0, at=2_000_000.0) == 1
    assert _rows(store) == 2  # the old login windows went; the other kind's stays
    assert counters.hit(store, "login:someone", 300.0, at=2_000_000.0, n=-1) == 0

"""Counters shared by every worker process and host of a deployment, held in the store: login
attempts per user name, requests per principal. Each count is one atomic statement, so a burst
spread over many workers is counted as one."""

from __future__ import annotations

import random
import time

from sqlalchemy import delete, select

from corridor.store import schema
from corridor.store.dialect import increment
from corridor.store.sql import SqlStore

KEEP_WINDOWS = 2  # windows older than this many are deleted now and then


def window_of(seconds: float, at: float | None = None) -> int:
    return int((time.time() if at is None else at) // seconds)


def hit(store: SqlStore, key: str, seconds: float, at: float | None = None, n: int = 1) -> int:
    """Count ``n`` events for ``key`` in the current window of ``seconds``; the count after."""
    window = window_of(seconds, at)
    c = schema.counters
    with store.transaction() as conn:
        count = int(
            conn.execute(
                increment(conn.engine, c), {"key": key[:200], "window": window, "count": n}
            ).scalar_one()
        )
        if random.random() < 0.01:  # keep the table small
            conn.execute(delete(c).where(c.c.key == key[:200], c.c.window < window - KEEP_WINDOWS))
    return count


def value(store: SqlStore, key: str, seconds: float, at: float | None = None) -> int:
    """The count of ``key`` in the current window of ``seconds``."""
    c = schema.counters
    with store.reading() as conn:
        row = conn.execute(
            select(c.c.count).where(c.c.key == key[:200], c.c.window == window_of(seconds, at))
        ).first()
    return int(row[0]) if row else 0

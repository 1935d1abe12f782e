"""Counters shared by every worker process and host of a deployment, held in the store: login
attempts per user name, requests per principal. Each count is one atomic statement, so a burst
spread over many workers is counted as one. A key is ``KIND:NAME`` (or ``KIND``); every key of
one kind is counted in windows of the same length."""

from __future__ import annotations

import random
import threading
import time

from sqlalchemy import delete, or_, select

from corridor.exceptions import TooManyRequests
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
        if random.random() < 0.01:  # keep the table small: drop the old windows of every
            # key of this kind (the part before ':'; one kind, one window length), so that a
            # flood of names seen once does not stay in the table for ever
            kind = key.split(":", 1)[0]
            conn.execute(
                delete(c).where(
                    or_(c.c.key == kind, c.c.key.like(kind + ":%")),
                    c.c.window < window - KEEP_WINDOWS,
                )
            )
    return count


def value(store: SqlStore, key: str, seconds: float, at: float | None = None) -> int:
    """The count of ``key`` in the current window of ``seconds``."""
    c = schema.counters
    with store.reading() as conn:
        row = conn.execute(
            select(c.c.count).where(c.c.key == key[:200], c.c.window == window_of(seconds, at))
        ).first()
    return int(row[0]) if row else 0


# -- this process's own counters: they only ever refuse earlier than the store would


class TokenBucket:
    """``rate`` takes a second, bursts of ``2 x rate``, in this process."""

    def __init__(self, rate: float) -> None:
        self.rate, self.burst = rate, 2 * rate
        self.tokens, self.at = self.burst, time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens < 1:
                return False
            self.tokens -= 1
            return True


class LoginGate:
    """Failed sign-ins per client address seen by this worker in the current window: past
    what every worker together may fail (``limit`` in ``seconds``), the next attempts from that
    address are refused at once, without a thread or a store round trip (the store's
    counters stay the authority for the rest)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.window = -1
        self.failed: dict[str, int] = {}
        self.lock = threading.Lock()

    def _current(self) -> None:
        window = window_of(self.seconds)
        if window != self.window:
            self.window, self.failed = window, {}

    def check(self, client: str | None) -> None:
        if client is None:
            return
        with self.lock:
            self._current()
            failures = self.failed.get(client, 0)
        if failures >= self.limit:
            raise TooManyRequests("too many failed sign-ins from this address: try again later")

    def failure(self, client: str | None) -> None:
        if client is not None:
            with self.lock:
                self._current()
                self.failed[client] = self.failed.get(client, 0) + 1

"""What the API's routes share: its configuration and its state (the store, the screener,
the goods checker, the rate limiter, the audit writer, the lists' freshness)."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from corridor.api.security import RateLimiter
from corridor.exceptions import TooManyRequests
from corridor.goods import GoodsChecker
from corridor.matching import Screener
from corridor.service.audit import AuditWriter
from corridor.service.counters import LoginGate, TokenBucket
from corridor.service.freshness import FreshnessWatch
from corridor.service.goods import goods_checker
from corridor.service.screening import build_screener
from corridor.service.users import LOGIN_PER_CLIENT, LOGIN_WINDOW
from corridor.settings import Settings
from corridor.store.sql import SqlStore

T = TypeVar("T")
SIGN_INS_PER_SECOND = 5.0  # password checks one worker runs a second, at most


@dataclass
class ApiConfig:
    rate_limit: float = 500.0  # requests a second per principal
    screen_budget: float = 2.0  # seconds one name's screening may take
    cpu_slots: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    max_batch: int = 1000  # queries in one batch screening request
    max_body: int = 20 * 1024 * 1024  # bytes
    max_documents: int = 50_000  # goods lines in one shipment screening request


@dataclass
class ApiState:
    store: SqlStore
    config: ApiConfig
    limiter: RateLimiter
    audit: AuditWriter
    settings: Settings
    freshness: FreshnessWatch
    _screener: Screener | None = None
    _goods: GoodsChecker | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cpu: anyio.CapacityLimiter | None = None
    _sign_ins: anyio.CapacityLimiter | None = None
    login_gate: LoginGate = field(default_factory=lambda: LoginGate(LOGIN_PER_CLIENT, LOGIN_WINDOW))
    _sign_in_rate: TokenBucket = field(default_factory=lambda: TokenBucket(SIGN_INS_PER_SECOND))

    async def sign_in(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a sign-in (a password check: scrypt, tens of milliseconds of CPU) on a worker
        thread, one at a time and at most ``sign_ins_per_second`` a second per worker: a
        flood of sign-ins takes a small share of one core, never the screening's."""
        if self._sign_ins is None:
            self._sign_ins = anyio.CapacityLimiter(1)
        if not self._sign_in_rate.take():
            raise TooManyRequests("too many sign-ins at this moment: try again in a second")
        return await anyio.to_thread.run_sync(partial(fn, *args), limiter=self._sign_ins)

    async def compute(self, fn: Callable[..., T], *args: Any) -> T:
        """Run CPU-bound work (screening, shipments, ownership) on a worker thread, at most
        ``cpu_slots`` at a time: the event loop stays free for every other request."""
        if self._cpu is None:
            self._cpu = anyio.CapacityLimiter(self.config.cpu_slots)
        return await anyio.to_thread.run_sync(partial(fn, *args), limiter=self._cpu)

    @property
    def screener(self) -> Screener:
        if self._screener is None:
            with self._lock:
                if self._screener is None:
                    self._screener = build_screener(self.store, index_dir=self.settings.index_dir)
                    # the index is millions of long-lived objects: move them out of the
                    # cyclic collector's way, or its full passes stall requests for tens of ms
                    gc.collect()
                    gc.freeze()
        return self._screener

    @property
    def goods(self) -> GoodsChecker:
        if self._goods is None:
            self._goods = goods_checker(self.store)[0]
        return self._goods

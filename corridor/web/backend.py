"""What the web UI needs from the application that serves it (the REST API's state)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from corridor.goods import GoodsChecker
from corridor.matching import Screener
from corridor.service.counters import LoginGate
from corridor.service.freshness import FreshnessWatch
from corridor.settings import Settings
from corridor.store.sql import SqlStore

T = TypeVar("T")


class Backend(Protocol):
    @property
    def store(self) -> SqlStore: ...

    @property
    def screener(self) -> Screener: ...

    @property
    def goods(self) -> GoodsChecker: ...

    @property
    def freshness(self) -> FreshnessWatch: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def login_gate(self) -> LoginGate: ...

    async def sign_in(self, fn: Callable[..., T], *args: Any) -> T: ...

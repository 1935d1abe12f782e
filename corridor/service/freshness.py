"""How old the lists behind a result are, and the warning a result carries when one is older
than its maximum age.

A source's maximum age comes from ``CORRIDOR_MAX_AGE`` (a number for every source, or
``source=days`` pairs with ``*`` for the rest), else from its ``max_age_days`` in the sources
file (7 days for the official lists Corridor knows), else :data:`DEFAULT_MAX_AGE_DAYS`. The age
of a version is counted from its publication date, or from its import when the file states
none.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from corridor.exceptions import ConfigError
from corridor.lists.sources import load_sources
from corridor.settings import Settings
from corridor.store.base import VersionInfo
from corridor.store.sql import SqlStore

DEFAULT_MAX_AGE_DAYS = 30
CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class Staleness:
    """A list version older than its source's maximum age."""

    source: str
    version: int
    as_of: str
    age_days: int
    max_age_days: int

    @property
    def message(self) -> str:
        return (
            f"list {self.source} is {self.age_days:,} days old (version {self.version}, of "
            f"{self.as_of}; the maximum is {self.max_age_days} days): results may miss "
            "recent designations; run 'corridor lists update'"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "version": self.version,
            "as_of": self.as_of,
            "age_days": self.age_days,
            "max_age_days": self.max_age_days,
            "message": self.message,
        }


def today() -> date:
    return datetime.now(UTC).date()


def version_date(info: VersionInfo) -> str:
    """The date a version's age counts from: its publication, else its import."""
    return (info.published or info.imported_at)[:10]


def age_days(info: VersionInfo, on: date | None = None) -> int | None:
    try:
        return ((on or today()) - date.fromisoformat(version_date(info))).days
    except ValueError:
        return None


class MaxAges:
    """The maximum age of each source, from the settings and the sources file."""

    def __init__(self, settings: Settings) -> None:
        self.configured: dict[str, int] = {}
        try:
            for name, cfg in load_sources(settings.sources_file).items():
                if cfg.max_age_days is not None:
                    self.configured[name] = cfg.max_age_days
        except ConfigError:
            pass  # a broken sources file is reported by 'lists update', not by screening
        self.overrides = dict(settings.max_age)

    def __call__(self, source: str) -> int:
        if source in self.overrides:
            return self.overrides[source]
        if "*" in self.overrides:
            return self.overrides["*"]
        return self.configured.get(source, DEFAULT_MAX_AGE_DAYS)


def stale_lists(store: SqlStore, settings: Settings, on: date | None = None) -> list[Staleness]:
    """Every active list version older than its source's maximum age."""
    limit = MaxAges(settings)
    out = []
    for source in store.sources():
        info = store.active_version(source)
        if info is None:
            continue
        age = age_days(info, on)
        if age is not None and age > limit(source):
            out.append(Staleness(source, info.id, version_date(info), age, limit(source)))
    return out


class FreshnessWatch:
    """:func:`stale_lists` for a busy service: worked out again at most every
    ``CACHE_SECONDS`` (list versions change rarely; the date once a day)."""

    def __init__(self, store: SqlStore, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._at = -CACHE_SECONDS
        self._value: list[Staleness] = []
        self._lock = threading.Lock()

    def current(self) -> list[Staleness]:
        now = time.monotonic()
        if now - self._at >= CACHE_SECONDS:
            with self._lock:
                if now - self._at >= CACHE_SECONDS:
                    self._value = stale_lists(self.store, self.settings)
                    self._at = now
        return self._value

    def messages(self) -> list[str]:
        return [s.message for s in self.current()]

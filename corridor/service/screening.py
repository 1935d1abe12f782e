"""Party screening as the adapters use it: the active lists, plus the parties that listed
persons own or control according to the store's ownership graphs."""

from __future__ import annotations

from corridor.matching import DEFAULT_THRESHOLD, Screener
from corridor.service.ownership import derived_entities
from corridor.store.sql import SqlStore


def build_screener(store: SqlStore, threshold: float | None = None) -> Screener:
    """A screener over the store's active lists and ownership-derived parties; it follows
    list and graph updates by itself."""
    return Screener.from_store(
        store, threshold or DEFAULT_THRESHOLD, derive=lambda listed: derived_entities(store, listed)
    )

"""Versioned storage of lists and everything derived from them.

``open_store(url)`` returns the store for a database URL: ``sqlite:///path/corridor.db``
(the embedded default) or ``postgresql://user:pass@host/db``.
"""

from corridor.store.base import EntityChange, NewVersion, Store, VersionDiff, VersionInfo
from corridor.store.sql import SqlStore


def open_store(url: str) -> SqlStore:
    """Open (creating on first use) the store at ``url``."""
    return SqlStore(url)


__all__ = [
    "EntityChange",
    "NewVersion",
    "SqlStore",
    "Store",
    "VersionDiff",
    "VersionInfo",
    "open_store",
]

"""The store interface: versioned list data behind one protocol, whatever the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from corridor.model.entity import Entity


@dataclass(frozen=True)
class VersionInfo:
    """One imported version of a source."""

    id: int
    source: str
    format: str
    file_name: str
    file_hash: str
    file_size: int
    published: str | None
    imported_at: str
    entity_count: int
    counts: dict[str, int]
    active: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "file_size": self.file_size,
            "published": self.published,
            "imported_at": self.imported_at,
            "entity_count": self.entity_count,
            "counts": dict(self.counts),
            "active": self.active,
        }


@dataclass
class NewVersion:
    """What an import declares about the file it stores (``published`` may be set while the
    entities are being read; the store records it when the import completes)."""

    source: str
    format: str
    file_name: str
    file_hash: str
    file_size: int
    published: str | None


@dataclass
class EntityChange:
    entity_id: str
    caption: str
    fields: list[str] = field(default_factory=list)
    # each changed field's value before and after (changed entities only)
    values: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.entity_id,
            "caption": self.caption,
            "fields": list(self.fields),
            "values": {k: {"old": o, "new": n} for k, (o, n) in self.values.items()},
        }


@dataclass
class VersionDiff:
    source: str
    from_version: int | None
    to_version: int
    added: list[EntityChange] = field(default_factory=list)
    removed: list[EntityChange] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)
    unchanged: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "added": [c.to_dict() for c in self.added],
            "removed": [c.to_dict() for c in self.removed],
            "changed": [c.to_dict() for c in self.changed],
            "unchanged": self.unchanged,
        }


class Store(Protocol):
    """Versioned storage of list data. Implementations: :class:`corridor.store.sql.SqlStore`
    (SQLite and PostgreSQL)."""

    url: str

    def import_version(
        self,
        meta: NewVersion,
        entities: Iterable[Entity],
        hold: Callable[[int, str | None], str | None] | None = None,
    ) -> VersionInfo:
        """Store a complete version and make it active, atomically: if anything fails
        (bad record, crash, kill) the previously active version stays active. A reason
        returned by ``hold`` (given the entity count and publication date) keeps the new
        version stored but inactive."""
        ...

    def active_version(self, source: str) -> VersionInfo | None: ...

    def versions(self, source: str) -> list[VersionInfo]: ...

    def sources(self) -> list[str]: ...

    def activate(self, source: str, version_id: int) -> None: ...

    def get_entity(self, entity_id: str, version_id: int | None = None) -> Entity | None: ...

    def entity_history(self, entity_id: str) -> list[tuple[VersionInfo, str]]: ...

    def iter_entities(self, version_id: int) -> Iterator[Entity]: ...

    def iter_active_entities(self) -> Iterator[Entity]: ...

    def diff(self, source: str, from_version: int | None, to_version: int) -> VersionDiff: ...

    def close(self) -> None: ...

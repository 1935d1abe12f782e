"""List operations that every adapter (CLI, API, web, batch) calls: load, update, status,
diff and show."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from corridor.exceptions import CorridorError, InvalidQuery, NotFound
from corridor.lists.fetch import fetch_source, file_sha256
from corridor.lists.read import open_list
from corridor.lists.sources import load_sources
from corridor.model.entity import Entity
from corridor.service import audit
from corridor.service.imports import LoadResult
from corridor.service.kept import Kept
from corridor.settings import Settings
from corridor.store.base import NewVersion, VersionDiff, VersionInfo
from corridor.store.sql import SqlStore

Progress = Callable[[int], None]


def _counting(entities: Iterable[Entity], progress: Progress | None) -> Iterator[Entity]:
    for n, ent in enumerate(entities, start=1):
        if progress is not None and n % 500 == 0:
            progress(n)
        yield ent


def load_list(
    store: SqlStore,
    path: Path | str,
    format: str | None = None,
    source: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    published: str | None = None,
    actor: str = "system",
) -> LoadResult[VersionInfo]:
    """Parse a list file and store it as the new active version of its source.

    The import is atomic: on any error the previously active version stays active. A file
    identical (by SHA-256) to the active version is not stored again unless ``force``.
    ``published`` is the publication date to record when the file itself states none.
    """
    path = Path(path)
    reader = open_list(path, format=format, source=source)
    ctx = reader.context
    digest = file_sha256(path)
    active = store.active_version(ctx.source)
    if active is not None and active.file_hash == digest and not force:
        return LoadResult(ctx.source, active, skipped=True)
    meta = NewVersion(
        source=ctx.source,
        format=reader.format.name,
        file_name=path.name,
        file_hash=digest,
        file_size=path.stat().st_size,
        published=None,
    )

    warnings: list[str] = []

    def entities() -> Iterator[Entity]:
        seen: set[str] = set()
        for ent in _counting(reader, progress):
            if ent.id in seen:
                # lists do publish the same record twice; keep the first, say so
                warnings.append(f"record {ent.id} appears more than once; the first is kept")
                continue
            seen.add(ent.id)
            yield ent
        # the publication date is known once the file has been read; the store writes it
        # with the version's counts at the end of the same transaction
        meta.published = ctx.published or published

    info = store.import_version(meta, entities())
    audit.record(
        store,
        actor,
        "list.import",
        f"list:{ctx.source}",
        {
            "version": info.id,
            "file": path.name,
            "sha256": digest,
            "entities": info.entity_count,
            "published": info.published,
        },
    )
    warnings = list(ctx.warnings) + warnings
    if ctx.declared_count is not None and ctx.declared_count != info.entity_count:
        warnings.append(f"file declares {ctx.declared_count} records, {info.entity_count} read")
    return LoadResult(ctx.source, info, skipped=False, warnings=warnings)


@dataclass
class UpdateOutcome:
    source: str
    status: str  # "updated", "unchanged", "not_modified", "failed"
    detail: str = ""
    version: VersionInfo | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "detail": self.detail,
            "version": self.version.to_dict() if self.version else None,
        }


def update_lists(
    store: SqlStore, settings: Settings, names: list[str] | None = None, transport: Any = None
) -> list[UpdateOutcome]:
    """Download and import every configured source (or the named ones).

    One failing source does not stop the others; each outcome says what happened.
    """
    configured = load_sources(settings.sources_file)
    wanted = names or sorted(configured)
    unknown = [n for n in wanted if n not in configured]
    if unknown:
        raise InvalidQuery(
            f"unknown source(s) {', '.join(unknown)}; configured: {', '.join(sorted(configured))}"
        )
    outcomes: list[UpdateOutcome] = []
    for name in wanted:
        cfg = configured[name]
        try:
            fetched = fetch_source(cfg, settings.download_dir, settings.fetch_timeout, transport)
            active = store.active_version(name)
            if fetched.not_modified and active is not None:
                outcomes.append(
                    UpdateOutcome(name, "not_modified", "server reports no change", active)
                )
                continue
            result = load_list(store, fetched.path, format=cfg.format, source=name)
            status = "unchanged" if result.skipped else "updated"
            outcomes.append(UpdateOutcome(name, status, "; ".join(result.warnings), result.version))
        except CorridorError as exc:
            outcomes.append(UpdateOutcome(name, "failed", str(exc)))
    return outcomes


@dataclass
class SourceStatus:
    source: str
    version: VersionInfo
    versions: int
    age_days: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "active_version": self.version.to_dict(),
            "versions": self.versions,
            "age_days": self.age_days,
        }


def list_status(store: SqlStore, today: date | None = None) -> list[SourceStatus]:
    """Each source with its active version, number of versions and the age of its data."""
    today = today or datetime.now(UTC).date()
    out = []
    for source in store.sources():
        active = store.active_version(source)
        if active is None:
            continue
        stamp = active.published or active.imported_at[:10]
        try:
            age: int | None = (today - date.fromisoformat(stamp[:10])).days
        except ValueError:
            age = None
        out.append(SourceStatus(source, active, len(store.versions(source)), age))
    return out


_DIFFS: Kept[VersionDiff] = Kept(16)


def diff_versions(
    store: SqlStore, source: str, from_version: int | None = None, to_version: int | None = None
) -> VersionDiff:
    """Compare two versions of ``source``; by default the active one with the one before it."""
    versions = store.versions(source)
    if not versions:
        raise NotFound(f"no versions of source {source!r}")
    if to_version is None:
        active = store.active_version(source)
        to_version = active.id if active else versions[-1].id
    if from_version is None:
        earlier = [v.id for v in versions if v.id < to_version]
        from_version = earlier[-1] if earlier else None
    # versions never change once imported, nor does the diff between two of them
    start = from_version
    return _DIFFS.get(
        (store.url, source, start, to_version), lambda: store.diff(source, start, to_version)
    )


def show_entity(store: SqlStore, entity_id: str) -> tuple[Entity, list[dict[str, Any]]]:
    """An entity as it stands in its active version, and the versions it appears in."""
    ent = store.get_entity(entity_id)
    if ent is None:
        raise NotFound(f"no entity {entity_id!r} in the active list versions")
    history = []
    previous = None
    for info, digest in store.entity_history(entity_id):
        history.append(
            {
                "version": info.id,
                "source": info.source,
                "published": info.published,
                "imported_at": info.imported_at,
                "active": info.active,
                "changed": previous is not None and digest != previous,
            }
        )
        previous = digest
    return ent, history

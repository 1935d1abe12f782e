"""List operations that every adapter (CLI, API, web, batch) calls: load, update, status,
diff and show."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from corridor.exceptions import CorridorError, InvalidQuery, NotFound, VersionHeld
from corridor.lists.fetch import fetch_source, file_sha256
from corridor.lists.read import open_list
from corridor.lists.sources import load_sources
from corridor.model.entity import Entity
from corridor.model.ftm import to_ftm
from corridor.service import audit
from corridor.service.freshness import DEFAULT_MAX_AGE_DAYS, MaxAges, age_days
from corridor.service.imports import LoadResult
from corridor.service.kept import Kept
from corridor.service.profiles import recompute_profiles
from corridor.settings import Settings
from corridor.store.base import NewVersion, VersionDiff, VersionInfo
from corridor.store.sql import SqlStore

Progress = Callable[[int], None]


def _counting(entities: Iterable[Entity], progress: Progress | None) -> Iterator[Entity]:
    for n, ent in enumerate(entities, start=1):
        if progress is not None and n % 500 == 0:
            progress(n)
        yield ent


DEFAULT_MAX_SHRINK = 0.10
DUPLICATES_SHOWN = 5


def _hold_reasons(
    active: VersionInfo | None,
    count: int,
    published: str | None,
    declared: int | None,
    max_shrink: float,
) -> list[str]:
    """Why a new version of ``count`` entities, published on ``published``, must not replace
    ``active`` without a person's word for it."""
    reasons = []
    if declared is not None and declared != count:
        reasons.append(f"the file declares {declared:,} records but {count:,} were read")
    if active is None:
        return reasons
    if active.entity_count and count < active.entity_count * (1 - max_shrink):
        lost = 1 - count / active.entity_count
        reasons.append(
            f"it holds {count:,} entities, {lost:.0%} fewer than the active version "
            f"{active.id} ({active.entity_count:,}); a new version may lose at most "
            f"{max_shrink:.0%} (CORRIDOR_MAX_SHRINK)"
        )
    if published and active.published and published[:10] < active.published[:10]:
        reasons.append(
            f"it was published on {published[:10]}, before the active version {active.id} "
            f"(published {active.published[:10]})"
        )
    return reasons


def load_list(
    store: SqlStore,
    path: Path | str,
    format: str | None = None,
    source: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    published: str | None = None,
    actor: str = "system",
    encoding: str | None = None,
    max_shrink: float = DEFAULT_MAX_SHRINK,
    topics: frozenset[str] | None = None,
) -> LoadResult[VersionInfo]:
    """Parse a list file and store it as the new active version of its source.

    The import is atomic: on any error the previously active version stays active. A file
    identical (by SHA-256) to the active version is not stored again unless ``force``.
    ``published`` is the publication date to record when the file itself states none.
    ``topics`` (FollowTheMoney files): the topics that make an entity a listed party (None:
    sanction and export.control; empty: every entity).

    Guards: a version that loses more than ``max_shrink`` of the active version's entities,
    that was published before it, or whose count differs from the count the file declares
    is stored but not activated (:class:`VersionHeld` says why and what to do) unless
    ``force``. Records that appear twice are counted, the first kept.
    """
    path = Path(path)
    reader = open_list(path, format=format, source=source, encoding=encoding, topics=topics)
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

    duplicates: list[str] = []
    held: list[str] = []

    def entities() -> Iterator[Entity]:
        seen: set[str] = set()
        for ent in _counting(reader, progress):
            if ent.id in seen:
                # lists do publish the same record twice; keep the first, count the rest
                duplicates.append(ent.id)
                continue
            seen.add(ent.id)
            yield ent
        # the publication date is known once the file has been read; the store writes it
        # with the version's counts at the end of the same transaction
        meta.published = ctx.published or published

    def hold(count: int, when: str | None) -> str | None:
        if force:
            return None
        held.extend(_hold_reasons(active, count, when, ctx.declared_count, max_shrink))
        return "; ".join(held) or None

    info = store.import_version(meta, entities(), hold)
    warnings = list(ctx.warnings)
    if duplicates:
        shown = ", ".join(dict.fromkeys(duplicates[:DUPLICATES_SHOWN]))
        many = len(duplicates) != 1
        warnings.append(
            f"{len(duplicates):,} record{'s' if many else ''} appear{'' if many else 's'} more "
            f"than once (first: {shown}); the first copy of each is kept"
        )
    detail = {
        "version": info.id,
        "file": path.name,
        "sha256": digest,
        "entities": info.entity_count,
        "published": info.published,
        "duplicates": len(duplicates),
        "forced": force,
    }
    if held:
        audit.record(store, actor, "list.held", f"list:{ctx.source}", {**detail, "why": held})
        assert active is not None or ctx.declared_count is not None
        keep = f"version {active.id} stays active" if active else "no version is active"
        raise VersionHeld(
            f"{ctx.source}: version {info.id} was stored but NOT activated: "
            f"{'; '.join(held)}. {keep[0].upper()}{keep[1:]}. If the new file is right, "
            f"activate it with 'corridor lists activate {ctx.source} {info.id}' (or load it "
            "again with --force).",
            info.id,
        )
    audit.record(store, actor, "list.import", f"list:{ctx.source}", detail)
    return LoadResult(ctx.source, info, skipped=False, warnings=warnings)


def list_versions(store: SqlStore, source: str) -> list[VersionInfo]:
    """Every stored version of ``source``, ordered by publication date where the files give
    one (import date otherwise), then by import order."""
    found = store.versions(source)
    if not found:
        known = ", ".join(store.sources()) or "none yet"
        raise NotFound(f"no list source {source!r} in the store (sources: {known})")
    return sorted(found, key=lambda v: ((v.published or v.imported_at)[:10], v.id))


def activate_version(store: SqlStore, source: str, version: int, actor: str) -> VersionInfo:
    """Make a stored version of ``source`` the active one again (a rollback, or a held
    version a person has checked), audited; the profiles follow the lists now active."""
    before = store.active_version(source)
    try:
        info = store.version(version)
    except NotFound as exc:
        raise NotFound(f"{source} has no version {version}") from exc
    if info.source != source:
        raise NotFound(f"version {version} belongs to {info.source}, not {source}")
    store.activate(source, version)
    audit.record(
        store,
        actor,
        "list.activate",
        f"list:{source}",
        {"version": version, "previous": before.id if before else None},
    )
    recompute_profiles(store)
    return store.version(version)


@dataclass
class UpdateOutcome:
    source: str
    # "updated", "unchanged", "not_modified", "held" (guard), "failed", or "not_configured"
    # (a source whose address is left to the environment, skipped when all are updated)
    status: str

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "held")

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
    if names:
        unset = [configured[n].missing_address() for n in names if not configured[n].configured]
        if unset:
            raise InvalidQuery("; ".join(unset))
    outcomes: list[UpdateOutcome] = []
    for name in wanted:
        cfg = configured[name]
        if not cfg.configured:
            outcomes.append(UpdateOutcome(name, "not_configured", cfg.missing_address()))
            continue
        try:
            fetched = fetch_source(cfg, settings.download_dir, settings.fetch_timeout, transport)
            active = store.active_version(name)
            if fetched.not_modified and active is not None:
                outcomes.append(
                    UpdateOutcome(name, "not_modified", "server reports no change", active)
                )
                continue
            result = load_list(
                store,
                fetched.path,
                format=cfg.format,
                source=name,
                max_shrink=settings.max_shrink,
            )
            status = "unchanged" if result.skipped else "updated"
            outcomes.append(UpdateOutcome(name, status, "; ".join(result.warnings), result.version))
        except VersionHeld as exc:
            outcomes.append(UpdateOutcome(name, "held", str(exc), store.active_version(name)))
        except CorridorError as exc:
            outcomes.append(UpdateOutcome(name, "failed", str(exc)))
    return outcomes


@dataclass
class SourceStatus:
    source: str
    version: VersionInfo
    versions: int
    age_days: int | None
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    @property
    def stale(self) -> bool:
        return self.age_days is not None and self.age_days > self.max_age_days

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "active_version": self.version.to_dict(),
            "versions": self.versions,
            "published": self.version.published,
            "age_days": self.age_days,
            "max_age_days": self.max_age_days,
            "stale": self.stale,
        }


def list_status(
    store: SqlStore, today: date | None = None, settings: Settings | None = None
) -> list[SourceStatus]:
    """Each source with its active version, number of versions, the age of its data (from
    its publication date, else its import) and whether that is past its maximum age."""
    limit = MaxAges(settings or Settings.from_env(db_url=store.url))
    out = []
    for source in store.sources():
        active = store.active_version(source)
        if active is None:
            continue
        out.append(
            SourceStatus(
                source, active, len(store.versions(source)), age_days(active, today), limit(source)
            )
        )
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
    """An entity as it stands in its active version (or, for one removed from its list, in
    the last version that held it), and the versions it appears in."""
    ent = store.get_entity(entity_id)
    if ent is None:
        held = store.entity_history(entity_id)
        if held:
            ent = store.get_entity(entity_id, version_id=held[-1][0].id)
    if ent is None:
        raise NotFound(f"no entity {entity_id!r} in any stored list version")
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


EXPORT_FORMATS = ("ftm",)


def export_lists(
    store: SqlStore, out: Path | str, format: str = "ftm", sources: list[str] | None = None
) -> dict[str, int]:
    """Write the active versions' entities (of every source, or the named ones) to ``out``
    as FollowTheMoney JSON lines: per record, its main entity (with the FtM topics of its
    list) and its Sanction, Identification, Passport and Address entities. The file is
    written beside ``out`` and renamed into place, so a failed export leaves no half file.
    Returns the counts of records and FtM entities written."""
    if format not in EXPORT_FORMATS:
        raise InvalidQuery(f"export format {format!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    known = store.sources()
    wanted = set(sources or known)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise NotFound(
            f"no list source {', '.join(unknown)} in the store (sources: "
            f"{', '.join(known) or 'none yet'})"
        )
    target = Path(out)
    partial = target.with_name(target.name + ".partial")
    records = written = 0
    try:
        with partial.open("w", encoding="utf-8") as fh:
            for ent in store.iter_active_entities():
                if ent.source not in wanted:
                    continue
                records += 1
                for item in to_ftm(ent):
                    fh.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
                    written += 1
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidQuery(f"{target}: cannot write the export: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return {"records": records, "ftm_entities": written}

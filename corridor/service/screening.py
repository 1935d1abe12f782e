"""Party screening as the adapters use it: the active lists, plus the parties that listed
persons own or control according to the store's ownership graphs."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from corridor.exceptions import NotFound
from corridor.matching import DEFAULT_THRESHOLD, NameIndex, Screener
from corridor.matching.artefact import IndexFiles, index_key
from corridor.service.ownership import derived_entities
from corridor.store.sql import SqlStore


def build_screener(
    store: SqlStore, threshold: float | None = None, index_dir: Path | None = None
) -> Screener:
    """A screener over the store's active lists and ownership-derived parties; it follows
    list and graph updates by itself. With ``index_dir`` its index is the compiled file of the
    active versions there (built once, mapped by every process); without, it is built in
    memory."""
    return Screener.from_store(
        store,
        threshold or DEFAULT_THRESHOLD,
        derive=lambda listed: derived_entities(store, listed),
        index_dir=index_dir,
    )


@dataclass(frozen=True)
class IndexReport:
    """A compiled index file: where, for which versions, how big, how long it took."""

    path: str | None
    key: str
    current: bool
    size: int
    counts: dict[str, int]
    built_seconds: float | None
    built_at: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compile_index(store: SqlStore, index_dir: Path, force: bool = False) -> IndexReport:
    """Compile the index of the store's active versions into ``index_dir`` (nothing to do if
    a process has already; ``force`` rebuilds it)."""
    key = current_index_key(store)
    files = IndexFiles(index_dir)
    if force:
        files.path(key).unlink(missing_ok=True)
    build_screener(store, index_dir=index_dir)  # builds it, or maps the one there
    return next(r for r in index_status(store, index_dir) if r.current)


def current_index_key(store: SqlStore) -> str:
    """The key of the index of the store's active versions."""
    return index_key(store.active_versions_detail())


def index_status(store: SqlStore, index_dir: Path) -> list[IndexReport]:
    """The index files of ``index_dir``, newest first, the store's current one marked."""
    key = current_index_key(store)
    files = IndexFiles(index_dir)
    out = []
    for info in files.files() if index_dir.exists() else []:
        out.append(
            IndexReport(
                str(info.path),
                info.key,
                info.key == key,
                info.size,
                dict(info.meta.get("counts", {})),
                files.build_seconds(info.key),
                info.meta.get("built_at"),
            )
        )
    return out


def verify_index(store: SqlStore, index_dir: Path) -> IndexReport:
    """Check the current index file against the digest written with it."""
    key = current_index_key(store)
    path = IndexFiles(index_dir).path(key)
    if not path.exists():
        raise NotFound(f"no compiled index for the active versions in {index_dir}")
    NameIndex.open(path, verify=True)
    return next(r for r in index_status(store, index_dir) if r.current)

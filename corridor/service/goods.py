"""Goods operations for every adapter: load goods lists into the store, and the checker over
the store's active goods lists."""

from __future__ import annotations

import re
from pathlib import Path

from corridor.goods import GoodsChecker, bundled_goods_lists, read_goods_list
from corridor.lists.fetch import file_sha256
from corridor.service import audit
from corridor.service.imports import LoadResult
from corridor.store.goods import GoodsVersion
from corridor.store.sql import SqlStore


def load_goods_list(
    store: SqlStore, path: Path | str, source: str | None = None, force: bool = False
) -> LoadResult[GoodsVersion]:
    """Store a goods-list CSV as the new active version of its source (default: the file
    name). Atomic; an unchanged file is not stored again unless ``force``."""
    path = Path(path)
    name = source or (re.sub(r"[^A-Za-z0-9_-]+", "_", path.name.split(".")[0]) or "goods")
    digest = file_sha256(path)
    if not force:
        for version in store.goods_versions(name):
            if version.active and version.file_hash == digest:
                return LoadResult(name, version, skipped=True)
    entries = read_goods_list(path)
    info = store.import_goods(name, path.name, digest, path.stat().st_size, entries)
    audit.record(
        store,
        "system",
        "goods.import",
        f"goods:{name}",
        {"version": info.id, "file": path.name, "sha256": digest, "entries": info.entry_count},
    )
    return LoadResult(name, info, skipped=False)


def load_bundled_goods(store: SqlStore, force: bool = False) -> list[LoadResult[GoodsVersion]]:
    return [load_goods_list(store, item.path, item.source, force) for item in bundled_goods_lists()]


def goods_checker(store: SqlStore | None) -> tuple[GoodsChecker, bool]:
    """The checker over the store's active goods lists, or over the bundled lists when the
    store holds none (the flag says which)."""
    if store is not None:
        ids = [v.id for v in store.active_goods_lists()]
        if ids:
            return GoodsChecker(store.goods_entries(ids)), False
    return GoodsChecker.bundled(), True

"""Compiled index files, one per set of active list (and graph) versions.

A file's name carries a key: a digest of the versions it was built from (their ids, file
hashes and import times) and of the code that analyses names, so that a file is never used for
other lists or by a Corridor that would analyse names differently. Files are written whole
under a lock (one process builds, the others wait and then map the result), renamed into place
at the end, and old ones are pruned. The directory may be shared by several hosts (NFS): the
lock is an ``fcntl`` lock on a file beside the index.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from corridor.exceptions import IndexFileError, StoreError
from corridor.matching.index import NameIndex
from corridor.matching.layout import FORMAT, read_meta

SUFFIX = ".cidx"
KEEP = 3  # index files kept in the directory (the newest), besides the one in use
_CODE = ("names", "matching")  # packages whose code decides what an index holds


@cache
def code_fingerprint() -> str:
    """A digest of the code and data that turn names into an index (a new Corridor that
    analyses names otherwise does not use an old file)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(str(FORMAT).encode())
    for package in _CODE:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in (".py", ".toml", ".tsv", ".csv", ".json") and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def index_key(versions: Any) -> str:
    """The key of the index built from ``versions`` (any JSON-able description of them)."""
    text = json.dumps([FORMAT, code_fingerprint(), versions], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class IndexInfo:
    path: Path
    key: str
    size: int
    meta: dict[str, Any]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class IndexFiles:
    """The compiled index files of one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key: str) -> Path:
        return self.directory / f"index-{key}{SUFFIX}"

    def open(self, key: str) -> NameIndex | None:
        """The index of ``key`` if its file is there and whole; None otherwise."""
        path = self.path(key)
        if not path.exists():
            return None
        index = NameIndex.open(path)
        if index.meta.get("key") != key:
            raise IndexFileError(f"{path}: the file holds the index of another key")
        return index

    def open_or_build(
        self, key: str, build: Callable[[IO[bytes], dict[str, Any]], None]
    ) -> NameIndex:
        """Map the index of ``key``, building it first if no process has (``build`` writes
        it to the file object it is given, with the metadata it is given)."""
        try:
            index = self.open(key)
        except IndexFileError:
            index = None  # damaged: rebuilt below, under the lock
        if index is not None:
            return index
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the index directory {self.directory}: {exc.strerror or exc} "
                "(set CORRIDOR_INDEX_DIR to a writable directory, or to 'memory')"
            ) from exc
        try:
            with _locked(self.directory / f"index-{key}.lock"):
                try:
                    index = self.open(key)  # built by another process meanwhile
                except IndexFileError:
                    index = None
                if index is None:
                    self._write(key, build)
                    index = self.open(key)
                    assert index is not None
        except OSError as exc:
            raise StoreError(
                f"cannot write the compiled index in {self.directory}: {exc.strerror or exc} "
                "(set CORRIDOR_INDEX_DIR to a writable directory, or to 'memory')"
            ) from exc
        self.prune(keep=key)
        return index

    def _write(self, key: str, build: Callable[[IO[bytes], dict[str, Any]], None]) -> None:
        path = self.path(key)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        started = time.perf_counter()
        try:
            with tmp.open("wb") as fh:
                build(fh, {"format": FORMAT, "key": key, "built_at": time.time()})
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        with contextlib.suppress(OSError):
            (self.directory / f"index-{key}.seconds").write_text(
                f"{time.perf_counter() - started:.3f}\n"
            )

    def files(self) -> list[IndexInfo]:
        """The index files of the directory, newest first."""
        out = []
        for path in self.directory.glob(f"index-*{SUFFIX}"):
            try:
                meta = read_meta(path)
            except (IndexFileError, OSError, ValueError):
                meta = {}
            out.append(IndexInfo(path, path.stem.removeprefix("index-"), path.stat().st_size, meta))
        out.sort(key=lambda i: i.path.stat().st_mtime, reverse=True)
        return out

    def build_seconds(self, key: str) -> float | None:
        try:
            return float((self.directory / f"index-{key}.seconds").read_text())
        except (OSError, ValueError):
            return None

    def prune(self, keep: str) -> list[Path]:
        """Remove all but the newest index files (a process that still maps a removed file
        keeps reading it until it lets go)."""
        removed: list[Path] = []
        if not self.directory.exists():
            return removed
        infos = [i for i in self.files() if i.key != keep]
        for info in infos[KEEP - 1 :]:
            for path in (
                info.path,
                self.directory / f"index-{info.key}.lock",
                self.directory / f"index-{info.key}.seconds",
            ):
                with contextlib.suppress(OSError):
                    path.unlink()
            removed.append(info.path)
        return removed

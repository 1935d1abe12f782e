"""The file layout of a compiled name index: typed arrays one after another, then a JSON
trailer that says where each is.

``MAGIC`` | section | section | ... | trailer (JSON) | trailer length (8 bytes) | ``MAGIC``

Every section starts on an 8-byte boundary and is a little-endian NumPy array (or raw bytes), so
a reader maps the file and views each section in place, without copying or parsing it: the
processes that open the same file share one copy of it in the page cache.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from corridor.exceptions import IndexFileError

MAGIC = b"CORRIDX1"
FORMAT = 3  # raise when the sections or their meaning change
_TAIL = struct.Struct("<Q8s")

Array = npt.NDArray[Any]
Section = tuple[str, Array | bytes | bytearray]


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a lookup key (the same in every process and on every host)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def write_sections(out: IO[bytes], sections: Iterable[Section], meta: dict[str, Any]) -> int:
    """Write ``sections`` and the trailer (``meta`` plus the section table) to ``out``;
    return the number of bytes written."""
    out.write(MAGIC)
    pos = len(MAGIC)
    table: dict[str, list[Any]] = {}
    digest = hashlib.blake2b(digest_size=16)
    for name, data in sections:
        pad = -pos % 8
        if pad:
            out.write(b"\0" * pad)
            pos += pad
        if isinstance(data, bytes | bytearray):
            raw = bytes(data)
            table[name] = [pos, "bytes", len(raw)]
        else:
            arr = np.ascontiguousarray(data)
            raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
            table[name] = [pos, arr.dtype.str.replace(">", "<").replace("=", "<"), int(arr.size)]
        out.write(raw)
        digest.update(raw)
        pos += len(raw)
    trailer = json.dumps(
        {**meta, "sections": table, "digest": digest.hexdigest(), "data_end": pos},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    out.write(trailer)
    out.write(_TAIL.pack(len(trailer), MAGIC))
    return pos + len(trailer) + _TAIL.size


class Sections:
    """The sections of an index file (or buffer), viewed in place."""

    def __init__(self, buffer: Any, where: str) -> None:
        self.buffer = buffer
        self.where = where
        view = memoryview(buffer)
        size = len(view)
        if size < len(MAGIC) + _TAIL.size or bytes(view[: len(MAGIC)]) != MAGIC:
            raise IndexFileError(f"{where}: not a Corridor index file")
        length, magic = _TAIL.unpack(bytes(view[size - _TAIL.size :]))
        if magic != MAGIC or length > size - _TAIL.size - len(MAGIC):
            raise IndexFileError(f"{where}: the index file is truncated or damaged (no trailer)")
        start = size - _TAIL.size - length
        try:
            self.meta: dict[str, Any] = json.loads(bytes(view[start : start + length]))
        except ValueError as exc:
            raise IndexFileError(f"{where}: the index file's trailer is damaged") from exc
        if self.meta.get("format") != FORMAT:
            raise IndexFileError(
                f"{where}: index format {self.meta.get('format')}, this Corridor reads format "
                f"{FORMAT}: rebuild it with 'corridor index build'"
            )
        if self.meta.get("data_end") != start:
            raise IndexFileError(f"{where}: the index file is truncated or damaged")
        self._table: dict[str, list[Any]] = self.meta["sections"]

    def array(self, name: str) -> Array:
        offset, dtype, count = self._table[name]
        if dtype == "bytes":
            raise IndexFileError(f"{self.where}: section {name} holds bytes, not an array")
        return np.frombuffer(self.buffer, dtype=np.dtype(dtype), count=count, offset=offset)

    def blob(self, name: str) -> memoryview:
        offset, _dtype, count = self._table[name]
        return memoryview(self.buffer)[offset : offset + count]

    def verify(self) -> None:
        """Check every section against the digest written with the file."""
        digest = hashlib.blake2b(digest_size=16)
        view = memoryview(self.buffer)
        for offset, dtype, count in self._table.values():
            size = count if dtype == "bytes" else count * np.dtype(dtype).itemsize
            digest.update(view[offset : offset + size])
        if digest.hexdigest() != self.meta.get("digest"):
            raise IndexFileError(f"{self.where}: the index file's contents do not match its digest")


def read_meta(path: Path) -> dict[str, Any]:
    """The trailer of an index file, read without mapping the file."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        if size < len(MAGIC) + _TAIL.size:
            raise IndexFileError(f"{path}: not a Corridor index file")
        fh.seek(size - _TAIL.size)
        length, magic = _TAIL.unpack(fh.read(_TAIL.size))
        if magic != MAGIC or length > size:
            raise IndexFileError(f"{path}: the index file is truncated or damaged (no trailer)")
        fh.seek(size - _TAIL.size - length)
        meta: dict[str, Any] = json.loads(fh.read(length))
        return meta

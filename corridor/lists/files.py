"""Opening files from outside as bytes: gzip and zip unwrapped within the input limits.

A truncated or damaged compressed stream is a :class:`corridor.exceptions.ParseError`; a
stream that decompresses past the limits (in total, or in proportion to its compressed size)
is an :class:`corridor.exceptions.InputLimitError` raised after a few megabytes, so a bomb
costs neither the memory nor the time it would take to read.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from corridor.exceptions import FormatError, InputLimitError, ParseError
from corridor.lists.encoding import detect_encoding
from corridor.lists.limits import MIB, limits

HEAD = 65536
DAMAGED = (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError)


def _zip_member(zf: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    for ext in (".xml", ".csv", ".json", ".jsonl", ".ftm"):
        picked = [i for i in infos if i.filename.lower().endswith(ext)]
        if picked:
            return picked[0]
    if len(infos) == 1:
        return infos[0]
    names = ", ".join(i.filename for i in infos[:5])
    raise FormatError(f"zip archive holds no list file (members: {names})", str(path))


class _Bounded(io.RawIOBase):
    """A decompressed stream that refuses to yield more than the limits allow: in total, and
    in proportion to the compressed bytes read so far (a bomb is refused after a few
    megabytes, not after filling the memory or the disk)."""

    def __init__(self, inner: IO[bytes], raw: IO[bytes], path: Path) -> None:
        self.inner, self.raw, self.path = inner, raw, path
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.inner.read(len(buffer))
        except DAMAGED as exc:
            raise ParseError(
                f"compressed data is truncated or damaged ({exc})", str(self.path)
            ) from exc
        n = len(data)
        buffer[:n] = data
        self.total += n
        lim = limits()
        if self.total > lim.max_bytes:
            raise InputLimitError(
                f"decompresses to more than {lim.max_bytes // MIB:,} MiB (the limit; "
                "CORRIDOR_MAX_INPUT_MB raises it)",
                str(self.path),
            )
        if self.total > lim.ratio_floor:
            packed = max(1, self.raw.tell())
            if self.total > lim.max_ratio * packed:
                raise InputLimitError(
                    f"{packed:,} compressed bytes decompressed to {self.total:,}, more than "
                    f"{lim.max_ratio:g} times as many: refused as a decompression bomb "
                    "(CORRIDOR_MAX_INPUT_RATIO raises the limit)",
                    str(self.path),
                )
        return n

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.raw.close()
            super().close()


def open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, unwrapping gzip and single-list zip archives within
    the input limits."""
    try:
        raw = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(f"cannot open file: {exc.strerror}", str(path)) from exc
    lim = limits()
    magic = raw.read(4)
    raw.seek(0)
    if magic[:2] == b"\x1f\x8b":
        inner: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    elif magic == b"PK\x03\x04":
        try:
            zf = zipfile.ZipFile(raw)
            info = _zip_member(zf, path)
            if info.file_size > lim.max_bytes:
                raise InputLimitError(
                    f"zip member {info.filename} declares {info.file_size:,} bytes, over the "
                    f"limit of {lim.max_bytes // MIB:,} MiB",
                    str(path),
                )
            inner = zf.open(info)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as exc:
            raw.close()
            raise FormatError(f"damaged or unsupported zip archive: {exc}", str(path)) from exc
        except FormatError:
            raw.close()
            raise
    else:
        if size > lim.max_bytes:
            raw.close()
            raise InputLimitError(
                f"{size:,} bytes, over the limit of {lim.max_bytes // MIB:,} MiB", str(path)
            )
        return raw
    return io.BufferedReader(_Bounded(inner, raw, path), buffer_size=1 << 16)


def read_head(path: Path, size: int = HEAD) -> bytes:
    """The first ``size`` bytes of the (decompressed) file; errors become FormatError."""
    try:
        with open_binary(path) as fh:
            return fh.read(size)
    except DAMAGED as exc:
        raise FormatError(f"cannot read file: {exc}", str(path)) from exc


def sniffable_head(path: Path, size: int = HEAD) -> bytes:
    """The first bytes as UTF-8, whatever the file's encoding: what format sniffers read."""
    head = read_head(path, size)
    enc = detect_encoding(head)
    if enc.startswith("utf-16"):
        return head.decode(enc, errors="ignore").encode("utf-8")
    return head


MAX_ZIP_MEMBERS = 1000
_PROLOG = 65536


def check_zip_package(path: Path, xml_suffixes: tuple[str, ...] = (".xml", ".rels")) -> None:
    """Refuse a zip package (XLSX and the like) that could cost out of all proportion or
    smuggle a DTD: too many members, members that declare more than the input limits in
    total or in proportion to their compressed size, or an XML part whose prolog holds a
    DOCTYPE or entity declarations (or runs past 64 KB)."""
    lim = limits()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise InputLimitError(
                    f"{len(infos):,} parts in the package, at most {MAX_ZIP_MEMBERS:,}", str(path)
                )
            total = sum(i.file_size for i in infos)
            if total > lim.max_bytes:
                raise InputLimitError(
                    f"its parts declare {total:,} bytes, over the limit of "
                    f"{lim.max_bytes // MIB:,} MiB",
                    str(path),
                )
            for info in infos:
                ratio = info.file_size / max(1, info.compress_size)
                if info.file_size > lim.ratio_floor and ratio > lim.max_ratio:
                    raise InputLimitError(
                        f"part {info.filename} decompresses {ratio:,.0f} times its size: "
                        "refused as a decompression bomb",
                        str(path),
                    )
                if info.filename.lower().endswith(xml_suffixes):
                    with zf.open(info) as part:
                        head = part.read(_PROLOG)
                    _check_prolog(head, info.filename, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise FormatError(f"damaged or unsupported zip package: {exc}", str(path)) from exc
    except (RuntimeError, ValueError) as exc:  # encrypted members, bad sizes
        raise FormatError(f"unreadable zip package: {exc}", str(path)) from exc


def _check_prolog(head: bytes, part: str, path: Path) -> None:
    text = head.lstrip(b"\xef\xbb\xbf").lower()
    at = 0
    while True:
        start = text.find(b"<", at)
        if start < 0 or start + 1 >= len(text):
            if len(head) >= _PROLOG:
                raise FormatError(f"part {part}: an XML prolog longer than 64 KB", str(path))
            return
        nxt = text[start + 1 : start + 2]
        if nxt.isalpha():
            return  # the root element: no DTD came before it
        if text.startswith((b"<!doctype", b"<!entity"), start):
            raise FormatError(
                f"part {part}: XML with a DOCTYPE or entity declarations is not accepted",
                str(path),
            )
        at = start + 1

"""Opening list files: gzip and zip transparently, text encodings detected, XML parsed safely."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from lxml import etree

from corridor.exceptions import FormatError, ParseError

_HEAD = 65536


def _zip_member(zf: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in zf.namelist() if not n.endswith("/")]
    for ext in (".xml", ".csv", ".json", ".jsonl", ".ftm"):
        picked = [n for n in names if n.lower().endswith(ext)]
        if picked:
            return picked[0]
    if len(names) == 1:
        return names[0]
    raise FormatError(
        f"zip archive holds no list file (members: {', '.join(names[:5])})", str(path)
    )


def open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, unwrapping gzip and single-list zip archives."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise FormatError(f"cannot open file: {exc.strerror}", str(path)) from exc
    magic = raw.read(4)
    raw.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if magic == b"PK\x03\x04":
        try:
            zf = zipfile.ZipFile(raw)
            member = _zip_member(zf, path)
            return zf.open(member)
        except zipfile.BadZipFile as exc:
            raw.close()
            raise FormatError(f"damaged zip archive: {exc}", str(path)) from exc
    return raw


def read_head(path: Path, size: int = _HEAD) -> bytes:
    """The first ``size`` bytes of the (decompressed) file; errors become FormatError."""
    try:
        with open_binary(path) as fh:
            return fh.read(size)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        raise FormatError(f"cannot read file: {exc}", str(path)) from exc


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 when marked; otherwise cp1252 for legacy files."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "cp1252"


def open_text(path: Path, encoding: str | None = None) -> IO[str]:
    """Open a text list file with its detected encoding; undecodable bytes raise ParseError."""
    enc = encoding or detect_encoding(read_head(path))
    return io.TextIOWrapper(open_binary(path), encoding=enc, errors="strict", newline="")


def decoded_head(path: Path, size: int = 8192) -> str:
    head = read_head(path, size)
    enc = detect_encoding(head)
    return head.decode(enc if enc != "utf-16" else "utf-16", errors="replace")


def iter_lines(path: Path, fh: IO[str]) -> Iterator[str]:
    """Yield text lines, converting decoding errors into ParseError with the line number."""
    lineno = 0
    try:
        for line in fh:
            lineno += 1
            yield line
    except UnicodeDecodeError as exc:
        raise ParseError(f"text is not valid {exc.encoding}", str(path), line=lineno + 1) from exc
    except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as exc:
        raise ParseError(
            f"file is truncated or damaged ({exc})", str(path), line=lineno + 1
        ) from exc


def reject_dtd(head: bytes, path: Path) -> None:
    """Refuse XML that declares a DTD or entities: no list format uses them."""
    probe = head[:_HEAD].lower()
    if b"<!doctype" in probe or b"<!entity" in probe:
        raise FormatError("XML with a DOCTYPE or entity declarations is not accepted", str(path))


def iter_xml(path: Path, tags: tuple[str, ...] | None = None) -> Iterator[etree._Element]:
    """Stream ``end`` events of an XML file safely (no DTD, no entities, no network).

    Yields each element whose local name is in ``tags`` (or every element); the caller must
    clear elements it no longer needs. Syntax errors become ParseError with the line.
    """
    reject_dtd(read_head(path), path)
    fh = open_binary(path)
    try:
        parser = etree.iterparse(
            fh,
            events=("end",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            for _event, elem in parser:
                if tags is None or etree.QName(elem).localname in tags:
                    yield elem
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            msg = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
            raise ParseError(f"malformed XML: {msg}", str(path), line=line) from exc
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise ParseError(f"file is truncated or damaged ({exc})", str(path)) from exc
    finally:
        fh.close()


def local(elem: etree._Element) -> str:
    return etree.QName(elem).localname


def text_of(elem: etree._Element | None) -> str | None:
    if elem is None or elem.text is None:
        return None
    value = elem.text.strip()
    return value or None


def child_text(elem: etree._Element, name: str) -> str | None:
    """Text of the first direct child with local name ``name`` (namespace-agnostic)."""
    for child in elem:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return text_of(child)
    return None


def children(elem: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in elem if isinstance(c.tag, str) and etree.QName(c).localname == name]


def first(elem: etree._Element, name: str) -> etree._Element | None:
    for c in elem:
        if isinstance(c.tag, str) and etree.QName(c).localname == name:
            return c
    return None


def descendants(elem: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in elem.iter() if isinstance(c.tag, str) and etree.QName(c).localname == name]


def line_of(elem: etree._Element) -> int | None:
    """The source line of an element, where the parser recorded one."""
    line = elem.sourceline
    return line if isinstance(line, int) else None


def release(elem: etree._Element) -> None:
    """Free a processed element and its already-parsed preceding siblings."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


@contextmanager
def csv_table(
    path: Path, required: tuple[str, ...], columns: tuple[str, ...]
) -> Iterator[tuple[dict[str, int], Iterator[tuple[int, list[str]]]]]:
    """Open a CSV file with a header: yield the column positions (lower-cased names) and
    the rows with their line numbers, blank rows skipped. A missing required column or a row
    of the wrong width is a ParseError naming the file and the line (``columns`` is the
    header the error message shows)."""
    with open_text(path) as fh:
        reader = csv.reader(iter_lines(path, fh))
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise ParseError(
                f"missing column(s) {', '.join(missing)}: expected the header " + ",".join(columns),
                path.name,
                line=1,
            )

        def rows() -> Iterator[tuple[int, list[str]]]:
            for lineno, row in enumerate(reader, start=2):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != len(header):
                    raise ParseError(
                        f"expected {len(header)} comma-separated fields, found {len(row)}",
                        path.name,
                        lineno,
                    )
                yield lineno, row

        yield {c: i for i, c in enumerate(header)}, rows()


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) for each non-blank line of a JSON lines file; a line that is not a JSON
    object is a ParseError naming the file and the line."""
    with open_text(path) as fh:
        for lineno, text in enumerate(iter_lines(path, fh), start=1):
            text = text.strip()
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ParseError(f"invalid JSON: {exc.msg}", path.name, line=lineno) from exc
            if not isinstance(obj, dict):
                raise ParseError("each line must be a JSON object", path.name, line=lineno)
            yield lineno, obj

"""Reading payment messages from files or text: ISO 20022 XML or SWIFT MT, told apart by
their first bytes; every message that cannot be read is reported with its position, and the
others are still read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.exceptions import FormatError
from corridor.lists.files import DAMAGED, open_binary
from corridor.payments import iso20022, mt
from corridor.payments.message import Payment

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class MessageError:
    """A message that could not be read, where it is and why."""

    source: str
    position: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.position}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "position": self.position, "message": self.message}


def _kind(data: bytes) -> str | None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{1:") or b"{1:F01" in head[:200]:
        return "mt"
    if head.startswith(b"<"):
        return "xml"
    return None


def read_text(data: bytes | str, source: str = "request") -> Iterator[Payment | MessageError]:
    """Payments and errors, in file order, from the bytes of a file or a request body."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    kind = _kind(raw)
    if kind is None:
        raise FormatError(
            "not a payment message: expected ISO 20022 XML (pacs.008, pacs.009, pain.001) "
            "or SWIFT MT ({1:...}{2:...}{4:...-})",
            source,
        )
    if kind == "xml":
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            raise FormatError("XML with a DOCTYPE or entity declarations is not accepted", source)
        found = False
        for n, line, chunk, error in iso20022.split_documents(raw):
            found = True
            where = f"message {n} (line {line})"
            if chunk is None:
                yield MessageError(source, where, error or "unreadable")
                continue
            try:
                yield from iso20022.parse_document(chunk, source, where)
            except iso20022.DocumentError as exc:
                yield MessageError(source, where, str(exc))
        if not found:
            raise FormatError("XML without an ISO 20022 Document element", source)
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    for n, line, message in mt.split_messages(text):
        where = f"message {n} (line {line})"
        if len(message) > mt.MAX_MESSAGE_CHARS:
            yield MessageError(source, where, f"longer than {mt.MAX_MESSAGE_CHARS:,} characters")
            continue
        try:
            yield mt.parse_message(message, source, where)
        except mt.MtError as exc:
            yield MessageError(source, where, str(exc))


def read_messages(path: Path | str) -> Iterator[Payment | MessageError]:
    """Payments and errors from a file (gzip and zip read directly)."""
    path = Path(path)
    if not path.is_file():
        raise FormatError("no such file", str(path))
    fh = open_binary(path)
    try:
        data = fh.read(MAX_FILE_BYTES + 1)
    except DAMAGED as exc:
        raise FormatError(f"file is truncated or damaged ({exc})", str(path)) from exc
    finally:
        fh.close()
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(f"larger than {MAX_FILE_BYTES // 2**20} MB: split the file", str(path))
    yield from read_text(data, path.name)

"""Detecting a list file's format and reading it."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corridor.exceptions import FormatError
from corridor.lists.base import ListFormat, ParseContext, formats
from corridor.lists.files import sniffable_head
from corridor.model.entity import Entity


def detect_format(path: Path) -> ListFormat:
    """The format of ``path``, recognised from its first bytes."""
    head = sniffable_head(path)
    if not head.strip():
        raise FormatError("file is empty", str(path))
    for fmt in formats().values():
        if fmt.sniff(head, path.name):
            return fmt
    names = ", ".join(sorted(formats()))
    raise FormatError(
        f"not a recognised list format (known formats: {names}); use --format to force one",
        str(path),
    )


def get_format(name: str) -> ListFormat:
    known = formats()
    if name not in known:
        raise FormatError(f"unknown format {name!r}; known formats: {', '.join(sorted(known))}")
    return known[name]


def default_source(fmt: ListFormat, path: Path) -> str:
    """The source a file belongs to when the user names none."""
    if fmt.name.startswith("ofac"):
        return "us_ofac_cons" if "cons" in path.name.lower() else "us_ofac_sdn"
    return fmt.default_source


@dataclass
class ListReader:
    """An opened list file: its format, its parse context and a stream of entities."""

    format: ListFormat
    context: ParseContext

    def __iter__(self) -> Iterator[Entity]:
        return self.format.parse(self.context)


def open_list(
    path: Path | str,
    format: str | None = None,
    source: str | None = None,
    encoding: str | None = None,
    topics: frozenset[str] | None = None,
) -> ListReader:
    """Open a list file for reading, detecting its format unless ``format`` forces one.

    A forced format must still recognise the file: a wrong format fails with a clear message
    instead of importing garbage. ``encoding`` overrides the detected text encoding.
    """
    path = Path(path)
    if not path.exists():
        raise FormatError("file does not exist", str(path))
    if path.is_dir():
        raise FormatError("is a directory; give the list file itself", str(path))
    if format:
        fmt = get_format(format)
        if not fmt.sniff(sniffable_head(path), path.name):
            raise FormatError(f"file does not look like {fmt.title}", str(path))
    else:
        fmt = detect_format(path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise FormatError(f"unknown encoding {encoding!r}", str(path)) from exc
    ctx = ParseContext(
        path=path, source=source or default_source(fmt, path), encoding=encoding, topics=topics
    )
    return ListReader(fmt, ctx)

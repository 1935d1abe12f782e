"""Choosing the reader for an ownership file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corridor.exceptions import FormatError
from corridor.lists.text import decoded_head
from corridor.ownership.readers.base import GraphData
from corridor.ownership.readers.bods import read_bods
from corridor.ownership.readers.csv_edges import read_edges_csv
from corridor.ownership.readers.ftm import read_ftm

READERS: dict[str, Callable[[Path, str | None], GraphData]] = {
    "edges_csv": read_edges_csv,
    "ftm": read_ftm,
    "bods": read_bods,
}


def detect_graph_format(path: Path, encoding: str | None = None) -> str:
    head = decoded_head(path, encoding=encoding).lstrip("\ufeff").lstrip()
    first = head.split("\n", 1)[0].lower()
    if "owner_id" in first and "owned_id" in first:
        return "edges_csv"
    if head.startswith(("{", "[")):
        if "statementType" in head or "recordType" in head or "statementID" in head:
            return "bods"
        if '"schema"' in head:
            return "ftm"
    raise FormatError(
        "not an ownership file: expected a CSV with the header "
        "owner_id,owned_id,share,kind,control_type,valid_from,valid_to, FollowTheMoney "
        "JSON lines or BODS JSON",
        str(path),
    )


def read_graph(
    path: Path | str, format: str | None = None, encoding: str | None = None
) -> GraphData:
    """The ownership graph in ``path`` (its format detected unless given; ``encoding``
    overrides the detected text encoding)."""
    path = Path(path)
    fmt = format or detect_graph_format(path, encoding)
    reader = READERS.get(fmt)
    if reader is None:
        raise FormatError(
            f"unknown ownership format {fmt!r} (expected {', '.join(READERS)})", str(path)
        )
    return reader(path, encoding)

"""Reading JSON objects from a JSON array or JSON lines file, with line numbers in errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corridor.exceptions import ParseError
from corridor.lists.files import read_head
from corridor.lists.text import iter_json_lines, json_error, loads, open_text


def iter_objects(path: Path, encoding: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) for every object of a JSON array (line 0: arrays have no line per
    object) or of a JSON lines file (streamed)."""
    if not read_head(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        yield from iter_json_lines(path, encoding)
        return
    with open_text(path, encoding) as fh:
        try:
            items = loads(fh.read())
        except ValueError as exc:
            line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
            raise ParseError(json_error(exc), path.name, line=line) from exc
    if not isinstance(items, list):
        raise ParseError("expected a JSON array of objects", path.name, line=1)
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ParseError("expected a JSON object", path.name, record=str(i))
        yield 0, item

"""Reading JSON objects from a JSON array or JSON lines file, with line numbers in errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corridor.exceptions import ParseError
from corridor.lists.files import iter_json_lines, open_text, read_head


def iter_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) for every object of a JSON array (line 0: arrays have no line per
    object) or of a JSON lines file (streamed)."""
    if not read_head(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        yield from iter_json_lines(path)
        return
    with open_text(path) as fh:
        try:
            items = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc.msg}", path.name, line=exc.lineno) from exc
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ParseError("expected a JSON object", path.name, record=str(i))
        yield 0, item

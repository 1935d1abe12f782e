"""Reading JSON objects from a JSON array or JSON lines file, with line numbers in errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corridor.exceptions import ParseError
from corridor.lists.files import iter_lines, open_text


def iter_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) for every object of a JSON array, a single object or JSON lines."""
    with open_text(path) as fh:
        text = "".join(iter_lines(path, fh))
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc.msg}", path.name, line=exc.lineno) from exc
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise ParseError("expected a JSON object", path.name, record=str(i))
            yield 0, item
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc.msg}", path.name, line=lineno) from exc
        if not isinstance(obj, dict):
            raise ParseError("each line must be a JSON object", path.name, line=lineno)
        yield lineno, obj

"""Reading and writing rows of parties: CSV, JSON lines and Parquet (pyarrow, optional)."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corridor.exceptions import ConfigError, InvalidQuery, ParseError
from corridor.lists.text import csv_dicts, json_error, loads, open_text

Row = dict[str, Any]


def table_format(path: Path | str) -> str:
    name = str(path).lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(".csv") or name == "-":
        return "csv"
    raise InvalidQuery(f"{path}: unknown table format; use .csv, .jsonl or .parquet")


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ConfigError("Parquet needs pyarrow: pip install 'corridor[parquet]'") from exc
    return pa, pq


def check_writable(path: Path | str) -> None:
    """Fail now, before any work, if ``path`` cannot be written in its format: an unknown
    extension, a missing optional dependency (pyarrow for Parquet), no such directory."""
    fmt = table_format(path)
    if fmt == "parquet":
        _pyarrow()
    if str(path) != "-" and not Path(path).resolve().parent.is_dir():
        raise InvalidQuery(f"{path}: the directory does not exist")


def read_rows(path: Path, encoding: str | None = None) -> Iterator[Row]:
    """Rows of a CSV, JSON lines or Parquet file; errors name the file and line."""
    fmt = table_format(path)
    if fmt == "parquet":
        _pa, pq = _pyarrow()
        yield from pq.read_table(path).to_pylist()
        return
    with open_text(path, encoding) as fh:
        if fmt == "csv":
            _header, rows = csv_dicts(fh)
            for _line, row in rows:
                yield dict(row)
        else:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    value = loads(line)
                except ValueError as exc:
                    raise ParseError(json_error(exc), path.name, line=fh.line) from exc
                if not isinstance(value, dict):
                    raise ParseError("expected a JSON object", path.name, line=fh.line)
                yield value


def write_rows(path: Path | str, rows: list[Row]) -> None:
    """Write rows in the format the path's extension names ('-' writes CSV to stdout)."""
    fmt = table_format(path)
    if fmt == "parquet":
        pa, pq = _pyarrow()
        pq.write_table(pa.Table.from_pylist(rows), str(path))
        return
    fields: list[str] = []
    for row in rows:
        for key in row:
            if key not in fields:
                fields.append(key)
    with contextlib.ExitStack() as stack:
        out = (
            sys.stdout
            if str(path) == "-"
            else stack.enter_context(Path(path).open("w", encoding="utf-8", newline=""))
        )
        if fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                        for k, v in row.items()
                    }
                )
        else:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")

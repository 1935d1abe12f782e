"""Reading and writing rows of parties: CSV, JSON lines and Parquet (pyarrow, optional)."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corridor.exceptions import ConfigError, InvalidQuery

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


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ConfigError("Parquet needs pyarrow: pip install 'corridor[parquet]'") from exc
    return pq


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of a CSV, JSON lines or Parquet file; errors name the file and line."""
    fmt = table_format(path)
    if fmt == "parquet":
        pq = _pyarrow()
        yield from pq.read_table(path).to_pylist()
        return
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidQuery(f"{path}: cannot open: {exc.strerror}") from exc
    with fh:
        if fmt == "csv":
            reader = csv.DictReader(fh)
            for row in reader:
                if None in row:
                    raise InvalidQuery(
                        f"{path}: line {reader.line_num}: more fields than the header"
                    )
                yield dict(row)
        else:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidQuery(f"{path}: line {lineno}: invalid JSON: {exc.msg}") from exc
                if not isinstance(value, dict):
                    raise InvalidQuery(f"{path}: line {lineno}: expected a JSON object")
                yield value


def write_rows(path: Path | str, rows: list[Row]) -> None:
    """Write rows in the format the path's extension names ('-' writes CSV to stdout)."""
    fmt = table_format(path)
    if fmt == "parquet":
        import pyarrow as pa

        pq = _pyarrow()
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

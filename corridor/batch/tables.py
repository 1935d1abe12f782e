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
        for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH):
            yield from batch.to_pylist()
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


PARQUET_BATCH = 10_000  # rows buffered for one Parquet row group


def flat(value: Any) -> Any:
    """A value as a table cell: lists and dicts as JSON text."""
    return (
        json.dumps(value, ensure_ascii=False, default=str)
        if isinstance(value, list | dict)
        else value
    )


class RowWriter:
    """Rows written one at a time, in the format the path's extension names ('-' writes CSV
    to stdout), so that memory does not grow with the input: CSV and JSON lines row by row,
    Parquet in row groups of ``PARQUET_BATCH``. The columns are those of the first row (or
    ``fields``); keys a later row adds are counted in ``dropped`` (JSON lines keeps them)."""

    def __init__(self, path: Path | str, fields: list[str] | None = None) -> None:
        self.path, self.format = str(path), table_format(path)
        self.fields = list(fields) if fields is not None else None
        self.count = 0
        self.dropped: set[str] = set()
        self._stack = contextlib.ExitStack()
        self._csv: csv.DictWriter[str] | None = None
        self._batch: list[Row] = []
        self._parquet: Any = None
        self._schema: Any = None
        self._out: Any = None

    def __enter__(self) -> RowWriter:
        if self.format != "parquet":
            self._out = (
                sys.stdout
                if self.path == "-"
                else self._stack.enter_context(
                    Path(self.path).open("w", encoding="utf-8", newline="")
                )
            )
        return self

    def write(self, row: Row) -> None:
        self.count += 1
        if self.fields is None:
            self.fields = list(row)
        extra = row.keys() - set(self.fields)
        if extra:
            self.dropped.update(extra)
        if self.format == "jsonl":
            self._out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        elif self.format == "csv":
            if self._csv is None:
                self._csv = csv.DictWriter(self._out, fieldnames=self.fields, extrasaction="ignore")
                self._csv.writeheader()
            self._csv.writerow({k: flat(v) for k, v in row.items()})
        else:
            self._batch.append({k: flat(row.get(k)) for k in self.fields})
            if len(self._batch) >= PARQUET_BATCH:
                self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        pa, pq = _pyarrow()
        if self._schema is None:
            inferred = pa.Table.from_pylist(self._batch).schema
            self._schema = pa.schema(
                [f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in inferred]
            )
            self._parquet = pq.ParquetWriter(self.path, self._schema)
        try:
            table = pa.Table.from_pylist(self._batch, schema=self._schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column whose type varies: as text
            table = pa.Table.from_pylist(
                [{k: None if v is None else str(v) for k, v in r.items()} for r in self._batch]
            ).cast(self._schema, safe=False)
        self._parquet.write_table(table)
        self._batch = []

    def __exit__(self, *exc: object) -> None:
        try:
            if self.format == "parquet":
                self._flush()
                if self._parquet is not None:
                    self._parquet.close()
                elif self.count == 0:
                    _pa, pq = _pyarrow()
                    pq.write_table(_pa.table({}), self.path)
        finally:
            self._stack.close()


def write_rows(path: Path | str, rows: list[Row]) -> None:
    """Write rows (the columns: every key any row has) in the format the path names."""
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    with RowWriter(path, fields) as writer:
        for row in rows:
            writer.write(row)

"""Screening a table of parties on Apache Spark (the ``spark`` extra: pyspark).

The driver compiles (or finds) the index of the store's active versions and ships the file to
every executor with ``SparkContext.addFile``; each executor maps it once per Python worker and
screens its partitions with ``mapPartitions``, row by row, with the same function as
``corridor screen-file`` (:func:`corridor.batch.screening.screen_row`): the same input columns,
the same output columns, the same results. For an index of several GB, ``shared_index`` opens
the file at the same path on every executor (a filesystem all nodes mount) instead of copying
it to each.

Rows keep their input order: the output's part files, read in name order, follow the input.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.batch.screening import screen_row
from corridor.batch.tables import flat
from corridor.exceptions import ConfigError, InvalidQuery
from corridor.matching import DEFAULT_THRESHOLD, Screener
from corridor.matching.index import NameIndex

FORMATS = ("csv", "jsonl", "parquet")
RESULT_COLUMNS = (
    "alert",
    "score",
    "entity_id",
    "entity_name",
    "source",
    "programs",
    "explanation",
    "matches",
    "ownership",
    "error",
    "warning",
)
POSITION = "_corridor_position"
_SCREENERS: dict[tuple[str, float], Screener] = {}  # per Python worker: one mapping per file


def _pyspark() -> Any:
    try:
        import pyspark
    except ImportError as exc:
        raise ConfigError(
            "Spark screening needs pyspark and Java 17 or newer: pip install 'corridor[spark]'"
        ) from exc
    return pyspark


def format_of(path: str, given: str | None = None) -> str:
    """The table format: the one given, or the one the path's extension names."""
    if given:
        if given not in FORMATS:
            raise InvalidQuery(f"--format {given!r}: use one of {', '.join(FORMATS)}")
        return given
    name = path.rstrip("/").lower()
    for fmt, suffixes in (
        ("parquet", (".parquet",)),
        ("jsonl", (".jsonl", ".json", ".ndjson")),
        ("csv", (".csv",)),
    ):
        if name.endswith(suffixes):
            return fmt
    raise InvalidQuery(f"{path}: unknown table format; give --format csv, jsonl or parquet")


def _screener(index_file: str, threshold: float, shipped: bool) -> Screener:
    key = (index_file, threshold)
    screener = _SCREENERS.get(key)
    if screener is None:
        if shipped:
            from pyspark import SparkFiles

            path = Path(SparkFiles.get(index_file))
        else:
            path = Path(index_file)
        screener = _SCREENERS[key] = Screener(index=NameIndex.open(path), threshold=threshold)
    return screener


def partition_screener(
    index_file: str, threshold: float, columns: list[str], shipped: bool = True
) -> Callable[[Iterable[tuple[Any, int]]], Iterator[tuple[Any, ...]]]:
    """The function each executor runs over a partition of (row, position) pairs: the row
    screened, as a tuple of its position, the input columns and the result columns."""
    out_columns = [*columns, *(c for c in RESULT_COLUMNS if c not in columns)]

    def run(items: Iterable[tuple[Any, int]]) -> Iterator[tuple[Any, ...]]:
        screener = _screener(index_file, threshold, shipped)
        for row, position in items:
            screened = screen_row(screener, row.asDict(), position + 1, threshold)
            yield (
                position,
                *(
                    screened.get(c) if c in ("alert", "score") else flat(screened.get(c))
                    for c in out_columns
                ),
            )

    return run


@dataclass(frozen=True)
class SparkReport:
    rows: int
    alerts: int
    errors: int
    output: str
    format: str
    partitions: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def screen_table(
    spark: Any,
    input_path: str,
    output_path: str,
    index_path: Path,
    threshold: float | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    partitions: int | None = None,
    shared_index: bool = False,
) -> SparkReport:
    """Screen the table at ``input_path`` on the Spark session ``spark`` into the directory
    ``output_path`` (part files, in input order), with the compiled index at ``index_path``."""
    from pyspark.sql import types as T

    cutoff = threshold or DEFAULT_THRESHOLD
    in_fmt = format_of(input_path, input_format)
    out_fmt = format_of(output_path, output_format) if output_format is None else output_format
    reader = spark.read
    if in_fmt == "csv":
        # RFC 4180, as screen-file reads it: quotes doubled, line breaks inside quoted fields
        df = (
            reader.option("header", True)
            .option("inferSchema", False)
            .option("escape", '"')
            .option("multiLine", True)
            .csv(input_path)
        )
    elif in_fmt == "jsonl":
        df = reader.json(input_path)
    else:
        df = reader.parquet(input_path)
    if "name" not in df.columns:
        raise InvalidQuery(f"{input_path}: no 'name' column (columns: {', '.join(df.columns)})")
    rows = df.rdd.zipWithIndex()  # positions first: they give the output its order
    if partitions:
        rows = rows.repartition(partitions)
    shipped = not shared_index
    if shipped:
        spark.sparkContext.addFile(str(index_path))
    index_file = index_path.name if shipped else str(index_path)
    columns = list(df.columns)
    run = partition_screener(index_file, cutoff, columns, shipped)
    fields = [T.StructField(POSITION, T.LongType())]
    fields += [T.StructField(c, T.StringType()) for c in columns]
    fields += [
        T.StructField(c, T.BooleanType() if c == "alert" else
                      T.DoubleType() if c == "score" else T.StringType())
        for c in RESULT_COLUMNS
        if c not in columns
    ]  # fmt: skip
    screened = spark.createDataFrame(rows.mapPartitions(run), T.StructType(fields))
    if partitions:
        screened = screened.orderBy(POSITION)  # repartitioned rows back in input order
    screened = screened.drop(POSITION).cache()
    writer = screened.write.mode("overwrite")
    if out_fmt == "csv":
        writer.option("header", True).option("escape", '"').csv(output_path)
    elif out_fmt == "jsonl":
        writer.json(output_path)
    else:
        writer.parquet(output_path)
    count = screened.count()
    alerts = screened.filter("alert = true").count()
    errors = screened.filter("error is not null").count()
    screened.unpersist()
    parts = rows.getNumPartitions()
    return SparkReport(count, alerts, errors, output_path, out_fmt, parts)


def session(master: str | None = None, app_name: str = "corridor-screen") -> Any:
    """A Spark session on ``master`` (``local[*]``, ``spark://host:7077``, ``yarn``...); with
    none, the master ``spark-submit`` was given."""
    pyspark = _pyspark()
    builder = pyspark.sql.SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            # executors on this machine run this Python, which has Corridor installed
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()

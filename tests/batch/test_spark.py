"""Screening on Apache Spark in local mode: row by row the same as screen-file."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.batch.screening import screen_rows
from corridor.batch.tables import read_rows
from corridor.matching import Screener
from corridor.matching.index import NameIndex
from corridor.service.screening import compile_index
from corridor.store import SqlStore

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"
ROWS = 3000


def _spark_or_skip() -> None:
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark (the spark extra)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing.append("Java 17")
    if missing:
        if os.environ.get("CORRIDOR_REQUIRE_SPARK"):
            pytest.fail(f"Spark tests need {' and '.join(missing)}")
        pytest.skip(f"needs {' and '.join(missing)}")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    _spark_or_skip()
    from corridor.batch.spark import session

    s = session("local[2]", "corridor-test")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def index_path(bundled_store: SqlStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = compile_index(bundled_store, tmp_path_factory.mktemp("index"))
    assert report.path is not None
    return Path(report.path)


@pytest.fixture(scope="module")
def parties(bundled_store: SqlStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few thousand rows: listed names as written on the lists, the sample parties (other
    scripts and spellings), unlisted names, and rows with errors, plus a column carried
    through."""
    rng = random.Random(3)
    entities = list(bundled_store.iter_active_entities())
    rows: list[dict[str, str]] = []
    with (SAMPLES / "parties.csv").open(encoding="utf-8") as fh:
        sample = list(csv.DictReader(fh))
    for ent in rng.sample(entities, ROWS // 2):
        name = rng.choice(ent.names).full
        rows.append({"name": name, "kind": ent.kind.value, "dob": "", "country": "", "id": ""})
    while len(rows) < ROWS - 2:
        row = dict(rng.choice(sample))
        rows.append({k: row.get(k, "") for k in ("name", "kind", "dob", "country", "id")})
    rows.append({"name": "", "kind": "", "dob": "", "country": "", "id": ""})
    rows.append({"name": "Ivan Petrov", "kind": "", "dob": "", "country": "Atlantis", "id": ""})
    path = tmp_path_factory.mktemp("parties") / "parties.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["ref", "name", "kind", "dob", "country", "id"])
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({"ref": f"r{i:05d}", **row})
    return path


def _norm(value: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def _expected(index_path: Path, parties: Path) -> list[dict[str, Any]]:
    screener = Screener(index=NameIndex.open(index_path))
    return list(screen_rows(screener, read_rows(parties), workers=1))


def _spark_csv(directory: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for part in sorted(directory.glob("part-*.csv")):
        with part.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    for column, value in want.items():
        if column == "alert":
            assert str(got[column]).lower() == ("" if value is None else str(value).lower())
        elif column == "score":
            assert (None if got[column] in (None, "") else float(got[column])) == value
        else:
            assert _norm(got[column]) == _norm(value), column


def test_spark_screens_like_screen_file(
    spark: Any, index_path: Path, parties: Path, tmp_path: Path
) -> None:
    from corridor.batch.spark import screen_table

    report = screen_table(
        spark, str(parties), str(tmp_path / "out"), index_path, output_format="csv",
        partitions=4,
    )  # fmt: skip
    want = _expected(index_path, parties)
    got = _spark_csv(tmp_path / "out")
    assert report.rows == len(want) == len(got) == ROWS
    assert list(got[0]) == list(want[0])  # the same columns, in the same order
    assert report.alerts == sum(bool(r["alert"]) for r in want) > ROWS // 3
    assert report.errors == 2
    for g, w in zip(got, want, strict=True):
        assert g["ref"] == w["ref"]  # the input order is kept
        _same(g, w)


def test_spark_writes_parquet_and_reads_json_lines(
    spark: Any, index_path: Path, parties: Path, tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from corridor.batch.spark import screen_table

    jsonl = tmp_path / "parties.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for row in list(read_rows(parties))[:300]:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    out = tmp_path / "out.parquet"
    report = screen_table(spark, str(jsonl), str(out), index_path, output_format="parquet")
    table = pq.read_table(out).to_pylist()
    assert report.rows == len(table) == 300
    by_ref = {r["ref"]: r for r in table}
    screener = Screener(index=NameIndex.open(index_path))
    for want in screen_rows(screener, read_rows(jsonl), workers=1):
        _same(by_ref[want["ref"]], want)

"""`corridor screen`, `screen-file` and `compare` in-process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from corridor.store import SqlStore
from tests.cli.conftest import Run


def test_screen(bundled_store: SqlStore, run: Run) -> None:
    db = bundled_store.url
    code, out, _ = run("--db", db, "screen", "Қасым-Жомарт Тоқаев", "--json")
    assert code == 0 and json.loads(out)["results"] == []
    code, out, _ = run(
        "--db",
        db,
        "screen",
        "Rotenberg Arkady",
        "--kind",
        "person",
        "--dob",
        "1951",
        "--country",
        "RU",
        "--json",
    )
    data = json.loads(out)
    assert data["results"][0]["caption"] == "ROTENBERG, Arkady Romanovich"
    assert data["results"][0]["explanation"]["summary"]
    code, out, _ = run("--db", db, "screen", "Bank Rossiya", "--id", "7831000122")
    assert code == 0 and "BANK ROSSIYA" in out
    code, _out, err = run("--db", db, "screen", "X", "--kind", "ship")
    assert code == 2


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_screen_file(bundled_store: SqlStore, tmp_path: Path, suffix: str, run: Run) -> None:
    from corridor.batch.tables import read_rows, write_rows

    rows = [
        {
            "name": "Путин Владимир Владимирович",
            "kind": "person",
            "dob": "1952-10-07",
            "country": "RU",
            "id": "",
            "customer_ref": "C-1",
        },
        {
            "name": "Aigerim Suleimenova",
            "kind": "person",
            "dob": "",
            "country": "KZ",
            "id": "",
            "customer_ref": "C-2",
        },
        {"name": "", "kind": "", "dob": "", "country": "", "id": "", "customer_ref": "C-3"},
    ]
    src = tmp_path / f"in{suffix}"
    write_rows(src, rows)
    dst = tmp_path / f"out{suffix}"
    code, out, _ = run(
        "--db",
        bundled_store.url,
        "screen-file",
        str(src),
        "--output",
        str(dst),
        "--workers",
        "2",
    )
    assert code == 0 and "3 parties screened, 1 alert" in out
    back = list(read_rows(dst))
    assert [r["customer_ref"] for r in back] == ["C-1", "C-2", "C-3"]
    assert back[0]["alert"] in (True, "True") and "PUTIN" in back[0]["entity_name"]
    assert back[1]["alert"] in (False, "False")
    assert "name" in back[2]["error"]


def test_compare_and_pairs(tmp_path: Path, run: Run) -> None:
    code, out, _ = run("compare", "Kassym-Jomart Tokayev", "Қасым-Жомарт Тоқаев", "--json")
    assert json.loads(out)["score"] >= 0.9
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,kind\nJon Smith,John Smith,person\n"
        "George Bush,George Habbash,\nA-B-C Company,Acme Company,organization\n"
    )
    out_csv = tmp_path / "scored.csv"
    code, out, _ = run("compare", "--pairs", str(pairs), "--output", str(out_csv))
    assert code == 0
    with out_csv.open() as fh:
        scores = [float(r["score"]) for r in csv.DictReader(fh)]
    assert scores[0] >= 0.8 and scores[1] < 0.6 and scores[2] < 0.6
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\nx,y\n")
    code, _, err = run("compare", "--pairs", str(bad), "--output", str(out_csv))
    assert code == 2 and "name1" in err


def test_screen_file_streams_to_every_format(tmp_path: Path, shared: Path, run: Run) -> None:
    import json as _json

    import pyarrow.parquet as pq

    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert run("--db", db, "lists", "load", str(shared / "un/UN_consolidated.xml"))[0] == 0
    parties = tmp_path / "parties.csv"
    rows = ["name,country,note"] + [
        f"Saddam Hussein Al-Tikriti,Iraq,{i}" if i % 100 == 0 else f"Nobody Number {i},KZ,{i}"
        for i in range(2500)
    ]
    parties.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for suffix in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"out.{suffix}"
        code, text, err = run(
            "--db", db, "screen-file", str(parties), "-o", str(out), "--workers", "1"
        )
        assert code == 0, err
        assert "2,500 parties screened, 25 alert(s)" in text
        if suffix == "parquet":
            table = pq.ParquetFile(out)
            assert table.metadata.num_rows == 2500 and table.metadata.num_row_groups == 1
            got = table.read().to_pylist()
        elif suffix == "jsonl":
            got = [_json.loads(line) for line in out.read_text("utf-8").splitlines()]
        else:
            import csv as _csv

            got = list(_csv.DictReader(out.open(encoding="utf-8")))
        assert len(got) == 2500 and str(got[0]["note"]) == "0"
        assert [str(g["note"]) for g in got] == [str(i) for i in range(2500)]  # in order


def test_row_writer_writes_parquet_in_row_groups(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from corridor.batch import tables

    path = tmp_path / "big.parquet"
    with tables.RowWriter(path) as writer:
        for i in range(tables.PARQUET_BATCH * 2 + 5):
            writer.write({"name": f"n{i}", "score": None if i < 3 else 0.5, "matches": []})
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == tables.PARQUET_BATCH * 2 + 5 and meta.num_row_groups == 3
    assert list(tables.read_rows(path))[4]["score"] == 0.5

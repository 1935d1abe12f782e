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

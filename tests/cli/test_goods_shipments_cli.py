"""``corridor goods``, ``corridor shipments`` and ``corridor licences`` end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .conftest import Run

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"
LEDGER, COMPANIES = str(SAMPLES / "ledger.csv"), str(SAMPLES / "companies.csv")


def test_goods_check(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, out, err = run("--db", db, "goods", "check", "8542 31 00 00", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["bundled_lists"] is True and doc["code"]["hs6"] == "854231"
    assert [h["tier"] for h in doc["hits"]] == ["1"]
    code, out, _ = run("--db", db, "goods", "load", "--bundled")
    assert "chpl_hs2022: version 1 active, 50 entries" in out
    code, out, _ = run("--db", db, "goods", "check", "-d", "токарный станок с ЧПУ")
    assert code == 0 and "8458.91" in out and "4.B" in out
    code, out, _ = run("--db", db, "goods", "check", "8548.90", "--hs-version", "2017")
    assert "8548.00" in out and "CHPL (HS 2017)" in out
    code, _, err = run("--db", db, "goods", "check", "8542.99")
    assert code == 1  # an invalid code is reported, with the codes of its heading
    code, out, _ = run("--db", db, "goods", "check", "8542.99", "--json")
    assert "heading 8542 has 8542.31" in json.loads(out)["error"]
    code, _, err = run("--db", db, "goods", "check")
    assert code == 2 and "give a goods code, a --description, or both" in err


def test_shipments_screen_and_chains(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, out, err = run(
        "--db",
        db,
        "shipments",
        "screen",
        LEDGER,
        "--companies",
        COMPANIES,
        "--as-of",
        "2025-01-15",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["counts"]["documents"] == 27 and doc["counts"]["chains"] == 1
    esf = next(r for r in doc["results"] if r["doc_id"] == "ESF-2024-0417")
    assert esf["decisions"]["eu"]["result"] == "prohibited"
    assert {f["rule"] for f in esf["flags"]} >= {"SHP-04", "SHP-06"}
    out_csv = tmp_path / "screened.csv"
    code, out, _ = run(
        "--db", db, "shipments", "screen", LEDGER, "--as-of", "2025-01-15", "-o", str(out_csv)
    )
    assert code == 0 and "27 documents screened" in out
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == 27 and {"us_result", "eu_result", "uk_result", "un_result"} <= set(rows[0])
    code, out, _ = run("--db", db, "shipments", "screen", LEDGER, "--limit", "5")
    assert code == 0 and "ESF-2024-0417" in out and "re-export chain" in out
    code, out, _ = run("--db", db, "shipments", "chains", LEDGER, "--json")
    chains = json.loads(out)["chains"]
    assert [(c["export_doc"], c["imports"][0]["doc_id"]) for c in chains] == [
        ("ESF-2024-0417", "DT-2024-0311")
    ]
    code, out, _ = run("--db", db, "shipments", "chains", LEDGER)
    assert "Steppe Logistics TOO" in out and "100% covered" in out


def test_bad_rows_and_rules_file(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    bad = tmp_path / "ledger.csv"
    lines = (SAMPLES / "ledger.csv").read_text("utf-8").splitlines()
    lines[3] = lines[3].replace("2024-05-20", "20/05/2024")
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, _ = run("--db", db, "shipments", "screen", str(bad), "--json")
    doc = json.loads(out)
    assert doc["counts"]["documents"] == 26
    assert doc["errors"] == [
        {
            "source": "ledger.csv",
            "line": 4,
            "field": "date",
            "message": "expected an ISO date (YYYY-MM-DD), found '20/05/2024'",
        }
    ]
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules.SHP-04]\nenabled = false\n[rules.CP-04]\nseverity = "high"\n')
    code, out, _ = run("--db", db, "shipments", "screen", LEDGER, "--rules", str(rules), "--json")
    flags = json.loads(out)["counts"]["flags"]
    assert "SHP-04" not in flags and flags["CP-04"] == 5
    rules.write_text('[rules.SHP-99]\nseverity = "high"\n')
    code, _, err = run("--db", db, "shipments", "screen", LEDGER, "--rules", str(rules))
    assert code == 2 and "rules.SHP-99: unknown rule" in err


def test_licences(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, out, err = run("--db", db, "licences", "load", str(SAMPLES / "licences.toml"))
    assert code == 0, err
    assert "3 licence(s)" in out
    code, out, _ = run("--db", db, "licences", "list", "--json")
    assert {lic["id"] for lic in json.loads(out)} >= {"OFAC-RUSSIA-GL-124B"}
    code, out, _ = run("--db", db, "shipments", "screen", LEDGER, "--as-of", "2025-01-15", "--json")
    cpc = next(r for r in json.loads(out)["results"] if r["doc_id"] == "DT-2024-1105")
    assert cpc["decisions"]["eu"]["result"] == "clear" and cpc["decisions"]["eu"]["licensed"]

"""The CLI in-process, every `lists` command, human and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run


def test_lists_commands(tmp_path: Path, shared: Path, run: Run) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, out, _ = run("--db", db, "lists", "load", "--bundled", "--json")
    assert code == 0
    results = json.loads(out)["results"]
    assert {r["source"]: r["version"]["entity_count"] for r in results} == {
        "us_ofac_sdn": 14965,
        "us_ofac_cons": 442,
        "un_sc": 1003,
        "us_csl": 14159,
        "uk_hmt": 2297,
        "eu_fsf": 595,
    }
    code, out, _ = run("--db", db, "lists", "status", "--json")
    status = json.loads(out)["sources"]
    assert len(status) == 6 and all(s["age_days"] is not None for s in status)
    code, out, _ = run("--db", db, "lists", "status")
    assert code == 0 and "us_ofac_sdn" in out and "14,965" in out
    # an older, much smaller set is stored but held back: the 2024 list stays active
    code, out, err = run(
        "--db", db, "lists", "load", str(shared / "ofac/legacy_csv_2021-07-07/sdn.csv")
    )
    assert code == 2 and "version 7 was stored but NOT activated" in err
    assert "40% fewer than the active version 1" in err and "lists activate us_ofac_sdn 7" in err
    code, out, _ = run("--db", db, "lists", "status", "--json")
    assert {s["source"]: s["active_version"]["id"] for s in json.loads(out)["sources"]}[
        "us_ofac_sdn"
    ] == 1
    # a person who has checked it activates it (and can roll back the same way)
    code, out, _ = run("--db", db, "lists", "activate", "us_ofac_sdn", "7")
    assert code == 0 and "version 7 active" in out
    code, _, err = run("--db", db, "lists", "activate", "us_ofac_sdn", "2")
    assert code == 2 and "belongs to us_ofac_cons" in err
    code, _, err = run("--db", db, "lists", "versions", "no_such_list")
    assert code == 2 and "no list source 'no_such_list'" in err
    code, out, _ = run("--db", db, "lists", "diff", "us_ofac_sdn", "--json")
    diff = json.loads(out)
    assert diff["from_version"] == 1 and diff["to_version"] == 7
    assert len(diff["removed"]) > 5000
    code, out, _ = run(
        "--db",
        db,
        "lists",
        "diff",
        "us_ofac_sdn",
        "--from",
        "7",
        "--to",
        "1",
        "--limit",
        "3",
    )
    assert code == 0 and "added" in out
    code, out, _ = run("--db", db, "lists", "show", "ofac-306")
    assert code == 0 and "BANCO NACIONAL DE CUBA" in out and "NATIONAL BANK OF CUBA" in out
    code, out, _ = run("--db", db, "lists", "show", "un-6908048", "--json")
    assert json.loads(out)["entity"]["birth_dates"] == ["1937-04-28"]
    code, out, _ = run("--db", db, "lists", "versions", "us_ofac_sdn", "--json")
    assert [v["active"] for v in json.loads(out)["versions"]] == [False, True]
    code, out, _ = run("--db", db, "lists", "formats", "--json")
    assert len(json.loads(out)["formats"]) == 13
    # the active lists as FollowTheMoney entities, and back
    out_file = tmp_path / "lists.ftm.json"
    code, out, _ = run(
        "--db", db, "lists", "export", str(out_file), "--format", "ftm", "-s", "un_sc", "--json"
    )
    assert code == 0 and json.loads(out)["records"] == 1003
    first = json.loads(out_file.read_text("utf-8").split("\n", 1)[0])
    assert first["properties"]["topics"] == ["sanction"]
    code, _, err = run("--db", db, "lists", "export", str(out_file), "--format", "csv")
    assert code == 2 and "export format 'csv'" in err
    code, _, err = run("--db", db, "lists", "export", str(tmp_path / "x.json"), "-s", "nope")
    assert code == 2 and "no list source nope" in err
    db2 = f"sqlite:///{tmp_path / 'c2.db'}"
    code, out, _ = run("--db", db2, "lists", "load", str(out_file), "--source", "un_sc", "--json")
    assert code == 0 and json.loads(out)["results"][0]["version"]["entity_count"] == 1003


def test_errors_are_one_clear_line(tmp_path: Path, shared: Path, run: Run) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    bad = tmp_path / "broken.xml"
    bad.write_bytes((shared / "un/UN_consolidated.xml").read_bytes()[:50000])
    code, _, err = run("--db", db, "lists", "load", str(bad))
    assert code == 2
    assert "broken.xml" in err and "line" in err and "Traceback" not in err
    code, _, err = run("--db", db, "lists", "show", "nobody")
    assert code == 2 and "no entity" in err
    code, _, err = run("--db", db, "lists", "load", str(bad), "--format", "nope")
    assert code == 2 and "unknown format" in err
    code, _, err = run("--db", "postgresql://x:y@127.0.0.1:1/none", "lists", "status")
    assert code == 2 and "cannot open store" in err and ":y@" not in err


def test_module_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "corridor", "lists", "formats"],
        capture_output=True,
        text=True,
        check=True,
        env={"CORRIDOR_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "COLUMNS": "120"},
    )
    assert "ofac_advanced" in out.stdout

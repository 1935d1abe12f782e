"""``corridor ownership ...`` end to end, in-process."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run

DATA = Path(__file__).resolve().parent.parent / "data" / "ownership"
EDGES, DESIGNATED = str(DATA / "edges.csv"), str(DATA / "designated.csv")


def _statuses(out: str) -> dict[tuple[str, str], str]:
    doc = json.loads(out)
    return {(r["entity"], r["jurisdiction"]): r["status"] for r in doc["results"]}


def test_evaluate_files_json(run: Run) -> None:
    code, out, err = run(
        "ownership",
        "evaluate",
        "--edges",
        EDGES,
        "--designated",
        DESIGNATED,
        "--as-of",
        "2025-01-01",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["as_of"] == "2025-01-01" and doc["jurisdictions"] == ["us", "eu", "uk"]
    got = _statuses(out)
    assert got[("A", "us")] == "blocked" and got[("B", "eu")] == "blocked"
    assert got[("A", "uk")] == "not_blocked"
    assert got[("C", "us")] == "not_blocked" and got[("C", "eu")] == "blocked"
    assert got[("D", "uk")] == "blocked" and got[("D", "us")] == "not_blocked"
    assert got[("E", "us")] == "possibly_blocked"
    assert ("F", "us") not in got  # the stake ended in 2022
    b_us = next(r for r in doc["results"] if r["entity"] == "B" and r["jurisdiction"] == "us")
    assert [step["id"] for step in b_us["paths"][0]] == ["X", "A", "B"]
    assert b_us["name"] == "Steppe Logistics TOO"


def test_evaluate_one_jurisdiction_in_the_past(run: Run) -> None:
    code, out, _ = run(
        "ownership",
        "evaluate",
        "--edges",
        EDGES,
        "--designated",
        DESIGNATED,
        "-j",
        "uk",
        "--as-of",
        "2022-01-01",
        "--json",
    )
    assert code == 0
    got = _statuses(out)
    # before any designation nothing is blocked; F was still held then but X not yet listed
    assert got == {}


def test_explain_text(run: Run) -> None:
    code, out, _ = run(
        "ownership",
        "explain",
        "C",
        "--edges",
        EDGES,
        "--designated",
        DESIGNATED,
        "--as-of",
        "2025-01-01",
    )
    assert code == 0
    assert "owned 55 % by Arkady Volkov and Boris Orlov" in out
    assert "path: Boris Orlov [Y] (designated: eu_fsf;uk_hmt) -30 %-> Almaty Components TOO" in out
    assert "significant minority" in out and "joint arrangement" in out


def test_load_status_and_evaluate_from_the_store(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, out, err = run("--db", db, "ownership", "load", str(DATA / "bods-0.3.json"))
    assert code == 0, err
    assert "4 edges" in out
    code, out, _ = run("--db", db, "ownership", "status", "--json")
    assert json.loads(out)[0]["source"] == "bods-0"
    code, out, _ = run(
        "--db",
        db,
        "ownership",
        "evaluate",
        "--designated",
        str(DATA / "designated-graph.csv"),
        "--as-of",
        "2025-01-01",
        "--json",
    )
    assert code == 0
    got = _statuses(out)
    assert got[("e-caspian", "uk")] == "blocked"  # board appointment by a UK designee
    assert got[("e-caspian", "us")] == "not_blocked"
    assert got[("e-tobol", "uk")] == "blocked"  # more than 50 % held by a controlled company


def test_rules_file_overrides_the_eu_threshold(run: Run, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[eu]\nthresholds = [{ from = "0001-01-01", percent = 50, inclusive = false }]\n'
    )
    args = [
        "ownership",
        "evaluate",
        "--edges",
        EDGES,
        "--designated",
        DESIGNATED,
        "--as-of",
        "2025-01-01",
        "--json",
    ]
    _, out, _ = run(*args)
    assert _statuses(out)[("A", "eu")] == "blocked"
    _, out, _ = run(*args, "--rules", str(rules))
    assert _statuses(out)[("A", "eu")] == "not_blocked"


def test_errors_are_one_clear_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "edges.csv"
    bad.write_text("owner_id,owned_id,share,kind,control_type,valid_from,valid_to\nX,A,x,,,,\n")
    code, _, err = run("ownership", "evaluate", "--edges", str(bad), "--designated", DESIGNATED)
    assert code == 2
    assert "edges.csv: line 2: field share: expected a percentage" in err
    code, _, err = run(
        "ownership", "evaluate", "--edges", EDGES, "--designated", DESIGNATED, "-j", "ofac"
    )
    assert code == 2 and "unknown jurisdiction 'ofac'" in err
    code, _, err = run(
        "ownership", "explain", "NOBODY", "--edges", EDGES, "--designated", DESIGNATED
    )
    assert code == 2 and "NOBODY: not in the ownership graph" in err
    rules = tmp_path / "rules.toml"
    rules.write_text("[eu]\ncontrol_types = ['telepathy']\n")
    code, _, err = run(
        "ownership",
        "evaluate",
        "--edges",
        EDGES,
        "--designated",
        DESIGNATED,
        "--rules",
        str(rules),
    )
    assert code == 2 and "eu.control_types: unknown control type 'telepathy'" in err

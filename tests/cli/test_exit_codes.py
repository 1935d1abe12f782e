"""Every failure exits non-zero; inputs as users write them (countries by name in any
language, a bad date of birth) are handled; stale lists are said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import update

from corridor.store import open_store, schema
from tests.cli.conftest import Run

UN = "un/UN_consolidated.xml"


@pytest.fixture
def db(tmp_path: Path, shared: Path, run: Run) -> str:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    code, _, err = run("--db", url, "lists", "load", str(shared / UN))
    assert code == 0, err
    return url


def test_failed_update_exits_1(
    db: str, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[sources.un_sc]\nurl = "http://127.0.0.1:9/none.xml"\nformat = "un_xml"\n')
    monkeypatch.setenv("CORRIDOR_SOURCES", str(sources))
    monkeypatch.setenv("CORRIDOR_FETCH_TIMEOUT", "2")
    code, out, _ = run("--db", db, "lists", "update")
    assert code == 1 and "failed" in out
    code, out, _ = run("--db", db, "lists", "update", "--json")
    assert code == 1 and json.loads(out)["results"][0]["status"] == "failed"


def test_broken_audit_chain_exits_1(db: str, run: Run) -> None:
    code, out, _ = run("--db", db, "audit", "verify")
    assert code == 0 and "intact" in out
    store = open_store(db)
    with store.transaction() as conn:
        conn.execute(update(schema.audit_log).where(schema.audit_log.c.seq == 1).values(actor="x"))
    store.close()
    code, out, _ = run("--db", db, "audit", "verify")
    assert code == 1 and "broken" in out
    code, out, _ = run("--db", db, "audit", "verify", "--json")
    assert code == 1 and json.loads(out)["ok"] is False


def test_usage_and_lookup_errors_exit_2(db: str, tmp_path: Path, run: Run) -> None:
    code, _, err = run("--db", db, "lists", "versions", "nowhere")
    assert code == 2 and "no list source 'nowhere'" in err
    code, _, _ = run("--db", db, "screen", "Ivan Petrov", "--threshold", "2")
    assert code == 2
    parties = tmp_path / "parties.csv"
    parties.write_text("name,country\nIvan Petrov,RU\n")
    code, _, err = run(
        "--db", db, "screen-file", str(parties), "--output", str(tmp_path / "no/such/out.csv")
    )
    assert code == 2 and "directory does not exist" in err


def test_countries_by_name_in_three_languages(db: str, run: Run) -> None:
    for country in ("Russia", "Россия", "Ресей", "Russian Federation", "RU", "RUS"):
        code, out, _ = run("--db", db, "screen", "Vladimir Putin", "--country", country, "--json")
        assert code == 0 and json.loads(out)["query"]["country"] == "RU", country
    for country in ("Kazakhstan", "Казахстан", "Қазақстан", "Республика Казахстан"):
        code, out, _ = run("--db", db, "screen", "Tokayev", "--country", country, "--json")
        assert json.loads(out)["query"]["country"] == "KZ", country
    code, _, err = run("--db", db, "screen", "Vladimir Putin", "--country", "Narnia")
    assert code == 2 and "country 'Narnia'" in err


def test_bad_date_of_birth_is_dropped_and_the_name_still_screened(
    db: str, tmp_path: Path, run: Run
) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "name,dob,country\n"
        "Saddam Hussein Al-Tikriti,31/02/1937,Iraq\n"
        "Saddam Hussein Al-Tikriti,1937-04-28,Ирак\n"
        "Someone Else,,Atlantis\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "out.jsonl"
    code, out, err = run("--db", db, "screen-file", str(parties), "--output", str(out_path))
    assert code == 0, err
    rows = [json.loads(line) for line in out_path.read_text().splitlines()]
    assert rows[0]["alert"] is True and "screened without it" in rows[0]["warning"]
    assert rows[1]["alert"] is True and rows[1]["warning"] is None
    assert rows[2]["alert"] is None and "country 'Atlantis'" in rows[2]["error"]
    assert "screened without it" in err


def test_stale_lists_are_said(db: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run("--db", db, "screen", "Saddam Hussein Al-Tikriti", "--json")
    warnings = json.loads(out)["warnings"]
    assert code == 0 and len(warnings) == 1
    assert warnings[0].startswith("list un_sc is ") and "(version 1, of 2026-02-27" in warnings[0]
    code, out, err = run("--db", db, "screen", "Saddam Hussein Al-Tikriti")
    assert "warning:" in err and "list un_sc is" in err
    code, out, _ = run("--db", db, "lists", "status", "--json")
    assert json.loads(out)["sources"][0]["stale"] is True
    monkeypatch.setenv("CORRIDOR_MAX_AGE", "un_sc=100000")
    code, out, _ = run("--db", db, "screen", "Saddam Hussein Al-Tikriti", "--json")
    assert json.loads(out)["warnings"] == []


def test_version(run: Run) -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("corridor ")


def test_serve_says_it_listens_only_once_it_does(tmp_path: Path, shared: Path) -> None:
    import os
    import subprocess
    import sys

    import httpx

    from tests.api.serving import free_port

    db = f"sqlite:///{tmp_path / 's.db'}"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "corridor", "--db", db, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "Corridor is listening on" in line
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_adding_an_existing_user_says_so_before_asking_for_a_password(db: str, run: Run) -> None:
    assert run("--db", db, "users", "add", "boss", "--password", "a-long-password-1")[0] == 0
    code, _, err = run("--db", db, "users", "add", "boss")
    assert code == 2 and "exists already" in err and "corridor users key boss" in err


def test_a_mistyped_db_path_is_said_not_made(run: Run, tmp_path: Path) -> None:
    """A store that is not there is refused by the commands that read it (exit 2, no file
    made); commands that load data make it."""
    missing = tmp_path / "typo.db"
    url = f"sqlite:///{missing}"
    for args in (["screen", "Ivan Petrov"], ["lists", "status"], ["audit", "verify"]):
        code, _, err = run("--db", url, *args)
        assert code == 2 and f"no store at {missing}" in err, args
        assert not missing.exists()
    code, _, _ = run("--db", url, "lists", "formats")
    assert code == 0
    code, _, err = run("--db", url, "lists", "load", str(Path(__file__).parent / "none.xml"))
    assert code == 2 and "no store" not in err

"""``corridor index``: compiled after a load, listed, verified, rebuilt when damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run

UN = "un/UN_consolidated.xml"


@pytest.fixture
def db(tmp_path: Path, shared: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CORRIDOR_INDEX_DIR", str(tmp_path / "index"))
    url = f"sqlite:///{tmp_path / 'c.db'}"
    code, _, err = run("--db", url, "lists", "load", str(shared / UN))
    assert code == 0, err
    assert "screening index: 1,003 entities" in err  # compiled once the version is active
    return url


def test_status_build_and_verify(db: str, run: Run, tmp_path: Path) -> None:
    code, out, _ = run("--db", db, "index", "status", "--json")
    files = json.loads(out)["files"]
    assert code == 0 and len(files) == 1 and files[0]["current"]
    assert files[0]["counts"]["entities"] == 1003 and files[0]["built_seconds"] > 0
    code, out, _ = run("--db", db, "index", "verify")
    assert code == 0 and "verified" in out
    before = Path(files[0]["path"]).stat().st_mtime_ns
    code, out, _ = run("--db", db, "index", "build")  # nothing to do: the file is there
    assert code == 0 and Path(files[0]["path"]).stat().st_mtime_ns == before
    code, out, _ = run("--db", db, "index", "build", "--force", "--json")
    assert code == 0 and json.loads(out)["key"] == files[0]["key"]
    assert Path(files[0]["path"]).stat().st_mtime_ns != before


def test_a_damaged_file_fails_verification_and_is_rebuilt_by_screening(db: str, run: Run) -> None:
    _, out, _ = run("--db", db, "index", "status", "--json")
    path = Path(json.loads(out)["files"][0]["path"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    code, _, err = run("--db", db, "index", "verify")
    assert code == 2 and "do not match its digest" in err
    path.write_bytes(bytes(data[: len(data) // 2]))  # cut short, as by a full disk
    code, out, err = run("--db", db, "screen", "Saddam Hussein Al-Tikriti")
    assert code == 0 and "SADDAM" in out.upper()
    code, out, _ = run("--db", db, "index", "verify")
    assert code == 0


def test_a_new_version_gets_its_own_file(db: str, run: Run, shared: Path) -> None:
    sdn = shared / "ofac/sdn_csv_2024-05-03/sdn.csv"
    code, _, err = run("--db", db, "lists", "load", str(sdn))
    assert code == 0 and "screening index: 15,968 entities" in err
    _, out, _ = run("--db", db, "index", "status", "--json")
    files = json.loads(out)["files"]
    assert len(files) == 2 and [f["current"] for f in files] == [True, False]


def test_memory_mode_has_no_files(db: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_INDEX_DIR", "memory")
    code, _, err = run("--db", db, "index", "status")
    assert code == 2 and "memory" in err
    code, out, _ = run("--db", db, "screen", "Saddam Hussein Al-Tikriti")
    assert code == 0 and "SADDAM" in out.upper()

"""`corridor payments screen`: human, JSON and file output; an unreadable message makes the
command fail after the others are screened."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

DATA = Path(__file__).parent.parent / "data" / "payments"


def test_payments_screen(tmp_path: Path, shared: Path, run: Run) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, _, err = run("--db", db, "payments", "screen", str(DATA / "mt202cov.txt"))
    assert code == 2 and "holds no lists" in err
    code, _, _ = run("--db", db, "lists", "load", str(shared / "un/UN_consolidated.xml"))
    assert code == 0
    code, out, _ = run("--db", db, "payments", "screen", str(DATA / "mt202cov.txt"), "--json")
    assert code == 0
    [result] = json.loads(out)["results"]
    assert result["decision"] == {"us": "block", "eu": "block", "uk": "block", "un": "block"}
    code, out, _ = run("--db", db, "payments", "screen", str(DATA / "mt202cov.txt"), "--alerts")
    assert code == 0 and "KZKOCOV2025001" in out and "KOREA RYONBONG" in out
    assert "1 matched parties in the book, 1 alerts created" in out
    # a file with a broken message: the good ones are screened, the command fails
    rows = tmp_path / "payments.csv"
    code, out, _ = run(
        "--db", db, "payments", "screen", str(DATA / "mt103.txt"), "--output", str(rows)
    )
    assert code == 1
    assert "2 payments screened" in out and "message 3 (line 34)" in out
    lines = rows.read_text("utf-8").splitlines()
    assert len(lines) == 3 and lines[0].startswith("message_id,kind")

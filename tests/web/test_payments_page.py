"""The payments page: upload messages (or paste one), read each payment's decisions and hits;
an unreadable message is shown as a failure."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import Session

DATA = Path(__file__).parent.parent / "data" / "payments"


def test_upload_and_read_the_results(sessions: dict[str, Session]) -> None:
    s = sessions["analyst"]
    page = s.get("/ui/payments")
    assert page.status_code == 200 and "Upload payment messages" in page.text
    body = (DATA / "mt103.txt").read_bytes() + (DATA / "mt202cov.txt").read_bytes()
    r = s.post("/ui/payments", files={"messages": ("batch.txt", body)})
    assert r.status_code == 200
    assert "KZKOCOV2025001" in r.text and "HSBK2025111402" in r.text
    assert 'class="badge result-block"' in r.text
    assert "Messages not read" in r.text and "message 3 (line 34)" in r.text
    pasted = s.post("/ui/payments", data={"text": (DATA / "mt202cov.txt").read_text("utf-8")})
    assert pasted.status_code == 200 and "KOREA RYONBONG" in pasted.text


def test_bad_uploads_and_roles(sessions: dict[str, Session]) -> None:
    r = sessions["analyst"].post("/ui/payments", files={"messages": ("notes.txt", b"hello")})
    assert r.status_code == 422 and "not a payment message" in r.text
    r = sessions["analyst"].post("/ui/payments", data={})
    assert r.status_code == 400 and "choose a file of payment messages" in r.text
    assert sessions["client"].get("/ui/payments").status_code == 403

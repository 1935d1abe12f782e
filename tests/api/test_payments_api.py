"""POST /payments/screen: one message or a batch, each payment's decisions and hits, the
unreadable ones reported, roles enforced."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import auth

DATA = Path(__file__).parent.parent / "data" / "payments"


def test_one_message_and_a_batch(client: TestClient, keys: dict[str, str]) -> None:
    cov = (DATA / "mt202cov.txt").read_text("utf-8")
    r = client.post("/payments/screen", json={"message": cov}, headers=auth(keys, "client"))
    assert r.status_code == 200, r.text
    body = r.json()
    [result] = body["results"]
    assert result["message_id"] == "KZKOCOV2025001" and result["overall"] == "block"
    assert result["decision"]["un"] == "block"
    hit = next(h for h in result["hits"] if h["kind"] == "listed_party" and h["field"] == "59")
    assert hit["field"] == "59" and hit["entity_id"] and hit["score"] >= 0.95 and hit["why"]
    batch = [
        (DATA / "pacs009_cov_v09.xml").read_text("utf-8"),
        (DATA / "mt103.txt").read_text("utf-8"),
    ]
    r = client.post("/payments/screen", json={"messages": batch}, headers=auth(keys, "client"))
    body = r.json()
    assert body["counts"]["messages"] == 3 and body["counts"]["unreadable"] == 1
    assert body["errors"][0]["position"] == "message 3 (line 34)"
    by_id = {x["message_id"]: x for x in body["results"]}
    assert by_id["HSBKKZKX-COV-55120"]["decision"]["uk"] == "block"


def test_bad_requests(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/payments/screen", json={}, headers=auth(keys, "client"))
    assert r.status_code == 400 and "give a payment message" in r.text
    r = client.post("/payments/screen", json={"message": "hello"}, headers=auth(keys, "client"))
    assert r.status_code in (400, 422) and "not a payment message" in r.text
    r = client.post("/payments/screen", json={"message": "x"})
    assert r.status_code == 401


def test_alerts_need_an_analyst(client: TestClient, keys: dict[str, str]) -> None:
    cov = (DATA / "mt202cov.txt").read_text("utf-8")
    body = {"message": cov, "raise_alerts": True}
    r = client.post("/payments/screen", json=body, headers=auth(keys, "client"))
    assert r.status_code == 403
    r = client.post("/payments/screen", json=body, headers=auth(keys, "analyst"))
    assert r.status_code == 200 and r.json()["alerts"]["parties"] >= 1

"""The API's behaviour: screening and its limits, the yente-compatible endpoint, monitored
counterparties, alerts, decisions, remembered decisions and their re-raise rule, four eyes,
optimistic locking, sessions and CSRF, rate limits, the audit trail and its tamper
detection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from corridor.api.app import ApiConfig, create_app
from corridor.service import audit
from corridor.store import SqlStore, schema

from .conftest import auth

YENTE = json.loads((Path(__file__).parent / "data" / "yente_requests.json").read_text("utf-8"))


def test_screen_and_limits(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys, "client")
    r = client.post(
        "/screen", json={"name": "Путин Владимир Владимирович", "kind": "person"}, headers=h
    )
    body = r.json()
    assert r.status_code == 200 and body["alert"]
    assert body["matches"][0]["caption"] == "PUTIN, Vladimir Vladimirovich"
    assert body["matches"][0]["explanation"]["summary"]
    owned = client.post("/screen", json={"name": "Steppe Logistics TOO"}, headers=h).json()
    assert owned["matches"][0]["ownership"]["statuses"]["us"] == "blocked"
    bad = client.post("/screen", json={"name": ""}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    assert "name" in bad.json()["error"]["message"]
    bad = client.post("/screen", json={"name": "X", "birth_date": "someday"}, headers=h)
    assert bad.status_code == 400 and "birth_date" in bad.json()["error"]["message"]
    too_many = client.post(
        "/screen/batch", headers=h, json={"queries": [{"name": f"Person {i}"} for i in range(51)]}
    )
    assert too_many.status_code == 413 and "at most 50" in too_many.json()["error"]["message"]
    huge = client.post(
        "/screen",
        headers={**h, "content-type": "application/json"},
        content=b'{"name": "' + b"x" * 2_100_000 + b'"}',
    )
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "request_too_large"


@pytest.mark.parametrize("case", YENTE, ids=[c["name"] for c in YENTE])
def test_yente_match_compatibility(
    client: TestClient, keys: dict[str, str], case: dict[str, Any]
) -> None:
    r = client.post(
        f"/match/{case['dataset']}",
        params=case["params"],
        json=case["body"],
        headers=auth(keys, "client"),
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert set(doc) == {"responses", "limit"}
    for key, expected in case["expect"].items():
        resp = doc["responses"][key]
        assert resp["status"] == 200 and set(resp) >= {"results", "total", "query"}
        if expected is None:
            assert not [x for x in resp["results"] if x["match"]]
            continue
        top = resp["results"][0]
        assert set(top) >= {
            "id",
            "caption",
            "schema",
            "properties",
            "datasets",
            "score",
            "match",
            "features",
            "explanations",
        }
        assert top["id"].startswith(expected) and top["match"] is True
        assert 0 < top["score"] <= 1 and "name" in top["features"]
        assert top["properties"]["name"]


def _alerts(client: TestClient, keys: dict[str, str], cp_id: int) -> list[dict[str, Any]]:
    return [
        a
        for a in client.get("/alerts", headers=auth(keys, "analyst")).json()
        if a["counterparty_id"] == cp_id
    ]


def test_alerts_decisions_memory_and_reraise(
    client: TestClient, keys: dict[str, str], api_store: SqlStore
) -> None:
    h = auth(keys, "analyst")
    person = {"external_id": "CUST-001", "name": "Viktor Vekselberg", "kind": "person"}
    r = client.post("/counterparties", json=person, headers=h).json()
    cp_id = r["counterparty"]["id"]
    assert r["screening"]["alerts_created"]
    alert = _alerts(client, keys, cp_id)[0]
    assert alert["status"] == "open" and alert["case_id"]
    # a stale version is refused and nothing is written
    stale = client.post(
        f"/alerts/{alert['id']}/decision",
        headers=h,
        json={"decision": "false_positive", "reason": "x", "version": 99},
    )
    assert stale.status_code == 409 and "reload" in stale.json()["error"]["message"]
    done = client.post(
        f"/alerts/{alert['id']}/decision",
        headers=h,
        json={
            "decision": "false_positive",
            "reason": "customer born 1980, different person",
            "version": alert["version"],
        },
    ).json()
    assert done["status"] == "false_positive" and done["decisions"][0]["decided_by"] == "analyst1"
    case = client.get(f"/cases/{alert['case_id']}", headers=h).json()
    assert case["status"] == "closed" and case["history"]
    trail = client.get("/audit", params={"limit": 5000}, headers=auth(keys, "supervisor")).json()
    about = [e["action"] for e in trail if e["object"] == f"alert:{alert['id']}"]
    assert about == ["alert.create", "alert.decide"]
    assert any(
        e["action"] == "counterparty.add" and e["object"] == "counterparty:CUST-001" for e in trail
    )
    memory = client.get("/memory", headers=h).json()
    assert any(m["entity_id"] == alert["entity_id"] for m in memory)
    # unchanged records: not raised again
    again = client.post("/counterparties", json=person, headers=h).json()["screening"]
    assert not again["alerts_created"] and again["suppressed_by_memory"]
    # the counterparty changes (a date of birth is added): raised again, saying why
    changed = client.post(
        "/counterparties", headers=h, json={**person, "birth_date": "1957-04-14"}
    ).json()["screening"]
    assert changed["alerts_created"]
    new = next(a for a in _alerts(client, keys, cp_id) if a["id"] == changed["alerts_created"][0])
    assert "the counterparty changed" in new["explanation"]["reraised"]


def test_entity_change_reraises(
    client: TestClient, keys: dict[str, str], api_store: SqlStore
) -> None:
    h = auth(keys, "analyst")
    r = client.post(
        "/counterparties",
        headers=h,
        json={"external_id": "CUST-002", "name": "Oleg Deripaska", "kind": "person"},
    ).json()
    alert = _alerts(client, keys, r["counterparty"]["id"])[0]
    client.post(
        f"/alerts/{alert['id']}/decision",
        headers=h,
        json={"decision": "false_positive", "reason": "namesake", "version": alert["version"]},
    )
    # the listed record changes (as a new list version would): the memory no longer holds
    with api_store.transaction() as conn:
        conn.execute(
            update(schema.decision_memory)
            .where(schema.decision_memory.c.entity_id == alert["entity_id"])
            .values(entity_hash="0" * 64)
        )
    out = client.post("/rescreen", json={"full": True}, headers=auth(keys, "supervisor")).json()
    assert out["mode"] == "full" and out["alerts_created"] >= 1
    latest = _alerts(client, keys, r["counterparty"]["id"])[0]
    assert "the listed entity changed" in latest["explanation"]["reraised"]


def test_four_eyes_for_high_severity(client: TestClient, keys: dict[str, str]) -> None:
    sup = auth(keys, "supervisor")
    assert client.put("/settings/four-eyes", json={"enabled": True}, headers=sup).status_code == 200
    h1, h2 = auth(keys, "analyst"), auth(keys, "analyst2")
    r = client.post(
        "/counterparties",
        headers=h1,
        json={
            "external_id": "CUST-003",
            "name": "Arkady Romanovich Rotenberg",
            "kind": "person",
            "birth_date": "1951-12-15",
        },
    ).json()
    found = _alerts(client, keys, r["counterparty"]["id"])
    alert = next(
        (a for a in found if a["severity"] == "high"),
        {"why": [(a["entity_id"], a["explanation"].get("severity")) for a in found]},
    )
    assert "id" in alert, alert
    first = client.post(
        f"/alerts/{alert['id']}/decision",
        headers=h1,
        json={"decision": "false_positive", "reason": "namesake", "version": alert["version"]},
    ).json()
    assert first["status"] == "pending_second_review" and first["first_reviewer"] == "analyst1"
    same = client.post(
        f"/alerts/{alert['id']}/decision",
        headers=h1,
        json={"decision": "false_positive", "reason": "again", "version": first["version"]},
    )
    assert same.status_code == 403
    second = client.post(
        f"/alerts/{alert['id']}/decision",
        headers=h2,
        json={"decision": "false_positive", "reason": "agree", "version": first["version"]},
    ).json()
    assert second["status"] == "false_positive" and len(second["decisions"]) == 2
    client.put("/settings/four-eyes", json={"enabled": False}, headers=sup)


def test_assign_and_filters(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys, "analyst")
    client.post(
        "/counterparties", headers=h, json={"external_id": "CUST-004", "name": "Ramzan Kadyrov"}
    )
    open_alerts = client.get("/alerts", params={"status": "open"}, headers=h).json()
    assert open_alerts and all(a["status"] == "open" for a in open_alerts)
    ids = [a["id"] for a in open_alerts]
    r = client.post(
        "/alerts/assign",
        json={"alert_ids": ids, "assignee": "analyst2"},
        headers=auth(keys, "supervisor"),
    )
    assert r.json()["updated"] == len(ids)
    mine = client.get("/alerts", params={"assignee": "analyst2"}, headers=h).json()
    assert {a["id"] for a in mine} >= set(ids)


def test_sessions_csrf_and_login_limits(api_store: SqlStore, keys: dict[str, str]) -> None:
    app = create_app(api_store, ApiConfig(rate_limit=0))
    with TestClient(app) as c:
        assert (
            c.post("/auth/login", json={"username": "analyst1", "password": "wrong"}).status_code
            == 401
        )
        r = c.post("/auth/login", json={"username": "analyst1", "password": "analyst-password-1"})
        assert r.status_code == 200
        csrf = r.json()["csrf_token"]
        assert c.get("/auth/me").json()["via"] == "session"
        body = {"external_id": "CUST-S", "name": "Esil Agro TOO"}
        refused = c.post("/counterparties", json=body)
        assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
        assert (
            c.post("/counterparties", json=body, headers={"X-CSRF-Token": csrf}).status_code == 200
        )
        c.post("/auth/logout", headers={"X-CSRF-Token": csrf})
        assert c.get("/auth/me").status_code == 401
        for _ in range(5):
            c.post("/auth/login", json={"username": "client1", "password": "nope-nope"})
        locked = c.post(
            "/auth/login", json={"username": "client1", "password": "client-password-1"}
        )
        assert locked.status_code == 401 and "too many" in locked.json()["error"]["message"]


def test_rate_limit(api_store: SqlStore, keys: dict[str, str]) -> None:
    app = create_app(api_store, ApiConfig(rate_limit=2))
    with TestClient(app) as c:
        codes = [c.get("/lists", headers=auth(keys, "client")).status_code for _ in range(8)]
    assert 429 in codes and codes[0] == 200


def test_audit_trail_and_tamper_detection(
    client: TestClient, keys: dict[str, str], api_store: SqlStore
) -> None:
    sup = auth(keys, "supervisor")
    client.post("/screen", json={"name": "Audit Probe"}, headers=auth(keys, "client"))
    client.put("/settings/four-eyes", json={"enabled": False}, headers=sup)
    entries = client.get("/audit", params={"action": "screen"}, headers=sup).json()
    assert entries and entries[-1]["actor"] == "client1"
    assert entries[-1]["detail"]["name"] == "Audit Probe"
    assert client.get("/audit/verify", headers=sup).json()["ok"]
    actions = {
        e["action"] for e in client.get("/audit", params={"limit": 5000}, headers=sup).json()
    }
    assert actions >= {
        "user.add",
        "apikey.create",
        "screen",
        "settings.change",
        "list.import",
        "graph.import",
    }
    log = schema.audit_log
    target = entries[-1]["seq"]
    with api_store.transaction() as conn:  # an edit
        conn.execute(
            update(log).where(log.c.seq == target).values(detail='{"name": "someone else"}')
        )
    result = audit.verify(api_store)
    assert not result.ok and any(
        f"entry {target}: its content or hash was changed" in p for p in result.problems
    )
    with api_store.transaction() as conn:  # undo, then delete an entry in the middle
        conn.execute(
            update(log)
            .where(log.c.seq == target)
            .values(detail=json.dumps(entries[-1]["detail"], ensure_ascii=False, sort_keys=True))
        )
    assert audit.verify(api_store).ok
    with api_store.transaction() as conn:
        conn.execute(delete(log).where(log.c.seq == 3))
    assert any(
        "entries 3 before the last checkpoint" in p for p in audit.verify(api_store).problems
    )
    problems = audit.verify(api_store, full=True).problems
    assert any("entries 3..3 are missing" in p for p in problems)


def test_audit_detects_a_deleted_tail(tmp_path: Path) -> None:
    from corridor.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    for i in range(5):
        audit.record(store, "tester", "test", f"x:{i}", {"i": i})
    assert audit.verify(store).ok
    with store.transaction() as conn:
        conn.execute(delete(schema.audit_log).where(schema.audit_log.c.seq == 5))
    problems = audit.verify(store).problems
    assert problems and "head records entry 5" in problems[0]
    store.close()

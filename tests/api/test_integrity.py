"""The API says when lists are stale, and lets supervisors make a stored version active."""

from __future__ import annotations

from fastapi.testclient import TestClient

from corridor.store import SqlStore
from tests.api.conftest import auth


def test_screening_answers_carry_stale_list_warnings(
    client: TestClient, keys: dict[str, str]
) -> None:
    r = client.post("/screen", json={"name": "Vladimir Putin"}, headers=auth(keys, "client"))
    warnings = r.json()["warnings"]
    assert {w.split()[1] for w in warnings} == {"un_sc", "uk_hmt"}
    assert all("days old" in w and "corridor lists update" in w for w in warnings)
    r = client.post(
        "/match/default",
        json={"queries": {"q": {"schema": "Person", "properties": {"name": ["Putin"]}}}},
        headers=auth(keys, "client"),
    )
    assert set(r.json()) == {"responses", "limit"}  # yente's shape, untouched
    assert "list uk_hmt is" in r.headers["x-corridor-warnings"]
    listed = client.get("/lists", headers=auth(keys, "client")).json()
    assert {s["source"]: s["stale"] for s in listed} == {
        "uk_hmt": True,
        "un_sc": True,
        "us_ofac_sdn": False,
    }


def test_supervisors_make_a_stored_version_active(
    client: TestClient, keys: dict[str, str], api_store: SqlStore
) -> None:
    active = api_store.active_version("un_sc")
    assert active is not None
    body = {"version": active.id}
    r = client.post("/lists/un_sc/activate", json=body, headers=auth(keys, "analyst"))
    assert r.status_code == 403
    r = client.post("/lists/un_sc/activate", json=body, headers=auth(keys, "supervisor"))
    assert r.status_code == 200 and r.json()["active"] is True
    other = api_store.active_version("us_ofac_sdn")
    assert other is not None
    r = client.post(
        "/lists/un_sc/activate", json={"version": other.id}, headers=auth(keys, "supervisor")
    )
    assert r.status_code == 404 and "belongs to us_ofac_sdn" in r.json()["error"]["message"]
    r = client.post(
        "/lists/un_sc/activate", json={"version": 2**63}, headers=auth(keys, "supervisor")
    )
    assert r.status_code == 422
    r = client.get("/lists/nowhere/versions", headers=auth(keys, "client"))
    assert r.status_code == 404

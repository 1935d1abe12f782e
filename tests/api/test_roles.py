"""Every endpoint, every role: allowed roles get through, the others get 403, and nobody
gets anything without credentials (except the health check)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import ROLES, auth

ENDPOINTS: list[tuple[str, str, Any, str]] = [
    ("POST", "/screen", {"name": "Ivan Petrov"}, "client"),
    ("POST", "/screen/batch", {"queries": [{"name": "Ivan Petrov"}]}, "client"),
    (
        "POST",
        "/match/default",
        {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ivan Petrov"]}}}},
        "client",
    ),
    ("POST", "/goods/check", {"code": "8542.31"}, "client"),
    (
        "POST",
        "/shipments/screen",
        {
            "documents": [
                {
                    "doc_id": "D1",
                    "date": "2024-05-01",
                    "seller": "Kostanay Flour Mill TOO",
                    "seller_country": "KZ",
                    "buyer": "Tashkent Non MChJ",
                    "buyer_country": "UZ",
                    "destination_country": "UZ",
                    "hs_code": "1101.00",
                    "description": "Wheat flour",
                    "quantity": 20000,
                    "unit": "kg",
                    "value": 6000,
                    "currency": "USD",
                }
            ]
        },
        "client",
    ),
    ("POST", "/ownership/evaluate", {"entity": "kz-steppe"}, "client"),
    ("GET", "/lists", None, "client"),
    ("GET", "/lists/us_ofac_sdn/versions", None, "client"),
    ("GET", "/lists/us_ofac_sdn/diff", None, "client"),
    ("GET", "/entities/ofac-24283", None, "client"),
    ("GET", "/auth/me", None, "client"),
    (
        "POST",
        "/counterparties",
        {
            "external_id": "R-{role}",
            "name": "Aral Textile TOO",
            "kind": "organization",
            "country": "KZ",
        },
        "analyst",
    ),
    (
        "POST",
        "/counterparties/import",
        {"counterparties": [{"external_id": "RI-{role}", "name": "Esil Agro TOO"}]},
        "analyst",
    ),
    ("GET", "/counterparties", None, "analyst"),
    ("GET", "/counterparties/1", None, "analyst"),
    ("GET", "/alerts", None, "analyst"),
    ("GET", "/alerts/999999", None, "analyst"),
    (
        "POST",
        "/alerts/999999/decision",
        {"decision": "escalate", "reason": "check", "version": 1},
        "analyst",
    ),
    ("GET", "/cases", None, "analyst"),
    ("GET", "/cases/999999", None, "analyst"),
    ("GET", "/memory", None, "analyst"),
    ("GET", "/settings", None, "analyst"),
    ("POST", "/alerts/assign", {"alert_ids": [999999], "assignee": "analyst1"}, "supervisor"),
    ("DELETE", "/memory/999999/none", None, "supervisor"),
    ("POST", "/rescreen", {"full": False}, "supervisor"),
    ("PUT", "/settings/four-eyes", {"enabled": False}, "supervisor"),
    ("GET", "/audit", None, "supervisor"),
    ("GET", "/audit/verify", None, "supervisor"),
    ("GET", "/users", None, "admin"),
    (
        "POST",
        "/users",
        {"username": "new-{role}", "password": "a-long-password", "role": "client"},
        "admin",
    ),
    ("PATCH", "/users/client1", {"active": True}, "admin"),
    ("POST", "/users/client1/keys", {"name": "k-{role}"}, "admin"),
]


def _body(body: Any, role: str) -> Any:
    if body is None:
        return None
    return json.loads(json.dumps(body).replace("{role}", role))


@pytest.mark.parametrize(
    ("method", "path", "body", "needed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(
    client: TestClient,
    keys: dict[str, str],
    method: str,
    path: str,
    body: Any,
    needed: str,
    role: str,
) -> None:
    response = client.request(method, path, json=_body(body, role), headers=auth(keys, role))
    allowed = ROLES.index(role) >= ROLES.index(needed)
    if allowed:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path", "body", "needed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
def test_no_credentials_no_access(
    client: TestClient, method: str, path: str, body: Any, needed: str
) -> None:
    response = client.request(method, path, json=_body(body, "anon"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    bad = client.request(
        method, path, json=_body(body, "anon"), headers={"Authorization": "Bearer cor_nope_nope"}
    )
    assert bad.status_code == 401


def test_health_needs_no_credentials(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for _, path, _, _ in ENDPOINTS:
        template = (
            path.replace("/999999/none", "/{counterparty_id}/{entity_id}")
            .replace("us_ofac_sdn", "{source}")
            .replace("ofac-24283", "{entity_id}")
            .replace("/999999", "/{alert_id}" if "alerts" in path else "/{case_id}")
            .replace("/counterparties/1", "/counterparties/{cp_id}")
            .replace("client1", "{username}")
            .replace("/match/default", "/match/{dataset}")
        )
        assert template in paths, template


def test_openapi_tells_the_truth(client: TestClient) -> None:
    """Security schemes declared, every endpoint's answer typed, the error body as it is,
    and the documentation page served from Corridor itself (it works offline)."""
    spec = client.get("/openapi.json").json()
    assert set(spec["components"]["securitySchemes"]) == {
        "HTTPBearer",
        "APIKeyHeader",
        "APIKeyCookie",
    }
    untyped = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]
            if "$ref" not in ok and "$ref" not in ok.get("items", {}):
                untyped.append(f"{method} {path}")
            error = op["responses"]["422"]["content"]["application/json"]["schema"]
            assert error["$ref"].endswith("/ErrorResponse"), (method, path)
            if path not in ("/health", "/auth/login"):
                assert op.get("security"), (method, path)
    assert untyped == []
    page = client.get("/docs").text
    assert "/docs/static/swagger-ui-bundle.js" in page and "https://" not in page
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404
    # the documented error body is the real one
    r = client.get("/alerts?limit=-1", headers={"Authorization": "Bearer nope"})
    assert set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message"}

"""The service under abuse: costly names on a real server do not hold up anyone else."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from corridor.service import load_list, users
from corridor.store import open_store
from tests.api.conftest import auth
from tests.api.serving import corridor_server

UN = "un/UN_consolidated.xml"


def test_costly_names_do_not_delay_health(tmp_path: Path, shared: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    store = open_store(url)
    load_list(store, shared / UN)
    users.add_user(store, "burst", "a-long-password", "client", "test")
    key = users.create_api_key(store, "burst", "burst", "test")
    store.close()
    costly = " ".join((["al", "abd", "al", "rahman", "bin", "al", "muhammad"] * 3)[:18])
    with corridor_server(url, "--rate-limit", "0") as base:
        stop = threading.Event()
        answers: list[int] = []

        def burst() -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                while not stop.is_set():
                    r = c.post(
                        "/screen",
                        json={"name": costly},
                        headers={"Authorization": f"Bearer {key}"},
                    )
                    answers.append(r.status_code)

        threads = [threading.Thread(target=burst) for _ in range(10)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        probes = []
        with httpx.Client(base_url=base, timeout=10) as c:
            for _ in range(60):
                t0 = time.perf_counter()
                assert c.get("/health").status_code == 200
                probes.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.02)
        stop.set()
        for t in threads:
            t.join()
    print(
        f"/health while 10 clients screen costly names: median {statistics.median(probes):.1f} "
        f"ms, max {max(probes):.1f} ms; {len(answers)} screenings answered {set(answers)}"
    )
    assert answers and set(answers) <= {200, 422}
    assert statistics.median(probes) < 20
    assert sorted(probes)[int(len(probes) * 0.95)] < 50


PARAMS = [
    ("get", "/alerts?offset=9223372036854775808", 422),
    ("get", "/alerts?limit=-1", 422),
    ("get", "/audit?limit=-1", 422),
    ("get", "/audit?since=99999999999999999999", 422),
    ("get", "/counterparties?limit=100000", 422),
    ("get", "/alerts/9223372036854775808", 422),
    ("get", "/cases/0", 422),
    ("get", "/lists/un_sc/diff?from_version=9223372036854775808", 422),
    ("post", "/alerts/9223372036854775807/decision", 422),
]


@pytest.mark.parametrize(("method", "path", "status"), PARAMS, ids=[p[1] for p in PARAMS])
def test_every_parameter_is_validated(
    client: TestClient, keys: dict[str, str], method: str, path: str, status: int
) -> None:
    body = {"decision": "escalate", "reason": "x", "version": 1} if method == "post" else None
    r = client.request(method, path, json=body, headers=auth(keys, "admin"))
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] in ("invalid_request", "invalid_query")


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "\\ud800 Putin"}',
        b'{"name": "Putin", "identifiers": [' + b"[" * 5000 + b"]" * 5000 + b"]}",
        b'{"name": "Putin", "limit": ' + b"9" * 5000 + b"}",
    ],
    ids=["lone surrogate", "deep JSON", "5,000-digit number"],
)
def test_hostile_json_is_a_json_4xx(client: TestClient, keys: dict[str, str], body: bytes) -> None:
    r = client.post(
        "/screen",
        content=body,
        headers={**auth(keys, "client"), "content-type": "application/json"},
    )
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["code"]
    r = client.post(
        "/match/default",
        content=body.replace(
            b'"name"', b'"queries": {"q": {"schema": "Person", "properties": {"name"', 1
        ).rstrip(b"}")
        + b"}}}}",
        headers={**auth(keys, "client"), "content-type": "application/json"},
    )
    assert 400 <= r.status_code < 500, r.text

"""Limits held in the store, so that they hold across worker processes: sign-in lockouts under a
concurrent burst, API-key revocation and user deactivation, on a real server with two workers;
constant-time sign-in answers, bounded audit of failures, login CSRF, Secure cookies, the last
admin."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from corridor.service import audit, users
from corridor.store import SqlStore, open_store
from tests.api.conftest import auth
from tests.api.serving import corridor_server

PASSWORD = "the-right-password-1"


@pytest.fixture
def two_workers(store_url: str) -> tuple[str, str]:
    store = open_store(store_url)
    users.add_user(store, "target", PASSWORD, "supervisor", "test")
    users.add_user(store, "keeper", "keeper-password-1", "admin", "test")
    key = users.create_api_key(store, "target", "burst", "test")
    store.close()
    return store_url, key


def test_a_login_burst_on_two_workers_checks_at_most_five_passwords(
    two_workers: tuple[str, str],
) -> None:
    url, _key = two_workers
    with corridor_server(url, "--workers", "2", "--rate-limit", "0") as base:
        barrier = threading.Barrier(40)
        answers: list[tuple[int, str]] = []

        def attempt(i: int) -> None:
            password = PASSWORD if i == 39 else f"wrong-password-{i}"
            with httpx.Client(base_url=base, timeout=60) as c:
                barrier.wait()
                r = c.post("/auth/login", json={"username": "target", "password": password})
                answers.append((r.status_code, r.text))

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    wrong = [a for a in answers if "wrong username or password" in a[1]]
    right = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if "too many" in a[1]]
    print(f"40 sign-ins at once on 2 workers: {len(wrong) + len(right)} passwords checked")
    # at most five wrong passwords tried; the right one, if it came early, gives its try back
    assert len(wrong) <= users.LOGIN_ATTEMPTS and len(right) <= 1
    assert len(wrong) + len(right) + len(refused) == 40
    store = open_store(url)
    actions = [e["action"] for e in audit.iter_entries(store)]
    assert actions.count("login.locked") == 1 and actions.count("login.failed") <= 1
    store.close()


def test_revocation_and_deactivation_hold_at_once_on_every_worker(
    two_workers: tuple[str, str],
) -> None:
    url, key = two_workers
    headers = {"Authorization": f"Bearer {key}"}
    with (
        corridor_server(url, "--workers", "2", "--rate-limit", "0") as base,
        httpx.Client(base_url=base, timeout=30) as c,
    ):
        # warm both workers with the key
        assert all(c.get("/audit/verify", headers=headers).status_code == 200 for _ in range(20))
        store = open_store(url)
        users.revoke_api_key(store, key.split("_")[1], "keeper")
        statuses = {c.get("/audit/verify", headers=headers).status_code for _ in range(20)}
        assert statuses == {401}
        second = users.create_api_key(store, "target", "second", "test")
        h2 = {"Authorization": f"Bearer {second}"}
        assert c.get("/audit/verify", headers=h2).status_code == 200
        users.set_user(store, "target", "keeper", active=False)
        statuses = {c.get("/audit/verify", headers=h2).status_code for _ in range(20)}
        assert statuses == {401}
        store.close()


def test_unknown_and_known_user_names_take_as_long(api_store: SqlStore) -> None:
    """A first wrong password for a user name takes as long whether or not the user exists
    (the same scrypt check, the same audit and counting)."""
    for i in range(8):
        users.add_user(api_store, f"timing{i}", "timing-password-1", "client", "test")

    def timed(name: str) -> float:
        t0 = time.perf_counter()
        with pytest.raises(Exception):  # noqa: B017 - wrong password or no such user
            users.authenticate(api_store, name, "not-the-password")
        return time.perf_counter() - t0

    known, unknown = [], []
    for i in range(8):  # interleaved, so that the machine's load weighs on both alike
        known.append(timed(f"timing{i}"))
        unknown.append(timed(f"nobody-{i}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (known, unknown)


def test_failed_logins_are_audited_in_bounded_form(client: TestClient, api_store: SqlStore) -> None:
    before = sum(1 for _ in audit.iter_entries(api_store))
    for i in range(20):
        r = client.post(
            "/auth/login", json={"username": "x" * 128 + str(i % 2), "password": "wrong"}
        )
        assert r.status_code in (401, 422)
    r = client.post("/auth/login", json={"username": "x" * (1 << 20), "password": "wrong"})
    assert r.status_code == 422
    entries = list(audit.iter_entries(api_store, since=before))
    assert len(entries) <= 4  # a first failure and a lockout per name
    assert all(len(e["actor"]) <= 64 and len(e["object"]) <= 80 for e in entries)


def test_login_from_another_site_is_refused(client: TestClient) -> None:
    r = client.post(
        "/auth/login",
        json={"username": "admin1", "password": "admin-password-1"},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert r.status_code == 403 and "set-cookie" not in r.headers


def test_session_cookie_is_secure_over_https(client: TestClient) -> None:
    r = client.post(
        "/auth/login",
        json={"username": "analyst1", "password": "analyst-password-1"},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert r.status_code == 200 and "secure" in r.headers["set-cookie"].lower()
    r = client.post("/auth/login", json={"username": "analyst1", "password": "analyst-password-1"})
    assert "secure" not in r.headers["set-cookie"].lower()  # plain HTTP to this machine


def test_the_last_admin_keeps_its_rights(client: TestClient, keys: dict[str, str]) -> None:
    r = client.patch("/users/admin1", json={"role": "analyst"}, headers=auth(keys, "admin"))
    assert r.status_code == 409 and "last active admin" in r.json()["error"]["message"]
    r = client.patch("/users/admin1", json={"active": False}, headers=auth(keys, "admin"))
    assert r.status_code == 409
    assert client.get("/users", headers=auth(keys, "admin")).status_code == 200


def test_keys_are_listed_and_revoked_one_by_one(
    client: TestClient, keys: dict[str, str], api_store: SqlStore
) -> None:
    spare = users.create_api_key(api_store, "client1", "spare", "test")
    listed = client.get("/keys", params={"username": "client1"}, headers=auth(keys, "admin"))
    prefixes = {k["prefix"]: k for k in listed.json()}
    prefix = spare.split("_")[1]
    assert prefix in prefixes and not prefixes[prefix]["revoked"]
    assert "key_hash" not in prefixes[prefix]
    assert client.delete(f"/keys/{prefix}", headers=auth(keys, "analyst")).status_code == 403
    assert client.delete(f"/keys/{prefix}", headers=auth(keys, "admin")).status_code == 200
    r = client.post("/screen", json={"name": "X"}, headers={"Authorization": f"Bearer {spare}"})
    assert r.status_code == 401
    assert (
        client.post("/screen", json={"name": "X"}, headers=auth(keys, "client")).status_code == 200
    )
    assert client.delete(f"/keys/{prefix}", headers=auth(keys, "admin")).status_code == 404


def test_cli_lists_and_revokes_keys(tmp_path: Path) -> None:
    from corridor.cli import main

    db = f"sqlite:///{tmp_path / 'c.db'}"
    store = open_store(db)
    users.add_user(store, "svc", "svc-password-12", "client", "test")
    key = users.create_api_key(store, "svc", "erp", "test")
    store.close()
    assert main(["--db", db, "users", "keys", "svc", "--json"]) == 0
    assert main(["--db", db, "users", "revoke-key", key.split("_")[1]]) == 0
    assert main(["--db", db, "users", "revoke-key", key.split("_")[1]]) == 2

"""API fixtures: a store with real lists, one user and API key per role, a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corridor.api.app import ApiConfig, create_app
from corridor.lists.bundled import bundled_lists
from corridor.service import load_list, users
from corridor.service.ownership import load_graph
from corridor.store import SqlStore, open_store

ROLES = ("client", "analyst", "supervisor", "admin")
SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"


@pytest.fixture(scope="module")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'corridor.db'}")
    for item in bundled_lists():
        if item.source in ("us_ofac_sdn", "uk_hmt", "un_sc"):
            load_list(store, item.path, format=item.format, source=item.source)
    load_graph(store, SAMPLES / "ownership.csv")
    yield store
    store.close()


def role_keys(store: SqlStore) -> dict[str, str]:
    """One user and API key per role (and a second analyst), by role."""
    out = {}
    for role in ROLES:
        users.add_user(store, f"{role}1", f"{role}-password-1", role, "test")
        out[role] = users.create_api_key(store, f"{role}1", "tests", "test")
    users.add_user(store, "analyst2", "analyst-password-2", "analyst", "test")
    out["analyst2"] = users.create_api_key(store, "analyst2", "tests", "test")
    return out


def api_client(store: SqlStore) -> Iterator[TestClient]:
    app = create_app(store, ApiConfig(rate_limit=0, max_batch=50, max_body=2_000_000))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def keys(api_store: SqlStore) -> dict[str, str]:
    return role_keys(api_store)


@pytest.fixture(scope="module")
def client(api_store: SqlStore, keys: dict[str, str]) -> Iterator[TestClient]:
    yield from api_client(api_store)


def auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}

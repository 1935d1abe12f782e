"""Web UI fixtures: a store with real lists, the sample ownership register and sample
counterparties (so there are real alerts), one user per role, a signed-in test client per
role, and for the browser tests a real server on a free port and headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.api.app import ApiConfig, create_app
from corridor.lists.bundled import bundled_lists
from corridor.service import load_list, monitoring, users
from corridor.service.ownership import load_graph
from corridor.service.profiles import recompute_profiles
from corridor.service.screening import build_screener
from corridor.store import SqlStore, open_store
from tests.conftest import _fresh_pg_db, _pg_or_skip

ROLES = ("client", "analyst", "supervisor", "admin")
SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"
ARTIFACTS = Path(
    os.environ.get("CORRIDOR_ARTIFACTS", Path(__file__).resolve().parents[2] / ".artifacts")
)


def password(role: str) -> str:
    return f"{role}-password-1"


def build_store(url: str) -> SqlStore:
    store = open_store(url)
    for item in bundled_lists():
        if item.source in ("us_ofac_sdn", "uk_hmt", "un_sc"):
            load_list(store, item.path, format=item.format, source=item.source)
    recompute_profiles(store)
    load_graph(store, SAMPLES / "ownership.csv")
    for role in ROLES:
        users.add_user(store, f"{role}1", password(role), role, "test")
    users.add_user(store, "analyst2", password("analyst"), "analyst", "test")
    monitoring.import_counterparties(
        store, build_screener(store), SAMPLES / "counterparties.csv", "test"
    )
    return store


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def web_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqlStore]:
    """The store behind the pages: SQLite, and PostgreSQL when a test server is given."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'corridor.db'}"
    else:
        url = _fresh_pg_db(_pg_or_skip())
    store = build_store(url)
    yield store
    store.close()


@pytest.fixture(scope="module")
def web_app(web_store: SqlStore) -> Any:
    return create_app(web_store, ApiConfig(rate_limit=0))


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Session:
    """A signed-in test client and its CSRF token."""

    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client, self.csrf = client, csrf

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **kw)


def sign_in(app: Any, username: str, role: str) -> Session:
    client = TestClient(app, follow_redirects=False)
    r = client.post("/ui/login", data={"username": username, "password": password(role)})
    assert r.status_code == 303, r.text
    page = client.get("/ui/search")
    match = CSRF.search(page.text)
    assert match, "a signed-in page carries the CSRF token"
    return Session(client, match.group(1))


@pytest.fixture(scope="module")
def sessions(web_app: Any) -> dict[str, Session]:
    return {role: sign_in(web_app, f"{role}1", role) for role in ROLES}


# -- a real server and a real browser ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(web_app: Any) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def chromium_path() -> str | None:
    return (
        os.environ.get("CORRIDOR_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CORRIDOR_REQUIRE_BROWSER"):
            pytest.fail("CORRIDOR_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("no Chromium (run 'make test', which installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

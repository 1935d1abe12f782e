"""Shared fixtures.

Fixture data policy: parser tests read the real list files of ``../shared/data`` (or
``CORRIDOR_SHARED_DATA``) and the bundled snapshot; small hand-written files live in
``tests/data`` only where a real file cannot show the case (broken or hostile input).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.store import SqlStore, open_store

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


def _shared_data() -> Path:
    env = os.environ.get("CORRIDOR_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


SHARED = _shared_data()

# compiled indexes in a private directory per test process, never in the user's data directory
if "CORRIDOR_INDEX_DIR" not in os.environ:
    _INDEX_DIR = tempfile.mkdtemp(prefix="corridor-test-index-")
    os.environ["CORRIDOR_INDEX_DIR"] = _INDEX_DIR
    atexit.register(shutil.rmtree, _INDEX_DIR, True)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"real list data not found at {SHARED}; set CORRIDOR_SHARED_DATA")
    return SHARED


def pg_url() -> str | None:
    return os.environ.get("CORRIDOR_TEST_PG_URL")


def _pg_or_skip() -> str:
    url = pg_url()
    if not url:
        if os.environ.get("CORRIDOR_REQUIRE_PG"):
            pytest.fail("CORRIDOR_REQUIRE_PG is set but CORRIDOR_TEST_PG_URL is not")
        pytest.skip("no PostgreSQL server (run 'make test', which starts one)")
    return url


def _fresh_pg_db(base_url: str) -> str:
    """Create an empty database on the test server and return its URL."""
    from sqlalchemy import create_engine, text

    from corridor.store.dialect import normalise_url

    name = f"corridor_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corridor.db'}"
    return _fresh_pg_db(_pg_or_skip())


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    st = open_store(store_url)
    yield st
    st.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqlStore]:
    st = open_store(f"sqlite:///{tmp_path / 'corridor.db'}")
    yield st
    st.close()


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    """A SQLite store holding every bundled list (built once per test session)."""
    from corridor.lists.bundled import bundled_lists
    from corridor.service import load_list

    path = tmp_path_factory.mktemp("bundled") / "corridor.db"
    st = open_store(f"sqlite:///{path}")
    for item in bundled_lists():
        load_list(st, item.path, format=item.format, source=item.source, published=item.as_of)
    yield st
    st.close()


@pytest.fixture(scope="session")
def screener(bundled_store: SqlStore):  # type: ignore[no-untyped-def]
    from corridor.matching import Screener

    return Screener.from_store(bundled_store)

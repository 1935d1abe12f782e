"""A list import killed with SIGKILL leaves the previous version active and the store sound."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corridor.store import open_store
from tests.conftest import _fresh_pg_db, _pg_or_skip


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_kill_9_during_import(backend: str, shared: Path, tmp_path: Path) -> None:
    url = (
        f"sqlite:///{tmp_path / 'corridor.db'}"
        if backend == "sqlite"
        else _fresh_pg_db(_pg_or_skip())
    )
    first = shared / "un/UN_consolidated.xml"
    big = shared / "ofac/sdn_csv_2024-05-03/sdn.csv"
    store = open_store(url)
    from corridor.service import load_list

    before = load_list(store, first, source="target").version
    assert before is not None
    store.close()
    # time one import to kill the next one half-way through its write
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from corridor.store import open_store; "
            "from corridor.service import load_list; "
            "load_list(open_store(sys.argv[1]), sys.argv[2], source='probe')",
            url,
            str(big),
        ],
        check=True,
    )
    duration = time.perf_counter() - t0
    proc_code = (
        "import sys; from corridor.store import open_store; "
        "from corridor.service import load_list; "
        "load_list(open_store(sys.argv[1]), sys.argv[2], source='target')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", proc_code, url, str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # the records are already stored by the probe, so this import runs faster: stop it early
    time.sleep(duration * 0.4)
    assert proc.poll() is None, "import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = open_store(url)
    try:
        active = store.active_version("target")
        assert active is not None and active.id == before.id
        assert [v.id for v in store.versions("target")] == [before.id]
        assert store.integrity_ok()
        assert sum(1 for _ in store.iter_entities(before.id)) == 1003
        # and the store still takes new imports
        from corridor.service import load_list as again

        after = again(store, big, source="target").version
        assert after is not None and after.entity_count == 14965
    finally:
        store.close()

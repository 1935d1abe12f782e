"""The service under abuse: costly names on a real server do not hold up anyone else."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import httpx

from corridor.service import load_list, users
from corridor.store import open_store
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

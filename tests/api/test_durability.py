"""Decisions under real concurrency (PostgreSQL and SQLite), delta re-screening after a list
update, and a server killed in the middle of a burst of decisions."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from corridor.exceptions import Conflict
from corridor.lists.bundled import bundled_lists
from corridor.matching import Screener
from corridor.service import audit, load_list, monitoring, users
from corridor.store import SqlStore, open_store, schema

FTM = Path(__file__).parent / "data"


def _entity(eid: str, name: str, aliases: list[str]) -> list[dict[str, object]]:
    return [
        {
            "id": eid,
            "schema": "Person",
            "properties": {"name": [name], "alias": aliases, "topics": ["sanction"]},
        }
    ]


def _write_list(path: Path, entities: list[list[dict[str, object]]]) -> Path:
    path.write_text("\n".join(json.dumps(e) for ent in entities for e in ent) + "\n")
    return path


def _screener(store: SqlStore) -> Screener:
    return Screener.from_store(store)


def _alert_for(store: SqlStore, screener: Screener, name: str, ext: str) -> dict[str, object]:
    cp, outcome = monitoring.upsert_counterparty(
        store, screener, monitoring.CounterpartyIn(ext, name, "person"), "test"
    )
    assert outcome.created, (name, outcome)
    return monitoring.get_alert(store, outcome.created[0])


def test_concurrent_decisions_lose_no_update(store: SqlStore) -> None:
    """Eight analysts decide the same alert at once: exactly one wins, the others are told
    it changed; the audit chain stays intact under concurrent appends."""
    item = next(i for i in bundled_lists() if i.source == "un_sc")
    load_list(store, item.path, format=item.format, source=item.source)
    screener = _screener(store)
    reviewers = [
        users.add_user(store, f"rev{i}", "a-long-password", "analyst", "test") for i in range(8)
    ]
    alert = _alert_for(store, screener, "Saddam Hussein Al-Tikriti", "C-CON")
    outcomes: list[str] = []
    barrier = threading.Barrier(len(reviewers))

    def decide(user: users.User) -> None:
        barrier.wait()
        try:
            monitoring.decide(
                store,
                int(alert["id"]),
                "true_match",
                f"by {user.username}",
                int(alert["version"]),
                user,
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=decide, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    final = monitoring.get_alert(store, int(alert["id"]))
    assert final["version"] == int(alert["version"]) + 1 and len(final["decisions"]) == 1
    # concurrent audit appends form one chain
    appenders = [
        threading.Thread(
            target=lambda i=i: [audit.record(store, f"t{i}", "probe", "x") for _ in range(10)]
        )
        for i in range(6)
    ]
    for t in appenders:
        t.start()
    for t in appenders:
        t.join()
    assert audit.verify(store).ok


def test_delta_rescreen_touches_only_affected_counterparties(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    store = sqlite_store
    v1 = _write_list(
        tmp_path / "v1.ftm.json",
        [_entity("nk-1", "Boris Zhukov", []), _entity("nk-2", "Alibek Nurlanov", [])],
    )
    load_list(store, v1, source="watch")
    screener = _screener(store)
    alert = _alert_for(store, screener, "Boris Zhukov", "C-1")
    monitoring.decide(
        store, int(alert["id"]), "false_positive", "namesake", 1, users.User(0, "tester", "analyst")
    )
    for i in range(20):  # bystanders that no change can concern
        monitoring.upsert_counterparty(
            store,
            screener,
            monitoring.CounterpartyIn(f"B-{i}", f"Gulnara Sadykova {i}", "person"),
            "test",
        )
    monitoring.upsert_counterparty(
        store, screener, monitoring.CounterpartyIn("C-2", "Yerlan Tokhtarov", "person"), "test"
    )
    before = store.active_version("watch")
    v2 = _write_list(
        tmp_path / "v2.ftm.json",
        [
            _entity("nk-1", "Boris Zhukov", ["Borys Zhukau"]),  # changed: a new alias
            _entity("nk-2", "Alibek Nurlanov", []),  # unchanged
            _entity("nk-3", "Yerlan Tokhtarov", []),
        ],
    )  # added
    after = load_list(store, v2, source="watch").version
    assert before is not None and after is not None
    report = monitoring.rescreen(store, screener, "test", {"watch": (before.id, after.id)})
    assert report["mode"] == "delta" and report["changed_entities"] == 2
    assert report["counterparties"] == 22 and report["rescreened"] == 2
    assert report["alerts_created"] == 2 and report["suppressed_by_memory"] == 0
    reraised = [a for a in monitoring.list_alerts(store) if a["entity_id"] == "nk-1"]
    assert "the listed entity changed" in reraised[0]["explanation"]["reraised"]
    assert monitoring.rescreen(store, screener, "test", {})["rescreened"] == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_killed_server_loses_no_acknowledged_decision(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url)
    item = next(i for i in bundled_lists() if i.source == "un_sc")
    load_list(store, item.path, format=item.format, source=item.source)
    screener = _screener(store)
    users.add_user(store, "burst", "a-long-password", "analyst", "test")
    key = users.create_api_key(store, "burst", "burst", "test")
    names = [e.caption for e in store.iter_active_entities() if e.kind.value == "person"][:120]
    alert_ids = []
    for i, name in enumerate(names):
        _, outcome = monitoring.upsert_counterparty(
            store, screener, monitoring.CounterpartyIn(f"K-{i}", name, "person"), "test"
        )
        alert_ids.extend(outcome.created[:1])
    store.close()
    port = _free_port()
    env = {**os.environ, "CORRIDOR_DB": store_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "corridor", "serve", "--port", str(port), "--rate-limit", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        acknowledged: list[int] = []
        lock = threading.Lock()
        stop = threading.Event()

        def worker(ids: list[int]) -> None:
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10
            ) as c:
                for aid in ids:
                    if stop.is_set():
                        return
                    try:
                        r = c.post(
                            f"/alerts/{aid}/decision",
                            json={"decision": "true_match", "reason": "burst", "version": 1},
                        )
                    except httpx.HTTPError:
                        return
                    if r.status_code == 200:
                        with lock:
                            acknowledged.append(aid)

        chunks = [alert_ids[i::4] for i in range(4)]
        threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        while len(acknowledged) < len(alert_ids) // 3:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join()
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()
    assert 0 < len(acknowledged) < len(alert_ids)
    store = open_store(store_url)
    a, d = schema.alerts, schema.decisions
    with store.reading() as conn:
        decided = {r[0] for r in conn.execute(select(d.c.alert_id))}
        statuses = dict(conn.execute(select(a.c.id, a.c.status)).all())
        count = conn.execute(select(func.count()).select_from(d)).scalar_one()
    assert set(acknowledged) <= decided
    assert all(statuses[aid] == "true_match" for aid in acknowledged)
    assert count == len(decided)  # one decision per alert: none half-written
    assert audit.verify(store).ok
    store.close()


def test_list_update_triggers_delta_rescreening(sqlite_store: SqlStore, tmp_path: Path) -> None:
    """A downloaded list update re-screens only the counterparties its changes concern."""
    from corridor.settings import Settings
    from tests.list_server import serving

    served = {"body": b""}
    with serving(served) as base:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[sources.watch]\nurl = "{base}/watch.ftm.json"\nformat = "ftm_json"\n')
        settings = Settings(data_dir=tmp_path / "data", db_url="unused", sources_file=sources)
        served["body"] = _write_list(
            tmp_path / "v1.json", [_entity("nk-1", "Boris Zhukov", [])]
        ).read_bytes()
        store = sqlite_store
        outcomes, report = monitoring.update_and_rescreen(
            store, settings, None, "test", lambda: _screener(store)
        )
        assert outcomes[0].status == "updated" and report is None  # nobody monitored yet
        screener = _screener(store)
        alert = _alert_for(store, screener, "Boris Zhukov", "C-1")
        monitoring.decide(
            store,
            int(alert["id"]),
            "false_positive",
            "namesake",
            1,
            users.User(0, "tester", "analyst"),
        )
        monitoring.upsert_counterparty(
            store, screener, monitoring.CounterpartyIn("C-2", "Gulnara Sadykova", "person"), "test"
        )
        served["body"] = _write_list(
            tmp_path / "v2.json", [_entity("nk-1", "Boris Zhukov", ["Borys Zhukau"])]
        ).read_bytes()
        outcomes, report = monitoring.update_and_rescreen(
            store, settings, None, "test", lambda: screener
        )
        assert outcomes[0].status == "updated" and report is not None
        assert report["mode"] == "delta" and report["rescreened"] == 1
        assert report["alerts_created"] == 1
        actions = [e["action"] for e in audit.iter_entries(store)]
        assert actions.count("list.update") == 2 and "rescreen" in actions

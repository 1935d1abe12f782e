"""No half-registered counterparty: registration and its first screening commit together, so
a process killed with SIGKILL in the middle of an import leaves every stored counterparty
screened (with its alerts); counterparties left unscreened by older versions are picked up."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from corridor.lists import open_list
from corridor.matching import Screener
from corridor.model.entity import EntityKind
from corridor.service import load_list, monitoring
from corridor.store import SqlStore, open_store, schema
from corridor.store.versioned import now

UN = "un/UN_consolidated.xml"

_REGISTER = r"""
import sys
from corridor.matching import Screener
from corridor.service import monitoring
from corridor.store import open_store
store = open_store(sys.argv[1])
screener = Screener.from_store(store)
prefix = sys.argv[2]
print("ready", flush=True)
for i, name in enumerate(sys.argv[3:]):
    monitoring.upsert_counterparty(
        store, screener, monitoring.CounterpartyIn(f"{prefix}-{i}", name, "person"), "test"
    )
"""


def _counts(store: SqlStore) -> tuple[int, int, int]:
    t, a = schema.counterparties, schema.alerts
    with store.reading() as conn:
        total = conn.execute(select(func.count()).select_from(t)).scalar_one()
        unscreened = conn.execute(
            select(func.count()).select_from(t).where(t.c.screened_at.is_(None))
        ).scalar_one()
        without_alert = conn.execute(
            select(func.count())
            .select_from(t)
            .where(~select(a.c.id).where(a.c.counterparty_id == t.c.id).exists())
        ).scalar_one()
    return int(total), int(unscreened), int(without_alert)


def test_sigkill_during_registration_leaves_no_unscreened_counterparty(
    store_url: str, shared: Path
) -> None:
    store = open_store(store_url)
    load_list(store, shared / UN)
    names = [
        e.caption
        for e in open_list(shared / UN)
        if e.kind is EntityKind.PERSON and len(e.caption.split()) >= 3
    ][:400]
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    killed = 0
    for run in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", _REGISTER, store_url, f"run{run}", *names],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        before = _counts(store)[0]
        deadline = time.monotonic() + 60
        while _counts(store)[0] < before + 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    assert killed == 3
    total, unscreened, without_alert = _counts(store)
    assert total >= 9
    assert unscreened == 0, f"{unscreened} of {total} counterparties stored but never screened"
    assert without_alert == 0, f"{without_alert} exact UN names without an alert"
    store.close()


def test_counterparties_left_unscreened_are_picked_up(store: SqlStore, shared: Path) -> None:
    load_list(store, shared / UN)
    with store.transaction() as conn:  # as an older Corridor, interrupted, left them
        conn.execute(
            schema.counterparties.insert(),
            {
                "external_id": "legacy-1",
                "name": "Saddam Hussein Al-Tikriti",
                "kind": "person",
                "country": None,
                "birth_date": None,
                "identifiers": "[]",
                "record_hash": "x",
                "active": 1,
                "created_at": now(),
                "updated_at": now(),
                "screened_at": None,
            },
        )
    screener = Screener.from_store(store)
    assert monitoring.screen_pending(store, screener, "system") == 1
    assert _counts(store) == (1, 0, 0)
    assert monitoring.screen_pending(store, screener, "system") == 0


def test_import_reads_countries_in_any_language_and_drops_bad_dates(
    store: SqlStore, shared: Path, tmp_path: Path
) -> None:
    load_list(store, shared / UN)
    path = tmp_path / "counterparties.csv"
    path.write_text(
        "external_id,name,kind,country,birth_date\n"
        "c1,Saddam Hussein Al-Tikriti,person,Ирак,31/02/1937\n"
        "c2,Aigerim Sadvakasova,person,Қазақстан,1990-01-01\n"
        "c3,Someone,person,Atlantis,\n",
        encoding="utf-8",
    )
    report = monitoring.import_counterparties(store, Screener.from_store(store), path, "test")
    assert report["imported"] == 2 and report["alerts_created"] >= 1
    assert "line 2: birth_date '31/02/1937' is not a date" in report["warnings"][0]
    assert "line 4" in report["errors"][0] and "Atlantis" in report["errors"][0]
    countries = {c["external_id"]: c["country"] for c in monitoring.list_counterparties(store)}
    assert countries == {"c1": "IQ", "c2": "KZ"}

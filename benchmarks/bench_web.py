"""Web UI page-load benchmark: every page of the analysts' UI, loaded in headless Chromium
from the real server (``corridor serve``) over a store with 10,000 alerts.

Target (issue "The analyst web UI"): every page loads in under 300 ms with 10,000 alerts in
the store. "Loads" is the browser's own navigation timing, from the start of the navigation
to the end of the load event (the HTML, the stylesheet, the script and the inline SVG charts
all in). Each page is loaded 3 times to warm up, then measured 15 times; the table shows the
median, the 95th percentile and the slowest load, the server's share (time to the first
byte), and the page's very first load (before any cache of the server or the browser is
warm); the verdict takes the worse of the 95th percentile and the first load. Baselines in
the same run: the JSON API's ``/health`` and ``/alerts?limit=50``, fetched by a plain HTTP
client.

The store is built through the service, as production fills it: the bundled lists, the
sample ownership register, monitored counterparties screened until 10,000 alerts are open or
decided (names of listed parties, reordered or re-cased, and unlisted names), decisions and
assignments on a share of them, dates spread over the last 90 days, and a recorded screening
of a 5,000-line synthetic ledger (the dashboard's goods flows).

Run with ``make bench-web`` or ``python benchmarks/bench_web.py [--alerts 10000] [--db URL]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import bindparam, func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import running_server  # noqa: E402
from trade_data import generate  # noqa: E402

from corridor.lists.bundled import bundled_lists  # noqa: E402
from corridor.service import load_list, monitoring, users  # noqa: E402
from corridor.service.ownership import load_graph  # noqa: E402
from corridor.service.screening import build_screener  # noqa: E402
from corridor.service.shipments import record_screening, screen_ledger  # noqa: E402
from corridor.store import open_store, schema  # noqa: E402
from corridor.store.sql import SqlStore  # noqa: E402
from corridor.store.versioned import stamp as _stamp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corridor" / "data" / "samples"
TARGET_MS = 300.0
UNLISTED = [
    "Aigerim Sadvakasova",
    "Nurlan Abenov",
    "Kostanay Flour Mill TOO",
    "Astana Precision TOO",
    "Dinara Zhaksybekova",
    "Almaty Textile TOO",
    "Olga Smirnova",
    "Shymkent Cement TOO",
]
ANALYSTS = ("aliya", "bekzat", "dana", "erlan")


def build(store: SqlStore, alerts: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    for item in bundled_lists():
        load_list(store, item.path, format=item.format, source=item.source)
    load_graph(store, SAMPLES / "ownership.csv")
    users.add_user(store, "admin", "bench-password-1", "admin", "bench")
    for name in ANALYSTS:
        users.add_user(store, name, "bench-password-1", "analyst", "bench")
    screener = build_screener(store)
    names = [e.caption for e in store.iter_active_entities()]
    rng.shuffle(names)
    print(f"lists and graph loaded, screener built: {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    count, n = 0, 0
    while count < alerts:
        n += 1
        if rng.random() < 0.85:
            name = names[n % len(names)]
            if rng.random() < 0.4:
                name = " ".join(reversed(name.replace(",", "").split())).title()
        else:
            name = f"{rng.choice(UNLISTED)} {n}"
        _, outcome = monitoring.upsert_counterparty(
            store, screener, monitoring.CounterpartyIn(f"CP-{n:06d}", name), "bench"
        )
        count += len(outcome.created)
        if n % 500 == 0:
            print(f"  {n:,} counterparties, {count:,} alerts")
    print(f"{n:,} counterparties screened, {count:,} alerts: {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    a = schema.alerts
    now = datetime.now(UTC)
    with store.reading() as conn:
        ids = [r[0] for r in conn.execute(select(a.c.id).order_by(a.c.id))]
    created = {i: now - timedelta(days=90 * rng.random() ** 1.5) for i in ids}
    with store.transaction() as conn:
        conn.execute(
            update(a).where(a.c.id == bindparam("aid")).values(created_at=bindparam("at")),
            [{"aid": i, "at": _stamp(t)} for i, t in created.items()],
        )
    chosen = rng.sample(ids, len(ids) * 4 // 10)
    for k, who in enumerate(ANALYSTS):
        monitoring.assign_alerts(store, chosen[k :: len(ANALYSTS)], who, "admin")
    decided = rng.sample(ids, len(ids) // 5)
    for i in decided:
        user = users.get_user(store, rng.choice(ANALYSTS))
        choice = rng.choices(monitoring.DECISIONS, weights=(1, 8, 1))[0]
        monitoring.decide(
            store, i, choice, "benchmark decision", monitoring.get_alert(store, i)["version"], user
        )
    d = schema.decisions
    with store.transaction() as conn:
        rows = conn.execute(select(d.c.id, d.c.alert_id)).all()
        conn.execute(
            update(d).where(d.c.id == bindparam("did")).values(decided_at=bindparam("at")),
            [
                {
                    "did": r.id,
                    "at": _stamp(
                        min(now, created[r.alert_id] + timedelta(hours=rng.expovariate(1 / 20)))
                    ),
                }
                for r in rows
            ],
        )
    print(f"{len(chosen):,} assigned, {len(decided):,} decided: {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        ledger, companies, _ = generate(Path(tmp), 5000)
        report = screen_ledger(store, [ledger], companies=companies, parties=screener)
        record_screening(store, report, "synthetic-ledger.csv", "admin")
    print(f"5,000-line ledger screened and recorded: {time.perf_counter() - t0:.0f} s")
    with store.reading() as conn:
        total = int(conn.execute(select(func.count()).select_from(a)).scalar_one())
        first = int(conn.execute(select(func.min(a.c.id))).scalar_one())
        screening = int(
            conn.execute(select(func.max(schema.shipment_screenings.c.id))).scalar_one()
        )
    return {"alerts": total, "counterparties": n, "first_alert": first, "screening": screening}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(
    base: str, paths: list[str], runs: int, warmup: int
) -> list[tuple[str, list[float], list[float], float]]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CORRIDOR_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit("no Chromium: apt-get install chromium (or set CORRIDOR_CHROMIUM)")
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.goto(f"{base}/ui/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "bench-password-1")
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        for path in paths:
            loads, firsts, cold = [], [], 0.0
            for i in range(warmup + runs):
                page.goto(base + path, wait_until="load")
                timing = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.loadEventEnd - n.startTime, n.responseStart - n.startTime]; }"
                )
                if i == 0:
                    cold = float(timing[0])
                if i >= warmup:
                    loads.append(float(timing[0]))
                    firsts.append(float(timing[1]))
            out.append((path, loads, firsts, cold))
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--db", help="store URL (default: a fresh SQLite file)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="corridor-bench-web-"))
    url = args.db or f"sqlite:///{tmp / 'corridor.db'}"
    store = open_store(url)
    facts = build(store, args.alerts)
    store.close()
    try:
        with running_server(url) as base:
            time.sleep(3)  # the ownership evaluation warms up in the background
            paths = [
                "/ui/",
                "/ui/?days=90",
                "/ui/alerts",
                "/ui/alerts?status=&sort=score&order=asc",
                "/ui/alerts?status=&severity=high&age=30d&q=bank",
                "/ui/alerts?status=&page=100",
                f"/ui/alerts/{facts['first_alert']}",
                "/ui/search",
                "/ui/search?name=Oleg+Deripaska&kind=person",
                "/ui/shipments",
                f"/ui/shipments/{facts['screening']}",
                "/ui/ownership",
                "/ui/ownership?entity=kz-steppe&j=us",
                "/ui/lists",
                "/ui/lists/us_ofac_sdn",
                "/ui/audit",
                "/ui/audit?verify=1",
            ]
            results = measure(base, paths, args.runs, warmup=3)
            with httpx.Client(base_url=base) as c:
                c.post("/ui/login", data={"username": "admin", "password": "bench-password-1"})
                baselines = []
                for path in ("/health", "/alerts?limit=50"):
                    times = []
                    for _ in range(args.runs + 3):
                        t = time.perf_counter()
                        c.get(path).raise_for_status()
                        times.append((time.perf_counter() - t) * 1000)
                    baselines.append((path, times[3:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"\nstore: {facts['alerts']:,} alerts from {facts['counterparties']:,} counterparties; "
        f"page loads in headless Chromium at 1280x800, {args.runs} runs each\n"
    )
    print(
        f"{'page':<52} {'median ms':>9} {'p95 ms':>8} {'max ms':>8} {'server ms':>9} "
        f"{'first ms':>8}"
    )
    worst = 0.0
    for path, loads, firsts, cold in results:
        worst = max(worst, _p95(loads), cold)
        print(
            f"{path:<52} {statistics.median(loads):>9.1f} {_p95(loads):>8.1f} "
            f"{max(loads):>8.1f} {statistics.median(firsts):>9.1f} {cold:>8.1f}"
        )
    print("\nbaselines (JSON API, plain HTTP client)")
    for path, times in baselines:
        print(f"{path:<52} {statistics.median(times):>9.1f} {_p95(times):>8.1f} {max(times):>8.1f}")
    verdict = "PASS" if worst < TARGET_MS else "FAIL"
    print(
        f"\nevery page under {TARGET_MS:.0f} ms (95th percentile and first load) with "
        f"{facts['alerts']:,} alerts: {verdict} (slowest {worst:.1f} ms)"
    )


if __name__ == "__main__":
    main()

"""The alert queue's filters and sorting, and the dashboard's figures, on SQLite and
PostgreSQL: each checked against the same figure counted by hand from the alerts."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from corridor.lists.bundled import bundled_lists
from corridor.matching import Screener
from corridor.service import load_list, monitoring, queue, users
from corridor.service.dashboard import build_dashboard
from corridor.service.shipments import (
    get_screening,
    list_screenings,
    record_screening,
    screen_ledger,
)
from corridor.store import SqlStore, schema
from corridor.store.versioned import parse_stamp
from corridor.store.versioned import stamp as _stamp

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"
NAMES = [
    ("C-1", "Oleg Deripaska", "person"),
    ("C-2", "Bank Rossiya", "organization"),
    ("C-3", "Ramzan Kadyrov", "person"),
    ("C-4", "Arkady Rotenberg", "person"),
    ("C-5", "Viktor Vekselberg", "person"),
    ("C-6", "Sberbank", "organization"),
]


@pytest.fixture
def worked(store: SqlStore) -> tuple[SqlStore, list[dict[str, Any]]]:
    """A store with real alerts, some backdated, assigned and decided."""
    item = next(i for i in bundled_lists() if i.source == "us_ofac_sdn")
    load_list(store, item.path, format=item.format, source=item.source)
    screener = Screener.from_store(store)
    for ext, name, kind in NAMES:
        monitoring.upsert_counterparty(
            store, screener, monitoring.CounterpartyIn(ext, name, kind), "test"
        )
    alerts = monitoring.list_alerts(store, limit=1000)
    assert len(alerts) >= 6
    now = datetime.now(UTC)
    a = schema.alerts
    with store.transaction() as conn:
        for k, alert in enumerate(alerts):
            when = now - timedelta(days=(k * 5) % 45, hours=1)
            conn.execute(update(a).where(a.c.id == alert["id"]).values(created_at=_stamp(when)))
    users.add_user(store, "ana", "ana-password-1", "analyst", "test")
    ana = users.get_user(store, "ana")
    monitoring.assign_alerts(store, [x["id"] for x in alerts[:3]], "ana", "test")
    for alert in alerts[:2]:
        monitoring.decide(
            store, alert["id"], "false_positive", "namesake", alert["version"] + 1, ana
        )
    return store, monitoring.list_alerts(store, limit=1000)


def _ids(store: SqlStore, **kw: Any) -> list[int]:
    rows, total = queue.search_alerts(store, queue.AlertFilter(per_page=500, **kw))
    assert total == len(rows)
    return [int(r["id"]) for r in rows]


def test_filters_match_a_count_by_hand(worked: tuple[SqlStore, list[dict[str, Any]]]) -> None:
    store, alerts = worked
    by = {a["id"]: a for a in alerts}
    assert sorted(_ids(store)) == sorted(by)
    assert sorted(_ids(store, status="false_positive")) == sorted(
        i for i, a in by.items() if a["status"] == "false_positive"
    )
    assert sorted(_ids(store, status=queue.ANY_OPEN)) == sorted(
        i for i, a in by.items() if a["status"] in monitoring.OPEN_STATUSES
    )
    assert sorted(_ids(store, severity="high")) == sorted(
        i for i, a in by.items() if a["severity"] == "high"
    )
    assert sorted(_ids(store, assignee="ana")) == sorted(
        i for i, a in by.items() if a["assignee"] == "ana"
    )
    assert sorted(_ids(store, assignee=queue.UNASSIGNED)) == sorted(
        i for i, a in by.items() if a["assignee"] is None
    )
    cutoff = _stamp(datetime.now(UTC) - timedelta(days=7))
    assert sorted(_ids(store, age="7d")) == sorted(
        i for i, a in by.items() if a["created_at"] >= cutoff
    )
    assert sorted(_ids(store, age="older7")) == sorted(
        i for i, a in by.items() if a["created_at"] < cutoff
    )
    deripaska = _ids(store, text="deripaska")
    assert deripaska and all("DERIPASKA" in by[i]["entity_caption"].upper() for i in deripaska)
    program = by[deripaska[0]]["explanation"]["programs"][0]
    assert deripaska[0] in _ids(store, program=program)
    assert all(program in by[i]["explanation"]["programs"] for i in _ids(store, program=program))


def test_sorting_and_pages(worked: tuple[SqlStore, list[dict[str, Any]]]) -> None:
    store, alerts = worked
    rows, _ = queue.search_alerts(store, queue.AlertFilter(sort="score", descending=False))
    assert [r["score"] for r in rows] == sorted(a["score"] for a in alerts)
    rows, _ = queue.search_alerts(store, queue.AlertFilter(sort="created_at"))
    assert [r["created_at"] for r in rows] == sorted(
        (a["created_at"] for a in alerts), reverse=True
    )
    first, total = queue.search_alerts(store, queue.AlertFilter(per_page=2))
    second, _ = queue.search_alerts(store, queue.AlertFilter(per_page=2, page=2))
    assert total == len(alerts) and len(first) == 2
    assert not {r["id"] for r in first} & {r["id"] for r in second}


@pytest.mark.parametrize(
    ("field", "value"), [("age", "ever"), ("sort", "name; drop table"), ("page", 0)]
)
def test_bad_filters_are_named(
    worked: tuple[SqlStore, list[dict[str, Any]]], field: str, value: Any
) -> None:
    from corridor.exceptions import InvalidQuery

    with pytest.raises(InvalidQuery, match=field):
        queue.search_alerts(worked[0], queue.AlertFilter(**{field: value}))


def test_dashboard_figures(worked: tuple[SqlStore, list[dict[str, Any]]]) -> None:
    store, alerts = worked
    d = build_dashboard(store, days=30)
    since = d.days[0]
    recent = [a for a in alerts if a["created_at"][:10] >= since]
    charted = sum(n for per in d.alerts_per_day.values() for n in per.values())
    assert charted == len(recent)
    assert dict(d.hits_by_list) == dict(Counter(a["entity_source"] for a in alerts))
    programs = Counter(p for a in alerts for p in set(a["explanation"]["programs"]))
    top = dict(d.hits_by_program)
    assert all(top[p] == programs[p] for p in top)
    assert d.open_by_status == dict(Counter(a["status"] for a in alerts))
    fp = [a for a in alerts if a["status"] == "false_positive"]
    hours = [
        (
            parse_stamp(a["decisions"][0]["decided_at"]) - parse_stamp(a["created_at"])
        ).total_seconds()
        / 3600
        for a in (monitoring.get_alert(store, x["id"]) for x in fp)
    ]
    assert d.turnaround["false_positive"].decisions == len(fp) == 2
    assert d.turnaround["false_positive"].median_hours == round(statistics.median(hours), 1)
    assert sum(sum(per.values()) for per in d.decisions_per_week.values()) == 2


def test_recorded_screenings_feed_the_goods_flows(store: SqlStore) -> None:
    report = screen_ledger(
        store,
        [SAMPLES / "ledger.csv"],
        companies=SAMPLES / "companies.csv",
        as_of="2025-01-15",
        screen_parties=False,
    )
    sid = record_screening(store, report, "ledger.csv", "test")
    assert list_screenings(store)[0]["id"] == sid
    kept = get_screening(store, sid)["report"]
    assert kept["counts"] == report.counts()
    listed = [r for r in report.results if any(h.tier for h in r.goods_hits) and r.route]
    d = build_dashboard(store)
    assert sum(sum(per.values()) for per in d.flows.values()) == len(listed)
    by_dest = Counter(r.route[-1] for r in listed)
    assert {k: sum(v.values()) for k, v in d.flows.items()} == dict(by_dest)
    present = sorted({r.date[:7] for r in listed})
    assert d.months[-1] == present[-1] and len(d.months) == len(set(d.months))
    for a, b in zip(d.months, d.months[1:], strict=False):  # consecutive months, no gaps
        ya, ma = map(int, a.split("-"))
        assert b == (f"{ya + 1}-01" if ma == 12 else f"{ya}-{ma + 1:02d}")
    assert len(d.months) == 36 or d.months[0] == present[0]
    # the same ledger screened again counts its documents once
    record_screening(store, report, "ledger.csv", "test")
    again = build_dashboard(store)
    assert again.flows == d.flows and again.flow_value == d.flow_value
    # documents screened before the chosen period are not in it
    later = build_dashboard(store, days=7, today=date.today() + timedelta(days=30))
    assert later.flows == {}

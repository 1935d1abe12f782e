"""Figures for the analysts' dashboard: alerts over time, hits by list and programme,
decisions and their turnaround, and flows of high-priority goods by destination.

Each figure is one grouped SQL query over indexed columns (turnaround reads one pair of
timestamps per decision), so the dashboard costs milliseconds with tens of thousands of
alerts.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from corridor.service.raising import OPEN_STATUSES
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import parse_stamp


@dataclass
class Turnaround:
    decisions: int
    median_hours: float
    p90_hours: float


@dataclass
class Dashboard:
    days: list[str]  # the days charted, oldest first
    alerts_per_day: dict[str, dict[str, int]]  # severity -> day -> alerts created
    open_by_status: dict[str, int]
    hits_by_list: list[tuple[str, int]]
    hits_by_program: list[tuple[str, int]]
    decisions_per_week: dict[str, dict[str, int]]  # decision -> week (Monday) -> count
    weeks: list[str]
    turnaround: dict[str, Turnaround]  # decision -> time from alert to decision
    # destination -> month -> documents with CHPL goods, of ledgers screened in the period
    flows: dict[str, dict[str, int]]
    flow_value: dict[str, float]  # destination -> declared EUR value of those documents
    months: list[str]
    totals: dict[str, int] = field(default_factory=dict)


def _monday(day: str) -> str:
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


MAX_MONTHS = 36  # the goods-flows chart shows at most the last three years with data


def _month_range(present: list[str], limit: int) -> list[str]:
    """Every month from the first to the last present (the last ``limit`` of them), so the
    chart's time axis has no gaps."""
    if not present:
        return []
    year, month = map(int, present[-1].split("-"))
    out: list[str] = []
    while len(out) < limit:
        label = f"{year:04d}-{month:02d}"
        out.append(label)
        if label <= present[0]:
            break
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def build_dashboard(
    store: SqlStore, days: int = 90, today: date | None = None, top: int = 12
) -> Dashboard:
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    since = first.isoformat()
    day_list = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    week_list = sorted({_monday(d) for d in day_list})
    a, d, p, g = schema.alerts, schema.decisions, schema.alert_programs, schema.goods_flows
    day = func.substr(a.c.created_at, 1, 10)
    with store.reading() as conn:
        per_day: dict[str, dict[str, int]] = defaultdict(dict)
        for sev, dd, n in conn.execute(
            select(a.c.severity, day, func.count())
            .where(a.c.created_at >= since)
            .group_by(a.c.severity, day)
        ):
            per_day[sev][dd] = int(n)
        by_status = {
            s: int(n)
            for s, n in conn.execute(select(a.c.status, func.count()).group_by(a.c.status))
        }
        by_list = [
            (s, int(n))
            for s, n in conn.execute(
                select(a.c.entity_source, func.count())
                .group_by(a.c.entity_source)
                .order_by(func.count().desc())
                .limit(top)
            )
        ]
        by_program = [
            (s, int(n))
            for s, n in conn.execute(
                select(p.c.program, func.count())
                .group_by(p.c.program)
                .order_by(func.count().desc(), p.c.program)
                .limit(top)
            )
        ]
        decided = conn.execute(
            select(d.c.decision, d.c.decided_at, a.c.created_at)
            .select_from(d.join(a, a.c.id == d.c.alert_id))
            .where(d.c.decided_at >= since)
        ).all()
        # documents screened in the period, each counted once however often its ledger was
        # screened again (the same document number, month and destination)
        screened = schema.shipment_screenings
        docs = (
            select(
                g.c.doc_id,
                g.c.month,
                g.c.destination,
                func.max(g.c.value_eur).label("value_eur"),
            )
            .select_from(g.join(screened, screened.c.id == g.c.screening_id))
            .where(screened.c.created_at >= since)
            .group_by(g.c.doc_id, g.c.month, g.c.destination)
            .subquery()
        )
        flow_rows = conn.execute(
            select(
                docs.c.destination,
                docs.c.month,
                func.count(),
                func.coalesce(func.sum(docs.c.value_eur), 0.0),
            ).group_by(docs.c.destination, docs.c.month)
        ).all()
    per_week: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    hours: dict[str, list[float]] = defaultdict(list)
    for decision, decided_at, created_at in decided:
        per_week[decision][_monday(decided_at[:10])] += 1
        spent = (parse_stamp(decided_at) - parse_stamp(created_at)).total_seconds() / 3600
        hours[decision].append(max(0.0, spent))
    turnaround = {}
    for decision, values in sorted(hours.items()):
        values.sort()
        turnaround[decision] = Turnaround(
            len(values),
            round(statistics.median(values), 1),
            round(values[min(len(values) - 1, int(0.9 * len(values)))], 1),
        )
    flows: dict[str, dict[str, int]] = defaultdict(dict)
    flow_value: dict[str, float] = defaultdict(float)
    for dest, mon, n, value in flow_rows:
        flows[dest][mon] = int(n)
        flow_value[dest] += float(value or 0.0)
    months = _month_range(sorted({m for per in flows.values() for m in per}), MAX_MONTHS)
    return Dashboard(
        days=day_list,
        alerts_per_day=dict(per_day),
        open_by_status=by_status,
        hits_by_list=by_list,
        hits_by_program=by_program,
        decisions_per_week={k: dict(v) for k, v in per_week.items()},
        weeks=week_list,
        turnaround=turnaround,
        flows=dict(flows),
        flow_value=dict(flow_value),
        months=months,
        totals={
            "alerts": sum(by_status.values()),
            "open": sum(n for s, n in by_status.items() if s in OPEN_STATUSES),
            "decisions": len(decided),
        },
    )

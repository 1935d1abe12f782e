"""The alert queue as analysts work it: filters, sorting and pages, in SQL.

Every filter and sort is a column comparison over indexed columns, and the page holds only
the rows shown, so the queue stays quick with tens of thousands of alerts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, case, exists, func, select

from corridor.exceptions import InvalidQuery
from corridor.model.listings import listing_labels
from corridor.service.raising import OPEN_STATUSES
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import stamp

AGES = {  # label -> (newer than days, older than days)
    "1d": (1, None),
    "7d": (7, None),
    "30d": (30, None),
    "older7": (None, 7),
    "older30": (None, 30),
}
SORTS = ("created_at", "score", "severity", "status", "counterparty", "list")
UNASSIGNED = "-"
ANY_OPEN = "open*"  # the status filter for every status still needing work


@dataclass
class AlertFilter:
    status: str | None = None  # a status, or ANY_OPEN
    severity: str | None = None
    source: str | None = None
    program: str | None = None
    assignee: str | None = None  # a username, or UNASSIGNED
    age: str | None = None  # a key of AGES
    text: str | None = None  # in the counterparty's name or the listed entity's caption
    sort: str = "created_at"
    descending: bool = True
    page: int = 1
    per_page: int = 50

    def validate(self) -> None:
        if self.age and self.age not in AGES:
            raise InvalidQuery(f"age {self.age!r}: expected one of {', '.join(AGES)}")
        if self.sort not in SORTS:
            raise InvalidQuery(f"sort {self.sort!r}: expected one of {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= 500:
            raise InvalidQuery("page must be 1 or more, per_page 1 to 500")


def _since(days: int) -> str:
    return stamp(datetime.now(UTC) - timedelta(days=days))


def _filtered(query: Select[Any], f: AlertFilter) -> Select[Any]:
    a, c = schema.alerts, schema.counterparties
    if f.status == ANY_OPEN:
        query = query.where(a.c.status.in_(OPEN_STATUSES))
    elif f.status:
        query = query.where(a.c.status == f.status)
    if f.severity:
        query = query.where(a.c.severity == f.severity)
    if f.source:
        query = query.where(a.c.entity_source == f.source)
    if f.assignee == UNASSIGNED:
        query = query.where(a.c.assignee.is_(None))
    elif f.assignee:
        query = query.where(a.c.assignee == f.assignee)
    if f.program:
        p = schema.alert_programs
        query = query.where(exists().where(p.c.alert_id == a.c.id, p.c.program == f.program))
    if f.age:
        newer, older = AGES[f.age]
        if newer is not None:
            query = query.where(a.c.created_at >= _since(newer))
        if older is not None:
            query = query.where(a.c.created_at < _since(older))
    if f.text and f.text.strip():
        like = f"%{f.text.strip().lower()}%"
        query = query.where(
            func.lower(c.c.name).like(like) | func.lower(a.c.entity_caption).like(like)
        )
    return query


def search_alerts(store: SqlStore, f: AlertFilter) -> tuple[list[dict[str, Any]], int]:
    """One page of alerts matching the filter, and how many match in all."""
    f.validate()
    a, c = schema.alerts, schema.counterparties
    columns = (
        a.c.id,
        a.c.case_id,
        a.c.counterparty_id,
        c.c.name.label("counterparty"),
        c.c.country.label("counterparty_country"),
        a.c.entity_id,
        a.c.entity_source,
        a.c.entity_caption,
        a.c.score,
        a.c.severity,
        a.c.status,
        a.c.assignee,
        a.c.version,
        a.c.created_at,
        a.c.updated_at,
    )
    joined = a.join(c, c.c.id == a.c.counterparty_id)
    order_col = {
        "created_at": a.c.created_at,
        "score": a.c.score,
        "severity": case((a.c.severity == "high", 3), (a.c.severity == "medium", 2), else_=1),
        "status": a.c.status,
        "counterparty": c.c.name,
        "list": a.c.entity_source,
    }[f.sort]
    order = order_col.desc() if f.descending else order_col.asc()
    tiebreak = a.c.id.desc() if f.descending else a.c.id.asc()
    query = _filtered(select(*columns).select_from(joined), f)
    query = query.order_by(order, tiebreak).limit(f.per_page).offset((f.page - 1) * f.per_page)
    count = _filtered(select(func.count()).select_from(joined), f)
    with store.reading() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        total = int(conn.execute(count).scalar_one())
        listings = _listings(conn, [r["id"] for r in rows])
    for r in rows:
        r["listings"] = listings.get(r["id"], [])
    return rows, total


def _listings(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    """The lists (and sub-lists) naming the party of each alert, e.g. ``us_ofac_sdn``,
    ``us_csl SDN``, ``un_sc``."""
    if not ids:
        return {}
    a = schema.alerts
    out: dict[int, list[str]] = {}
    for alert_id, text in conn.execute(select(a.c.id, a.c.explanation).where(a.c.id.in_(ids))):
        out[int(alert_id)] = listing_labels(json.loads(text).get("listings") or [])
    return out


def facets(store: SqlStore) -> dict[str, list[str]]:
    """The values the queue's filters offer: list sources, programmes, assignees."""
    a, p = schema.alerts, schema.alert_programs
    with store.reading() as conn:
        sources = [r[0] for r in conn.execute(select(a.c.entity_source).distinct())]
        programs = [r[0] for r in conn.execute(select(p.c.program).distinct())]
        assignees = [
            r[0]
            for r in conn.execute(select(a.c.assignee).where(a.c.assignee.isnot(None)).distinct())
        ]
        users = [r[0] for r in conn.execute(select(schema.users.c.username))]
    return {
        "sources": sorted(sources),
        "programs": sorted(programs),
        "assignees": sorted(set(assignees) | set(users)),
    }


def next_alert(store: SqlStore, after: int, user: str) -> int | None:
    """The alert to work after deciding ``after``: the most severe open alert assigned to
    ``user`` or to nobody, the oldest first; None when there is none."""
    a = schema.alerts
    rank = case((a.c.severity == "high", 3), (a.c.severity == "medium", 2), else_=1)
    query = (
        select(a.c.id)
        .where(
            a.c.status == "open",
            a.c.id != after,
            (a.c.assignee.is_(None)) | (a.c.assignee == user),
        )
        .order_by(rank.desc(), a.c.created_at, a.c.id)
        .limit(1)
    )
    with store.reading() as conn:
        row = conn.execute(query).first()
    return int(row[0]) if row else None

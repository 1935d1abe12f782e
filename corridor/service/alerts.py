"""Alerts gathered into cases, once raised (:mod:`corridor.service.raising`): the queue's
reads, assignment, decisions with optimistic locking and an optional second review, and
remembered decisions. Every change is audited in the same transaction as the change itself."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, select, update

from corridor.exceptions import Conflict, Forbidden, InvalidQuery, NotFound
from corridor.service import audit
from corridor.service.raising import OPEN_STATUSES
from corridor.service.users import User, role_at_least
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

DECISIONS = ("true_match", "false_positive", "escalate")
FINAL_STATUSES = ("true_match", "false_positive")
FOUR_EYES = "four_eyes_high_severity"


def _alert_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "case_id": row.case_id,
        "counterparty_id": row.counterparty_id,
        "entity_id": row.entity_id,
        "entity_source": row.entity_source,
        "entity_caption": row.entity_caption,
        "score": row.score,
        "severity": row.severity,
        "status": row.status,
        "assignee": row.assignee,
        "first_reviewer": row.first_reviewer,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "explanation": json.loads(row.explanation),
    }


def list_alerts(
    store: SqlStore,
    status: str | None = None,
    severity: str | None = None,
    source: str | None = None,
    assignee: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    a = schema.alerts
    query = select(a).order_by(a.c.id.desc()).limit(limit).offset(offset)
    for col, value in (
        (a.c.status, status),
        (a.c.severity, severity),
        (a.c.entity_source, source),
        (a.c.assignee, assignee),
    ):
        if value:
            query = query.where(col == value)
    with store.reading() as conn:
        return [_alert_dict(r) for r in conn.execute(query)]


def get_alert(store: SqlStore, alert_id: int) -> dict[str, Any]:
    a, d = schema.alerts, schema.decisions
    with store.reading() as conn:
        row = conn.execute(select(a).where(a.c.id == alert_id)).first()
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        history = [
            {
                "decision": r.decision,
                "reason": r.reason,
                "decided_by": r.decided_by,
                "decided_at": r.decided_at,
                "resulting_status": r.resulting_status,
            }
            for r in conn.execute(select(d).where(d.c.alert_id == alert_id).order_by(d.c.id))
        ]
    return {**_alert_dict(row), "decisions": history}


def get_setting(store: SqlStore, key: str, default: str = "") -> str:
    t = schema.settings_table
    with store.reading() as conn:
        row = conn.execute(select(t.c.value).where(t.c.key == key)).first()
    return str(row[0]) if row else default


def set_setting(store: SqlStore, key: str, value: str, actor: str) -> None:
    t = schema.settings_table
    with store.transaction() as conn:
        exists = conn.execute(select(t.c.key).where(t.c.key == key)).first()
        values = {"value": value, "updated_at": now(), "updated_by": actor}
        if exists:
            conn.execute(update(t).where(t.c.key == key).values(**values))
        else:
            conn.execute(t.insert(), {"key": key, **values})
        audit.append(conn, actor, "settings.change", f"setting:{key}", {"value": value})


def assign_alerts(store: SqlStore, ids: Iterable[int], assignee: str | None, actor: str) -> int:
    a = schema.alerts
    ids = list(ids)
    with store.transaction() as conn:
        result = conn.execute(
            update(a)
            .where(a.c.id.in_(ids), a.c.status.in_(OPEN_STATUSES))
            .values(assignee=assignee, version=a.c.version + 1, updated_at=now())
        )
        audit.append(
            conn,
            actor,
            "alert.assign",
            "alerts:" + ",".join(map(str, ids)),
            {"assignee": assignee, "updated": result.rowcount},
        )
    return int(result.rowcount)


def decide(
    store: SqlStore, alert_id: int, decision: str, reason: str, version: int, user: User
) -> dict[str, Any]:
    """Decide an alert. ``version`` is the version the analyst saw: if the alert changed
    since, nothing is written and Conflict is raised (optimistic locking). With the
    supervisor's four-eyes setting on, clearing a high-severity alert needs a second,
    different reviewer. The decision, the alert, the case, the remembered decision and the
    audit entry commit together."""
    if decision not in DECISIONS:
        raise InvalidQuery(f"decision {decision!r}: expected one of {', '.join(DECISIONS)}")
    if not reason.strip():
        raise InvalidQuery("reason: a decision needs a reason")
    four_eyes = get_setting(store, FOUR_EYES, "false") == "true"
    a, m = schema.alerts, schema.decision_memory
    with store.transaction() as conn:
        row = conn.execute(select(a).where(a.c.id == alert_id)).first()
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        if row.status in FINAL_STATUSES:
            raise Conflict(f"alert {alert_id} is closed ({row.status})")
        if row.version != version:
            raise Conflict(
                f"alert {alert_id} changed since you read it (version {row.version} now, you "
                f"sent {version}): reload it"
            )
        status = {
            "true_match": "true_match",
            "escalate": "escalated",
            "false_positive": "false_positive",
        }[decision]
        first = row.first_reviewer
        if row.status == "pending_second_review":
            if user.username == row.first_reviewer:
                raise Forbidden("the second review must be made by another user")
        elif decision == "false_positive" and four_eyes and row.severity == "high":
            status, first = "pending_second_review", user.username
        result = conn.execute(
            update(a)
            .where(a.c.id == alert_id, a.c.version == version)
            .values(status=status, version=version + 1, updated_at=now(), first_reviewer=first)
        )
        if result.rowcount != 1:
            raise Conflict(f"alert {alert_id} changed since you read it: reload it")
        conn.execute(
            schema.decisions.insert(),
            {
                "alert_id": alert_id,
                "decision": decision,
                "reason": reason.strip(),
                "decided_by": user.username,
                "decided_at": now(),
                "resulting_status": status,
            },
        )
        if status == "false_positive":
            memory = {
                "counterparty_hash": row.counterparty_hash,
                "entity_hash": row.entity_hash,
                "decision": "false_positive",
                "reason": reason.strip(),
                "decided_by": user.username,
                "decided_at": now(),
                "alert_id": alert_id,
            }
            key = and_(m.c.counterparty_id == row.counterparty_id, m.c.entity_id == row.entity_id)
            if conn.execute(select(m.c.entity_id).where(key)).first():
                conn.execute(update(m).where(key).values(**memory))
            else:
                conn.execute(
                    m.insert(),
                    {"counterparty_id": row.counterparty_id, "entity_id": row.entity_id, **memory},
                )
        if status in FINAL_STATUSES:
            still_open = conn.execute(
                select(func.count())
                .select_from(a)
                .where(a.c.case_id == row.case_id, a.c.status.in_(OPEN_STATUSES))
            ).scalar_one()
            if not still_open:
                conn.execute(
                    update(schema.cases)
                    .where(schema.cases.c.id == row.case_id)
                    .values(status="closed", updated_at=now())
                )
        audit.append(
            conn,
            user.username,
            "alert.decide",
            f"alert:{alert_id}",
            {
                "decision": decision,
                "reason": reason.strip(),
                "status": status,
                "version": version + 1,
            },
        )
    return get_alert(store, alert_id)


def list_cases(
    store: SqlStore, status: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    c = schema.cases
    query = select(c).order_by(c.c.id.desc()).limit(limit)
    if status:
        query = query.where(c.c.status == status)
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def list_memory(store: SqlStore, limit: int = 200) -> list[dict[str, Any]]:
    m = schema.decision_memory
    with store.reading() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(select(m).order_by(m.c.decided_at.desc()).limit(limit))
        ]


def forget(store: SqlStore, counterparty_id: int, entity_id: str, user: User) -> None:
    """Withdraw a remembered decision (supervisors): the next screening raises it again."""
    if not role_at_least(user.role, "supervisor"):
        raise Forbidden("only supervisors withdraw remembered decisions")
    m = schema.decision_memory
    with store.transaction() as conn:
        result = conn.execute(
            m.delete().where(m.c.counterparty_id == counterparty_id, m.c.entity_id == entity_id)
        )
        if result.rowcount == 0:
            raise NotFound(f"no remembered decision for {counterparty_id} / {entity_id}")
        audit.append(
            conn, user.username, "memory.forget", f"memory:{counterparty_id}:{entity_id}", {}
        )

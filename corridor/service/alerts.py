"""Alerts gathered into cases: raising them from screening results (with remembered
false positives), the queue's reads, assignment, decisions with optimistic locking and an
optional second review, and remembered decisions. Every change is audited in the same
transaction as the change itself."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from corridor.exceptions import Conflict, Forbidden, InvalidQuery, NotFound
from corridor.matching import ScreeningResult
from corridor.profiles.severity import Severity, severity
from corridor.service import audit
from corridor.service.ownership import DERIVED_SOURCE
from corridor.service.users import User, role_at_least
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

DECISIONS = ("true_match", "false_positive", "escalate")
OPEN_STATUSES = ("open", "escalated", "pending_second_review")
FINAL_STATUSES = ("true_match", "false_positive")
HIGH_SCORE = 0.95
FOUR_EYES = "four_eyes_high_severity"


@dataclass
class ScreenOutcome:
    counterparty_id: int
    matches: int = 0
    created: list[int] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)  # remembered decisions
    existing: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)  # a new listing of an alerted party

    def to_dict(self) -> dict[str, Any]:
        return {
            "counterparty_id": self.counterparty_id,
            "matches": self.matches,
            "alerts_created": self.created,
            "alerts_updated": self.updated,
            "suppressed_by_memory": self.suppressed,
            "alerts_existing": self.existing,
        }


CONCERN_KEY = "jurisdictions_of_concern"


def concern_of(conn: Connection) -> tuple[str, ...]:
    """The user's jurisdictions of concern (setting ``jurisdictions_of_concern``: ``us``,
    ``eu``, ``uk``, ``un``, comma-separated), which weigh more in an alert's severity."""
    t = schema.settings_table
    row = conn.execute(select(t.c.value).where(t.c.key == CONCERN_KEY)).first()
    return parse_concern(str(row[0])) if row else ()


def get_concern(store: SqlStore) -> tuple[str, ...]:
    with store.reading() as conn:
        return concern_of(conn)


def parse_concern(text: str) -> tuple[str, ...]:
    out = []
    for part in text.replace(",", " ").lower().split():
        if part not in ("us", "eu", "uk", "un"):
            raise InvalidQuery(
                f"jurisdiction of concern {part!r}: expected us, eu, uk or un (comma-separated)"
            )
        out.append(part)
    return tuple(dict.fromkeys(out))


def _severity(r: ScreeningResult, concern: tuple[str, ...]) -> Severity:
    exp = r.explanation
    listings = r.listings or [
        {"source": r.source, "sub_list": "", "jurisdiction": "", "kind": "restriction"}
    ]
    if r.ownership is not None:  # owned or controlled by a listed party: as its listings
        listings = [{**x, "kind": "blocking"} for x in listings]
    return severity(
        r.score, exp.name_score, listings, [x.to_dict() for x in exp.adjustments], concern
    )


def _alert_of_party(
    conn: Connection, cp_id: int, record_hash: str, entity_ids: list[str]
) -> int | None:
    """The open (or confirmed) alert of this counterparty, as it is now, on any listing of
    the party."""
    a, al = schema.alerts, schema.alert_listings
    live = and_(
        a.c.counterparty_id == cp_id,
        a.c.counterparty_hash == record_hash,
        a.c.status.in_([*OPEN_STATUSES, "true_match"]),
    )
    row = conn.execute(
        select(a.c.id)
        .join(al, al.c.alert_id == a.c.id)
        .where(live, al.c.entity_id.in_(entity_ids))
        .order_by(a.c.id)
        .limit(1)
    ).first()
    if row is None:  # alerts raised before alerts covered listings
        row = conn.execute(
            select(a.c.id).where(live, a.c.entity_id.in_(entity_ids)).order_by(a.c.id).limit(1)
        ).first()
    return int(row[0]) if row is not None else None


def _add_listings(
    conn: Connection,
    alert_id: int,
    r: ScreeningResult,
    actor: str,
    external_id: str,
    concern: tuple[str, ...],
) -> list[str]:
    """Add the party's new listings to its alert (and say so); the new listings' ids."""
    a, al = schema.alerts, schema.alert_listings
    known = {
        row[0] for row in conn.execute(select(al.c.entity_id).where(al.c.alert_id == alert_id))
    }
    row = conn.execute(select(a).where(a.c.id == alert_id)).one()
    known.add(row.entity_id)
    new = [e for e in r.entity_ids if e not in known]
    if not new:
        return []
    conn.execute(
        al.insert(), [{"alert_id": alert_id, "entity_id": e, "added_at": now()} for e in new]
    )
    explanation = json.loads(row.explanation)
    old_listings = {x["entity_id"]: x for x in explanation.get("listings", [])}
    for x in r.listings:
        old_listings.setdefault(x["entity_id"], {**x, "matched": False})
    explanation["listings"] = list(old_listings.values())
    level = _severity(
        ScreeningResult(
            r.entity_id,
            r.caption,
            r.source,
            r.kind,
            r.programs,
            r.score,
            r.explanation,
            r.ownership,
            r.profile_id,
            explanation["listings"],
        ),
        concern,
    )
    order = ("low", "medium", "high")
    if order.index(level.level) < order.index(row.severity):
        level.level = row.severity  # a new listing never makes an alert less serious
    explanation["severity"] = level.to_dict()
    explanation.setdefault("updates", []).append({"at": now(), "new_listings": new, "by": actor})
    conn.execute(
        update(a)
        .where(a.c.id == alert_id)
        .values(
            explanation=json.dumps(explanation, ensure_ascii=False),
            severity=level.level,
            version=row.version + 1,
            updated_at=now(),
        )
    )
    audit.append(
        conn,
        actor,
        "alert.update",
        f"alert:{alert_id}",
        {"counterparty": external_id, "new_listings": new, "severity": level.level},
    )
    return new


def _open_case(conn: Connection, cp_id: int) -> int:
    c = schema.cases
    row = conn.execute(
        select(c.c.id).where(c.c.counterparty_id == cp_id, c.c.status == "open").limit(1)
    ).first()
    if row is not None:
        return int(row[0])
    return int(
        conn.execute(
            c.insert().returning(c.c.id),
            {"counterparty_id": cp_id, "status": "open", "created_at": now(), "updated_at": now()},
        ).scalar_one()
    )


def raise_alerts(
    conn: Connection,
    cp_id: int,
    external_id: str,
    record_hash: str,
    results: list[ScreeningResult],
    hashes: dict[str, str],
    actor: str,
) -> ScreenOutcome:
    """Raise alerts for the new matches of a counterparty, inside the caller's transaction.
    A match already decided as a false positive is not raised again while both the
    counterparty's record (``record_hash``) and the listed entity's (``hashes``) are
    unchanged; when either changed it is raised again, saying so."""
    outcome = ScreenOutcome(cp_id, len(results))
    a, m = schema.alerts, schema.decision_memory
    concern = concern_of(conn)
    for r in results:
        e_hash = hashes[r.entity_id]
        memory = conn.execute(
            select(m).where(m.c.counterparty_id == cp_id, m.c.entity_id == r.entity_id)
        ).first()
        reraised = None
        if memory is not None:
            if memory.counterparty_hash == record_hash and memory.entity_hash == e_hash:
                outcome.suppressed.append(
                    {
                        "entity_id": r.entity_id,
                        "decision": memory.decision,
                        "decided_by": memory.decided_by,
                        "decided_at": memory.decided_at,
                        "alert_id": memory.alert_id,
                    }
                )
                continue
            changed = [
                what
                for what, same in (
                    ("the counterparty", memory.counterparty_hash == record_hash),
                    ("the listed entity", memory.entity_hash == e_hash),
                )
                if not same
            ]
            reraised = (
                f"raised again: {' and '.join(changed)} changed since the "
                f"false-positive decision of {memory.decided_at} "
                f"(alert {memory.alert_id})"
            )
        same = _alert_of_party(conn, cp_id, record_hash, r.entity_ids)
        if same is not None:
            added = _add_listings(conn, same, r, actor, external_id, concern)
            (outcome.updated if added else outcome.existing).append(same)
            continue
        case_id = _open_case(conn, cp_id)
        explanation = r.to_dict()
        if reraised:
            explanation["reraised"] = reraised
        level = _severity(r, concern)
        explanation["severity"] = level.to_dict()
        alert_id = int(
            conn.execute(
                a.insert().returning(a.c.id),
                {
                    "case_id": case_id,
                    "counterparty_id": cp_id,
                    "entity_id": r.entity_id,
                    "entity_source": r.source,
                    "entity_caption": r.caption,
                    "entity_hash": e_hash,
                    "counterparty_hash": record_hash,
                    "score": r.score,
                    "severity": level.level,
                    "status": "open",
                    "explanation": json.dumps(explanation, ensure_ascii=False),
                    "version": 1,
                    "created_at": now(),
                    "updated_at": now(),
                },
            ).scalar_one()
        )
        outcome.created.append(alert_id)
        conn.execute(
            schema.alert_listings.insert(),
            [{"alert_id": alert_id, "entity_id": e, "added_at": now()} for e in r.entity_ids],
        )
        # ownership-derived parties carry their statuses, not programmes
        programs = sorted({p.strip()[:128] for p in r.programs if p.strip()})
        if programs and r.source != DERIVED_SOURCE:
            conn.execute(
                schema.alert_programs.insert(),
                [{"alert_id": alert_id, "program": p} for p in programs],
            )
        audit.append(
            conn,
            actor,
            "alert.create",
            f"alert:{alert_id}",
            {
                "counterparty": external_id,
                "entity_id": r.entity_id,
                "score": r.score,
                "case_id": case_id,
                "reraised": reraised,
            },
        )
    return outcome


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

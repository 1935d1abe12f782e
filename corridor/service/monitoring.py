"""Ongoing screening: monitored counterparties, alerts gathered into cases, decisions with
optimistic locking and an optional second review, remembered false positives, and delta
re-screening after list updates. Every change is audited in the same transaction as the
change itself, so a crash never keeps one without the other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from corridor.exceptions import Conflict, Forbidden, InvalidQuery, NotFound
from corridor.lists.text import csv_dicts, open_text
from corridor.matching import Query, Screener, ScreeningResult
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import EntityKind
from corridor.service import audit
from corridor.service.lists import UpdateOutcome, update_lists
from corridor.service.ownership import DERIVED_SOURCE
from corridor.service.users import User, role_at_least
from corridor.settings import Settings
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

DECISIONS = ("true_match", "false_positive", "escalate")
OPEN_STATUSES = ("open", "escalated", "pending_second_review")
FINAL_STATUSES = ("true_match", "false_positive")
HIGH_SCORE = 0.95
FOUR_EYES = "four_eyes_high_severity"


# -- counterparties -------------------------------------------------------------------------


@dataclass
class CounterpartyIn:
    external_id: str
    name: str
    kind: str | None = None
    country: str | None = None
    birth_date: str | None = None
    identifiers: list[str] = field(default_factory=list)

    def normalised(self) -> CounterpartyIn:
        if not self.external_id.strip() or not self.name.strip():
            raise InvalidQuery("external_id and name are required")
        kind = self.kind.lower() if self.kind else None
        if kind is not None and kind not in {k.value for k in EntityKind}:
            raise InvalidQuery(f"kind {self.kind!r}: expected person or organization")
        country = to_iso2(self.country) if self.country else None
        if self.country and country is None:
            raise InvalidQuery(f"country {self.country!r}: expected an ISO 3166 code")
        dob = parse_date(self.birth_date) if self.birth_date else None
        if self.birth_date and dob is None:
            raise InvalidQuery(f"birth_date {self.birth_date!r}: expected a date")
        ids = sorted({i.strip() for i in self.identifiers if i.strip()})
        return CounterpartyIn(self.external_id.strip(), self.name.strip(), kind, country, dob, ids)

    def record_hash(self) -> str:
        payload = json.dumps(
            [self.name, self.kind, self.country, self.birth_date, self.identifiers],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def query(self) -> Query:
        return Query(
            self.name,
            kind=EntityKind(self.kind) if self.kind else None,
            birth_date=self.birth_date,
            country=self.country,
            identifiers=tuple(self.identifiers),
        )


def _cp_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "external_id": row.external_id,
        "name": row.name,
        "kind": row.kind,
        "country": row.country,
        "birth_date": row.birth_date,
        "identifiers": json.loads(row.identifiers),
        "record_hash": row.record_hash,
        "active": bool(row.active),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "screened_at": row.screened_at,
    }


def _cp_in(row: Any) -> CounterpartyIn:
    return CounterpartyIn(
        row.external_id,
        row.name,
        row.kind,
        row.country,
        row.birth_date,
        json.loads(row.identifiers),
    )


@dataclass
class ScreenOutcome:
    counterparty_id: int
    matches: int = 0
    created: list[int] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)  # remembered decisions
    existing: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counterparty_id": self.counterparty_id,
            "matches": self.matches,
            "alerts_created": self.created,
            "suppressed_by_memory": self.suppressed,
            "alerts_existing": self.existing,
        }


def entity_hash(store: SqlStore, result: ScreeningResult) -> str:
    """The record hash of the listed entity's active version (for ownership-derived parties,
    the hash of their ownership finding): it changes whenever the record does."""
    if result.ownership is not None:
        payload = json.dumps(
            [result.ownership.get("statuses"), result.ownership.get("summary")],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
    ve = schema.version_entities
    with store.reading() as conn:
        row = conn.execute(
            select(ve.c.hash)
            .join(schema.sources, schema.sources.c.active_version == ve.c.version_id)
            .where(ve.c.entity_id == result.entity_id)
            .limit(1)
        ).first()
    return str(row[0]) if row else ""


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


def screen_counterparty(
    store: SqlStore, screener: Screener, cp_id: int, actor: str
) -> ScreenOutcome:
    """Screen one monitored counterparty and raise alerts for new matches. A match already
    decided as a false positive is not raised again while both the counterparty's and the
    listed entity's records are unchanged; when either changed it is raised again."""
    with store.reading() as conn:
        row = conn.execute(
            select(schema.counterparties).where(schema.counterparties.c.id == cp_id)
        ).first()
    if row is None:
        raise NotFound(f"no counterparty {cp_id}")
    cp = _cp_in(row)
    results = screener.screen(cp.query(), limit=20)
    outcome = ScreenOutcome(cp_id, len(results))
    hashes = {r.entity_id: entity_hash(store, r) for r in results}
    a, m = schema.alerts, schema.decision_memory
    with store.transaction() as conn:
        for r in results:
            e_hash = hashes[r.entity_id]
            memory = conn.execute(
                select(m).where(m.c.counterparty_id == cp_id, m.c.entity_id == r.entity_id)
            ).first()
            reraised = None
            if memory is not None:
                if memory.counterparty_hash == row.record_hash and memory.entity_hash == e_hash:
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
                        ("the counterparty", memory.counterparty_hash == row.record_hash),
                        ("the listed entity", memory.entity_hash == e_hash),
                    )
                    if not same
                ]
                reraised = (
                    f"raised again: {' and '.join(changed)} changed since the "
                    f"false-positive decision of {memory.decided_at} "
                    f"(alert {memory.alert_id})"
                )
            same = conn.execute(
                select(a.c.id, a.c.status)
                .where(
                    a.c.counterparty_id == cp_id,
                    a.c.entity_id == r.entity_id,
                    a.c.entity_hash == e_hash,
                    a.c.counterparty_hash == row.record_hash,
                    a.c.status.in_([*OPEN_STATUSES, "true_match"]),
                )
                .limit(1)
            ).first()
            if same is not None:
                outcome.existing.append(int(same.id))
                continue
            case_id = _open_case(conn, cp_id)
            explanation = r.to_dict()
            if reraised:
                explanation["reraised"] = reraised
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
                        "counterparty_hash": row.record_hash,
                        "score": r.score,
                        "severity": "high" if r.score >= HIGH_SCORE else "medium",
                        "status": "open",
                        "explanation": json.dumps(explanation, ensure_ascii=False),
                        "version": 1,
                        "created_at": now(),
                        "updated_at": now(),
                    },
                ).scalar_one()
            )
            outcome.created.append(alert_id)
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
                    "counterparty": row.external_id,
                    "entity_id": r.entity_id,
                    "score": r.score,
                    "case_id": case_id,
                    "reraised": reraised,
                },
            )
        conn.execute(
            update(schema.counterparties)
            .where(schema.counterparties.c.id == cp_id)
            .values(screened_at=now())
        )
    return outcome


def upsert_counterparty(
    store: SqlStore, screener: Screener, data: CounterpartyIn, actor: str
) -> tuple[dict[str, Any], ScreenOutcome]:
    """Register (or update) a counterparty and screen it."""
    cp = data.normalised()
    values = {
        "name": cp.name,
        "kind": cp.kind,
        "country": cp.country,
        "birth_date": cp.birth_date,
        "identifiers": json.dumps(cp.identifiers, ensure_ascii=False),
        "record_hash": cp.record_hash(),
        "active": 1,
        "updated_at": now(),
    }
    t = schema.counterparties
    with store.transaction() as conn:
        row = conn.execute(
            select(t.c.id, t.c.record_hash).where(t.c.external_id == cp.external_id)
        ).first()
        if row is None:
            cp_id = int(
                conn.execute(
                    t.insert().returning(t.c.id),
                    {
                        **values,
                        "external_id": cp.external_id,
                        "created_at": now(),
                    },
                ).scalar_one()
            )
            action = "counterparty.add"
        else:
            cp_id = int(row.id)
            conn.execute(update(t).where(t.c.id == cp_id).values(**values))
            action = (
                "counterparty.change"
                if row.record_hash != values["record_hash"]
                else ("counterparty.touch")
            )
        audit.append(
            conn,
            actor,
            action,
            f"counterparty:{cp.external_id}",
            {"name": cp.name, "country": cp.country, "record_hash": values["record_hash"]},
        )
    outcome = screen_counterparty(store, screener, cp_id, actor)
    return get_counterparty(store, cp_id), outcome


def get_counterparty(store: SqlStore, cp_id: int) -> dict[str, Any]:
    with store.reading() as conn:
        row = conn.execute(
            select(schema.counterparties).where(schema.counterparties.c.id == cp_id)
        ).first()
    if row is None:
        raise NotFound(f"no counterparty {cp_id}")
    return _cp_dict(row)


def list_counterparties(store: SqlStore, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    t = schema.counterparties
    with store.reading() as conn:
        rows = conn.execute(select(t).order_by(t.c.id).limit(limit).offset(offset))
        return [_cp_dict(r) for r in rows]


def import_counterparties(
    store: SqlStore, screener: Screener, path: Path, actor: str, encoding: str | None = None
) -> dict[str, Any]:
    """Counterparties from a CSV ``external_id,name,kind,country,birth_date,identifiers``
    (identifiers separated by ``;``); bad rows are reported with their line."""
    added, errors, alerts = 0, [], 0
    with open_text(path, encoding) as fh:
        header, rows = csv_dicts(fh)
        if not {"external_id", "name"} <= {f.strip().lower() for f in header}:
            raise InvalidQuery(
                f"{path.name}: line 1: expected the header "
                "external_id,name,kind,country,birth_date,identifiers"
            )
        for lineno, raw in rows:
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            try:
                _, outcome = upsert_counterparty(
                    store,
                    screener,
                    CounterpartyIn(
                        row.get("external_id", ""),
                        row.get("name", ""),
                        row.get("kind") or None,
                        row.get("country") or None,
                        row.get("birth_date") or None,
                        [i for i in row.get("identifiers", "").split(";") if i],
                    ),
                    actor,
                )
            except InvalidQuery as exc:
                errors.append(f"{path.name}: line {lineno}: {exc}")
                continue
            added += 1
            alerts += len(outcome.created)
    return {"imported": added, "alerts_created": alerts, "errors": errors}


# -- alerts, cases, decisions ---------------------------------------------------------------


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


def get_case(store: SqlStore, case_id: int) -> dict[str, Any]:
    c, a = schema.cases, schema.alerts
    with store.reading() as conn:
        row = conn.execute(select(c).where(c.c.id == case_id)).first()
        if row is None:
            raise NotFound(f"no case {case_id}")
        alert_ids = [
            r[0]
            for r in conn.execute(select(a.c.id).where(a.c.case_id == case_id).order_by(a.c.id))
        ]
    history = list(audit.iter_entries(store, objects=[f"alert:{i}" for i in alert_ids]))
    return {
        **dict(row._mapping),
        "counterparty": get_counterparty(store, int(row.counterparty_id)),
        "alerts": [get_alert(store, i) for i in alert_ids],
        "history": history,
    }


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


# -- re-screening ---------------------------------------------------------------------------


def rescreen(
    store: SqlStore,
    screener: Screener,
    actor: str,
    changed: dict[str, tuple[int | None, int]] | None = None,
) -> dict[str, Any]:
    """Re-screen the monitored counterparties. With ``changed`` (source -> (from version,
    to version)), only those that the added or changed entities of those updates could
    affect: every counterparty is matched against an index of the changed entities alone, and
    only those with a match are screened in full. Without it, all of them (a full
    re-screen)."""
    screener.refresh(force=True)
    t = schema.counterparties
    with store.reading() as conn:
        rows = list(conn.execute(select(t).where(t.c.active == 1)))
    report: dict[str, Any] = {
        "counterparties": len(rows),
        "mode": "full" if changed is None else "delta",
    }
    targets = rows
    if changed is not None:
        entities = []
        for source, (old, new) in changed.items():
            diff = store.diff(source, old, new)
            for change in [*diff.added, *diff.changed]:
                ent = store.get_entity(change.entity_id, new)
                if ent is not None:
                    entities.append(ent)
        report["changed_entities"] = len(entities)
        if not entities:
            targets = []
        else:
            probe = Screener(entities, threshold=screener.threshold)
            targets = [r for r in rows if probe.screen(_cp_in(r).query(), limit=1)]
    created = suppressed = 0
    for r in targets:
        outcome = screen_counterparty(store, screener, int(r.id), actor)
        created += len(outcome.created)
        suppressed += len(outcome.suppressed)
    report.update(
        {"rescreened": len(targets), "alerts_created": created, "suppressed_by_memory": suppressed}
    )
    audit.record(store, actor, "rescreen", "counterparties", report)
    return report


def update_and_rescreen(
    store: SqlStore,
    settings: Settings,
    names: list[str] | None,
    actor: str,
    screener: Callable[[], Screener],
) -> tuple[list[UpdateOutcome], dict[str, Any] | None]:
    """Download the configured sources (or the named ones); then, if any list changed and
    counterparties are monitored, re-screen only those the changed entities could affect.
    ``screener`` is called only when a re-screen is needed."""
    before = {s: store.active_version(s) for s in store.sources()}
    outcomes = update_lists(store, settings, names)
    changed: dict[str, tuple[int | None, int]] = {}
    for o in outcomes:
        audit.record(store, actor, "list.update", f"list:{o.source}", o.to_dict())
        if o.status == "updated" and o.version is not None:
            old = before.get(o.source)
            changed[o.source] = (old.id if old else None, o.version.id)
    with store.reading() as conn:
        monitored = conn.execute(
            select(func.count())
            .select_from(schema.counterparties)
            .where(schema.counterparties.c.active == 1)
        ).scalar_one()
    report = rescreen(store, screener(), actor, changed) if changed and monitored else None
    return outcomes, report

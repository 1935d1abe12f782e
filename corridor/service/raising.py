"""Raising alerts from screening results: one alert per counterparty and party (every
listing of a profile), updated when the party gains a listing; remembered false positives
that hold until the counterparty, the listed record or the party's listings change; severity
from the listings, the evidence and the jurisdictions of concern. Every change is audited in
the same transaction as the change itself."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, and_, select, update

from corridor.exceptions import InvalidQuery
from corridor.matching import ScreeningResult
from corridor.profiles.severity import Severity, severity
from corridor.service import audit
from corridor.service.ownership import DERIVED_SOURCE
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

OPEN_STATUSES = ("open", "escalated", "pending_second_review")


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


def _not_covered(conn: Connection, memory: Any, r: ScreeningResult) -> list[str]:
    """The party's listings that the alert a remembered decision was made on did not cover
    (alerts raised before alerts covered listings covered their one record)."""
    al = schema.alert_listings
    covered = {
        row[0]
        for row in conn.execute(select(al.c.entity_id).where(al.c.alert_id == memory.alert_id))
    } | {memory.entity_id}
    return [e for e in r.entity_ids if e not in covered]


def _party_memory(
    conn: Connection, cp_id: int, record_hash: str, r: ScreeningResult
) -> tuple[Any, str | None]:
    """A false-positive decision on another listing of the party: (the remembered decision,
    None) when the party's listings are those the decided alert covered and the counterparty
    is unchanged (the decision holds), (it, why it is raised again) when not; (None, None)
    when there is none."""
    m = schema.decision_memory
    others = [e for e in r.entity_ids if e != r.entity_id]
    if not others:
        return None, None
    memory = conn.execute(
        select(m)
        .where(m.c.counterparty_id == cp_id, m.c.entity_id.in_(others))
        .order_by(m.c.decided_at.desc())
        .limit(1)
    ).first()
    if memory is None:
        return None, None
    new = _not_covered(conn, memory, r)
    if memory.counterparty_hash == record_hash and not new:
        return memory, None
    changed = [f"new listing(s) of the party: {', '.join(new)}"] if new else []
    if memory.counterparty_hash != record_hash:
        changed.append("the counterparty changed")
    return memory, (
        f"raised again: {' and '.join(changed)} since the false-positive decision of "
        f"{memory.decided_at} (alert {memory.alert_id})"
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
    level = _severity(replace(r, listings=explanation["listings"]), concern)
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
        if memory is None:  # a false positive decided on another listing of the party
            memory, reraised = _party_memory(conn, cp_id, record_hash, r)
            if memory is not None and reraised is None:
                outcome.suppressed.append(
                    {
                        "entity_id": memory.entity_id,
                        "decision": memory.decision,
                        "decided_by": memory.decided_by,
                        "decided_at": memory.decided_at,
                        "alert_id": memory.alert_id,
                    }
                )
                continue
        elif memory is not None:
            new = _not_covered(conn, memory, r)
            if memory.counterparty_hash == record_hash and memory.entity_hash == e_hash and new:
                reraised = (
                    f"raised again: new listing(s) of the party: {', '.join(new)} since the "
                    f"false-positive decision of {memory.decided_at} (alert {memory.alert_id})"
                )
            elif memory.counterparty_hash == record_hash and memory.entity_hash == e_hash:
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
            if reraised is None:
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

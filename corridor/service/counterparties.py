"""Monitored counterparties: registration and import, screening (registration and its first
screening commit together), the pick-up of counterparties left unscreened, and full or delta
re-screening after list updates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from corridor.exceptions import InvalidQuery, NotFound
from corridor.lists.text import csv_dicts, open_text
from corridor.matching import Query, Screener, ScreeningResult
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import EntityKind
from corridor.service import audit
from corridor.service.alerts import get_alert
from corridor.service.lists import UpdateOutcome, update_lists
from corridor.service.profiles import recompute_profiles
from corridor.service.raising import ScreenOutcome, raise_alerts
from corridor.settings import Settings
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import now


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
            raise InvalidQuery(f"country {self.country!r}: expected a country code or name")
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


def _screen(
    store: SqlStore, screener: Screener, cp: CounterpartyIn
) -> tuple[list[ScreeningResult], dict[str, str]]:
    """The matches of a counterparty and the record hash of each matched entity (read before
    the writing transaction, which then stays short)."""
    results = screener.screen(cp.query(), limit=20)
    return results, {r.entity_id: entity_hash(store, r) for r in results}


def _mark_screened(conn: Connection, cp_id: int) -> None:
    conn.execute(
        update(schema.counterparties)
        .where(schema.counterparties.c.id == cp_id)
        .values(screened_at=now())
    )


def screen_counterparty(
    store: SqlStore, screener: Screener, cp_id: int, actor: str
) -> ScreenOutcome:
    """Screen one monitored counterparty and raise alerts for new matches (see
    :func:`corridor.service.raising.raise_alerts`)."""
    with store.reading() as conn:
        row = conn.execute(
            select(schema.counterparties).where(schema.counterparties.c.id == cp_id)
        ).first()
    if row is None:
        raise NotFound(f"no counterparty {cp_id}")
    results, hashes = _screen(store, screener, _cp_in(row))
    with store.transaction() as conn:
        outcome = raise_alerts(
            conn, cp_id, row.external_id, row.record_hash, results, hashes, actor
        )
        _mark_screened(conn, cp_id)
    return outcome


def upsert_counterparty(
    store: SqlStore, screener: Screener, data: CounterpartyIn, actor: str
) -> tuple[dict[str, Any], ScreenOutcome]:
    """Register (or update) a counterparty and screen it: the record, its first screening's
    alerts and their audit entries commit in one transaction, so a crash never leaves a
    counterparty registered but unscreened."""
    cp = data.normalised()
    results, hashes = _screen(store, screener, cp)
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
                    {**values, "external_id": cp.external_id, "created_at": now()},
                ).scalar_one()
            )
            action = "counterparty.add"
        else:
            cp_id = int(row.id)
            conn.execute(update(t).where(t.c.id == cp_id).values(**values))
            action = (
                "counterparty.change"
                if row.record_hash != values["record_hash"]
                else "counterparty.touch"
            )
        audit.append(
            conn,
            actor,
            action,
            f"counterparty:{cp.external_id}",
            {"name": cp.name, "country": cp.country, "record_hash": values["record_hash"]},
        )
        outcome = raise_alerts(
            conn, cp_id, cp.external_id, str(values["record_hash"]), results, hashes, actor
        )
        _mark_screened(conn, cp_id)
    return get_counterparty(store, cp_id), outcome


def screen_pending(store: SqlStore, screener: Screener, actor: str) -> int:
    """Screen every active counterparty never screened, or changed since its last screening
    (left so by an older Corridor or an interrupted import); returns how many. The service
    runs this at start-up and on a timer."""
    t = schema.counterparties
    with store.reading() as conn:
        ids = [
            int(r[0])
            for r in conn.execute(
                select(t.c.id).where(
                    t.c.active == 1,
                    or_(t.c.screened_at.is_(None), t.c.screened_at < t.c.updated_at),
                )
            )
        ]
    for cp_id in ids:
        screen_counterparty(store, screener, cp_id, actor)
    return len(ids)


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


def import_counterparties(
    store: SqlStore, screener: Screener, path: Path, actor: str, encoding: str | None = None
) -> dict[str, Any]:
    """Counterparties from a CSV ``external_id,name,kind,country,birth_date,identifiers``
    (identifiers separated by ``;``); bad rows are reported with their line. A birth date
    that is not a date is dropped, with a warning, and the counterparty still registered."""
    added, errors, alerts = 0, [], 0
    warnings: list[str] = []
    with open_text(path, encoding) as fh:
        header, rows = csv_dicts(fh)
        if not {"external_id", "name"} <= {f.strip().lower() for f in header}:
            raise InvalidQuery(
                f"{path.name}: line 1: expected the header "
                "external_id,name,kind,country,birth_date,identifiers"
            )
        for lineno, raw in rows:
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            born = row.get("birth_date") or None
            if born and parse_date(born) is None:
                warnings.append(
                    f"{path.name}: line {lineno}: birth_date {born[:40]!r} is not a date: "
                    "registered without it"
                )
                born = None
            try:
                _, outcome = upsert_counterparty(
                    store,
                    screener,
                    CounterpartyIn(
                        row.get("external_id", ""),
                        row.get("name", ""),
                        row.get("kind") or None,
                        row.get("country") or None,
                        born,
                        [i for i in row.get("identifiers", "").split(";") if i],
                    ),
                    actor,
                )
            except InvalidQuery as exc:
                errors.append(f"{path.name}: line {lineno}: {exc}")
                continue
            added += 1
            alerts += len(outcome.created)
    return {"imported": added, "alerts_created": alerts, "errors": errors, "warnings": warnings}


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
    created = suppressed = updated = 0
    for r in targets:
        outcome = screen_counterparty(store, screener, int(r.id), actor)
        created += len(outcome.created)
        updated += len(outcome.updated)
        suppressed += len(outcome.suppressed)
    report.update(
        {
            "rescreened": len(targets),
            "alerts_created": created,
            "alerts_updated": updated,
            "suppressed_by_memory": suppressed,
        }
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
    if changed:  # the parties the new versions list: screening groups results by them
        recompute_profiles(store)
    with store.reading() as conn:
        monitored = conn.execute(
            select(func.count())
            .select_from(schema.counterparties)
            .where(schema.counterparties.c.active == 1)
        ).scalar_one()
    report = rescreen(store, screener(), actor, changed) if changed and monitored else None
    return outcomes, report

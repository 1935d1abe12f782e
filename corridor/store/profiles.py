"""Profiles in the store: which list records are one party, why, and analysts' judgements.

The membership table holds every active list record with its profile id; it is rewritten
(only the rows that changed) in one transaction when profiles are recomputed, together with
the state that says for which active versions and judgements they were computed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select

from corridor.store import schema
from corridor.store.dialect import BATCH_ROWS, insert_ignore, is_sqlite
from corridor.store.versioned import StorePart, now

STATE_KEY = "profiles_state"


class ProfileTables(StorePart):
    """The profile tables of a :class:`corridor.store.sql.SqlStore`."""

    def profile_map(self) -> dict[str, str]:
        """Entity id → profile id, for every record of the active lists."""
        pm = schema.profile_members
        with self._read() as conn:
            return {r.entity_id: r.profile_id for r in conn.execute(select(pm))}

    def profile_state(self) -> dict[str, Any]:
        """What the stored profiles were computed for (empty before the first computation)."""
        with self._read() as conn:
            row = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == STATE_KEY)
            ).first()
        return json.loads(row[0]) if row else {}

    def save_profiles(
        self,
        members: dict[str, str],
        links: Iterable[dict[str, Any]],
        state: dict[str, Any],
    ) -> dict[str, int]:
        """Replace the profiles: ``members`` maps every active record to its profile id,
        ``links`` are the links (with ``profile_id``). Only changed memberships are written.
        Returns counts of memberships added, changed and removed."""
        pm, pl = schema.profile_members, schema.profile_links
        digest = hashlib.sha256(
            json.dumps(sorted(members.items()), separators=(",", ":")).encode()
        ).hexdigest()[:24]
        state = {**state, "digest": digest, "computed_at": now()}
        with self._write() as conn:
            if not is_sqlite(self.engine):  # two processes recomputing: one after the other
                conn.exec_driver_sql("LOCK TABLE profile_members IN EXCLUSIVE MODE")
            old = {r.entity_id: r.profile_id for r in conn.execute(select(pm))}
            gone = [e for e in old if e not in members]
            changed = [e for e, p in members.items() if e in old and old[e] != p]
            added = [e for e in members if e not in old]
            for i in range(0, len(gone) + len(changed), BATCH_ROWS):
                chunk = (gone + changed)[i : i + BATCH_ROWS]
                conn.execute(delete(pm).where(pm.c.entity_id.in_(chunk)))
            rows = [{"entity_id": e, "profile_id": members[e]} for e in changed + added]
            for i in range(0, len(rows), BATCH_ROWS):
                conn.execute(pm.insert(), rows[i : i + BATCH_ROWS])
            conn.execute(delete(pl))
            link_rows = [
                {
                    "profile_id": link["profile_id"],
                    "entity_a": link["a"],
                    "entity_b": link["b"],
                    "basis": link["basis"],
                    "why": link["why"],
                    "evidence": json.dumps(link["evidence"], ensure_ascii=False),
                }
                for link in links
            ]
            for i in range(0, len(link_rows), BATCH_ROWS):
                conn.execute(pl.insert(), link_rows[i : i + BATCH_ROWS])
            self._set_state(conn, state)
        return {"added": len(added), "changed": len(changed), "removed": len(gone)}

    def _set_state(self, conn: Connection, state: dict[str, Any]) -> None:
        m = schema.meta
        text = json.dumps(state, sort_keys=True)
        conn.execute(delete(m).where(m.c.key == STATE_KEY))
        conn.execute(insert_ignore(self.engine, m), [{"key": STATE_KEY, "value": text}])

    def profile_signature(self) -> tuple[tuple[str, int], ...]:
        """Changes whenever the stored profiles do (screeners compare it)."""
        digest = self.profile_state().get("digest")
        return (("profiles:" + digest, 0),) if digest else ()

    def profile_members_of(self, profile_id: str) -> list[str]:
        pm = schema.profile_members
        with self._read() as conn:
            rows = conn.execute(
                select(pm.c.entity_id).where(pm.c.profile_id == profile_id).order_by(pm.c.entity_id)
            )
            return [r[0] for r in rows]

    def profile_of(self, entity_id: str) -> str | None:
        pm = schema.profile_members
        with self._read() as conn:
            row = conn.execute(select(pm.c.profile_id).where(pm.c.entity_id == entity_id)).first()
        return str(row[0]) if row else None

    def profile_links_of(self, profile_id: str) -> list[dict[str, Any]]:
        pl = schema.profile_links
        with self._read() as conn:
            rows = conn.execute(select(pl).where(pl.c.profile_id == profile_id).order_by(pl.c.id))
            return [
                {
                    "a": r.entity_a,
                    "b": r.entity_b,
                    "basis": r.basis,
                    "why": r.why,
                    "evidence": json.loads(r.evidence),
                }
                for r in rows
            ]

    def profile_sizes(self) -> dict[int, int]:
        """How many profiles have each number of records."""
        pm = schema.profile_members
        with self._read() as conn:
            sizes = conn.execute(
                select(pm.c.profile_id, func.count()).group_by(pm.c.profile_id)
            ).all()
        out: dict[int, int] = defaultdict(int)
        for _, n in sizes:
            out[int(n)] += 1
        return dict(sorted(out.items()))

    # -- judgements ------------------------------------------------------------------------

    def add_judgement(
        self, conn: Connection, a: str, b: str, verdict: str, reason: str, decided_by: str
    ) -> int:
        a, b = min(a, b), max(a, b)
        pj = schema.profile_judgements
        return int(
            conn.execute(
                pj.insert().returning(pj.c.id),
                {
                    "entity_a": a,
                    "entity_b": b,
                    "verdict": verdict,
                    "reason": reason,
                    "decided_by": decided_by,
                    "decided_at": now(),
                },
            ).scalar_one()
        )

    def judgements(self, entity_id: str | None = None) -> list[dict[str, Any]]:
        """Every judgement (oldest first), or those about one record."""
        pj = schema.profile_judgements
        query = select(pj).order_by(pj.c.id)
        if entity_id is not None:
            query = query.where(or_(pj.c.entity_a == entity_id, pj.c.entity_b == entity_id))
        with self._read() as conn:
            return [
                {
                    "id": r.id,
                    "a": r.entity_a,
                    "b": r.entity_b,
                    "verdict": r.verdict,
                    "reason": r.reason,
                    "decided_by": r.decided_by,
                    "decided_at": r.decided_at,
                }
                for r in conn.execute(query)
            ]

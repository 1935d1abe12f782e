"""Profiles as the adapters use them: recomputed when the active lists change, read with
their listings and the evidence of every link, and judged by analysts (audited)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from corridor.exceptions import Forbidden, InvalidQuery, NotFound
from corridor.profiles import DIFFERENT, SAME, Judgement, Resolver, assign_ids, listing_of
from corridor.service import audit
from corridor.service.users import User, role_at_least
from corridor.store.sql import SqlStore

JUDGE_ROLE = "analyst"
VERDICTS = (SAME, DIFFERENT)


@dataclass
class ProfileReport:
    """One computation of the profiles: how many, how they changed, how long it took."""

    records: int
    profiles: int
    linked_profiles: int  # profiles of two records or more
    links: int
    held_apart: int
    changes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        if self.skipped:
            return f"profiles: {self.profiles:,} (current)"
        return (
            f"profiles: {self.records:,} records in {self.profiles:,} profiles "
            f"({self.linked_profiles:,} joining two lists or more, {self.links:,} links, "
            f"{self.held_apart:,} links held apart), computed in {self.seconds:.1f} s"
        )


def _signature(store: SqlStore) -> list[Any]:
    return [row for row in store.active_versions_detail() if row[0] == "list"]


def _judgements(judged: list[dict[str, Any]]) -> list[Judgement]:
    return [Judgement(j["a"], j["b"], j["verdict"], j["decided_by"], j["reason"]) for j in judged]


def profiles_current(store: SqlStore) -> bool:
    """True when the stored profiles were computed for the active lists and judgements."""
    state = store.profile_state()
    judged = store.judgements()
    return (
        bool(state)
        and state.get("signature") == _signature(store)
        and state.get("judgements") == (judged[-1]["id"] if judged else 0)
    )


def recompute_profiles(store: SqlStore, force: bool = False) -> ProfileReport:
    """Group the active list records into profiles (keeping earlier ids where members stay)
    and store them; nothing to do when they are current, unless ``force``."""
    if not force and profiles_current(store):
        sizes = store.profile_sizes()
        return ProfileReport(
            sum(k * v for k, v in sizes.items()),
            sum(sizes.values()),
            sum(v for k, v in sizes.items() if k > 1),
            0,
            0,
            skipped=True,
        )
    started = time.perf_counter()
    signature = _signature(store)
    judged = store.judgements()
    resolution = Resolver().resolve(store.iter_active_entities(), _judgements(judged))
    members = assign_ids(resolution.clusters, store.profile_map())
    links = [{**link.to_dict(), "profile_id": members[link.a]} for link in resolution.links]
    changes = store.save_profiles(
        members,
        links,
        {"signature": signature, "judgements": judged[-1]["id"] if judged else 0},
    )
    return ProfileReport(
        len(members),
        len(resolution.clusters),
        sum(1 for c in resolution.clusters if len(c) > 1),
        len(resolution.links),
        len(resolution.held_apart),
        changes,
        round(time.perf_counter() - started, 2),
    )


def get_profile(store: SqlStore, ref: str) -> dict[str, Any]:
    """A profile by its id or by the id of one of its records: its listings (one per
    record), the links with their evidence, and the judgements on its records."""
    profile_id = ref if ref.startswith("pf-") else store.profile_of(ref)
    members = store.profile_members_of(profile_id) if profile_id else []
    if not members:
        entity = store.get_entity(ref)
        if entity is None:
            raise NotFound(f"no profile or list record {ref!r}")
        members, profile_id = [entity.id], None
    listings = [listing_of(ent).to_dict() for ent in store.active_records(members)]
    unique = {j["id"]: j for eid in members for j in store.judgements(eid)}
    return {
        "profile_id": profile_id,
        "caption": listings[0]["caption"] if listings else ref,
        "listings": listings,
        "jurisdictions": sorted({x["jurisdiction"] for x in listings if x["jurisdiction"]}),
        "links": store.profile_links_of(profile_id) if profile_id else [],
        "judgements": [unique[k] for k in sorted(unique)],
    }


def judge(
    store: SqlStore, user: User, a: str, b: str, verdict: str, reason: str
) -> tuple[dict[str, Any], ProfileReport]:
    """Record an analyst's judgement on two list records (``same`` party or ``different``
    parties), audited, then recompute the profiles. The latest judgement on a pair counts;
    judgements persist across list versions and override the automatic decision."""
    if not role_at_least(user.role, JUDGE_ROLE):
        raise Forbidden(f"judging profile links needs the {JUDGE_ROLE} role")
    if verdict not in VERDICTS:
        raise InvalidQuery(f"verdict {verdict!r}: expected 'same' or 'different'")
    if a == b:
        raise InvalidQuery("a judgement is about two different list records")
    reason = reason.strip()
    if not reason:
        raise InvalidQuery("a judgement needs a reason (what the analyst checked)")
    for eid in (a, b):
        if store.get_entity(eid) is None:
            raise NotFound(f"no list record {eid!r} in the active lists")
    before = {eid: store.profile_of(eid) for eid in (a, b)}
    with store.transaction() as conn:
        jid = store.add_judgement(conn, a, b, verdict, reason[:2000], user.username)
        audit.append(
            conn,
            user.username,
            "profile.judge",
            f"judgement:{jid}",
            {"a": a, "b": b, "verdict": verdict, "reason": reason[:2000], "profiles": before},
        )
    report = recompute_profiles(store, force=True)
    after = {eid: store.profile_of(eid) for eid in (a, b)}
    return (
        {"id": jid, "a": a, "b": b, "verdict": verdict, "before": before, "after": after},
        report,
    )

"""Profile ids that stay the same across list versions while their members stay.

A new grouping inherits, for each of its profiles, the id of the earlier profile it shares
most records with (the larger profiles choose first; an id goes to one profile only). A
profile that shares no record with any earlier one, or whose earlier id went to a larger
part of a split profile, gets a new id made from its first record id.
"""

from __future__ import annotations

import hashlib
from collections import Counter


def new_profile_id(first_member: str, taken: set[str]) -> str:
    base = "pf-" + hashlib.blake2b(first_member.encode(), digest_size=6).hexdigest()
    pid, n = base, 1
    while pid in taken:
        n += 1
        pid = f"{base}-{n}"
    return pid


def assign_ids(clusters: list[list[str]], previous: dict[str, str]) -> dict[str, str]:
    """Entity id → profile id for ``clusters``, keeping the ids of ``previous`` (entity id →
    profile id) where members stay."""
    order = sorted(range(len(clusters)), key=lambda i: (-len(clusters[i]), min(clusters[i])))
    taken = set(previous.values())
    used: set[str] = set()
    out: dict[str, str] = {}
    pending: list[int] = []
    for i in order:
        votes = Counter(previous[e] for e in clusters[i] if e in previous)
        choice = next(
            (
                pid
                for pid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                if pid not in used
            ),
            None,
        )
        if choice is None:
            pending.append(i)
            continue
        used.add(choice)
        for e in clusters[i]:
            out[e] = choice
    for i in pending:
        pid = new_profile_id(min(clusters[i]), taken | used)
        used.add(pid)
        for e in clusters[i]:
            out[e] = pid
    return out

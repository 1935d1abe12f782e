"""Which jurisdictions' ownership rules a listing triggers.

A listing triggers the rules of the jurisdiction that made it: the OFAC SDN list the US 50 %
rule, the EU consolidated list the EU rule, the UK list the OFSI rule. UN listings are
implemented by the EU and the UK (their regulations list every UN designee); the US designates
them under its own programmes, so a UN listing alone does not trigger the OFAC rule. The BIS
Entity List and Military End-User list trigger the BIS affiliates rule. OFAC's non-SDN lists
(SSI, NS-MBS, CAPTA...) restrict specific dealings and do not block, so they trigger none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from corridor.model.entity import Entity
from corridor.model.ownership import Designation

_BY_NAME: dict[str, frozenset[str]] = {}


def _add(codes: str, *names: str) -> None:
    for name in names:
        _BY_NAME[_key(name)] = frozenset(codes.split()) if codes else frozenset()


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


_add("us", "us", "ofac", "sdn", "ofac sdn", "us_ofac_sdn", "specially designated nationals")
_add("eu", "eu", "eu fsf", "eu_fsf", "eu consolidated", "eu financial sanctions")
_add("uk", "uk", "ofsi", "hmt", "uk_hmt", "uk_fcdo", "fcdo", "uk sanctions list", "uk consolidated")
_add("eu uk", "un", "unsc", "un_sc", "un list", "un security council")
_add("bis", "bis", "entity list", "el", "meu", "military end user", "military end user list")
_add("", "us_ofac_cons", "ssi", "ns mbs", "capta", "cmic", "plc", "dpl", "uvl", "itar", "isn")

_CSL_PREFIXES = (
    ("specially designated nationals", "us"),
    ("entity list", "bis"),
    ("military end user", "bis"),
)

KNOWN = sorted(_BY_NAME)


def jurisdictions_for(list_name: str) -> frozenset[str] | None:
    """Jurisdiction codes for a list, source or jurisdiction name (``us``, ``SDN``,
    ``eu_fsf``, ``Entity List``...; several separated by ``;``), or None if unknown."""
    out: set[str] = set()
    for part in list_name.split(";"):
        key = _key(part)
        if not key:
            continue
        codes = _BY_NAME.get(key)
        if codes is None:
            codes = next((frozenset({c}) for p, c in _CSL_PREFIXES if key.startswith(p)), None)
        if codes is None:
            return None
        out |= codes
    return frozenset(out)


def entity_jurisdictions(entity: Entity) -> frozenset[str]:
    """What a stored list entity's listing triggers (by its source, and for the US
    Consolidated Screening List by the sub-list it comes from)."""
    if entity.source == "us_csl":
        out: set[str] = set()
        for name in entity.lists:
            out |= jurisdictions_for(name) or frozenset()
        return frozenset(out)
    return jurisdictions_for(entity.source) or frozenset()


def designations_from_entities(entities: Iterable[Entity]) -> Iterator[Designation]:
    """Designations for the listed entities whose listing triggers an ownership rule."""
    for ent in entities:
        codes = entity_jurisdictions(ent)
        if codes:
            yield Designation(ent.id, ent.caption, ent.source, codes, designated_from=ent.listed_on)


def designations_by_profile(
    entities: Iterable[Entity], profiles: dict[str, str]
) -> Iterator[Designation]:
    """Designations where a party counts under every jurisdiction whose list names any
    record of its profile (``profiles``: entity id → profile id): a person on the SDN list
    whose EU listing is another record is designated for the EU rule too, whichever record
    the ownership graph names."""
    rows = []
    by_profile: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for ent in entities:
        codes = entity_jurisdictions(ent)
        pid = profiles.get(ent.id)
        rows.append((ent.id, ent.caption, ent.source, codes, ent.listed_on, pid))
        if pid is not None and codes:
            by_profile.setdefault(pid, set()).update(codes)
            sources.setdefault(pid, set()).add(ent.source)
    for eid, caption, source, codes, listed_on, pid in rows:
        shared = by_profile.get(pid, set()) if pid is not None else set()
        union = frozenset(codes | shared)
        if not union:
            continue
        others = sorted(sources.get(pid or "", set()) - {source}) if shared - codes else []
        name = f"{source} (one party with {', '.join(others)})" if others else source
        yield Designation(eid, caption, name, union, designated_from=listed_on)

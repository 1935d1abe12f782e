"""A listing: one list's record of a party, as an analyst reads it on a profile or an alert.

Its kind says what the listing does: ``blocking`` lists freeze assets and forbid dealings
(the OFAC SDN list, the UN, EU and UK consolidated lists); ``restriction`` lists restrict
some dealings only (the BIS Entity, Military End-User and Unverified lists, the Denied Persons
list, OFAC's non-SDN lists such as SSI, NS-MBS or CMIC, the State Department's lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corridor.model.entity import Entity

BLOCKING = "blocking"
RESTRICTION = "restriction"

_SOURCE_LIST: dict[str, tuple[str, str, str]] = {
    # source: (jurisdiction, sub-list, kind)
    "us_ofac_sdn": ("us", "SDN", BLOCKING),
    "us_ofac_cons": ("us", "Non-SDN", RESTRICTION),
    "un_sc": ("un", "UN", BLOCKING),
    "eu_fsf": ("eu", "EU", BLOCKING),
    "uk_hmt": ("uk", "UK", BLOCKING),
    "uk_fcdo": ("uk", "UK", BLOCKING),
    "kz_afm": ("kz", "AFM", BLOCKING),
    "kz_afm_participants": ("kz", "AFM participants", BLOCKING),
}
_BLOCKING_SUBLISTS = frozenset({"SDN"})
_ACRONYM = re.compile(r"\(([^)]{1,20})\)")


@dataclass(frozen=True, slots=True)
class Listing:
    entity_id: str
    caption: str
    source: str
    sub_list: str
    jurisdiction: str
    kind: str  # blocking or restriction
    programs: tuple[str, ...]
    listed_on: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "caption": self.caption,
            "source": self.source,
            "sub_list": self.sub_list,
            "jurisdiction": self.jurisdiction,
            "kind": self.kind,
            "programs": list(self.programs),
            "listed_on": self.listed_on,
        }


def listing_label(source: str, sub_list: str | None) -> str:
    """A listing as an analyst names it: ``us_ofac_sdn``, ``us_csl SDN``, ``us_csl EL``
    (the sub-list when the source's name does not say it already)."""
    if sub_list and sub_list.lower() not in source.lower():
        return f"{source} {sub_list}"
    return source


def listing_labels(listings: list[dict[str, Any]]) -> list[str]:
    """The distinct labels of listings (dicts with ``source`` and ``sub_list``), in order."""
    out: list[str] = []
    for x in listings:
        label = listing_label(str(x.get("source", "")), x.get("sub_list"))
        if label not in out:
            out.append(label)
    return out


def sub_list_name(full: str) -> str:
    """The short name of a Consolidated Screening List sub-list (``SDN``, ``EL``, ``MEU``)."""
    m = _ACRONYM.search(full)
    if m is None:
        return full.split(" - ")[0].strip()
    return m.group(1).replace(" List", "").strip()


def listing_parts(source: str, lists: list[str] | tuple[str, ...]) -> tuple[str, str, str]:
    """(jurisdiction, sub-list, kind) of a record of ``source`` in ``lists``."""
    if source == "us_csl":
        sub = sub_list_name(lists[0]) if lists else "CSL"
        return "us", sub, BLOCKING if sub in _BLOCKING_SUBLISTS else RESTRICTION
    known = _SOURCE_LIST.get(source)
    if known is not None:
        return known
    return "", source, RESTRICTION


def listing_of(ent: Entity) -> Listing:
    jurisdiction, sub, kind = listing_parts(ent.source, ent.lists)
    return Listing(
        ent.id,
        ent.caption,
        ent.source,
        sub,
        jurisdiction,
        kind,
        tuple(ent.programs),
        ent.listed_on,
    )

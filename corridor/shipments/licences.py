"""Licences and exemptions: versioned, jurisdiction-scoped records that lift specific
prohibitions (DOMAIN.md 5.4).

A licence covers a hit when it is of the hit's jurisdiction, lifts that kind of prohibition
(``parties`` or ``goods``), is in force on the document's date and not superseded then, and its
scope (parties, goods, destinations, projects) includes the document. A covered hit is shown
as licensed, with the licence; it is never dropped. A licence never clears another
jurisdiction's prohibition.

File form (TOML, or a JSON list of the same objects)::

    [[licence]]
    id = "OFAC-RUSSIA-GL-124B"
    jurisdiction = "us"
    type = "general"
    title = "CPC, Tengizchevroil and Karachaganak"
    lifts = ["parties"]
    parties = ["ofac-..."]            # listed entity ids or names; empty: any party
    goods = []                        # HS prefixes; empty: any goods
    destinations = []                 # ISO codes; empty: any destination
    projects = ["CPC", "TCO", "KARACHAGANAK"]
    valid_from = "2025-11-14"
    supersedes = ["OFAC-RUSSIA-GL-124A"]
    conditions = ["no sale or transfer of an interest in the projects"]
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.exceptions import ParseError
from corridor.model.dates import parse_iso_date, within
from corridor.shipments.context import company_key

TYPES = ("general", "specific", "derogation", "permit", "exemption")
LIFTS = ("parties", "goods")
JURISDICTIONS = ("us", "eu", "uk", "un", "kz")


@dataclass(frozen=True)
class Licence:
    id: str
    jurisdiction: str
    type: str
    title: str
    lifts: tuple[str, ...]
    parties: tuple[str, ...] = ()
    parties_excluded: tuple[str, ...] = ()
    goods: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    issuer: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None  # first day it no longer applies
    supersedes: tuple[str, ...] = ()
    source_url: str | None = None

    def in_force(self, day: str) -> bool:
        return within(day, self.valid_from, self.valid_to)

    def describe(self) -> str:
        text = f"{self.id} ({self.jurisdiction.upper()} {self.type} licence: {self.title})"
        if self.conditions:
            text += "; conditions: " + "; ".join(self.conditions)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "jurisdiction": self.jurisdiction,
            "type": self.type,
            "title": self.title,
            "lifts": list(self.lifts),
            "parties": list(self.parties),
            "parties_excluded": list(self.parties_excluded),
            "goods": list(self.goods),
            "destinations": list(self.destinations),
            "projects": list(self.projects),
            "conditions": list(self.conditions),
            "legal_basis": list(self.legal_basis),
            "issuer": self.issuer,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "supersedes": list(self.supersedes),
            "source_url": self.source_url,
        }


def _strings(item: dict[str, Any], key: str, where: str, name: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParseError(f"{where}: {key} must be a list of strings", name)
    return tuple(v.strip() for v in value if v.strip())


def licence_from_dict(item: dict[str, Any], where: str, name: str) -> Licence:
    lid = item.get("id")
    if not isinstance(lid, str) or not lid.strip():
        raise ParseError(f"{where}: id is required", name)
    where = f"{where} ({lid})"
    jurisdiction = str(item.get("jurisdiction", "")).lower()
    if jurisdiction not in JURISDICTIONS:
        raise ParseError(
            f"{where}: jurisdiction must be one of {', '.join(JURISDICTIONS)}, not "
            f"{item.get('jurisdiction')!r}",
            name,
        )
    ltype = str(item.get("type", "general")).lower()
    if ltype not in TYPES:
        raise ParseError(f"{where}: type must be one of {', '.join(TYPES)}", name)
    lifts = _strings(item, "lifts", where, name) or LIFTS
    bad = [x for x in lifts if x not in LIFTS]
    if bad:
        raise ParseError(f"{where}: lifts must name parties and/or goods, not {bad}", name)
    try:
        start = parse_iso_date(str(item["valid_from"])) if item.get("valid_from") else None
        end = parse_iso_date(str(item["valid_to"])) if item.get("valid_to") else None
    except ValueError as exc:
        raise ParseError(f"{where}: valid_from/valid_to: {exc}", name) from exc
    goods = tuple(g.replace(".", "").replace(" ", "") for g in _strings(item, "goods", where, name))
    if not all(g.isdigit() for g in goods):
        raise ParseError(f"{where}: goods must be HS code prefixes like 8542 or 8542.31", name)
    return Licence(
        lid.strip(),
        jurisdiction,
        ltype,
        str(item.get("title", lid)),
        lifts,
        _strings(item, "parties", where, name),
        _strings(item, "parties_excluded", where, name),
        goods,
        tuple(c.upper() for c in _strings(item, "destinations", where, name)),
        tuple(p.upper() for p in _strings(item, "projects", where, name)),
        _strings(item, "conditions", where, name),
        _strings(item, "legal_basis", where, name),
        str(item["issuer"]) if item.get("issuer") else None,
        start,
        end,
        _strings(item, "supersedes", where, name),
        str(item["source_url"]) if item.get("source_url") else None,
    )


def read_licences(path: Path | str) -> list[Licence]:
    """Read licences from TOML (``[[licence]]`` tables) or JSON (a list of objects)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ParseError(f"cannot read licences: {exc.strerror}", path.name) from exc
    items: Any
    if path.suffix.lower() == ".json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc.msg}", path.name, line=exc.lineno) from exc
    else:
        try:
            items = tomllib.loads(text).get("licence", [])
        except tomllib.TOMLDecodeError as exc:
            raise ParseError(f"invalid TOML: {exc}", path.name) from exc
    if not isinstance(items, list) or not items:
        raise ParseError(
            "expected [[licence]] tables (TOML) or a list of objects (JSON)", path.name
        )
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ParseError(f"licence {i}: expected a table", path.name)
        out.append(licence_from_dict(item, f"licence {i}", path.name))
    ids = [lic.id for lic in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ParseError(f"licence id(s) {', '.join(dupes)} appear more than once", path.name)
    return out


class LicenceBook:
    """The licences in force, and which one covers a hit."""

    def __init__(self, licences: list[Licence]) -> None:
        self.licences = licences
        self.superseded_by: dict[str, list[Licence]] = {}
        for lic in licences:
            for old in lic.supersedes:
                self.superseded_by.setdefault(old, []).append(lic)

    def applies(self, lic: Licence, day: str) -> bool:
        if not lic.in_force(day):
            return False
        return not any(new.in_force(day) for new in self.superseded_by.get(lic.id, ()))

    def covering(
        self,
        jurisdiction: str,
        lifts: str,
        day: str,
        parties: list[str],
        hs6: str | None = None,
        destination: str | None = None,
        projects: set[str] | None = None,
    ) -> Licence | None:
        """The first licence that lifts this prohibition for this document, if any.

        ``parties`` are the names and listed entity ids the hit concerns."""
        keys = {p.casefold() for p in parties if p} | {
            k for p in parties if (k := company_key(p, None))
        }
        for lic in self.licences:
            if lic.jurisdiction != jurisdiction or lifts not in lic.lifts:
                continue
            if not self.applies(lic, day):
                continue
            named = {p.casefold() for p in lic.parties} | {
                k for p in lic.parties if (k := company_key(p, None))
            }
            if lic.parties and not (named & keys):
                continue
            excluded = {p.casefold() for p in lic.parties_excluded}
            if excluded & keys:
                continue
            if lic.goods and not (hs6 and any(hs6.startswith(g) for g in lic.goods)):
                continue
            if lic.destinations and destination not in lic.destinations:
                continue
            if lic.projects and not (projects and set(lic.projects) & projects):
                continue
            return lic
        return None

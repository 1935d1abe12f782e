"""What shipment screening reports: flags, hits, decisions per jurisdiction, chains."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

JURISDICTIONS = ("us", "eu", "uk", "un")
RESULTS = ("clear", "review", "prohibited")


@dataclass
class Flag:
    """A red-flag rule that fired, with the evidence that fired it."""

    rule: str
    family: str
    severity: str
    title: str
    message: str
    guidance: str
    doc_id: str
    lines: tuple[int, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    company: str | None = None  # the company a company-level rule is about

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "family": self.family,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "guidance": self.guidance,
            "doc_id": self.doc_id,
            "lines": list(self.lines),
            "company": self.company,
            "evidence": self.evidence,
        }


@dataclass
class PartyHit:
    role: str
    name: str
    country: str | None
    entity_id: str
    caption: str
    source: str
    score: float
    programs: list[str]
    jurisdictions: tuple[str, ...]
    strong: bool  # scores at least the strong-match setting: treated as the listed party
    ownership: dict[str, str] | None = None  # per jurisdiction, for ownership-derived hits
    summary: str = ""
    licensed_by: dict[str, str] = field(default_factory=dict)  # jurisdiction -> licence id

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "country": self.country,
            "entity_id": self.entity_id,
            "caption": self.caption,
            "source": self.source,
            "score": self.score,
            "programs": self.programs,
            "jurisdictions": list(self.jurisdictions),
            "strong": self.strong,
            "ownership": self.ownership,
            "summary": self.summary,
            "licensed_by": self.licensed_by,
        }


@dataclass
class GoodsHit:
    line: int | None
    hs_code: str | None
    hs6: str | None
    list: str
    tier: str | None
    jurisdictions: tuple[str, ...]
    certain: bool
    via: str
    legal_basis: str | None
    licensed_by: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "hs_code": self.hs_code,
            "hs6": self.hs6,
            "list": self.list,
            "tier": self.tier,
            "jurisdictions": list(self.jurisdictions),
            "certain": self.certain,
            "via": self.via,
            "legal_basis": self.legal_basis,
            "licensed_by": self.licensed_by,
        }


@dataclass
class PlaceHit:
    """An embargoed country or region a document involves, and where it says so."""

    field: str  # the column: destination_country, consignee_address, port_of_discharge...
    side: str  # "destination", "origin", "party" or "transit"
    code: str  # ISO 3166-1 or 3166-2
    place: str
    matched: str
    kind: str  # "country", "code", "name" or "city"
    partial: bool  # names a region only part of which is embargoed

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "side": self.side,
            "code": self.code,
            "place": self.place,
            "matched": self.matched,
            "kind": self.kind,
            "partial": self.partial,
        }


@dataclass
class Decision:
    jurisdiction: str
    result: str  # clear, review, prohibited
    reasons: list[str] = field(default_factory=list)
    licensed: list[str] = field(default_factory=list)  # hits a licence covers, and which

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "result": self.result,
            "reasons": self.reasons,
            "licensed": self.licensed,
        }


@dataclass
class ChainLink:
    doc_id: str
    date: str
    company: str
    quantity: float  # taken from this import
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "date": self.date,
            "company": self.company,
            "quantity": self.quantity,
            "line": self.line,
        }


@dataclass
class Chain:
    """Imports of listed goods linked to a later export of the same goods to a restricted
    destination by the same company (or a related one)."""

    company: str
    hs6: str
    unit: str | None
    export_doc: str
    export_date: str
    export_quantity: float
    destination: str
    matched_quantity: float
    imports: list[ChainLink] = field(default_factory=list)
    related: bool = False  # an import was made by a related company

    @property
    def share(self) -> float:
        return self.matched_quantity / self.export_quantity if self.export_quantity else 0.0

    @property
    def days(self) -> int:
        first = min(link.date for link in self.imports)
        return (date.fromisoformat(self.export_date) - date.fromisoformat(first)).days

    def to_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "hs6": self.hs6,
            "unit": self.unit,
            "export_doc": self.export_doc,
            "export_date": self.export_date,
            "export_quantity": self.export_quantity,
            "destination": self.destination,
            "matched_quantity": self.matched_quantity,
            "share": round(self.share, 4),
            "days": self.days,
            "related": self.related,
            "imports": [link.to_dict() for link in self.imports],
        }


@dataclass
class ShipmentResult:
    doc_id: str
    doc_type: str
    date: str
    lines: int
    parties: dict[str, str]
    route: list[str]
    value_eur: float | None
    party_hits: list[PartyHit] = field(default_factory=list)
    goods_hits: list[GoodsHit] = field(default_factory=list)
    place_hits: list[PlaceHit] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)
    chains: list[Chain] = field(default_factory=list)

    @property
    def overall(self) -> str:
        worst = max((RESULTS.index(d.result) for d in self.decisions.values()), default=0)
        return RESULTS[worst]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "doc_type": self.doc_type,
            "date": self.date,
            "lines": self.lines,
            "parties": self.parties,
            "route": self.route,
            "value_eur": None if self.value_eur is None else round(self.value_eur, 2),
            "overall": self.overall,
            "decisions": {j: d.to_dict() for j, d in self.decisions.items()},
            "flags": [f.to_dict() for f in self.flags],
            "party_hits": [h.to_dict() for h in self.party_hits],
            "goods_hits": [h.to_dict() for h in self.goods_hits],
            "place_hits": [h.to_dict() for h in self.place_hits],
            "chains": [c.to_dict() for c in self.chains],
        }

"""Trade documents (customs declarations, e-invoices, waybills) as goods lines, and the
company facts that red-flag rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PARTY_ROLES = ("seller", "buyer", "consignee", "payer")

LINE_COLUMNS = (
    "doc_id",
    "doc_type",
    "date",
    "seller",
    "seller_country",
    "buyer",
    "buyer_country",
    "consignee",
    "consignee_country",
    "payer",
    "payer_country",
    "origin_country",
    "dispatch_country",
    "destination_country",
    "transit_countries",
    "manufacturer_country",
    "hs_code",
    "description",
    "quantity",
    "unit",
    "value",
    "currency",
)
COMPANY_COLUMNS = ("name", "country", "registration_id", "incorporated", "activity_code")


@dataclass(slots=True)
class DocumentLine:
    """One goods line of a trade document (the CSV form has one row per line)."""

    doc_id: str
    doc_type: str
    date: str  # ISO YYYY-MM-DD
    seller: str | None = None
    seller_country: str | None = None
    buyer: str | None = None
    buyer_country: str | None = None
    consignee: str | None = None
    consignee_country: str | None = None
    payer: str | None = None
    payer_country: str | None = None
    origin_country: str | None = None
    dispatch_country: str | None = None
    destination_country: str | None = None
    transit_countries: tuple[str, ...] = ()
    manufacturer_country: str | None = None
    hs_code: str | None = None
    description: str | None = None
    quantity: float | None = None
    unit: str | None = None
    value: float | None = None
    currency: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # file name
    line: int | None = None  # line (or row) in that file

    def party(self, role: str) -> tuple[str | None, str | None]:
        name: str | None = getattr(self, role)
        country: str | None = getattr(self, f"{role}_country")
        return name, country

    def route(self) -> list[str]:
        """Dispatch, transit and destination countries in order (those given)."""
        out = [self.dispatch_country] if self.dispatch_country else []
        out.extend(self.transit_countries)
        if self.destination_country:
            out.append(self.destination_country)
        return out

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {c: getattr(self, c) for c in LINE_COLUMNS}
        d["transit_countries"] = list(self.transit_countries)
        if self.extra:
            d["extra"] = dict(self.extra)
        d["source"] = self.source
        d["line"] = self.line
        return d


@dataclass(slots=True)
class Company:
    """What is known of a company beyond its name: registration, incorporation, activity."""

    name: str
    country: str | None = None
    registration_id: str | None = None
    incorporated: str | None = None
    activity_code: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read, and why: reported, never dropped silently."""

    source: str
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: line {self.line}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }

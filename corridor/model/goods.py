"""Goods-list entries: a code on a list (the Common High Priority List, an EU annex, a
national control list), with tier, jurisdictions, legal basis and validity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corridor.model.dates import within


@dataclass(frozen=True, slots=True)
class GoodsListEntry:
    code: str  # digits: 2 (chapter), 4 (heading), 6 (subheading), 8 or 10 (national)
    list: str  # e.g. "CHPL", "EU Annex XXIII"
    tier: str | None = None  # tier or category on that list
    jurisdictions: tuple[str, ...] = ()  # "us", "eu", "uk", "un", "kz"...
    legal_basis: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None  # first day it no longer applies
    hs_version: str = "2022"
    description: str | None = None

    def valid_on(self, day: str | None) -> bool:
        return within(day, self.valid_from, self.valid_to)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "list": self.list,
            "tier": self.tier,
            "jurisdictions": list(self.jurisdictions),
            "legal_basis": self.legal_basis,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "hs_version": self.hs_version,
            "description": self.description,
        }

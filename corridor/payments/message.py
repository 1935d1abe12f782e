"""A payment as Corridor screens it, whatever message carried it: parties, agents and free
text, each with the field it came from."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any


@dataclass
class Party:
    """A customer or institution named by its name (debtor, creditor, ultimate parties,
    initiating party; MT 50a and 59a)."""

    role: str  # debtor, creditor, ultimate_debtor, ultimate_creditor, initiating_party
    field: str  # the element path or MT tag: Dbtr, UltmtCdtr, 50K, 59F
    name: str | None = None
    address: list[str] = _field(default_factory=list)  # address lines as written
    town: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    account: str | None = None  # IBAN or other account number
    identifiers: list[str] = _field(default_factory=list)  # BIC, LEI, tax and other ids
    bic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "field": self.field,
            "name": self.name,
            "address": self.address,
            "town": self.town,
            "country": self.country,
            "account": self.account,
            "identifiers": self.identifiers,
            "bic": self.bic,
        }


@dataclass
class Agent:
    """A bank in the chain: debtor and creditor agents, intermediaries, instructing and
    instructed agents (MT 52a to 57a, the sender and the receiver)."""

    role: str  # debtor_agent, creditor_agent, intermediary_agent, instructing_agent...
    field: str
    bic: str | None = None
    name: str | None = None
    address: list[str] = _field(default_factory=list)
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "field": self.field,
            "bic": self.bic,
            "name": self.name,
            "address": self.address,
            "country": self.country,
        }


@dataclass(frozen=True)
class TextField:
    """Free text of a message: remittance information, purpose, regulatory reporting,
    instructions to the next agent, MT 70, 72, 77B."""

    field: str
    text: str


@dataclass
class Payment:
    message_id: str
    kind: str  # pacs.008.001.08, pacs.009.001.09 COV, pain.001.001.09, MT103, MT202COV
    source: str  # the file
    position: str  # where in the file: "message 3 (line 120)"
    amount: str | None = None
    currency: str | None = None
    date: str | None = None
    uetr: str | None = None
    parties: list[Party] = _field(default_factory=list)
    agents: list[Agent] = _field(default_factory=list)
    texts: list[TextField] = _field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "kind": self.kind,
            "source": self.source,
            "position": self.position,
            "amount": self.amount,
            "currency": self.currency,
            "date": self.date,
            "uetr": self.uetr,
            "parties": [p.to_dict() for p in self.parties],
            "agents": [a.to_dict() for a in self.agents],
            "texts": [{"field": t.field, "text": t.text} for t in self.texts],
        }

"""Ownership and control graphs: the edges between parties, the parties themselves and the
designations that start the propagation.

Shares are percentages (0 to 100) held as an interval ``[share_min, share_max]``; an exact share
has both ends equal, an unknown one is ``[0, 100]``. Dates are ISO ``YYYY-MM-DD`` strings;
``valid_to`` and ``designated_to`` are *end* dates: the first day on which the edge or the
designation no longer holds (empty when open).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from corridor.model.dates import within


class EdgeKind(StrEnum):
    OWNERSHIP = "ownership"
    CONTROL = "control"


class ShareBasis(StrEnum):
    EQUITY = "equity"
    VOTING = "voting"


class ControlType(StrEnum):
    """Typed control edges (the EU Best Practices criteria, plus two that only inform)."""

    BOARD_APPOINTMENT = "board_appointment"  # right to appoint or remove a board majority
    VOTING_AGREEMENT = "voting_agreement"  # controls a majority of votes by agreement
    DOMINANT_INFLUENCE = "dominant_influence"  # by agreement or the articles
    CONSOLIDATED_ACCOUNTS = "consolidated_accounts"  # unified management, consolidated accounts
    ASSET_USE = "asset_use"  # right to use all or part of the assets
    GUARANTEE = "guarantee"  # shares or guarantees the financial liabilities
    DE_FACTO = "de_facto"  # power of dominant influence without holding the rights
    JOINT_ARRANGEMENT = "joint_arrangement"  # two holders act together (groups them, UK)
    MANAGEMENT = "management"  # director or senior manager: informs, does not control
    OTHER = "other"  # any other stated interest: informs, does not control


@dataclass(slots=True)
class OwnershipEdge:
    """One ownership stake or control relation of ``owner`` over ``owned``."""

    owner: str
    owned: str
    kind: EdgeKind = EdgeKind.OWNERSHIP
    share_min: float = 0.0
    share_max: float = 0.0
    basis: ShareBasis = ShareBasis.EQUITY
    control_type: ControlType | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    source: str | None = None  # the document or record it comes from

    def valid_on(self, day: str | None) -> bool:
        return within(day, self.valid_from, self.valid_to)

    @property
    def share_text(self) -> str:
        return format_share(self.share_min, self.share_max)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"owner": self.owner, "owned": self.owned, "kind": self.kind.value}
        if self.kind is EdgeKind.OWNERSHIP:
            d["share_min"] = self.share_min
            d["share_max"] = self.share_max
            d["basis"] = self.basis.value
        else:
            d["control_type"] = self.control_type.value if self.control_type else None
        for key in ("valid_from", "valid_to", "source"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        return d


@dataclass(frozen=True, slots=True)
class GraphParty:
    """A node of the graph that is described (named) by its source."""

    id: str
    name: str
    kind: str = "organization"  # "person" or "organization"
    country: str | None = None
    registration_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind}
        if self.country:
            d["country"] = self.country
        if self.registration_id:
            d["registration_id"] = self.registration_id
        return d


@dataclass(frozen=True, slots=True)
class Designation:
    """A designated (listed) party, and which jurisdictions' rules its listing triggers."""

    id: str
    name: str
    list: str
    jurisdictions: frozenset[str]
    designated_from: str | None = None
    designated_to: str | None = None

    def valid_on(self, day: str | None) -> bool:
        return within(day, self.designated_from, self.designated_to)


def format_share(low: float, high: float) -> str:
    def num(x: float) -> str:
        return f"{x:.2f}".rstrip("0").rstrip(".")

    if abs(high - low) < 1e-9:
        return f"{num(low)} %"
    return f"{num(low)}-{num(high)} %"

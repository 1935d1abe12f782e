"""Query, result and explanation types of party screening (internal, fast; the API wraps them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corridor.model.entity import EntityKind

DEFAULT_THRESHOLD = 0.85
"""Results scoring at least this are reported (and become alerts). Chosen on the benchmark:
see docs/screening.md for recall and false-alert rates at other thresholds."""


@dataclass(frozen=True)
class Query:
    """A party to screen: a name and whatever else is known."""

    name: str
    kind: EntityKind | None = None
    birth_date: str | None = None  # ISO prefix: 1962, 1962-03, 1962-03-12
    country: str | None = None  # ISO 3166-1 alpha-2 (nationality, residence or registration)
    identifiers: tuple[str, ...] = ()  # passport, tax or registration numbers, IMO, BIC...
    gender: str | None = None  # "male" or "female"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind.value if self.kind else None,
            "birth_date": self.birth_date,
            "country": self.country,
            "identifiers": list(self.identifiers),
            "gender": self.gender,
        }


@dataclass(frozen=True)
class Adjustment:
    """One feature's effect on a score, in words."""

    feature: str
    delta: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "delta": round(self.delta, 4), "detail": self.detail}


@dataclass
class Explanation:
    query_name: str
    matched_name: str
    matched_name_type: str
    name_score: float
    alignment: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)
    subject: str = "listed"  # whose name was met: a listed party's, or a derived one's

    def summary(self) -> str:
        """The explanation in sentences an analyst reads."""
        whose = f"the {self.subject} {self.matched_name_type} name" if self.subject else "the name"
        parts = [
            f"'{self.query_name}' met {whose} '{self.matched_name}' with name score "
            f"{self.name_score:.2f}"
        ]
        if self.alignment:
            pairs = ", ".join(
                f"{a['query']}={a['candidate']}"
                + ("" if a["similarity"] >= 1 else f" ({a['similarity']:.2f})")
                for a in self.alignment
            )
            parts.append(f"words aligned: {pairs}")
        for item in self.unmatched:
            parts.append(
                f"'{item['token']}' on the {item['side']} side has no counterpart "
                f"({item['reason']})"
            )
        parts.extend(self.notes)
        for adj in self.adjustments:
            if abs(adj.delta) < 0.005:
                parts.append(adj.detail)
            else:
                sign = "+" if adj.delta >= 0 else ""
                parts.append(f"{adj.detail} ({sign}{adj.delta:.2f})")
        return "; ".join(parts) + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_name": self.query_name,
            "matched_name": self.matched_name,
            "matched_name_type": self.matched_name_type,
            "name_score": self.name_score,
            "alignment": self.alignment,
            "unmatched": self.unmatched,
            "notes": self.notes,
            "adjustments": [a.to_dict() for a in self.adjustments],
            "summary": self.summary(),
        }


@dataclass
class ScreeningResult:
    entity_id: str
    caption: str
    source: str
    kind: str
    programs: list[str]
    score: float
    explanation: Explanation
    ownership: dict[str, Any] | None = None  # why an unlisted party is owned or controlled
    profile_id: str = ""  # the party's profile ("" when no stored profile names it)
    listings: list[dict[str, Any]] = field(default_factory=list)  # every list naming it

    @property
    def entity_ids(self) -> list[str]:
        """The matched record and every other record of its profile."""
        # one record id may be on two lists (OFAC's SDN and non-SDN): each id once
        return list(dict.fromkeys([self.entity_id, *(x["entity_id"] for x in self.listings)]))

    def to_dict(self) -> dict[str, Any]:
        d = {
            "entity_id": self.entity_id,
            "profile_id": self.profile_id,
            "listings": self.listings,
            "caption": self.caption,
            "source": self.source,
            "kind": self.kind,
            "programs": list(self.programs),
            "score": self.score,
            "explanation": self.explanation.to_dict(),
        }
        if self.ownership is not None:
            d["ownership"] = self.ownership
        return d

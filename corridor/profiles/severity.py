"""How serious a possible match is, in points an analyst can follow.

Points come from three things:

- **what the listing does**: a blocking listing (asset freeze: SDN, UN, EU, UK) 2 points, a
  restriction listing (Entity List, non-SDN lists, ...) 1; one more when a listing is made by
  a jurisdiction the user named as being of concern (a Kazakh exporter exposed to US
  secondary sanctions names ``us``);
- **the evidence**: a matching identifier 2 points, the same full date of birth 1, a name
  that agrees closely (score ≥ 0.9: every word, at most a patronymic left out) 1; evidence
  that contradicts (another date of birth, another country) takes 2 away;
- nothing else: the name score alone no longer decides.

``high`` from 4 points, ``medium`` from 2.5, ``low`` below. Kadyrov with his exact date of
birth on the SDN list: 2 + 1 + 1 = 4, high. An exact name on the Entity List alone: 1 + 1 = 2,
low; the same for a user whose concern is the US: 3, medium.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.model.listings import BLOCKING, listing_labels

HIGH = 4.0
MEDIUM = 2.5
CLOSE_NAME = 0.9


@dataclass
class Severity:
    level: str  # high, medium or low
    points: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "points": self.points, "reasons": self.reasons}


def severity(
    score: float,
    name_score: float,
    listings: Sequence[dict[str, Any]],
    adjustments: Iterable[dict[str, Any]],
    concern: Sequence[str] = (),
) -> Severity:
    """The severity of a match on a party with these ``listings`` (dicts with ``kind``,
    ``jurisdiction``, ``source``, ``sub_list``), given the features that adjusted its score
    (``feature``, ``delta``, ``detail``) and the user's jurisdictions of concern."""
    reasons: list[str] = []
    points = 0.0
    blocking = [x for x in listings if x.get("kind") == BLOCKING]
    if blocking:
        points += 2
        names = listing_labels(blocking)
        reasons.append(f"blocking listing ({', '.join(names)}): +2")
    elif listings:
        points += 1
        names = listing_labels(list(listings))
        reasons.append(f"restriction listing only ({', '.join(names)}): +1")
    concerned = sorted({x["jurisdiction"] for x in listings if x.get("jurisdiction") in concern})
    if concerned:
        points += 1
        reasons.append(f"listed by a jurisdiction of concern ({', '.join(concerned)}): +1")
    contradicted = False
    for adj in adjustments:
        # read by what the feature found: its delta may be clipped at a score of 1
        feature, delta = adj.get("feature", ""), float(adj.get("delta", 0))
        detail = str(adj.get("detail", ""))
        if feature == "identifier" and detail.endswith("matches"):
            points += 2
            reasons.append(f"{adj.get('detail', 'identifier matches')}: +2")
        elif feature == "birth_date" and detail.startswith("same date of birth"):
            points += 1
            reasons.append(f"{adj.get('detail', 'same date of birth')}: +1")
        elif delta < -0.04 and not contradicted:
            contradicted = True
            points -= 2
            reasons.append(f"{adj.get('detail', 'evidence contradicts')}: -2")
    if name_score >= CLOSE_NAME:
        points += 1
        reasons.append(f"name agrees closely ({name_score:.2f}): +1")
    level = "high" if points >= HIGH else "medium" if points >= MEDIUM else "low"
    reasons.append(f"{points:g} points: {level} (high from {HIGH:g}, medium from {MEDIUM:g})")
    return Severity(level, points, reasons)

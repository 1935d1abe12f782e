"""Entity-level evidence besides the name: a registry of pure, documented feature functions.

Each feature takes the query and the listed entity's facts and returns an
:class:`Adjustment` (or None when it has nothing to say). The docstring of each feature is the
text analysts see in the documentation; ``tests/matching`` checks every feature has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from corridor.matching.types import Adjustment, Query
from corridor.model.entity import EntityKind


@dataclass(frozen=True, slots=True)
class Facts:
    """What the scorer needs of a listed entity, prepared once when the index is built."""

    kind: EntityKind
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    identifiers: frozenset[str]  # normalised values
    gender: str | None


def normalise_identifier(value: str) -> str:
    """Identifier comparison key: letters and digits only, upper case, IMO prefix dropped."""
    key = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    return key[3:] if key.startswith("IMO") and key[3:].isdigit() else key


Feature = Callable[[Query, Facts], Adjustment | None]


def birth_date(query: Query, facts: Facts) -> Adjustment | None:
    """Date of birth: the same full date adds confidence, the same year a little; a date of
    birth more than a year away from every listed one weighs strongly against."""
    if not query.birth_date or not facts.birth_dates:
        return None
    q = query.birth_date
    best: tuple[float, str] | None = None
    for d in facts.birth_dates:
        if len(q) >= 10 and len(d) >= 10 and q[:10] == d[:10]:
            cand = (0.08, f"same date of birth {d[:10]}")
        elif q[:4] == d[:4]:
            if len(q) >= 7 and len(d) >= 7 and q[:7] != d[:7]:
                cand = (-0.05, f"same year of birth {d[:4]} but another month ({d})")
            else:
                cand = (0.03, f"same year of birth {d[:4]}")
        else:
            try:
                gap = abs(int(q[:4]) - int(d[:4]))
            except ValueError:
                continue
            cand = (
                (-0.08, f"year of birth one year apart ({d[:4]})")
                if gap == 1
                else (-0.25, f"dates of birth disagree (listed {', '.join(facts.birth_dates)})")
            )
        if best is None or cand[0] > best[0]:
            best = cand
    return Adjustment("birth_date", *best) if best else None


def country(query: Query, facts: Facts) -> Adjustment | None:
    """Country: the query's country among the listed nationalities, citizenships or address
    countries adds a little; a different country takes a little away."""
    if not query.country or not facts.countries:
        return None
    if query.country.upper() in facts.countries:
        return Adjustment(
            "country",
            0.03,
            f"country {query.country.upper()} is among the listed party's countries of "
            "nationality, citizenship or address",
        )
    return Adjustment(
        "country",
        -0.05,
        f"country {query.country.upper()} is not among the listed party's countries "
        f"({', '.join(sorted(facts.countries))})",
    )


def identifier(query: Query, facts: Facts) -> Adjustment | None:
    """Identifiers: an exact match of a passport, tax, registration or other number is strong
    evidence of identity; a number given for a party that lists others weighs against."""
    if not query.identifiers or not facts.identifiers:
        return None
    given = {normalise_identifier(i) for i in query.identifiers if i.strip()}
    hits = given & facts.identifiers
    if hits:
        return Adjustment("identifier", 0.35, f"identifier {', '.join(sorted(hits))} matches")
    return Adjustment("identifier", -0.1, "the identifiers given differ from the listed ones")


def gender(query: Query, facts: Facts) -> Adjustment | None:
    """Gender: a different listed gender weighs against."""
    if not query.gender or not facts.gender:
        return None
    if query.gender.lower() != facts.gender.lower():
        return Adjustment("gender", -0.15, f"listed as {facts.gender}")
    return None


def kind(query: Query, facts: Facts) -> Adjustment | None:
    """Kind: a person cannot be an organisation, vessel or aircraft, and the reverse."""
    if query.kind is None or facts.kind is EntityKind.UNKNOWN:
        return None
    if query.kind is facts.kind:
        return None
    people = EntityKind.PERSON in (query.kind, facts.kind)
    if people:
        return Adjustment("kind", -0.3, f"listed party is a {facts.kind.value}")
    return Adjustment("kind", -0.1, f"listed party is a {facts.kind.value}")


FEATURES: dict[str, Feature] = {
    "birth_date": birth_date,
    "country": country,
    "identifier": identifier,
    "gender": gender,
    "kind": kind,
}


def has_evidence(query: Query) -> bool:
    """Whether the query gives anything besides the name for a feature to weigh (without, no
    feature applies and a score is its name score)."""
    return bool(
        query.kind is not None
        or query.birth_date
        or query.country
        or query.identifiers
        or query.gender
    )


def adjust(score: float, query: Query, facts: Facts) -> tuple[float, list[Adjustment]]:
    """Apply every feature to a name score. Positive evidence closes part of the gap to 1,
    negative evidence takes its delta away; the result stays in [0, 1]."""
    applied: list[Adjustment] = []
    for feature in FEATURES.values():
        adj = feature(query, facts)
        if adj is None:
            continue
        before = score
        if adj.delta >= 0:
            score = score + (1.0 - score) * min(1.0, adj.delta * 2)
        else:
            score = max(0.0, score + adj.delta)
        # report the change the feature actually made to this score
        applied.append(Adjustment(adj.feature, score - before, adj.detail))
    return max(0.0, min(1.0, score)), applied

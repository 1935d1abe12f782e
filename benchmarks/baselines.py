"""Baseline screening methods, each scoring the same sets as Corridor.

- ``levenshtein``: plain normalised Levenshtein similarity of the romanised, lower-cased,
  punctuation-free names (best over an entity's names), threshold 0.80.
- ``ofac_sls``: the algorithm of OFAC's Sanctions List Search as OFAC documents it: candidates
  share the first letter and reach 50 % edit similarity; the score is the better of
  Jaro-Winkler on the whole name and a per-part composite of Jaro-Winkler and Soundex;
  threshold 0.85 (the tool's slider has no neutral default; 0.85 is the common setting).
- ``logic_v2``: OpenSanctions' matcher from nomenklatura (benchmark-only dependency) at its
  documented alert threshold 0.70. It is too slow to compare every listed name, so it scores
  the union of Corridor's shortlist and the Levenshtein top 10 for each query.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from corridor.model.entity import Entity, EntityKind

_NON = re.compile(r"[^a-z0-9 ]+")


def norm(text: str) -> str:
    return " ".join(_NON.sub(" ", anyascii(text).lower()).split())


def soundex(word: str) -> str:
    codes = {
        **dict.fromkeys("bfpv", "1"),
        **dict.fromkeys("cgjkqsxz", "2"),
        **dict.fromkeys("dt", "3"),
        "l": "4",
        **dict.fromkeys("mn", "5"),
        "r": "6",
    }
    word = "".join(c for c in word.lower() if c.isalpha())
    if not word:
        return ""
    out = word[0].upper()
    last = codes.get(word[0], "")
    for c in word[1:]:
        code = codes.get(c, "")
        if code and code != last:
            out += code
        if c not in "hw":
            last = code
    return (out + "000")[:4]


class NameTable:
    """Every (normalised) name of every entity, for brute-force baselines."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[Entity] = []
        self.names: list[str] = []
        self.owner: list[int] = []
        for ent in entities:
            idx = len(self.entities)
            self.entities.append(ent)
            for n in {norm(x.full) for x in ent.names}:
                if n:
                    self.names.append(n)
                    self.owner.append(idx)
        self.by_letter: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(self.names):
            self.by_letter[n[0]].append(i)


def levenshtein(table: NameTable, query: str, threshold: float = 0.80) -> dict[str, float]:
    q = norm(query)
    hits: dict[str, float] = {}
    if not q:
        return hits
    for _name, score, i in process.extract(
        q, table.names, scorer=Levenshtein.normalized_similarity, score_cutoff=threshold, limit=None
    ):
        eid = table.entities[table.owner[i]].id
        hits[eid] = max(hits.get(eid, 0.0), score)
    return hits


def levenshtein_top(table: NameTable, query: str, k: int = 10) -> list[int]:
    q = norm(query)
    out = process.extract(q, table.names, scorer=Levenshtein.normalized_similarity, limit=k)
    return [table.owner[i] for _n, _s, i in out]


def _composite(q_parts: list[str], c_parts: list[str]) -> float:
    if not q_parts or not c_parts:
        return 0.0
    total = 0.0
    for qp in q_parts:
        qs = soundex(qp)
        best = 0.0
        for cp in c_parts:
            s = 0.5 * JaroWinkler.normalized_similarity(qp, cp) + 0.5 * (qs == soundex(cp))
            best = max(best, s)
        total += best
    return total / len(q_parts)


def ofac_sls(table: NameTable, query: str, threshold: float = 0.85) -> dict[str, float]:
    q = norm(query)
    hits: dict[str, float] = {}
    if not q:
        return hits
    idxs = table.by_letter.get(q[0], [])
    choices = [table.names[i] for i in idxs]
    q_parts = q.split()
    for name, _s, j in process.extract(
        q, choices, scorer=Levenshtein.normalized_similarity, score_cutoff=0.5, limit=None
    ):
        score = max(JaroWinkler.normalized_similarity(q, name), _composite(q_parts, name.split()))
        if score >= threshold:
            eid = table.entities[table.owner[idxs[j]]].id
            hits[eid] = max(hits.get(eid, 0.0), score)
    return hits


class LogicV2:
    """nomenklatura's logic-v2 over FollowTheMoney entities."""

    def __init__(self) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig

        self.model = model
        self.algo = get_algorithm("logic-v2")
        self.config = ScoringConfig.defaults()
        self.cache: dict[str, object] = {}
        self.queries = 0

    def _schema(self, kind: EntityKind | None) -> str:
        return {
            EntityKind.PERSON: "Person",
            EntityKind.ORGANIZATION: "Organization",
            EntityKind.VESSEL: "Vessel",
            EntityKind.AIRCRAFT: "Airplane",
        }.get(kind or EntityKind.UNKNOWN, "LegalEntity")

    def _ftm(self, ent: Entity) -> object:
        got = self.cache.get(ent.id)
        if got is None:
            proxy = self.model.make_entity(self._schema(ent.kind))
            proxy.id = ent.id
            for n in ent.names:
                proxy.add("name", n.full)
            self.cache[ent.id] = got = proxy
        return got

    def score(
        self,
        query: str,
        kind: EntityKind | None,
        candidates: Iterable[Entity],
        threshold: float = 0.70,
    ) -> dict[str, float]:
        self.queries += 1
        q = self.model.make_entity(self._schema(kind))
        q.id = f"query-{self.queries}"  # nomenklatura caches name analysis by entity id
        q.add("name", query)
        hits: dict[str, float] = {}
        for ent in candidates:
            res = self.algo.compare(q, self._ftm(ent), self.config)
            if res.score >= threshold:
                hits[ent.id] = max(hits.get(ent.id, 0.0), res.score)
        return hits

"""Cross-list entity resolution: which list records are one party.

Records are linked on evidence an analyst can check, never on names alone where names are
common:

- **identifier**: a strong key both records carry (:mod:`corridor.profiles.keys`), unless the
  records are of kinds that cannot be one party, or (for identifiers other than UN and OFAC
  record numbers) both give dates of birth more than a year apart;
- **name and date of birth**: persons whose names agree (score ≥ ``PERSON_NAME_DOB``) and who
  share a full date of birth, or whose names agree closely (``PERSON_NAME_YEAR``) and who share
  a year of birth and a nationality or country;
- **name and country**: organisations, vessels and aircraft whose names agree all but exactly
  (``ORG_NAME``), with a country in common, on a name that is rare (carried by at most
  ``RARE_NAME`` records in all) and of at least two distinctive words (or one long one, or one
  among three words or more of ``LONG_NAMES`` letters: Islamic Movement of Uzbekistan).

Two records of the same list (and sub-list) are never one party: a list does not name a party
twice, except the Consolidated Screening List's copies of the BIS and State Department lists,
which give a party one row per address or order (those rows are linked by their name and the
Federal Register notice that listed them).

Analysts' judgements come first: a confirmed link joins two records whatever the evidence, a
split keeps them apart whatever it.

Records are compared only within blocks (a shared strong key, the same written name, or for
persons two name words and a year of birth), so the work grows with the number of records, not
with its square. Blocks larger than ``MAX_BLOCK`` are too common to say anything and are
skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any

from corridor.matching.compare import compare_names
from corridor.model.entity import Entity, EntityKind, NameStrength
from corridor.model.listings import listing_parts
from corridor.names.analyze import AnalyzedName, TokenKind, name_variants
from corridor.profiles.keys import key_words, repeats_parties, strong_keys

PERSON_NAME_DOB = 0.88
PERSON_NAME_YEAR = 0.93
ORG_NAME = 0.97
RARE_NAME = 6
EXACT = 0.995  # the same name, written alike
LONG_NAME = 8  # a one-word name this long can be distinctive
LONG_NAMES = 20  # ... and a name of one such word among three or more this long in all
MAX_BLOCK = 60
MAX_NAMES = 16  # names of a record compared (primary first)
AUTHORITATIVE = ("un:", "ofac:")  # keys that link even across conflicting dates

SAME = "same"
DIFFERENT = "different"


@dataclass(slots=True)
class _Record:
    id: str
    group: str
    kind: EntityKind
    names: tuple[str, ...]
    dobs: tuple[str, ...]
    countries: frozenset[str]
    keys: frozenset[str]


@dataclass
class Link:
    """Why two records are one party."""

    a: str
    b: str
    basis: str  # identifier, name_dob, name_country, judgement
    strength: float
    evidence: dict[str, Any] = field(default_factory=dict)

    def why(self) -> str:
        ev = self.evidence
        if self.basis == "identifier":
            return "same " + ", ".join(ev.get("keys", []))
        if self.basis == "judgement":
            who = ev.get("decided_by", "an analyst")
            return f"confirmed by {who}" + (f": {ev['reason']}" if ev.get("reason") else "")
        parts = [f"names agree ({ev.get('name_score', 0):.2f}: {ev.get('names', '')})"]
        if ev.get("dob"):
            parts.append(f"date of birth {ev['dob']}")
        if ev.get("countries"):
            parts.append("country " + ", ".join(ev["countries"]))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "basis": self.basis,
            "strength": round(self.strength, 4),
            "evidence": self.evidence,
            "why": self.why(),
        }


@dataclass(frozen=True)
class Judgement:
    """An analyst's word on two records: the same party, or different parties."""

    a: str
    b: str
    verdict: str  # same or different
    decided_by: str = ""
    reason: str = ""


@dataclass
class Resolution:
    """Records grouped into parties, with the links that group them."""

    clusters: list[list[str]]
    links: list[Link]
    held_apart: list[dict[str, Any]] = field(default_factory=list)  # links not followed
    compared: int = 0


def _record(ent: Entity, withhold: frozenset[str]) -> _Record:
    _, sub, _ = listing_parts(ent.source, ent.lists)
    group = f"{ent.source}/{sub}"
    if repeats_parties(ent):  # such a list names one party in several rows
        group += "/" + ent.id
    strong = [n.full for n in ent.names if n.strength is NameStrength.STRONG]
    weak = [n.full for n in ent.names if n.strength is NameStrength.WEAK]
    names = tuple(dict.fromkeys(strong + weak))[:MAX_NAMES]
    countries = set(ent.nationalities + ent.citizenships + ent.countries)
    countries |= {a.country for a in ent.addresses if a.country}
    countries |= {f for f in ent.attributes.get("vessel_flag", []) if len(f) == 2}
    return _Record(
        ent.id,
        group,
        ent.kind,
        names,
        tuple(ent.birth_dates),
        frozenset(countries),
        frozenset(strong_keys(ent, withhold)),
    )


@lru_cache(maxsize=200_000)
def _variants(text: str, organization: bool) -> tuple[AnalyzedName, ...]:
    return tuple(v for v in name_variants(text, organization=organization) if v.tokens)


def _is_org(kind: EntityKind) -> bool:
    return kind is not EntityKind.PERSON


def _block_keys(rec: _Record) -> set[str]:
    out = {"k:" + k for k in rec.keys}
    org = _is_org(rec.kind)
    years = {d[:4] for d in rec.dobs if len(d) >= 4}
    for text in rec.names:
        for v in _variants(text, org):
            out.add("n:" + v.key)
            words = [t for t in v.tokens if t.kind is TokenKind.NAME and len(t.fold) >= 3]
            if org:
                out.add("o:" + " ".join(sorted(t.skel for t in words)))
                continue
            # persons: two word skeletons and a year of birth (a name of one word: that word).
            # Two names that may agree share that many skeletons (see _may_agree), so no
            # pair is lost, and common names make blocks of namesakes, not of a whole country.
            skels = sorted({t.skel for t in words})
            pairs = [":".join(p) for p in combinations(skels, 2)] if len(skels) > 1 else skels
            out.update(f"y:{p}:{year}" for p in pairs for year in years)
    return out


def _kinds_agree(a: EntityKind, b: EntityKind) -> bool:
    return a is b or EntityKind.UNKNOWN in (a, b)


@dataclass(frozen=True, slots=True)
class _Form:
    text: str  # the name as the list writes it
    name: AnalyzedName
    skeletons: frozenset[str]  # of its distinctive words


@lru_cache(maxsize=200_000)
def _forms(names: tuple[str, ...], organization: bool) -> dict[str, _Form]:
    """Every analysed form of a record's names, by its key (the first name giving it)."""
    out: dict[str, _Form] = {}
    for text in names:
        for v in _variants(text, organization):
            if v.key not in out:
                skel = frozenset(t.skel for t in v.tokens if t.kind is TokenKind.NAME)
                out[v.key] = _Form(text, v, skel)
    return out


def _may_agree(sa: frozenset[str], sb: frozenset[str]) -> bool:
    """Whether two persons' names leave a chance to agree closely: every word skeleton of a
    shorter name of one or two words, all but one of a longer one's, found in the other."""
    shorter = min(len(sa), len(sb))
    return len(sa & sb) >= (shorter - 1 if shorter >= 3 else max(1, shorter))


def _best_names(
    a: _Record, b: _Record, floor: float = 0.0
) -> tuple[float, str, str, AnalyzedName | None]:
    """The best-agreeing pair of names of two records: (score, name of a, name of b, form).
    With a ``floor``, pairs of names that cannot score that high are not compared:
    organisations (whose names must agree all but exactly) need the same word skeletons,
    persons most of them."""
    org = _is_org(a.kind) or _is_org(b.kind)
    fa, fb = _forms(a.names, org), _forms(b.names, org)
    same = fa.keys() & fb.keys()
    if same:
        key = min(same)
        return 1.0, fa[key].text, fb[key].text, fa[key].name
    best: tuple[float, str, str, AnalyzedName | None] = (0.0, "", "", None)
    if floor and _is_org(a.kind) and _is_org(b.kind):
        by_skel: dict[frozenset[str], list[_Form]] = defaultdict(list)
        for f in fb.values():
            by_skel[f.skeletons].append(f)
        pairs = [(x, y) for x in fa.values() for y in by_skel.get(x.skeletons, ())]
    elif floor:
        pairs = [
            (x, y) for x in fa.values() for y in fb.values() if _may_agree(x.skeletons, y.skeletons)
        ]
    else:
        pairs = [(x, y) for x in fa.values() for y in fb.values()]
    for x, y in pairs:
        score = compare_names(x.name, y.name).score
        if score > best[0]:
            best = (score, x.text, y.text, x.name)
    return best


def _dob(a: _Record, b: _Record) -> tuple[str, str]:
    """('full', date) | ('year', year) | ('conflict', '') | ('', '')."""
    if not a.dobs or not b.dobs:
        return "", ""
    full = {d[:10] for d in a.dobs if len(d) >= 10} & {d[:10] for d in b.dobs if len(d) >= 10}
    if full:
        return "full", min(full)
    ya = {int(d[:4]) for d in a.dobs if d[:4].isdigit()}
    yb = {int(d[:4]) for d in b.dobs if d[:4].isdigit()}
    same = ya & yb
    if same:
        return "year", str(min(same))
    if ya and yb and not any(abs(x - y) <= 1 for x in ya for y in yb):
        return "conflict", ""
    return "", ""


class Resolver:
    """Resolves a set of list records into parties (see the module's documentation)."""

    def __init__(self, withhold: Iterable[str] = ()) -> None:
        """``withhold``: kinds of strong key not to use (``un``, ``ofac``, ``imo``); the
        benchmark withholds the keys its ground truth is made of."""
        self.withhold = frozenset(withhold)

    def resolve(
        self, entities: Iterable[Entity], judgements: Iterable[Judgement] = ()
    ) -> Resolution:
        records = [_record(e, self.withhold) for e in entities]
        pos: dict[str, int] = {}
        same_id: list[tuple[int, int]] = []  # one record id on two lists (OFAC SDN and non-SDN)
        for i, r in enumerate(records):
            first = pos.setdefault(r.id, i)
            if first != i:
                same_id.append((first, i))
        blocks: dict[str, list[int]] = defaultdict(list)
        for i, rec in enumerate(records):
            for key in _block_keys(rec):
                blocks[key].append(i)
        name_count = {k: len(v) for k, v in blocks.items() if k.startswith("n:")}
        for key, members in blocks.items():  # a name one list gives two parties is common
            if key.startswith("n:") and len({records[i].group for i in members}) < len(members):
                name_count[key] = MAX_BLOCK + 1
        pairs: set[tuple[int, int]] = set()
        for key, members in blocks.items():
            if len(members) < 2 or (len(members) > MAX_BLOCK and not key.startswith("k:")):
                continue
            if len(members) > MAX_BLOCK:  # a key on many records identifies none of them
                continue
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    i, j = members[x], members[y]
                    if records[i].group != records[j].group:
                        pairs.add((i, j) if i < j else (j, i))
        best: dict[tuple[str, str], Link] = {}
        held: list[dict[str, Any]] = []
        for i, j in sorted(pairs):
            if records[i].id == records[j].id:
                continue
            link = self._link(records[i], records[j], name_count, held)
            if link is None:
                continue
            pair = (min(link.a, link.b), max(link.a, link.b))
            if pair not in best or link.strength > best[pair].strength:
                best[pair] = link
        links = list(best.values())
        clusters, more_held = _cluster(records, pos, links, list(judgements), same_id)
        return Resolution(clusters, links, held + more_held, compared=len(pairs))

    def _link(
        self, a: _Record, b: _Record, name_count: dict[str, int], held: list[dict[str, Any]]
    ) -> Link | None:
        if not _kinds_agree(a.kind, b.kind):
            return None
        dob, dob_value = _dob(a, b)
        shared = sorted(a.keys & b.keys)
        if shared:
            authoritative = any(k.startswith(AUTHORITATIVE) for k in shared)
            evidence: dict[str, Any] = {"keys": [key_words(k) for k in shared]}
            if dob == "conflict" and not authoritative:
                held.append(
                    {
                        "a": a.id,
                        "b": b.id,
                        "why": "same "
                        + ", ".join(evidence["keys"])
                        + " but dates of birth more than a year apart",
                    }
                )
                return None
            return Link(a.id, b.id, "identifier", 2.0 + len(shared) * 0.01, evidence)
        if dob == "conflict":
            return None
        countries = sorted(a.countries & b.countries)
        country_conflict = bool(a.countries and b.countries and not countries)
        person = a.kind is EntityKind.PERSON or b.kind is EntityKind.PERSON
        if (person and dob == "") or (not person and country_conflict):
            return None  # a person needs a date of birth; a company no other country
        score, na, nb, va = _best_names(a, b, PERSON_NAME_DOB if person else ORG_NAME)
        if va is None:
            return None
        rare = 0 < name_count.get("n:" + va.key, MAX_BLOCK + 1) <= RARE_NAME
        ev: dict[str, Any] = {"name_score": round(score, 4), "names": f"{na} / {nb}"}
        if countries:
            ev["countries"] = countries
        if person:
            ok = (dob == "full" and score >= PERSON_NAME_DOB and not country_conflict) or (
                dob == "full" and score >= ORG_NAME
            )
            ok = ok or (
                dob == "year"
                and not country_conflict
                and (countries and score >= PERSON_NAME_YEAR or rare and score >= EXACT)
            )
            if not ok:
                return None
            ev["dob"] = dob_value
            if not countries and dob == "year":
                ev["rare"] = True
            return Link(a.id, b.id, "name_dob", 1.0 + score / 10 + (dob == "full") * 0.05, ev)
        if country_conflict or score < ORG_NAME:
            return None
        distinctive = [t for t in va.tokens if t.kind is TokenKind.NAME]
        if a.kind is EntityKind.AIRCRAFT and any(c.isdigit() for c in va.key) and rare:
            return Link(a.id, b.id, "name_country", 1.0 + score / 10, ev)  # a registration mark
        words = [t for t in va.tokens if t.kind in (TokenKind.NAME, TokenKind.GENERIC)]
        long_name = len(distinctive) == 1 and (
            len(distinctive[0].fold) >= LONG_NAME
            or (len(words) >= 3 and sum(len(t.fold) for t in words) >= LONG_NAMES)
        )
        if not rare or not (len(distinctive) >= 2 or long_name):
            return None
        if not countries:
            if a.kind is EntityKind.VESSEL or b.kind is EntityKind.VESSEL or score < EXACT:
                return None  # ship names repeat: a vessel needs its flag or an identifier
            ev["rare"] = True
            return Link(a.id, b.id, "name_rare", 1.0, ev)
        return Link(a.id, b.id, "name_country", 1.0 + score / 10, ev)


class _Clusters:
    """Union-find that keeps, per cluster, its members and the groups they come from."""

    def __init__(self, records: list[_Record]) -> None:
        self.parent = list(range(len(records)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(records))}
        self.groups: dict[int, set[str]] = {i: {r.group} for i, r in enumerate(records)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] += self.members.pop(b)
        self.groups[a] |= self.groups.pop(b)


def _cluster(
    records: list[_Record],
    pos: dict[str, int],
    links: list[Link],
    judgements: list[Judgement],
    same_id: list[tuple[int, int]] | None = None,
) -> tuple[list[list[str]], list[dict[str, Any]]]:
    uf = _Clusters(records)
    for i, k in same_id or []:  # the same record id on two lists is one record
        ra, rb = uf.find(i), uf.find(k)
        if ra != rb:
            uf.join(ra, rb)
    apart: dict[int, set[int]] = defaultdict(set)
    latest: dict[tuple[str, str], Judgement] = {}
    for j in judgements:  # the latest word on a pair counts
        latest[(min(j.a, j.b), max(j.a, j.b))] = j
    held: list[dict[str, Any]] = []
    for j in latest.values():
        if j.a not in pos or j.b not in pos:
            continue
        i, k = pos[j.a], pos[j.b]
        if j.verdict == DIFFERENT:
            apart[i].add(k)
            apart[k].add(i)
    for j in latest.values():
        if j.verdict != SAME or j.a not in pos or j.b not in pos:
            continue
        ra, rb = uf.find(pos[j.a]), uf.find(pos[j.b])
        if ra != rb and not _kept_apart(uf, apart, ra, rb):
            uf.join(ra, rb)
            links.append(
                Link(j.a, j.b, "judgement", 9.0, {"decided_by": j.decided_by, "reason": j.reason})
            )
    split = {(min(j.a, j.b), max(j.a, j.b)) for j in latest.values() if j.verdict == DIFFERENT}
    kept: list[Link] = []
    for link in sorted(links, key=lambda x: (-x.strength, x.a, x.b)):
        if (min(link.a, link.b), max(link.a, link.b)) in split:
            held.append({"a": link.a, "b": link.b, "why": "split by an analyst: " + link.why()})
            continue
        ra, rb = uf.find(pos[link.a]), uf.find(pos[link.b])
        if ra == rb:
            kept.append(link)
            continue
        if link.basis != "judgement" and uf.groups[ra] & uf.groups[rb]:
            held.append(
                {
                    "a": link.a,
                    "b": link.b,
                    "why": link.why() + "; not followed: it would put two records of one "
                    "list in one party",
                }
            )
            continue
        if _kept_apart(uf, apart, ra, rb):
            held.append(
                {
                    "a": link.a,
                    "b": link.b,
                    "why": link.why() + "; not followed: an analyst split these parties",
                }
            )
            continue
        uf.join(ra, rb)
        kept.append(link)
    links[:] = kept
    clusters = [sorted({records[i].id for i in members}) for members in uf.members.values()]
    clusters.sort(key=lambda c: c[0])
    return clusters, held


def _kept_apart(uf: _Clusters, apart: dict[int, set[int]], ra: int, rb: int) -> bool:
    small, big = (ra, rb) if len(uf.members[ra]) < len(uf.members[rb]) else (rb, ra)
    big_members = set(uf.members[big])
    return any(apart.get(i, set()) & big_members for i in uf.members[small])

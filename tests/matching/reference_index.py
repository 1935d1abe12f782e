"""The index Corridor used before the compiled one, kept as the reference its results are
compared with (tests/matching/test_compiled.py); unchanged but for the two member fields the
screener reads.

The in-memory candidate index over every name of every active listed entity.

Blocking keys per name token: the folding key itself, its consonant skeleton, and (for keys of
four letters or more) every deletion of one letter, SymSpell-style, so that a one-letter typo
or transliteration difference still meets its token. Query tokens find vocabulary tokens
through the same keys; the names holding them are ranked by the weight of the tokens they
share, and only the best are compared in full. ``benchmarks/bench_screening.py`` measures what
this loses against comparing every name (the target is under 0.5 %).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corridor.matching.compare import JOINED, token_similarity
from corridor.matching.features import Facts, normalise_identifier
from corridor.model.entity import Entity, EntityKind, NameStrength, NameType
from corridor.names.analyze import AnalyzedName, Token, TokenKind, name_variants

SHORTLIST = 30  # name forms compared in full per query name
MIN_SHARE = 0.4  # shortlisted names must share this much of the query's token weight
LENIENT = 0.15  # the smallest share of an unmatched word's weight that counts against a name
SIMILAR_CACHE = 200_000  # query words whose similar listed words are remembered
STRONG_SHARE = 0.75  # forms sharing this much are always compared...
MAX_SHORTLIST = 600  # ...up to this many
COMMON_POSTINGS = 800  # query words found in more names than this only rank, never retrieve


@dataclass(frozen=True, slots=True)
class IndexedEntity:
    id: str
    caption: str
    source: str
    kind: EntityKind
    programs: tuple[str, ...]
    facts: Facts


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int  # position in NameIndex.entities
    text: str
    type: NameType
    weak: bool


@dataclass(frozen=True, slots=True)
class NameForm:
    """One distinct analysed name, shared by every listed name that analyses the same way
    (the same party on several lists); it is compared once per query."""

    analyzed: AnalyzedName
    weights: tuple[float, ...]
    weight: float
    members: tuple[int, ...]  # positions in NameIndex.names
    entities: tuple[int, ...] = ()
    weak: tuple[bool, ...] = ()


def _deletes(key: str) -> list[str]:
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


class NameIndex:
    """Names, tokens and blocking keys of a set of entities, with corpus token weights."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[IndexedEntity] = []
        self.names: list[IndexedName] = []
        vocab: dict[str, int] = {}
        self.tokens: list[Token] = []
        postings: list[list[int]] = []
        analysed: list[tuple[int, str, NameType, bool, AnalyzedName]] = []
        for ent in entities:
            eidx = len(self.entities)
            org = ent.kind is not EntityKind.PERSON
            ids = frozenset(
                k for k in (normalise_identifier(i.value) for i in ent.identifiers) if len(k) >= 4
            )
            facts = Facts(
                kind=ent.kind,
                birth_dates=tuple(ent.birth_dates),
                countries=frozenset(ent.nationalities + ent.citizenships + ent.countries),
                identifiers=ids,
                gender=ent.gender,
            )
            self.entities.append(
                IndexedEntity(ent.id, ent.caption, ent.source, ent.kind, tuple(ent.programs), facts)
            )
            seen: set[str] = set()
            for name in ent.names:
                for variant in name_variants(name.full, organization=org):
                    if not variant.tokens or variant.key in seen:
                        continue
                    seen.add(variant.key)
                    analysed.append(
                        (eidx, name.full, name.type, name.strength is NameStrength.WEAK, variant)
                    )
        form_of: dict[tuple[tuple[str, int], ...], int] = {}
        members: list[list[int]] = []
        form_names: list[AnalyzedName] = []
        for eidx, text, ntype, weak, variant in analysed:
            nidx = len(self.names)
            self.names.append(IndexedName(eidx, text, ntype, weak))
            fkey = tuple(sorted((t.fold, int(t.kind)) for t in variant.tokens))
            fidx = form_of.get(fkey)
            if fidx is not None:
                members[fidx].append(nidx)
                continue
            fidx = form_of[fkey] = len(members)
            members.append([nidx])
            form_names.append(variant)
            for tok in set(variant.tokens):
                tid = vocab.get(tok.fold)
                if tid is None:
                    tid = len(self.tokens)
                    vocab[tok.fold] = tid
                    self.tokens.append(tok)
                    postings.append([])
                postings[tid].append(fidx)
        self.vocab = vocab
        self.postings = postings
        by_id = sorted(set(e.id for e in self.entities))  # for the screener's tie-break
        place = {eid: i for i, eid in enumerate(by_id)}
        self.entity_rank = np.array([place[e.id] for e in self.entities], dtype=np.int64)
        n_forms = max(1, len(form_names))
        self.idf = [math.log((n_forms + 1) / (len(p) + 0.5)) for p in postings]
        self.max_idf = math.log((n_forms + 1) / 0.5)
        self.forms: list[NameForm] = []
        for analyzed, mem in zip(form_names, members, strict=True):
            weights = tuple(self.weight(t) for t in analyzed.tokens)
            self.forms.append(
                NameForm(
                    analyzed,
                    weights,
                    sum(weights),
                    tuple(mem),
                    tuple(self.names[n].entity for n in mem),
                    tuple(self.names[n].weak for n in mem),
                )
            )
        # names written as one word elsewhere (SYRIAN AIR / SYRIANAIR): the joined form of each
        # run of two or three adjacent words points at the name form
        joined: dict[str, list[int]] = defaultdict(list)
        for fidx, analyzed in enumerate(form_names):
            folds = [t.fold for t in analyzed.tokens]
            for size in (2, 3):
                for start in range(len(folds) - size + 1):
                    key = "".join(folds[start : start + size])
                    acronym = all(len(f) == 1 for f in folds[start : start + size])
                    if key.isalpha() and (len(key) >= 5 or acronym):
                        joined[key].append(fidx)
        self.joined = dict(joined)
        keys: dict[str, list[int]] = defaultdict(list)
        for tid, tok in enumerate(self.tokens):
            if tok.kind is TokenKind.NUMBER:
                continue
            keys["s:" + tok.skel].append(tid)
            keys["a:" + tok.akey].append(tid)
            if tok.akey2 != tok.akey:
                keys["a:" + tok.akey2].append(tid)
            if len(tok.fold) >= 4:
                for d in _deletes(tok.fold):
                    keys["d:" + d].append(tid)
        self.keys = dict(keys)
        self._similar: dict[tuple[str, TokenKind, bool], list[tuple[int, float]]] = {}

    def __len__(self) -> int:
        return len(self.entities)

    def weight(self, token: Token) -> float:
        """Token weight: its rarity among listed names (IDF), damped for kinds of words that
        identify little."""
        tid = self.vocab.get(token.fold)
        idf = self.idf[tid] if tid is not None else self.max_idf
        if token.kind in (TokenKind.GENERIC, TokenKind.PARTICLE):
            return idf * 0.3
        if token.kind is TokenKind.INITIAL:
            return min(idf, 2.0) * 0.5
        if token.kind is TokenKind.NUMBER:
            return self.max_idf
        return idf

    def similar_tokens(self, token: Token, abjad: bool = False) -> list[tuple[int, float]]:
        """Vocabulary tokens similar to ``token`` with their similarity (cached: the words of
        customers' names repeat)."""
        key = (token.text, token.kind, abjad)
        cached = self._similar.get(key)
        if cached is None:
            if len(self._similar) > SIMILAR_CACHE:
                self._similar.clear()
            cached = self._similar[key] = self._find_similar(token, abjad)
        return cached

    def _find_similar(self, token: Token, abjad: bool) -> list[tuple[int, float]]:
        found: dict[int, float] = {}
        tid = self.vocab.get(token.fold)
        if tid is not None:
            found[tid] = 1.0
        if token.kind is TokenKind.NUMBER:
            return list(found.items())
        cands: set[int] = set(self.keys.get("s:" + token.skel, ()))
        if len(token.fold) >= 4:
            cands.update(self.keys.get("d:" + token.fold, ()))
            for d in _deletes(token.fold):
                cands.update(self.keys.get("d:" + d, ()))
                shorter = self.vocab.get(d)  # a listed word one letter shorter
                if shorter is not None:
                    cands.add(shorter)
            for k in range(len(token.fold) - 1):  # two letters swapped
                swapped = token.fold[:k] + token.fold[k + 1] + token.fold[k] + token.fold[k + 2 :]
                tid = self.vocab.get(swapped)
                if tid is not None:
                    cands.add(tid)
        elif len(token.fold) == 3:
            cands.update(self.keys.get("d:" + token.fold, ()))
        if abjad:
            cands.update(self.keys.get("a:" + token.akey, ()))
            cands.update(self.keys.get("a:" + token.akey2, ()))
            if token.akey.startswith("l") and len(token.akey) >= 3:
                cands.update(self.keys.get("a:" + token.akey[1:], ()))
        for cid in cands:
            if cid in found:
                continue
            s = token_similarity(token, self.tokens[cid], abjad)
            if s > 0:  # already 0 below the cutoff; weak vowel variants count too
                found[cid] = s
        return list(found.items())

    def similar_by_fold(self, query: AnalyzedName) -> list[dict[str, float]]:
        """For each query token, the listed tokens (by folding key) it resembles."""
        return [
            {self.tokens[tid].fold: sim for tid, sim in self.similar_tokens(tok, query.abjad)}
            for tok in query.tokens
        ]

    def candidates(
        self,
        query: AnalyzedName,
        limit: int = SHORTLIST,
        similar: list[dict[str, float]] | None = None,
        floor: float = 0.0,
    ) -> list[int]:
        """Name forms worth comparing in full with ``query``: those sharing the most token
        weight."""
        acc: dict[int, float] = defaultdict(float)
        q_weight = 0.0
        if similar is None:
            similar = self.similar_by_fold(query)
        vocab = self.vocab
        weights = [self.weight(tok) for tok in query.tokens]
        matches = [
            (tok, w, [(vocab[f], s) for f, s in found.items()])
            for tok, w, found in zip(query.tokens, weights, similar, strict=True)
        ]
        sizes = [sum(len(self.postings[tid]) for tid, _ in found) for _t, _w, found in matches]
        rarest = min(sizes) if sizes else 0
        deferred: list[tuple[float, list[tuple[int, float]]]] = []
        for (_tok, w, found), size in zip(matches, sizes, strict=True):
            q_weight += w
            # a very common word (al, mohammad, company) finds no one the rarer words miss
            if size > COMMON_POSTINGS and size > rarest:
                deferred.append((w, found))
                continue
            best: dict[int, float] = {}
            for tid, sim in found:
                contribution = w * sim
                for nidx in self.postings[tid]:
                    if best.get(nidx, 0.0) < contribution:
                        best[nidx] = contribution
            for fidx, contribution in best.items():
                acc[fidx] += contribution
        # common words rank the names the rarer words found, without retrieving others
        for w, found in deferred:
            best = {}
            for tid, sim in found:
                contribution = w * sim
                for fidx in self.postings[tid]:
                    if fidx in acc and best.get(fidx, 0.0) < contribution:
                        best[fidx] = contribution
            for fidx, contribution in best.items():
                acc[fidx] += contribution
        # joined and split writings of the same words
        toks = query.tokens
        for i, tok in enumerate(toks):
            for fidx in self.joined.get(tok.fold, ()):
                acc[fidx] += weights[i] * JOINED
        for size in (2, 3):
            for start in range(len(toks) - size + 1):
                key = "".join(t.fold for t in toks[start : start + size])
                joined_tid = vocab.get(key) if key.isalpha() else None
                if joined_tid is not None:
                    contribution = sum(weights[start : start + size]) * JOINED
                    for fidx in self.postings[joined_tid]:
                        acc[fidx] += contribution
        if not acc or q_weight <= 0:
            return []
        scored = []
        forms = self.forms
        for fidx, shared in acc.items():
            form_weight = forms[fidx].weight
            denom = max(q_weight, form_weight)
            share = shared / denom if denom else 0.0
            if share < MIN_SHARE:
                continue
            if floor > 0:
                # the best score this form could reach: every word it does not share counted
                # at the most lenient discount
                rest = max(0.0, q_weight + form_weight - 2 * shared)
                if shared / (shared + LENIENT * rest) < floor:
                    continue
            scored.append((share, fidx))
        scored.sort(reverse=True)
        # every form sharing most of the query's weight is compared (common names have many),
        # then the best of the rest
        strong = sum(1 for share, _f in scored if share >= STRONG_SHARE)
        keep = min(max(limit, strong + limit // 2), MAX_SHORTLIST)
        return [fidx for _share, fidx in scored[:keep]]

"""The candidate index over every name of every active listed entity, compiled into flat arrays.

Blocking keys per name token: the folding key itself, its consonant skeleton, and (for keys of
four letters or more) every deletion of one letter, SymSpell-style, so that a one-letter typo
or transliteration difference still meets its token. Query tokens find vocabulary tokens
through the same keys; the names holding them are ranked by the weight of the tokens they
share, and only the best are compared in full. ``benchmarks/bench_screening.py`` measures what
this loses against comparing every name (the target is under 0.5 %).

The index lives in typed arrays (:mod:`corridor.matching.build` writes them,
:mod:`corridor.matching.layout` lays them out): built in memory for a few entities, or
compiled once per list version into a file that every process maps
(:mod:`corridor.matching.artefact`), so that a process opens it in milliseconds and N
processes share one copy. Names, words and entities are decoded only when a query reaches
them.
"""

from __future__ import annotations

import json
import mmap
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from corridor.exceptions import IndexFileError
from corridor.matching.build import (
    LONG_WORD,
    NAME_TYPES,
    SEP,
    SUB,
    IndexBuilder,
    deletes,
    deletes2,
)
from corridor.matching.compare import JOINED, token_similarity
from corridor.matching.features import Facts
from corridor.matching.layout import FORMAT, Sections, key_hash
from corridor.model.entity import Entity, EntityKind, NameType
from corridor.names.analyze import AnalyzedName, Token, TokenKind

SHORTLIST = 30  # name forms compared in full per query name
MIN_SHARE = 0.4  # shortlisted names must share this much of the query's token weight
LENIENT = 0.15  # the smallest share of an unmatched word's weight that counts against a name
SIMILAR_CACHE = 200_000  # query words whose similar listed words are remembered
STRONG_SHARE = 0.75  # forms sharing this much are always compared...
MAX_SHORTLIST = 600  # ...up to this many
COMMON_POSTINGS = 800  # query words found in more names than this only rank, never retrieve
DECODED_CACHE = 50_000  # name forms and words kept decoded per process


@dataclass(frozen=True, slots=True)
class IndexedEntity:
    id: str
    caption: str
    source: str
    kind: EntityKind
    programs: tuple[str, ...]
    facts: Facts
    lists: tuple[str, ...] = ()
    listed_on: str | None = None


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
    entities: tuple[int, ...] = ()  # the entity of each member
    weak: tuple[bool, ...] = ()  # whether each member is a weak alias


T = TypeVar("T")


class _Decoded(Generic[T]):
    """A sequence whose items are decoded from the arrays when asked for, the most recent
    ones kept."""

    def __init__(self, size: int, decode: Any, cache: int = DECODED_CACHE) -> None:
        self._size = size
        self._decode = decode
        self._cache: OrderedDict[int, T] = OrderedDict()
        self._limit = cache

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0

    def __getitem__(self, i: int) -> T:
        item = self._cache.get(i)
        if item is None:
            if not 0 <= i < self._size:
                raise IndexError(i)
            item = self._decode(i)
            self._cache[i] = item
            if len(self._cache) > self._limit:
                self._cache.popitem(last=False)
        return item


class _MultiMap:
    """A read-only hash table of lists of integers (see ``build._multimap``)."""

    def __init__(self, sections: Sections, name: str) -> None:
        self._h = sections.array(name + "_h")
        self._o = sections.array(name + "_o")
        self._v = sections.array(name + "_v")

    def __len__(self) -> int:
        return len(self._h)

    def lookup(self, key: str) -> list[int]:
        h = np.uint64(key_hash(key))
        i = int(self._h.searchsorted(h))
        if i >= len(self._h) or self._h[i] != h:
            return []
        result: list[int] = self._v[self._o[i] : self._o[i + 1]].tolist()
        return result

    def lookup_many(self, keys: list[str]) -> list[int]:
        """The values of every key, one after another."""
        if not keys:
            return []
        hs = np.array([key_hash(k) for k in keys], dtype=np.uint64)
        pos = self._h.searchsorted(hs)
        out: list[int] = []
        size = len(self._h)
        for i, h in zip(pos.tolist(), hs, strict=True):
            if i < size and self._h[i] == h:
                out.extend(self._v[self._o[i] : self._o[i + 1]].tolist())
        return out


class _Vocab:
    """Listed words by folding key (the words themselves verify the hash)."""

    def __init__(self, index: NameIndex) -> None:
        self._map = _MultiMap(index._sections, "vocab")
        self._index = index

    def __len__(self) -> int:
        return len(self._index.tokens)

    def get(self, fold: str, default: int | None = None) -> int | None:
        for vid in self._map.lookup(fold):
            if self._index.tokens[vid].fold == fold:
                return vid
        return default

    def get_many(self, folds: list[str]) -> list[int]:
        """The words among ``folds`` that are listed."""
        wanted = set(folds)
        tokens = self._index.tokens
        return [vid for vid in self._map.lookup_many(folds) if tokens[vid].fold in wanted]

    def __getitem__(self, fold: str) -> int:
        vid = self.get(fold)
        if vid is None:
            raise KeyError(fold)
        return vid

    def __contains__(self, fold: object) -> bool:
        return isinstance(fold, str) and self.get(fold) is not None


class _Lists:
    """``table[i]``: the i-th list of a CSR pair of arrays, as Python integers."""

    def __init__(self, offsets: Any, values: Any) -> None:
        self._off = offsets
        self._val = values

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i: int) -> list[int]:
        result: list[int] = self._val[self._off[i] : self._off[i + 1]].tolist()
        return result

    def size(self, i: int) -> int:
        """The length of the i-th list (without reading it)."""
        return int(self._off[i + 1] - self._off[i])


class _KeyTable:
    def __init__(self, sections: Sections, name: str) -> None:
        self._map = _MultiMap(sections, name)

    def __len__(self) -> int:
        return len(self._map)

    def get(self, key: str, default: tuple[int, ...] = ()) -> list[int] | tuple[int, ...]:
        return self._map.lookup(key) or default

    def lookup_many(self, keys: list[str]) -> list[int]:
        return self._map.lookup_many(keys)


class NameIndex:
    """Names, tokens and blocking keys of a set of entities, with corpus token weights.

    ``NameIndex(entities)`` compiles the entities in memory; :meth:`open` maps a compiled file
    (see :mod:`corridor.matching.artefact`)."""

    def __init__(
        self,
        entities: Iterable[Entity] = (),
        notes: dict[str, Any] | None = None,
        *,
        sections: Sections | None = None,
        profiles: dict[str, str] | None = None,
    ) -> None:
        if sections is None:
            builder = IndexBuilder(profiles=profiles).add_all(entities)
            data = builder.to_bytes({"format": FORMAT, "key": ""}, notes)
            sections = Sections(data, "<memory>")
        self._sections = sections
        self.meta: dict[str, Any] = sections.meta
        self.notes: dict[str, dict[str, Any]] = json.loads(bytes(sections.blob("notes")))
        self._ent_off = sections.array("entity_off")
        self.entity_rank = sections.array("entity_rank")
        self._ent = sections.blob("entity")
        self._name_entity = sections.array("name_entity")
        self._name_type = sections.array("name_type")
        self._name_weak = sections.array("name_weak")
        self._name_off = sections.array("name_text_off")
        self._name_text = sections.blob("name_text")
        self._form_tok_off = sections.array("form_tok_off")
        self._form_tok = sections.array("form_tok")
        self._form_tw = sections.array("form_tw")
        self._form_weight = sections.array("form_weight")
        self._form_flags = sections.array("form_flags")
        self._form_meta_off = sections.array("form_meta_off")
        self._form_meta = sections.blob("form_meta")
        self._members = _Lists(sections.array("mem_off"), sections.array("mem_val"))
        self._tok_off = sections.array("tok_text_off")
        self._tok_text = sections.blob("tok_text")
        self._tok_kind = sections.array("tok_kind")
        self._v_rep = sections.array("v_rep")
        self.idf = sections.array("idf")
        self.max_idf = float(sections.array("max_idf")[0])
        self.postings = _Lists(sections.array("post_off"), sections.array("post_val"))
        self.entities: _Decoded[IndexedEntity] = _Decoded(len(self._ent_off) - 1, self._entity)
        self.names: _Decoded[IndexedName] = _Decoded(len(self._name_entity), self._name)
        self.forms: _Decoded[NameForm] = _Decoded(len(self._form_weight), self._form)
        self._token_cache: _Decoded[Token] = _Decoded(len(self._tok_kind), self._token)
        self.tokens: _Decoded[Token] = _Decoded(
            len(self._v_rep), lambda v: self._token_cache[int(self._v_rep[v])]
        )
        self._ent_profile = sections.array("ent_profile")
        self._profile_id_off = sections.array("profile_id_off")
        self._profile_ids = sections.blob("profile_id")
        self._profile_members = _Lists(sections.array("profile_off"), sections.array("profile_val"))
        self.vocab = _Vocab(self)
        self.keys = _KeyTable(sections, "keys")
        self.joined = _KeyTable(sections, "joined")
        self._similar: dict[tuple[str, TokenKind, bool], list[tuple[int, float]]] = {}
        self._every_word: tuple[list[Token], list[str], list[str]] | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> NameIndex:
        """An index from the bytes of a compiled index."""
        return cls(sections=Sections(data, "<memory>"))

    @classmethod
    def open(cls, path: Path, verify: bool = False) -> NameIndex:
        """Map a compiled index file (read-only, shared with every process that maps it)."""
        try:
            with path.open("rb") as fh:
                mapped: Any = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise IndexFileError(f"{path}: cannot map the index file: {exc}") from exc
        sections = Sections(mapped, str(path))
        if verify:
            sections.verify()
        return cls(sections=sections)

    # decoding, when a query reaches an item

    def _entity(self, i: int) -> IndexedEntity:
        raw = bytes(self._ent[self._ent_off[i] : self._ent_off[i + 1]])
        eid, caption, source, kind, programs, dobs, countries, ids, gender, lists, listed = (
            json.loads(raw)
        )
        ekind = EntityKind(kind)
        facts = Facts(ekind, tuple(dobs), frozenset(countries), frozenset(ids), gender)
        return IndexedEntity(
            eid, caption, source, ekind, tuple(programs), facts, tuple(lists), listed
        )

    # profiles: the entities that are one party

    def profile(self, eidx: int) -> int:
        """The profile number of an entity."""
        return int(self._ent_profile[eidx])

    def profile_id(self, number: int) -> str:
        """The stored id of a profile ("" for an entity no stored profile names)."""
        return bytes(
            self._profile_ids[self._profile_id_off[number] : self._profile_id_off[number + 1]]
        ).decode()

    def profile_members(self, number: int) -> list[int]:
        """The entities of a profile, in index order."""
        return self._profile_members[number]

    def _name(self, i: int) -> IndexedName:
        text = bytes(self._name_text[self._name_off[i] : self._name_off[i + 1]]).decode()
        return IndexedName(
            int(self._name_entity[i]),
            text,
            NAME_TYPES[int(self._name_type[i])],
            bool(self._name_weak[i]),
        )

    def _token(self, t: int) -> Token:
        raw = bytes(self._tok_text[self._tok_off[t] : self._tok_off[t + 1]]).decode()
        text, fold, skel, akey, akey2 = raw.split(SEP)
        return Token(text, fold, skel, TokenKind(int(self._tok_kind[t])), akey, akey2)

    def _form(self, f: int) -> NameForm:
        a, b = int(self._form_tok_off[f]), int(self._form_tok_off[f + 1])
        tokens = tuple(self._token_cache[t] for t in self._form_tok[a:b].tolist())
        meta = bytes(self._form_meta[self._form_meta_off[f] : self._form_meta_off[f + 1]])
        original, script, legal = meta.decode().split(SEP)
        flags = int(self._form_flags[f])
        analyzed = AnalyzedName(
            original=original,
            script=script or None,
            tokens=tokens,
            legal_forms=tuple(legal.split(SUB)) if legal else (),
            abjad=bool(flags & 1),
            organization=bool(flags & 2),
            key=" ".join(sorted(t.fold for t in tokens)),
        )
        weights = tuple(self._form_tw[a:b].tolist())
        members = self._members[f]
        return NameForm(
            analyzed,
            weights,
            float(self._form_weight[f]),
            tuple(members),
            tuple(self._name_entity[members].tolist()),
            tuple(bool(w) for w in self._name_weak[members].tolist()),
        )

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def size(self) -> int:
        """Bytes of the compiled index."""
        return len(self._sections.buffer)

    def weight(self, token: Token) -> float:
        """Token weight: its rarity among listed names (IDF), damped for kinds of words that
        identify little."""
        tid = self.vocab.get(token.fold)
        idf = float(self.idf[tid]) if tid is not None else self.max_idf
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
        fold = token.fold
        keys = ["s:" + token.skel]
        words: list[str] = []  # listed words one letter shorter, or with two letters swapped
        if len(fold) >= 4:
            keys.append("d:" + fold)
            for d in deletes(fold):
                keys.append("d:" + d)
                words.append(d)
            words.extend(
                fold[:k] + fold[k + 1] + fold[k] + fold[k + 2 :] for k in range(len(fold) - 1)
            )
        elif len(fold) == 3:
            keys.append("d:" + fold)
        if len(fold) >= LONG_WORD - 2:  # long listed words two edits away
            keys.extend("e:" + d for d in deletes2(fold))
        if abjad:
            keys += ["a:" + token.akey, "a:" + token.akey2]
            if token.akey.startswith("l") and len(token.akey) >= 3:
                keys.append("a:" + token.akey[1:])
        cands: set[int] = set(self.keys.lookup_many(keys))
        if words:
            cands.update(self.vocab.get_many(words))
        for cid in cands:
            if cid in found:
                continue
            s = token_similarity(token, self.tokens[cid], abjad)
            if s > 0:  # already 0 below the cutoff; weak vowel variants count too
                found[cid] = s
        return list(found.items())

    def _vocabulary(self) -> tuple[list[Token], list[str], list[str]]:
        """Every listed word, with its folding key and vowel-free key, decoded once (for
        exhaustive search)."""
        if self._every_word is None:
            tokens = [self._token(int(t)) for t in self._v_rep.tolist()]
            self._every_word = (tokens, [t.fold for t in tokens], [t.akey for t in tokens])
        return self._every_word

    def similar_exhaustive(self, token: Token, abjad: bool = False) -> list[int]:
        """Every listed word ``token`` resembles (similarity above 0), found by scanning the
        whole vocabulary rather than the blocking keys: the reference the index is measured
        against. A word can only resemble another within four edits, at a normalised
        Levenshtein similarity of 0.675 or more (0.6 x Jaro-Winkler + 0.4 x Levenshtein must
        reach 0.87), or with the same consonant skeleton (vowel variants and dropped vowels);
        the same holds of the vowel-free keys (names written in Arabic or Hebrew), or they are
        equal up to al-. Both ways of comparing count, as the listed name's script may call for
        either."""
        words, folds, akeys = self._vocabulary()
        cands: set[int] = set()

        def near(value: str, choices: list[str]) -> None:
            if not choices:
                return
            edits = cdist([value], choices, scorer=Levenshtein.distance, score_cutoff=4)[0]
            cands.update(np.nonzero(edits <= 4)[0].tolist())
            close = cdist(
                [value], choices, scorer=Levenshtein.normalized_similarity, score_cutoff=0.675
            )[0]
            cands.update(np.nonzero(close >= 0.675)[0].tolist())

        if token.kind is not TokenKind.NUMBER:
            near(token.fold, folds)
            # names written in Arabic or Hebrew on the list are compared on vowel-free keys
            # whatever the query's script
            near(token.akey, akeys)
            keys = ["s:" + token.skel, "a:" + token.akey, "a:" + token.akey2, "a:l" + token.akey]
            if token.akey.startswith("l"):
                keys.append("a:" + token.akey[1:])
            cands.update(self.keys.lookup_many(keys))
        exact = self.vocab.get(token.fold)
        if exact is not None:
            cands.add(exact)
        modes = (abjad,) if abjad else (False, True)
        return [
            c for c in cands if any(token_similarity(token, words[c], mode) > 0 for mode in modes)
        ]

    def candidates_exhaustive(self, query: AnalyzedName) -> list[int]:
        """Every name form that could score above 0 against ``query``: those holding a word
        it resembles, or its words joined or split (no shortlist, no cut on common words)."""
        found: set[int] = set()
        for tok in query.tokens:
            if tok.kind is TokenKind.INITIAL:
                continue  # a match resting on initials alone scores 0.5 at most
            for vid in self.similar_exhaustive(tok, query.abjad):
                found.update(self.postings[vid])
            found.update(self.joined.get(tok.fold, ()))
        toks = query.tokens
        for size in (2, 3):
            for start in range(len(toks) - size + 1):
                key = "".join(t.fold for t in toks[start : start + size])
                joined = self.vocab.get(key) if key.isalpha() else None
                if joined is not None:
                    found.update(self.postings[joined])
        return sorted(found)

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
        floor: float = 0.0,
    ) -> list[int]:
        """Name forms worth comparing in full with ``query``: those sharing the most token
        weight."""
        acc: dict[int, float] = defaultdict(float)
        q_weight = 0.0
        vocab = self.vocab
        weights = [self.weight(tok) for tok in query.tokens]
        matches = [
            (tok, w, self.similar_tokens(tok, query.abjad))
            for tok, w in zip(query.tokens, weights, strict=True)
        ]
        size_of = self.postings.size
        sizes = [sum(size_of(tid) for tid, _ in found) for _t, _w, found in matches]
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
        # the share of each reached form, and the best score it could reach, in arrays (the
        # same arithmetic, in the same order, as one form at a time)
        reached = np.fromiter(acc.keys(), dtype=np.int64, count=len(acc))
        shared = np.fromiter(acc.values(), dtype=np.float64, count=len(acc))
        form_weight = self._form_weight[reached]
        denom = np.maximum(q_weight, form_weight)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(denom != 0, shared / denom, 0.0)
            keep_mask = share >= MIN_SHARE
            if floor > 0:
                # every word a form does not share counted at the most lenient discount
                rest = np.maximum(0.0, q_weight + form_weight - 2 * shared)
                keep_mask &= shared / (shared + LENIENT * rest) >= floor
        reached, share = reached[keep_mask], share[keep_mask]
        order = np.lexsort((-reached, -share))  # best share first, then the later form
        # every form sharing most of the query's weight is compared (common names have many),
        # then the best of the rest
        strong = int(np.count_nonzero(share >= STRONG_SHARE))
        keep = min(max(limit, strong + limit // 2), MAX_SHORTLIST)
        result: list[int] = reached[order[:keep]].tolist()
        return result

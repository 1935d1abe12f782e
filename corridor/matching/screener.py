"""Party screening: find the listed entities a party may be, score and explain each."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from corridor.exceptions import QueryTooCostly
from corridor.matching.artefact import IndexFiles, index_key
from corridor.matching.build import IndexBuilder
from corridor.matching.compare import NameMatch, compare_names
from corridor.matching.features import adjust, has_evidence
from corridor.matching.index import IndexedName, NameIndex
from corridor.matching.layout import FORMAT
from corridor.matching.types import (
    DEFAULT_THRESHOLD,
    Adjustment,
    Explanation,
    Query,
    ScreeningResult,
)
from corridor.model.entity import Entity, EntityKind, NameType
from corridor.model.listings import Listing, listing_label, listing_labels, listing_parts
from corridor.names.analyze import AnalyzedName, name_variants
from corridor.store.sql import SqlStore

WEAK_ALIAS_FACTOR = 0.95  # a match on a weak (low-quality) alias counts a little less
REFRESH_SECONDS = 2.0  # how often screen() checks the store for new list versions
MAX_NAME_CHARS = 500  # a name longer than this is refused (QueryTooCostly)
MAX_NAME_WORDS = 20  # ... and one of more words (the longest real names have about 12)
_BUDGET_EVERY = 32  # name forms compared between two looks at the clock

Derived = tuple[list[Entity], dict[str, dict[str, Any]]]
Derive = Callable[[Iterable[Entity]], Derived]
"""Extra entities to screen against (e.g. parties that listed persons own) and, per entity
id, what to report with a match on it (e.g. the ownership summary). It is given the listed
entities as an iterable that reads them from the store anew each time it is iterated."""


class _ActiveEntities:
    """The store's active entities, streamed from the store at each iteration."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def __iter__(self) -> Iterator[Entity]:
        return self._store.iter_active_entities()


def write_index(
    store: SqlStore, out: IO[bytes], meta: dict[str, Any], derive: Derive | None = None
) -> None:
    """Compile the index of the store's active lists (and derived parties) into ``out``."""
    builder = IndexBuilder(profiles=store.profile_map()).add_all(store.iter_active_entities())
    notes: dict[str, dict[str, Any]] = {}
    if derive is not None:
        extra, notes = derive(_ActiveEntities(store))
        builder.add_all(extra)
    builder.write(out, meta, notes)


class _Found(NamedTuple):
    """The best name score of every entity reached, with its match and matched name."""

    scores: dict[int, float]
    matches: dict[int, NameMatch]
    names: dict[int, int]


@dataclass(slots=True)
class _Best:
    score: float
    match: NameMatch
    name: int  # position in the index's names


def _explain(query_name: str, best: _Best, name: IndexedName) -> Explanation:
    m = best.match
    exp = Explanation(
        query_name=query_name,
        matched_name=name.text,
        matched_name_type=("weak alias" if name.weak else name.type.value),
        name_score=round(best.score, 4),
    )
    for pair in m.pairs:
        exp.alignment.append(
            {
                "query": pair.query.text,
                "candidate": pair.candidate.text,
                "similarity": round(pair.similarity, 3),
                "kind": pair.candidate.kind.name.lower(),
            }
        )
    for side, items in (("query", m.unmatched_query), ("listed", m.unmatched_candidate)):
        for tok, factor in items:
            if factor < 1.0:
                reason = {
                    "PATRONYMIC": "patronymic omitted",
                    "GENERIC": "generic word",
                    "INITIAL": "initial",
                    "NAME": "extra name",
                    "PARTICLE": "particle",
                }[tok.kind.name]
            else:
                reason = "contradicts" if tok.kind.name != "NAME" else "name not found"
            exp.unmatched.append(
                {
                    "side": side,
                    "token": tok.text,
                    "kind": tok.kind.name.lower(),
                    "counted": factor,
                    "reason": reason,
                }
            )
    exp.notes = list(m.notes)
    if name.weak:
        exp.notes.append("weak aliases count for a little less")
    return exp


class Screener:
    """Screens parties against an index of listed entities.

    Build it from a store (``Screener.from_store(store)``: every active list version) or from
    any iterable of entities. When built from a store it maps the new index by itself when a
    list version (or an ownership graph) changes. ``derived`` adds entities that are on no
    list but must be reported (the service passes the parties that listed persons own or
    control), with a note each that results on them carry.
    """

    def __init__(
        self,
        entities: Iterable[Entity] = (),
        threshold: float = DEFAULT_THRESHOLD,
        index: NameIndex | None = None,
        notes: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.index = index if index is not None else NameIndex(entities, notes)
        self.threshold = threshold
        self.notes: dict[str, dict[str, Any]] = notes or self.index.notes
        self._store: SqlStore | None = None
        self._derive: Derive | None = None
        self._files: IndexFiles | None = None
        self._signature: tuple[tuple[tuple[str, int], ...], ...] = ()
        self._checked = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_store(
        cls,
        store: SqlStore,
        threshold: float = DEFAULT_THRESHOLD,
        derive: Derive | None = None,
        index_dir: Path | None = None,
    ) -> Screener:
        """A screener over the store's active lists. With ``index_dir``, the index is the
        compiled file of the active versions in that directory, built there first if no
        process has built it yet; without, it is compiled in memory."""
        screener = cls((), threshold, index=NameIndex(()))
        screener._store = store
        screener._derive = derive
        screener._files = IndexFiles(index_dir) if index_dir is not None else None
        screener.refresh(force=True)
        return screener

    @property
    def lists(self) -> list[list[Any]]:
        """(source, active version id) of the lists the index was built from."""
        return [list(x) for x in self._signature[0]] if self._signature else []

    def _store_signature(self, store: SqlStore) -> tuple[tuple[tuple[str, int], ...], ...]:
        profiles = store.profile_signature()
        if self._derive is None:
            return (store.active_signature(), profiles)
        return (store.active_signature(), profiles, store.graph_signature())

    def refresh(self, force: bool = False) -> bool:
        """Rebuild the index if the store's active versions changed; True if rebuilt. Safe
        to call from several threads: one rebuilds while the others keep screening on the
        index they have."""
        store = self._store
        if store is None:
            return False
        if not self._lock.acquire(blocking=force):
            return False
        try:
            return self._refresh(store, force)
        finally:
            self._lock.release()

    def _refresh(self, store: SqlStore, force: bool) -> bool:
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return False
        self._checked = now
        signature = self._store_signature(store)
        if signature == self._signature and not force:
            return False
        index = self.load_index(store)
        self.notes = index.notes  # notes first: a reader between the two sees at most newer
        self.index = index
        self._signature = signature
        return True

    def load_index(self, store: SqlStore) -> NameIndex:
        """The index of the store's active versions: mapped from its compiled file (built
        first if need be) when the screener has an index directory, else built in memory."""
        derive = self._derive

        def build(out: IO[bytes], meta: dict[str, Any]) -> None:
            write_index(store, out, meta, derive)

        if self._files is None:
            buf = io.BytesIO()
            build(buf, {"format": FORMAT, "key": ""})
            return NameIndex.from_bytes(buf.getvalue())
        key = index_key(store.active_versions_detail())
        return self._files.open_or_build(key, build)

    def _match_names(
        self,
        variants: list[AnalyzedName],
        exhaustive: bool = False,
        floor: float = 0.0,
        index: NameIndex | None = None,
        deadline: float | None = None,
        every_form: bool = False,
    ) -> _Found:
        index = index if index is not None else self.index
        # three plain dicts rather than an object per entity: a common name reaches thousands
        # of entities, and objects made by the thousand wake the cyclic garbage collector
        found = _Found({}, {}, {})
        scores, matches, names = found
        compared = 0
        for variant in variants:
            q_weights = tuple(index.weight(t) for t in variant.tokens)
            if every_form:
                shortlist: Iterable[int] = range(len(index.forms))
                similar = None
            elif exhaustive:
                shortlist = index.candidates_exhaustive(variant)
                similar = None
            else:
                similar = index.similar_by_fold(variant)
                shortlist = index.candidates(variant, floor=floor)
            for fidx in shortlist:
                compared += 1
                if deadline is not None and compared % _BUDGET_EVERY == 0:
                    _check_deadline(deadline)
                form = index.forms[fidx]
                m = compare_names(
                    variant,
                    form.analyzed,
                    q_weights=q_weights,
                    c_weights=form.weights,
                    q_similar=similar,
                )
                if m.score <= 0:
                    continue
                for nidx, eidx, weak in zip(form.members, form.entities, form.weak, strict=True):
                    score = m.score * (WEAK_ALIAS_FACTOR if weak else 1.0)
                    current = scores.get(eidx)
                    if current is None or score > current:
                        scores[eidx] = score
                        matches[eidx] = m
                        names[eidx] = nidx
        return found

    def screen(
        self,
        query: Query | str,
        threshold: float | None = None,
        limit: int = 10,
        exhaustive: bool = False,
        refresh: bool = True,
        budget: float | None = None,
        every_form: bool = False,
        by_profile: bool = True,
    ) -> list[ScreeningResult]:
        """Listed parties scoring at least ``threshold`` for ``query``, best first.

        With ``by_profile`` (the default) a party on several lists is one result: its
        best-scoring listing, with every listing of its profile in ``listings`` and the
        matched one named in the explanation. Without, each listed record is a result.

        ``exhaustive`` compares every listed name that holds a word resembling one of the
        query's (found by scanning the whole vocabulary), instead of the index's shortlist: the
        reference the benchmarks measure the index against (slow). ``every_form`` compares
        every listed name whatever its words (slower still; tests use it to show that
        ``exhaustive`` loses nothing). ``budget`` (for services, where one
        request must not hold the others up) is the most seconds the screening may take: past
        it, :class:`QueryTooCostly` is raised (a query is answered whole or refused, never in
        part), and a name over ``MAX_NAME_CHARS`` characters or ``MAX_NAME_WORDS`` words is
        refused the same way before any work.
        """
        if isinstance(query, str):
            query = Query(name=query)
        deadline = None
        if budget is not None:
            check_name(query.name)
            deadline = time.monotonic() + budget
        if refresh:
            self.refresh()
        cutoff = self.threshold if threshold is None else threshold
        org = None if query.kind is None else query.kind is not EntityKind.PERSON
        variants = name_variants(query.name, organization=org)
        # entities that cannot reach the threshold even with the strongest evidence are skipped
        floor = cutoff - 0.35 if query.identifiers else cutoff - 0.2
        index, notes = self.index, self.notes  # one consistent snapshot, even if refreshed
        if deadline is not None:
            _check_deadline(deadline)
        found = self._match_names(variants, exhaustive, floor, index, deadline, every_form)
        evidence = has_evidence(query)
        finals: dict[int, float] = {}
        adjusted: dict[int, list[Adjustment]] = {}
        for eidx, score in found.scores.items():
            if score < floor:
                continue
            if evidence:
                final, adjusted[eidx] = adjust(score, query, index.entities[eidx].facts)
            else:  # no feature applies: the entity need not be read
                final = max(0.0, min(1.0, score))
            if final >= cutoff:
                finals[eidx] = round(final, 4)
        rank = index.entity_rank
        ranks = dict(zip(finals, rank[list(finals)].tolist(), strict=True)) if finals else {}
        passed = sorted(finals, key=lambda e: (-finals[e], ranks[e]))  # best, then entity id
        if by_profile:  # one result per party: its best-scoring listing
            seen: set[int] = set()
            best_of: list[int] = []
            for eidx in passed:
                number = index.profile(eidx)
                if number not in seen:
                    seen.add(number)
                    best_of.append(eidx)
            passed = best_of
        results: list[ScreeningResult] = []
        for eidx in passed[:limit]:  # explained: the ones reported
            ent = index.entities[eidx]
            final = finals[eidx]
            best = _Best(found.scores[eidx], found.matches[eidx], found.names[eidx])
            exp = _explain(query.name, best, index.names[best.name])
            exp.adjustments = adjusted.get(eidx, [])
            note = notes.get(ent.id)
            if note is not None:
                exp.subject = str(note.get("subject", "derived party's"))
                if note.get("summary"):
                    exp.notes.append(f"ownership: {note['summary']}")
            result = ScreeningResult(
                ent.id,
                ent.caption,
                ent.source,
                ent.kind.value,
                list(ent.programs),
                final,
                exp,
                note,
            )
            if by_profile:
                _add_listings(result, index, eidx, finals)
            results.append(result)
        results.sort(key=lambda r: (-r.score, r.entity_id))
        return results[:limit]

    def compare(
        self, name_a: str, name_b: str, kind: EntityKind | None = None
    ) -> tuple[float, Explanation]:
        """Score two names against each other, with the explanation."""
        return compare(name_a, name_b, kind, self.index)


def _add_listings(
    result: ScreeningResult, index: NameIndex, eidx: int, finals: dict[int, float]
) -> None:
    """Every listing of the matched entity's profile, the matched one first."""
    number = index.profile(eidx)
    result.profile_id = index.profile_id(number)
    members = sorted(index.profile_members(number), key=lambda m: (m != eidx, -finals.get(m, 0)))
    for m in members:
        ent = index.entities[m]
        jurisdiction, sub_list, kind = listing_parts(ent.source, ent.lists)
        listing = Listing(
            ent.id,
            ent.caption,
            ent.source,
            sub_list,
            jurisdiction,
            kind,
            tuple(ent.programs),
            ent.listed_on,
        )
        result.listings.append({**listing.to_dict(), "matched": m == eidx, "score": finals.get(m)})
    if len(members) > 1:
        first = result.listings[0]
        others = ", ".join(listing_labels(result.listings[1:]))
        result.explanation.notes.append(
            f"matched the listing {first['entity_id']} on "
            f"{listing_label(first['source'], first['sub_list'])}; the same party is also "
            f"listed on {others}"
        )


def check_name(name: str) -> None:
    """Refuse a name no real party has, whose screening would cost out of all proportion."""
    if len(name) > MAX_NAME_CHARS:
        raise QueryTooCostly(
            f"name of {len(name):,} characters: at most {MAX_NAME_CHARS} are screened"
        )
    words = len(name.split())
    if words > MAX_NAME_WORDS:
        raise QueryTooCostly(f"name of {words} words: at most {MAX_NAME_WORDS} are screened")


def _check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise QueryTooCostly(
            "the screening ran past its time budget: the name is too costly to screen as "
            "written (fewer or more distinctive words screen faster)"
        )


def compare(
    name_a: str, name_b: str, kind: EntityKind | None = None, index: NameIndex | None = None
) -> tuple[float, Explanation]:
    """Score two names (best over their script variants) and explain the score.

    With an index, words are weighted by their rarity among listed names; without one, by
    their kind and length.
    """
    org = None if kind is None else kind is not EntityKind.PERSON
    best: NameMatch | None = None
    for va in name_variants(name_a, organization=org):
        for vb in name_variants(name_b, organization=org):
            m = compare_names(va, vb, index.weight) if index is not None else compare_names(va, vb)
            if best is None or m.score > best.score:
                best = m
    assert best is not None
    shown = IndexedName(0, name_b, NameType.PRIMARY, False)
    exp = _explain(name_a, _Best(best.score, best, 0), shown)
    exp.matched_name_type = "compared"
    exp.subject = ""  # two names compared: neither need be listed
    return best.score, exp

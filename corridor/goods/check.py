"""Checking a goods line (a code, a description, or both) against goods lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from corridor.exceptions import InvalidGoodsCode
from corridor.goods.codes import GoodsCode, format_hs, parse_code
from corridor.goods.describe import DescriptionIndex, Suggestion, default_index, is_vague
from corridor.goods.lists import bundled_goods_lists, read_goods_list
from corridor.goods.nomenclature import Nomenclature, hs2022
from corridor.model.goods import GoodsListEntry

SUGGESTIONS = 5
SUGGESTED_HIT_SCORE = 0.8  # a suggestion this strong is checked against the lists too
CONSISTENCY_DEPTH = 10  # a description's top suggestions in which the code's chapter must appear


@dataclass(frozen=True)
class ListHit:
    """A goods-list entry that a line's code falls under."""

    entry: GoodsListEntry
    code: str  # the code compared, in the entry's HS version
    certain: bool  # False when the code is wider than the entry, split across versions, or
    # only suggested from the description
    via: str  # "code" or "description"
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entry.to_dict(),
            "entry_code": format_hs(self.entry.code),
            "compared_code": format_hs(self.code),
            "certain": self.certain,
            "via": self.via,
            "note": self.note,
        }


@dataclass
class GoodsCheck:
    code: GoodsCode | None
    description: str | None
    hs_description: str | None = None
    path: list[tuple[str, str]] = field(default_factory=list)  # (code, description)
    hits: list[ListHit] = field(default_factory=list)
    vague: bool = False
    consistent: bool | None = None  # code and description agree (None: cannot tell)
    suggestions: list[Suggestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def hs6(self) -> str | None:
        return self.code.hs6 if self.code else None

    @property
    def listed(self) -> bool:
        return bool(self.hits)

    def top_tier(self) -> str | None:
        tiers = sorted(h.entry.tier for h in self.hits if h.entry.tier)
        return tiers[0] if tiers else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.to_dict() if self.code else None,
            "description": self.description,
            "hs_description": self.hs_description,
            "path": [{"code": c, "description": d} for c, d in self.path],
            "listed": self.listed,
            "hits": [h.to_dict() for h in self.hits],
            "vague": self.vague,
            "consistent": self.consistent,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "warnings": self.warnings,
            "error": self.error,
        }


class GoodsChecker:
    """Goods lists indexed by code, with the nomenclature and the description search."""

    def __init__(
        self,
        entries: Iterable[GoodsListEntry],
        nomenclature: Nomenclature | None = None,
        index: DescriptionIndex | None = None,
    ) -> None:
        self.nomenclature = nomenclature or hs2022()
        self._index = index
        self.entries = list(entries)
        self.by_prefix: dict[tuple[str, str], list[GoodsListEntry]] = defaultdict(list)
        for entry in self.entries:
            self.by_prefix[(entry.hs_version, entry.code)].append(entry)
        # entries below each shorter code: (version, code) -> [(entry code, entries)]
        self.finer: dict[tuple[str, str], list[tuple[str, list[GoodsListEntry]]]] = defaultdict(
            list
        )
        for (version, prefix), group in self.by_prefix.items():
            for n in (2, 4, 6, 8):
                if n < len(prefix):
                    self.finer[(version, prefix[:n])].append((prefix, group))
        self.longest = max((len(e.code) for e in self.entries), default=6)
        self.lists = sorted({e.list for e in self.entries})
        self.lists_by_version: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            self.lists_by_version[entry.hs_version].add(entry.list)
        self._cached_hits = lru_cache(maxsize=65536)(self._hits)
        self._cached_suggest = lru_cache(maxsize=65536)(self._suggest)

    @classmethod
    def bundled(cls) -> GoodsChecker:
        """The bundled goods lists (the CHPL in its HS 2022 and HS 2017 forms)."""
        entries: list[GoodsListEntry] = []
        for item in bundled_goods_lists():
            entries.extend(read_goods_list(item.path))
        return cls(entries)

    @property
    def index(self) -> DescriptionIndex:
        if self._index is None:
            self._index = default_index()
        return self._index

    # -- matching --------------------------------------------------------------------------

    def _candidates(self, code: GoodsCode, version: str) -> list[tuple[str, bool, str | None]]:
        """The codes to compare in HS ``version`` terms: (code, certain, note)."""
        if code.hs_version == version:
            return [(code.code, True, None)]
        if code.hs6 is None:
            return [(code.code, True, None)]  # chapters and headings: compared as they are
        nom = self.nomenclature
        if version == "2022":
            mapped = list(code.hs2022)
        elif code.hs_version == "2012" and len(code.code) >= 6:
            mapped = nom.from_2012.get(code.code[:6], [code.code[:6]])
        else:
            mapped = nom.to_2017.get(code.hs6, [code.hs6])
        suffix = code.code[6:]
        certain = len(mapped) == 1
        note = None
        if not certain:
            note = f"HS {code.hs_version} {format_hs(code.hs6)} was split: it may be " + (
                ", ".join(format_hs(m) for m in mapped)
            )
        return [(m + suffix if len(mapped) == 1 else m, certain, note) for m in mapped]

    def _hits(self, code: GoodsCode, as_of: str | None, via: str) -> tuple[ListHit, ...]:
        hits: list[ListHit] = []
        seen: set[tuple[int, str]] = set()
        for version in ("2022", "2017"):
            for candidate, certain, note in self._candidates(code, version):
                # entries at the candidate's own granularity or coarser
                for n in (2, 4, 6, 8, 10):
                    if n > len(candidate):
                        break
                    for entry in self.by_prefix.get((version, candidate[:n]), ()):
                        if entry.valid_on(as_of) and (id(entry), candidate) not in seen:
                            seen.add((id(entry), candidate))
                            hits.append(
                                ListHit(entry, candidate, certain and via == "code", via, note)
                            )
                # finer entries (an 8-digit list entry under a 6-digit code): possible hits
                for prefix, entries in self.finer.get((version, candidate), ()):
                    for entry in entries:
                        if entry.valid_on(as_of) and (id(entry), candidate) not in seen:
                            seen.add((id(entry), candidate))
                            hits.append(
                                ListHit(
                                    entry,
                                    candidate,
                                    False,
                                    via,
                                    f"the list names {format_hs(prefix)}, narrower than "
                                    f"{format_hs(candidate)}: give the full national code",
                                )
                            )
        # a list published in both HS versions (the CHPL) is read in the code's own version
        # only: its other form would reach split codes that the list does not name
        version = code.hs_version if code.hs_version in self.lists_by_version else "2022"
        own = self.lists_by_version.get(version, set())
        kept = [h for h in hits if h.entry.hs_version == version or h.entry.list not in own]
        if code.hs_version != "2022" and code.hs2022 and code.hs2022 != (code.code[:6],):
            # an older code: the hit says both codes, so the analyst sees the list's own form
            both = f"HS {code.hs_version} {format_hs(code.code[:6])} is HS 2022 " + ", ".join(
                format_hs(c) for c in code.hs2022
            )
            kept = [replace(h, note=f"{both}; {h.note}" if h.note else both) for h in kept]
        return tuple(kept)

    def _effective(self, code: GoodsCode) -> GoodsCode:
        """The code with the digits no list entry looks at dropped, and without its text: two
        codes that differ only there get the same hits (and share a cache entry)."""
        keep = max(self.longest, 6)
        if len(code.code) <= keep:
            return replace(code, text="")
        return replace(code, text="", code=code.code[:keep])

    def _suggest(self, description: str) -> tuple[Suggestion, ...]:
        return tuple(self.index.suggest(description, CONSISTENCY_DEPTH))

    # -- checking --------------------------------------------------------------------------

    def check(
        self,
        code: str | None = None,
        description: str | None = None,
        hs_version: str = "2022",
        as_of: str | None = None,
        suggest: bool = True,
        describe: bool = True,
    ) -> GoodsCheck:
        """Check one goods line: its code against the lists (as of a date), its description
        for vagueness and against the code, and suggestions where the code is missing,
        wrong or too vague. ``describe=False`` checks the code only (for bulk stock
        accounting, where the description does not matter)."""
        description = (description or "").strip() or None
        result = GoodsCheck(None, description)
        if code is not None and str(code).strip():
            try:
                result.code = parse_code(code, hs_version, self.nomenclature)
            except InvalidGoodsCode as exc:
                result.error = str(exc)
        if result.code is not None:
            gc = result.code
            nom = self.nomenclature
            result.path = [(format_hs(e.code), e.description) for e in nom.path(gc.hs6 or gc.code)]
            if gc.hs6 and len(gc.hs2022) == 1:
                result.hs_description = nom.description(gc.hs2022[0])
            if gc.note:
                result.warnings.append(gc.note)
            if gc.hs6 is None:
                result.warnings.append(
                    f"{gc.system} {gc.code} only: give the 6-digit subheading at least"
                )
            result.hits = list(self._cached_hits(self._effective(gc), as_of, "code"))
        if not describe:
            return result
        result.vague = is_vague(description) if description else result.code is None
        if description and result.vague:
            result.warnings.append(f"vague description {description!r}: it names no goods")
        if description is None and result.code is None:
            result.warnings.append("no code and no description")
        suggestions: tuple[Suggestion, ...] = ()
        if description and not result.vague:
            fit = None
            if result.code is not None and result.code.hs2022:
                fit = self.index.fit(description, result.code.hs2022[0])
                if fit is not None and fit > 0:
                    result.consistent = True  # shares informative words with the code
            if result.consistent is None:
                suggestions = self._cached_suggest(description)
            if result.code is not None and suggestions:
                chapter = result.code.chapter
                # inconsistent: no informative word in common with the code's own texts,
                # and the description points to other chapters
                result.consistent = not (
                    fit == 0.0 and not any(s.hs6[:2] == chapter for s in suggestions)
                )
                if not result.consistent:
                    result.warnings.append(
                        f"description {description!r} does not fit chapter {chapter} "
                        f"({self.nomenclature.description(chapter)}); it suggests "
                        + ", ".join(format_hs(s.hs6) for s in suggestions[:3])
                    )
        needs_code = result.code is None or result.code.hs6 is None or not result.consistent
        if suggest and suggestions and (needs_code or result.consistent is False):
            result.suggestions = list(suggestions[:SUGGESTIONS])
            top = suggestions[0]
            if result.code is None and top.score >= SUGGESTED_HIT_SCORE:
                suggested = parse_code(top.hs6, "2022", self.nomenclature)
                result.hits.extend(self._cached_hits(suggested, as_of, "description"))
        return result

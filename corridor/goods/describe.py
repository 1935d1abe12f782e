"""Goods descriptions: suggest the likeliest HS subheadings for a description (English, Russian
or Kazakh), and recognise vague descriptions that name no goods.

The search is BM25 over the HS 2022 subheadings, each indexed with its own words, its
heading's (weighted less) and its chapter's (less again). Russian and Kazakh descriptions are
read through a glossary of trade terms (``corridor/data/goods/glossary.csv``) into the English
wording of the nomenclature, since the bundled nomenclature is English.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from corridor.goods.codes import format_hs
from corridor.goods.nomenclature import Nomenclature, goods_data_dir, hs2022

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOP_WORDS = """a an and or of the for in on with without to by from as other n e c nec not its
their whether than such this that be being used parts part thereof incl including excluding
kind kinds type types etc"""
_STOP = frozenset(_STOP_WORDS.split())
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
K1, B = 1.2, 0.6
FIELD_WEIGHTS = (1.0, 0.45, 0.2)  # subheading, heading, chapter


def stem(word: str) -> str:
    """A light English stemmer: enough to meet "bearings"/"bearing", "machines"/"machine"."""
    w = word.lower()
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def english_terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]


@dataclass(frozen=True)
class Suggestion:
    hs6: str
    score: float  # 0..1, relative to the best possible match of the description's words
    description: str
    heading: str
    matched: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "hs6": self.hs6,
            "code": format_hs(self.hs6),
            "score": round(self.score, 3),
            "description": self.description,
            "heading": self.heading,
            "matched": list(self.matched),
        }


@cache
def _glossary() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Glossary entries by the first two letters of their first word: (stem words, English),
    the longest first."""
    with (goods_data_dir() / "glossary.csv").open(encoding="utf-8", newline="") as fh:
        pairs = {(r["stem"].strip().lower(), r["english"].strip()) for r in csv.DictReader(fh)}
    index: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for stem_text, english in sorted(pairs, key=lambda p: (-len(p[0]), p)):
        parts = tuple(stem_text.split())
        index[parts[0][:2]].append((parts, english))
    return dict(index)


@cache
def _vague() -> frozenset[str]:
    with (goods_data_dir() / "vague.csv").open(encoding="utf-8", newline="") as fh:
        return frozenset(_normal(r["phrase"]) for r in csv.DictReader(fh))


@cache
def _vague_words() -> frozenset[str]:
    return frozenset(w for phrase in _vague() for w in phrase.split())


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@lru_cache(maxsize=65536)
def _translate(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    out: list[str] = []
    unknown: list[str] = []
    i = 0
    glossary = _glossary()
    while i < len(words):
        hit = None
        for parts, english in glossary.get(words[i][:2], ()):
            n = len(parts)
            if i + n <= len(words) and all(
                (words[i + k].startswith(p) if _CYRILLIC.search(p) else words[i + k] == p)
                for k, p in enumerate(parts)
            ):
                hit = (n, english)
                break
        if hit is None:
            if _CYRILLIC.search(words[i]):
                unknown.append(words[i])
            else:
                out.extend(english_terms(words[i]))
            i += 1
        else:
            out.extend(english_terms(hit[1]))
            i += hit[0]
    return tuple(out), tuple(unknown)


def translate(text: str) -> tuple[list[str], list[str]]:
    """English search terms for a description (Russian and Kazakh words through the glossary;
    English words as they are, or through the glossary's English synonyms such as "GNSS"),
    and the Cyrillic words not understood.

    Multi-word glossary entries ("печатн плат") match consecutive words by their stems; an
    English entry matches whole words only.
    """
    terms, unknown = _translate(text)
    return list(terms), list(unknown)


def is_vague(description: str | None) -> bool:
    """True for descriptions that name no goods: "spare parts", "запчасти", "equipment",
    "электронные компоненты", or any combination of such words."""
    if description is None:
        return True
    text = _normal(description)
    if not text:
        return True
    if text in _vague():
        return True
    vague_words = _vague_words()
    words = text.split()
    return all(w in vague_words or w in _STOP or len(w) <= 2 for w in words)


class DescriptionIndex:
    """BM25 over the HS subheadings of a nomenclature."""

    def __init__(self, nomenclature: Nomenclature | None = None) -> None:
        nom = nomenclature or hs2022()
        self.nomenclature = nom
        self._own: dict[str, frozenset[str]] = {}
        self.codes: list[str] = []
        self.fields: list[list[Counter[str]]] = []
        postings: dict[str, set[int]] = defaultdict(set)
        lengths: list[float] = []
        for entry in nom.subheadings():
            heading = nom.description(entry.code[:4]) or ""
            chapter = nom.description(entry.code[:2]) or ""
            fields = [Counter(english_terms(t)) for t in (entry.description, heading, chapter)]
            idx = len(self.codes)
            self.codes.append(entry.code)
            self.fields.append(fields)
            for f in fields:
                for term in f:
                    postings[term].add(idx)
            lengths.append(
                sum(w * sum(f.values()) for w, f in zip(FIELD_WEIGHTS, fields, strict=True))
            )
        self.postings = {t: sorted(s) for t, s in postings.items()}
        self.lengths = lengths
        self.avg_length = sum(lengths) / max(1, len(lengths))
        n = len(self.codes)
        self.idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()
        }

    def _score(self, idx: int, term: str) -> float:
        tf = sum(w * f.get(term, 0) for w, f in zip(FIELD_WEIGHTS, self.fields[idx], strict=True))
        if tf == 0:
            return 0.0
        norm = K1 * (1 - B + B * self.lengths[idx] / self.avg_length)
        return self.idf[term] * tf * (K1 + 1) / (tf + norm)

    def _own_terms(self, hs6: str) -> frozenset[str]:
        found = self._own.get(hs6)
        if found is None:
            nom = self.nomenclature
            words: set[str] = set()
            for code in (hs6, hs6[:4], hs6[:2]):
                words.update(english_terms(nom.description(code) or ""))
            found = frozenset(words)
            self._own[hs6] = found
        return found

    def fit(self, description: str, hs6: str) -> float | None:
        """How much of the description's information (idf) the code's own texts (subheading,
        heading, chapter) contain, 0..1; None when no word of the description is known."""
        terms = [t for t in dict.fromkeys(translate(description)[0]) if t in self.postings]
        if not terms:
            return None
        own = self._own_terms(hs6)
        total = sum(self.idf[t] for t in terms)
        return sum(self.idf[t] for t in terms if t in own) / total

    def suggest(self, description: str, limit: int = 5) -> list[Suggestion]:
        """The likeliest HS 2022 subheadings for ``description``, best first."""
        terms, _ = translate(description)
        terms = [t for t in dict.fromkeys(terms) if t in self.postings]
        if not terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            for idx in self.postings[term]:
                s = self._score(idx, term)
                if s > 0:
                    scores[idx] += s
                    matched[idx].append(term)
        # rank by BM25 times the share of the description's information (idf) that matched,
        # so a subheading meeting its rare words beats one meeting only its common ones
        total_idf = sum(self.idf[t] for t in terms)
        ranked_all = {
            idx: score * (sum(self.idf[t] for t in matched[idx]) / total_idf) ** 2
            for idx, score in scores.items()
        }
        ranked = sorted(ranked_all.items(), key=lambda kv: (-kv[1], self.codes[kv[0]]))[:limit]
        top = ranked[0][1] if ranked else 1.0
        nom = self.nomenclature
        return [
            Suggestion(
                self.codes[idx],
                score / top * sum(self.idf[t] for t in matched[idx]) / total_idf,
                nom.description(self.codes[idx]) or "",
                nom.description(self.codes[idx][:4]) or "",
                tuple(matched[idx]),
            )
            for idx, score in ranked
        ]


@cache
def default_index() -> DescriptionIndex:
    return DescriptionIndex()

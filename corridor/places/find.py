"""Finding embargoed places in free text: ISO codes, region names, cities and ports.

Words are compared whole, case and accents aside, so "Kerchenskaya" is not Kerch and
"Krymsk" (a town of Krasnodar krai) is not Crimea. Russian and Ukrainian names are found in
their inflected forms too ("в Крыму", "из Симферополя", "Донецке"): a Cyrillic word matches
a name's stem followed by a case ending, never by a longer suffix. A place's ``unless`` words
in the same text rule it out (Donetsk of Rostov oblast).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from corridor.places.embargoes import EmbargoBook, Place

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}-[A-Z0-9]{1,3})(?![A-Za-z0-9-])")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# case endings of Russian and Ukrainian nouns and adjectives (singular and plural)
_ENDINGS = frozenset(
    (
        "а",
        "я",
        "у",
        "ю",
        "е",
        "є",
        "і",
        "и",
        "ы",
        "о",
        "ом",
        "ем",
        "ём",
        "єм",
        "ой",
        "ей",
        "ою",
        "ею",
        "ью",
        "ами",
        "ями",
        "ах",
        "ях",
        "ам",
        "ям",
        "ов",
        "ев",
        "ого",
        "его",
        "ому",
        "ему",
        "ую",
        "юю",
        "ое",
        "ее",
        "ая",
        "яя",
        "ые",
        "іе",
        "ий",
        "ій",
        "ый",
        "их",
        "ых",
        "ім",
        "им",
        "ым",
    )
)
_VOWELS = "аяуюеєіиыоьйї"
_MAX_ENDING = 3


def fold(word: str) -> str:
    """A word compared: case-folded, without accents, ё as е, apostrophes dropped."""
    word = word.casefold().replace("ё", "е").replace("'", "").replace("’", "")
    if not _CYRILLIC.search(word):
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
    return word


def _words(text: str) -> list[str]:
    return [fold(m.group(0)) for m in _WORD.finditer(text.replace("-", " "))]


def _stem(word: str) -> str:
    """A Cyrillic name's stem: the word less a final vowel or soft sign."""
    return word[:-1] if len(word) > 4 and word[-1] in _VOWELS else word


@dataclass(frozen=True)
class PlaceHit:
    """An embargoed place named in a text."""

    place: Place
    matched: str  # the words of the text that named it
    kind: str  # "code", "name" (the region or country itself) or "city"

    @property
    def partial(self) -> bool:
        """True when the match does not show the place lies in the embargoed part: the name
        or code of a region only part of which is embargoed."""
        return self.place.partial and self.kind != "city"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.place.code,
            "place": self.place.name,
            "matched": self.matched,
            "kind": self.kind,
            "partial": self.partial,
        }


@dataclass(frozen=True)
class _Pattern:
    words: tuple[str, ...]  # folded; Cyrillic words as stems
    inflected: tuple[bool, ...]  # each word may carry a case ending
    place: Place
    kind: str


class PlaceFinder:
    """Finds the places of an embargoes file in texts."""

    def __init__(self, book: EmbargoBook) -> None:
        self.book = book
        self._by_first: dict[str, list[_Pattern]] = defaultdict(list)
        self._unless: dict[str, list[tuple[str, ...]]] = {}
        for place in book.places.values():
            for kind, names in (("name", place.names), ("city", place.cities)):
                for name in names:
                    pattern = self._pattern(name, place, kind)
                    if pattern is not None:
                        self._by_first[pattern.words[0]].append(pattern)
            self._unless[place.code] = [tuple(_words(w)) for w in place.unless]
        for patterns in self._by_first.values():
            patterns.sort(key=lambda p: -len(p.words))  # the longest name first

    @staticmethod
    def _pattern(name: str, place: Place, kind: str) -> _Pattern | None:
        words = _words(name)
        if not words:
            return None
        inflected = tuple(bool(_CYRILLIC.search(w)) and len(w) > 3 for w in words)
        stems = tuple(_stem(w) if inf else w for w, inf in zip(words, inflected, strict=True))
        return _Pattern(stems, inflected, place, kind)

    def _candidates(self, word: str) -> list[str]:
        out = [word]
        if _CYRILLIC.search(word):
            out.append(_stem(word))
            for n in range(1, _MAX_ENDING + 1):
                if len(word) > n + 2 and word[-n:] in _ENDINGS:
                    out.append(word[:-n])
        return out

    @staticmethod
    def _word_matches(word: str, stem: str, inflected: bool) -> bool:
        if word == stem:
            return True
        if not inflected or not word.startswith(stem):
            return False
        rest = word[len(stem) :]
        return len(rest) <= _MAX_ENDING and (rest in _ENDINGS or rest == "ь")

    def find(self, text: str | None) -> list[PlaceHit]:
        """Every embargoed place ``text`` names, once each (the most telling match: a city
        inside the embargoed part before the region's name)."""
        if not text or not text.strip():
            return []
        found: dict[str, PlaceHit] = {}
        for m in _CODE.finditer(text):
            place = self.book.places.get(m.group(1))
            if place is not None and place.is_region:
                found.setdefault(place.code, PlaceHit(place, m.group(1), "code"))
        raw = list(_WORD.finditer(text.replace("-", " ")))
        words = [fold(m.group(0)) for m in raw]
        i = 0
        while i < len(words):
            matched = None
            for candidate in dict.fromkeys(self._candidates(words[i])):
                for pattern in self._by_first.get(candidate, ()):
                    n = len(pattern.words)
                    if i + n > len(words):
                        continue
                    if all(
                        self._word_matches(words[i + k], pattern.words[k], pattern.inflected[k])
                        for k in range(n)
                    ):
                        matched = (pattern, n)
                        break
                if matched:
                    break
            if matched is None:
                i += 1
                continue
            pattern, n = matched
            span = text.replace("-", " ")[raw[i].start() : raw[i + n - 1].end()]
            hit = PlaceHit(pattern.place, span, pattern.kind)
            known = found.get(pattern.place.code)
            if known is None or (known.partial and not hit.partial):
                found[pattern.place.code] = hit
            i += n
        if not found:
            return []
        folded = " " + " ".join(words) + " "
        return [
            hit
            for code, hit in found.items()
            if not any(self._says(folded, w) for w in self._unless.get(code, ()))
        ]

    @staticmethod
    def _says(folded: str, words: tuple[str, ...]) -> bool:
        """Whether the folded text holds ``words``: a phrase whole, one word also as the
        start of a longer one (Rostov in Rostovskaya, Ростовская in its inflected forms)."""
        if len(words) == 1:
            return f" {words[0]}" in folded
        return " " + " ".join(words) + " " in folded

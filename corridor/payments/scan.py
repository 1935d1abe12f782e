"""The free-text scanner: what remittance information, purposes, regulatory reporting and
instructions say, in any script.

It finds, each hit with its field, its span, what it matched and why:

- **listed names**: every name and alias of the active lists (and, for persons, the word
  orders lists and payments use), as sequences of folded words: the text is read word by
  word, folded the way the matching engine folds names (script, case, transliteration), and
  each word starts a lookup of the names that begin with it. A name is searched for only if
  it can name one party: two words or more, or one long word rare among listed names;
- **vessels** by IMO number (checked by its check digit) and **listed identifiers** (an INN,
  OGRN, BIN or IMO a listed party carries);
- **Russian INN and OGRN, Kazakh BIN and IIN** after their labels, validated by their check
  digits;
- **embargoed places** (regions, cities and ports of the embargoes file, in three scripts);
- **goods**: CHPL goods words and HS codes of listed goods;
- **phrases** of circumvention ("transit via", "parallel import", "через РФ").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from corridor.exceptions import ConfigError
from corridor.goods import GoodsChecker
from corridor.matching.features import normalise_identifier
from corridor.matching.index import NameIndex
from corridor.model.checkdigits import kz_id_valid, ru_inn_valid, ru_ogrn_valid
from corridor.model.entity import EntityKind
from corridor.names.fold import fold
from corridor.names.orgs import LEGAL_FORMS
from corridor.names.translit import romanise
from corridor.places import EmbargoBook, PlaceFinder, PlaceHit
from corridor.places.embargoes import read_rules_file

_WORD = re.compile(r"\w+", re.UNICODE)
_SPLIT = re.compile(r"[^a-z0-9]+")
_IMO = re.compile(r"\bIMO[\s:#.№-]*(\d{7})\b", re.I)
_HS = re.compile(
    r"(?:\b(?:HS|H\.S\.|ТН\s?ВЭД|TN\s?VED|HS\s?code|код)\W{0,3})?\b(\d{4})[.\s]?(\d{2})"
    r"(?:[.\s]?(\d{2})){0,2}\b",
    re.I,
)
# labels of national identifiers, and the digits that follow them
_IDS = re.compile(
    r"\b(INN|ИНН|TIN|OGRN|ОГРН|OGRNIP|ОГРНИП|BIN|БИН|БСН|IIN|ИИН|ЖСН)\b\W{0,4}(\d[\d\s]{8,18}\d)",
    re.I,
)
_ID_KIND = {
    "inn": "ru_inn",
    "инн": "ru_inn",
    "tin": "ru_inn",
    "ogrn": "ru_ogrn",
    "огрн": "ru_ogrn",
    "ogrnip": "ru_ogrn",
    "огрнип": "ru_ogrn",
    "bin": "kz_bin",
    "бин": "kz_bin",
    "бсн": "kz_bin",
    "iin": "kz_iin",
    "иин": "kz_iin",
    "жсн": "kz_iin",
}
MAX_NAME_WORDS = 6
_FORMS = frozenset(tuple(fold(w) for w in form) for form in LEGAL_FORMS)
RARE = 3  # a one-word name is searched for when at most this many listed names hold it
MIN_ONE_WORD = 7  # letters


@dataclass(frozen=True)
class TextHit:
    """Something a free-text field names."""

    field: str
    kind: str  # listed_name, listed_identifier, vessel, ru_inn, ru_ogrn, kz_bin, kz_iin,
    # place, goods, hs_code, phrase
    text: str  # the words of the field that matched
    start: int
    end: int
    matched: str  # what they matched: a listed name, a place, a phrase...
    why: str
    entity_id: str | None = None
    source: str | None = None
    code: str | None = None  # a place's code, an HS code
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "kind": self.kind,
            "text": self.text,
            "span": [self.start, self.end],
            "matched": self.matched,
            "why": self.why,
            "entity_id": self.entity_id,
            "source": self.source,
            "code": self.code,
            "score": self.score,
        }


def place_hit(field: str, hit: PlaceHit, text: str = "") -> TextHit:
    """A hit for an embargoed place a field names (its span within ``text`` when given)."""
    at = max(text.find(hit.matched), 0)
    return TextHit(
        field,
        "place",
        hit.matched,
        at,
        at + len(hit.matched),
        hit.place.name,
        f"{hit.matched!r} is in {hit.place.name} ({hit.place.code})"
        + (", part of which is under embargo" if hit.partial else ", under embargo"),
        code=hit.place.code,
        score=0.5 if hit.partial else 1.0,
    )


@dataclass(frozen=True)
class Terms:
    """Goods words and phrases of the payment terms file."""

    goods: tuple[tuple[tuple[str, ...], str], ...]  # (folded words, the term)
    phrases: tuple[tuple[tuple[str, ...], str], ...]
    path: str


def load_terms(path: Path | str | None = None) -> Terms:
    """Read a payment terms file (the bundled one when ``path`` is None)."""
    data, label = read_rules_file(path, "payment_terms.toml", "terms")
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {"goods": [], "phrases": []}
    for key in out:
        values = data.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"{label}: {key} must be a list of strings")
        for value in values:
            words = tuple(w for w, _, _ in fold_words(value))
            if words:
                out[key].append((words, value))
    return Terms(tuple(out["goods"]), tuple(out["phrases"]), label)


@lru_cache(maxsize=262144)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _SPLIT.split(romanise(word)) if w)


def fold_words(text: str) -> list[tuple[str, int, int]]:
    """The folded words of ``text`` with their spans (a CJK run may give several)."""
    out = []
    for m in _WORD.finditer(text):
        for folded in _fold_word(m.group(0)):
            out.append((folded, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class _Pattern:
    words: tuple[str, ...]
    entity: int  # position in the index
    name: str  # the listed name


class FreeTextScanner:
    """Free text against the active lists, the embargoes, goods and phrases."""

    def __init__(
        self,
        index: NameIndex,
        embargoes: EmbargoBook,
        goods: GoodsChecker,
        terms: Terms | None = None,
    ) -> None:
        self.index = index
        self.places = PlaceFinder(embargoes)
        self.embargoes = embargoes
        self.goods = goods
        self.terms = terms or load_terms()
        self._names: dict[str, list[_Pattern]] = defaultdict(list)
        self._identifiers: dict[str, int] = {}
        self._build()
        self._goods = self._first_word_map(self.terms.goods)
        self._phrases = self._first_word_map(self.terms.phrases)

    @staticmethod
    def _first_word_map(
        items: tuple[tuple[tuple[str, ...], str], ...],
    ) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        out: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for words, term in items:
            out[words[0]].append((words, term))
        for found in out.values():
            found.sort(key=lambda x: -len(x[0]))
        return out

    def _build(self) -> None:
        forms: list[tuple[tuple[str, ...], int, str, bool]] = []
        # word -> the distinct names holding it (a name on several lists counts once)
        holders: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for i in range(len(self.index.names)):
            listed = self.index.names[i]
            words = tuple(w for w, _, _ in fold_words(listed.text))
            # legal forms at either end are not part of what a text calls the party
            for n in range(min(4, len(words)), 0, -1):
                if len(words) > n and words[-n:] in _FORMS:
                    words = words[:-n]
                    break
            for n in range(min(4, len(words)), 0, -1):
                if len(words) > n and words[:n] in _FORMS:
                    words = words[n:]
                    break
            if not words or len(words) > MAX_NAME_WORDS:
                continue
            person = self.index.entities[listed.entity].kind is EntityKind.PERSON
            forms.append((words, listed.entity, listed.text, person))
            for w in set(words):
                holders[w].add(words)
        df = {w: len(parties) for w, parties in holders.items()}
        seen: set[tuple[tuple[str, ...], int]] = set()
        for words, entity, text, person in forms:
            if len(words) == 1:
                word = words[0]
                if len(word) < MIN_ONE_WORD or df[word] > RARE or word.isdigit():
                    continue
            elif all(df[w] > 200 for w in words) and len(words) < 3:
                continue  # two common words ("General Trading") name nobody in particular
            orders = [words]
            if person and 2 <= len(words) <= 3:
                orders += [words[k:] + words[:k] for k in range(1, len(words))]
            for order in orders:
                if (order, entity) in seen:
                    continue
                seen.add((order, entity))
                self._names[order[0]].append(_Pattern(order, entity, text))
        for found in self._names.values():
            found.sort(key=lambda p: -len(p.words))
        for e in range(len(self.index.entities)):
            for value in self.index.entities[e].facts.identifiers:
                if len(value) >= 7:
                    self._identifiers.setdefault(value, e)

    # -- scanning --------------------------------------------------------------------------

    def scan(self, field: str, text: str) -> list[TextHit]:
        """Every hit of one field's text."""
        if not text or not text.strip():
            return []
        hits: list[TextHit] = []
        words = fold_words(text)
        hits += self._scan_names(field, text, words)
        hits += self._scan_terms(field, text, words, self._goods, "goods")
        hits += self._scan_terms(field, text, words, self._phrases, "phrase")
        hits += self._scan_ids(field, text)
        hits += self._scan_places(field, text)
        hits += self._scan_hs(field, text)
        return hits

    def _scan_names(
        self, field: str, text: str, words: list[tuple[str, int, int]]
    ) -> list[TextHit]:
        out: list[TextHit] = []
        folds = [w for w, _, _ in words]
        i = 0
        while i < len(folds):
            best: _Pattern | None = None
            for pattern in self._names.get(folds[i], ()):
                n = len(pattern.words)
                if tuple(folds[i : i + n]) == pattern.words:
                    best = pattern
                    break
            if best is None:
                i += 1
                continue
            n = len(best.words)
            start, end = words[i][1], words[i + n - 1][2]
            ent = self.index.entities[best.entity]
            out.append(
                TextHit(
                    field,
                    "listed_name",
                    text[start:end],
                    start,
                    end,
                    best.name,
                    f"the words {text[start:end]!r} are the listed name {best.name!r} "
                    f"({ent.source}) once folded",
                    ent.id,
                    ent.source,
                )
            )
            i += n
        return out

    def _scan_terms(
        self,
        field: str,
        text: str,
        words: list[tuple[str, int, int]],
        table: dict[str, list[tuple[tuple[str, ...], str]]],
        kind: str,
    ) -> list[TextHit]:
        out: list[TextHit] = []
        folds = [w for w, _, _ in words]
        covered = 0  # a shorter term inside a longer one found already is not said again
        for i, w in enumerate(folds):
            if i < covered:
                continue
            for terms, term in table.get(w, ()):
                n = len(terms)
                if tuple(folds[i : i + n]) == terms:
                    covered = i + n
                    start, end = words[i][1], words[i + n - 1][2]
                    what = (
                        "a goods word of the Common High Priority List"
                        if kind == "goods"
                        else ("a phrase of circumvention")
                    )
                    out.append(
                        TextHit(field, kind, text[start:end], start, end, term, f"{what}: {term!r}")
                    )
                    break
        return out

    def _scan_ids(self, field: str, text: str) -> list[TextHit]:
        out: list[TextHit] = []
        for m in _IDS.finditer(text):
            label = m.group(1)
            digits = re.sub(r"\s", "", m.group(2))
            kind = _ID_KIND[label.lower()]
            valid = {
                "ru_inn": ru_inn_valid,
                "ru_ogrn": ru_ogrn_valid,
                "kz_bin": kz_id_valid,
                "kz_iin": kz_id_valid,
            }[kind](digits)
            if not valid:
                continue  # a number that fails its check digit names nobody
            listed = self._identifiers.get(digits)
            ent = self.index.entities[listed] if listed is not None else None
            out.append(
                TextHit(
                    field,
                    "listed_identifier" if ent else kind,
                    m.group(0),
                    m.start(),
                    m.end(),
                    ent.caption if ent else digits,
                    f"{label} {digits} passes its check digit"
                    + (f" and is the identifier of the listed {ent.caption!r}" if ent else ""),
                    ent.id if ent else None,
                    ent.source if ent else None,
                    digits,
                )
            )
        for m in _IMO.finditer(text):
            number = m.group(1)
            if sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True)) % 10 != (
                int(number[6])
            ):
                continue
            listed = self._identifiers.get(normalise_identifier(number))
            ent = self.index.entities[listed] if listed is not None else None
            if ent is None:
                continue  # an unlisted vessel is no hit
            out.append(
                TextHit(
                    field,
                    "vessel",
                    m.group(0),
                    m.start(),
                    m.end(),
                    ent.caption,
                    f"IMO {number} is the listed vessel {ent.caption!r} ({ent.source})",
                    ent.id,
                    ent.source,
                    number,
                )
            )
        return out

    def _scan_places(self, field: str, text: str) -> list[TextHit]:
        out = []
        for hit in self.places.find(text):
            if hit.place.code in ("RU", "BY"):
                continue  # goods embargoes only: named in free text they prove nothing
            out.append(place_hit(field, hit, text))
        return out

    def _scan_hs(self, field: str, text: str) -> list[TextHit]:
        out = []
        for m in _HS.finditer(text):
            raw = m.group(0)
            if "." not in raw and not re.match(r"(?i)(hs|h\.s\.|тн|tn|код)", raw):
                continue  # bare digits are amounts, accounts and references
            code = m.group(1) + m.group(2)
            check = self.goods.check(code, describe=False)
            if not check.hits:
                continue
            hit = check.hits[0]
            out.append(
                TextHit(
                    field,
                    "hs_code",
                    raw,
                    m.start(),
                    m.end(),
                    f"{hit.entry.list} {hit.entry.code}",
                    f"HS {code[:4]}.{code[4:]} is on the {hit.entry.list}"
                    + (f" (tier {hit.entry.tier})" if hit.entry.tier else ""),
                    code=code,
                )
            )
        return out

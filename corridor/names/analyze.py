"""Name analysis shared by the query and the list side.

``analyze(text, kind)`` turns a name into :class:`Token`\\ s: romanised, folded, typed (name,
initial, number, patronymic, generic organisation word) with the organisation's legal form set
aside. Analysis is pure and cached; the index analyses every listed name once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from corridor.model.scripts import detect_script
from corridor.names.fold import abjad_key, fold, skeleton
from corridor.names.orgs import ABBREVIATIONS, GENERIC_ORG_WORDS, LEGAL_FORMS, MAX_FORM_LEN
from corridor.names.translit import has_kazakh_letters, kazakh_to_russian, romanise


class TokenKind(IntEnum):
    NAME = 0
    INITIAL = 1
    NUMBER = 2
    PATRONYMIC = 3
    GENERIC = 4
    PARTICLE = 5  # al, el, bin, ould, de, van, honorifics: part of a name, identify little


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # romanised, lowercase
    fold: str  # folding key
    skel: str  # consonant skeleton of the folding key
    kind: TokenKind
    akey: str  # vowel-free key for comparing with romanised Arabic/Hebrew
    akey2: str  # the same without a final h (Arabic ة, or the h of mullah/mulla)


@dataclass(frozen=True, slots=True)
class AnalyzedName:
    original: str
    script: str | None
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...]
    abjad: bool  # romanised from a script written without vowels (Arabic, Hebrew)
    organization: bool = False
    key: str = ""  # order-independent folded key of the name's tokens


_PATRONYMIC = re.compile(
    r"(ovich|evich|ovych|evych|ich|ovna|evna|ichna|inichna|ogly|oglu|ugli|ugly|uly|uli|"
    r"kyzy|kizi|qyzy|gizi|kyz)$"
)
_PATRONYMIC_WORDS = frozenset(
    {"uly", "uli", "ugli", "ogly", "oglu", "kyzy", "kizi", "qyzy", "gizi"}
)
_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mme",
        "mlle",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "herr",
        "frau",
        "sr",
        "sra",
        "gospodin",
        "gospozha",
        "hon",
        "honorable",
        "honourable",
        "rev",
        "reverend",
        "esq",
        "phd",
        "md",
        "jr",
        "snr",
        "jnr",
    }
)
_PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "ad",
        "ash",
        "as",
        "at",
        "az",
        "ar",
        "an",
        "bin",
        "ben",
        "ibn",
        "bint",
        "binti",
        "abu",
        "abou",
        "ould",
        "uld",
        "walad",
        "wuld",
        "bou",
        "de",
        "da",
        "das",
        "del",
        "della",
        "der",
        "den",
        "di",
        "do",
        "dos",
        "du",
        "la",
        "le",
        "les",
        "lo",
        "van",
        "von",
        "ten",
        "ter",
        "y",
        "e",
        "i",
        "of",
        "the",
        "and",
        "for",
        "por",
        "para",
        "und",
        "et",
        "mawlana",
        "maulana",
        "mawlawi",
        "maulvi",
        "mullah",
        "mulla",
        "sheikh",
        "shaikh",
        "shaykh",
        "haji",
        "hajji",
        "alhaji",
        "sayyid",
        "sayed",
        "syed",
    }
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_ABJAD = frozenset({"Arab", "Hebr"})


# multi-word legal forms are compared folded (ogranichennoi / ogranichennoy); single words
# exactly, since a folded short word meets given names (zhaq folds like Jack)
_FOLDED_FORMS = {tuple(fold(w) for w in k): v for k, v in LEGAL_FORMS.items() if len(k) > 1}
# a name can hold a legal form only if it has one of these words (as written or folded)
_FORM_WORDS = frozenset({w for k in LEGAL_FORMS for w in k} | {w for k in _FOLDED_FORMS for w in k})
# legal forms that are also given names or words in persons' names (Ao Sakurai, Too, Ag)
_AMBIGUOUS_FORMS = frozenset(
    {
        ("pao",),
        ("ao",),
        ("ak",),
        ("aq",),
        ("as",),
        ("ag",),
        ("ab",),
        ("sa",),
        ("co",),
        ("ip",),
        ("ad",),
        ("dd",),
        ("sp",),
        ("sl",),
        ("kg",),
        ("ue",),
        ("jv",),
        ("oi",),
        ("too",),
        ("nao",),
        ("bv",),
        ("nv",),
        ("sas",),
        ("sae",),
        ("spa",),
        ("oy",),
        ("doo",),
        ("ltd",),
    }
)


def _strip_legal(words: list[str], organization: bool) -> tuple[list[str], list[str]]:
    """Remove legal-form word sequences at the start and the end of the name (compared on
    folded words, so ogranichennoi/ogranichennoy both count)."""
    forms: list[str] = []
    if not any(w in _FORM_WORDS for w in words):
        return words, forms
    folded = [fold(w) for w in words]
    changed = True
    while changed and words:
        changed = False
        for size in range(min(MAX_FORM_LEN, len(words)), 0, -1):
            for at_end in (False, True):
                key: tuple[str, ...]
                if size == 1:
                    key = (words[-1],) if at_end else (words[0],)
                    form = LEGAL_FORMS.get(key)
                else:
                    key = tuple(folded[-size:] if at_end else folded[:size])
                    form = _FOLDED_FORMS.get(key)
                if form is None or len(words) <= size:
                    continue
                if not organization and key in _AMBIGUOUS_FORMS:
                    continue
                forms.append(form)
                words = words[:-size] if at_end else words[size:]
                folded = folded[:-size] if at_end else folded[size:]
                changed = True
                break
            if changed:
                break
    return words, forms


_ABD = frozenset({"abd", "abdel", "abdal", "abdol", "abdoul", "abdu", "abdul", "abdil"})
_ARTICLE = frozenset({"al", "el", "ul", "ol", "il"})


def _merge_abd(words: list[str]) -> list[str]:
    """Abd al-Latif / Abdel Latif / Abdul Latif: one word 'abdul' before the name."""
    out: list[str] = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        if w in _ABD:
            if i + 1 < len(words) and words[i + 1] in _ARTICLE:
                skip = True
            out.append("abdul")
        else:
            out.append(w)
    return out


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text) if w]


@lru_cache(maxsize=262144)
def _token(word: str, kind: TokenKind) -> Token:
    folded = fold(word)
    return Token(word, folded, skeleton(folded), kind, abjad_key(word), abjad_key(word, True))


@lru_cache(maxsize=131072)
def analyze(text: str, organization: bool = False) -> AnalyzedName:
    """Analyse one name. ``organization`` selects organisation handling (legal forms,
    abbreviations, generic words); person handling removes titles and marks patronymics."""
    text = unicodedata.normalize("NFKC", text).strip()
    script = detect_script(text)
    roman = romanise(text)
    words = _words(roman)
    legal: list[str] = []
    if organization or len(words) > 1:
        stripped, legal = _strip_legal(words, organization)
        if legal and not organization:
            organization = True
        words = stripped
    words = _merge_abd(words)
    expanded: list[str] = []
    for w in words:
        if organization and w in ABBREVIATIONS:
            expanded.extend(ABBREVIATIONS[w].split())
        else:
            expanded.append(w)
    abjad = script in _ABJAD
    tokens: list[Token] = []
    for w in expanded:
        if not organization and w in _TITLES and len(expanded) > 1:
            continue
        if w.isdigit():
            kind = TokenKind.NUMBER
        elif len(w) == 1:
            kind = TokenKind.INITIAL
        elif w in _PARTICLES and len(expanded) > 1:
            kind = TokenKind.PARTICLE
        elif organization and w in GENERIC_ORG_WORDS:
            kind = TokenKind.GENERIC
        elif not organization and (
            w in _PATRONYMIC_WORDS or (len(w) > 6 and _PATRONYMIC.search(w))
        ):
            kind = TokenKind.PATRONYMIC
        else:
            kind = TokenKind.NAME
        tokens.append(_token(w, kind))
    return AnalyzedName(
        original=text,
        script=script,
        tokens=tuple(tokens),
        legal_forms=tuple(legal),
        abjad=abjad,
        organization=organization,
        key=" ".join(sorted(t.fold for t in tokens)),
    )


def _signature(name: AnalyzedName) -> tuple[tuple[str, int], ...]:
    return tuple((t.fold, int(t.kind)) for t in name.tokens)


def name_variants(text: str, organization: bool | None = False) -> list[AnalyzedName]:
    """The analyses of a name: as written, and with Kazakh letters in their Russian rendering
    when it has any (Тілеуберді and Тилеуберди). ``organization=None`` (kind unknown) adds the
    organisation reading (abbreviations expanded, generic words marked) when it differs."""
    readings = [False, True] if organization is None else [organization]
    texts = [text]
    if has_kazakh_letters(text):
        texts.append(kazakh_to_russian(text))
    if len(texts) == 1 and len(readings) == 1:
        return [analyze(text, readings[0])]
    out: list[AnalyzedName] = []
    seen: set[tuple[tuple[str, int], ...]] = set()
    for t in texts:
        for org in readings:
            analysed = analyze(t, org)
            sig = _signature(analysed)
            if sig not in seen:
                seen.add(sig)
                out.append(analysed)
    return out

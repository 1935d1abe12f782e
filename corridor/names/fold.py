"""The folding key: one spelling for the many Latin spellings of a name token.

Both the query and the list side are folded, which NAMES.md measured to matter more than the
choice of romanisation. The rules collapse the usual transliteration variants:

kh/h/x(ks)  zh/j/dzh/dj  ts/tz/cz/c  shch/sch/sh  y/i/j  yu/iu/ju  ya/ia/ja  e/ye  yo/e
q/k  ck/k  ph/f  th/t  gh/g  w/v  ou/u  -eff/-ev  -off/-ov  doubled letters  silent h
and a final e (Anne/Ann).
"""

from __future__ import annotations

import re
from functools import lru_cache

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"shch", "sh"),
        (r"tsch", "ch"),
        (r"sch", "sh"),
        (r"tch", "ch"),
        (r"kh", "h"),
        (r"x", "ks"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"w", "v"),
        (r"dzh", "j"),
        (r"dj", "j"),
        (r"zh", "j"),
        (r"(ts|tz|cz)", "c"),
        (r"(?<=[bcdfgklmnprstvz])yo", "e"),
        (r"(?:^|(?<=[aeiouy]))ye", "e"),
        (r"[yj]", "i"),
        (r"ou", "u"),
        (r"ei", "ai"),
        (r"eff$", "ev"),
        (r"off$", "ov"),
        (r"(.)\1+", r"\1"),
        (r"(?<=[aeiou])h(?![aeiou])", ""),
    ]
]
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=262144)
def fold(token: str) -> str:
    """Fold one lowercase ASCII token (``tokayev`` and ``toqaev`` both give ``tokaev``)."""
    if not token.isalpha():
        return token
    out = token
    for pattern, repl in _RULES:
        out = pattern.sub(repl, out)
    if len(out) >= 3 and out.endswith("e"):
        out = out[:-1]
    return out or token


@lru_cache(maxsize=262144)
def skeleton(folded: str) -> str:
    """The consonants of a folded token, keeping its first letter (``tileuberdi`` -> ``tlbrd``).

    Used for candidate blocking and for abjad scripts (Arabic, Hebrew) whose romanisation
    has no vowels.
    """
    if len(folded) <= 1 or not folded.isalpha():
        return folded
    return folded[0] + _VOWELS.sub("", folded[1:])


_LIGHT_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"[yj]", "i"),
        (r"w", "v"),
        (r"(.)\1+", r"\1"),
    ]
]
_ABJAD_DROP = re.compile(r"[aeiouv]")


@lru_cache(maxsize=262144)
def abjad_key(text: str, final_h: bool = False) -> str:
    """A vowel-free key of a romanised token, for comparing with romanised Arabic and Hebrew,
    which write long vowels only (``mahmud``/``mhmwd`` -> ``mhmd``; ``tahir``/``thr`` ->
    ``thr``). Only light folding is applied, since consonant pairs such as t+h are separate
    letters there. ``final_h`` drops a final h (the Arabic feminine ending ة: ``hmzh``)."""
    if not text.isalpha():
        return text
    out = text
    if final_h and len(out) > 3 and out.endswith("h"):
        out = out[:-1]
    for pattern, repl in _LIGHT_RULES:
        out = pattern.sub(repl, out)
    return _ABJAD_DROP.sub("", out) or out

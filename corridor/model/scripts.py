"""Writing-system detection for names (ISO 15924 codes)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_PREFIXES = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Hang",
    "GREEK": "Grek",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "HEBREW": "Hebr",
    "THAI": "Thai",
    "DEVANAGARI": "Deva",
    "ETHIOPIC": "Ethi",
    "MYANMAR": "Mymr",
    "KHMER": "Khmr",
    "BENGALI": "Beng",
    "TAMIL": "Taml",
}


@lru_cache(maxsize=8192)
def _char_script(char: str) -> str:
    first = unicodedata.name(char, "").split(" ", 1)[0]
    return _PREFIXES.get(first, "Zyyy")


def detect_script(text: str) -> str | None:
    """Return the dominant script of ``text`` among its letters, or None if it has none."""
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else None
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        code = "Latn" if char.isascii() else _char_script(char)
        counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]

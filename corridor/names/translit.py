"""Romanisation of names from any script to lowercase ASCII.

anyascii (ISC) is the base: it is the only romaniser that handles every Kazakh, Kyrgyz, Uzbek
and Tajik letter sensibly (Қасым-Жомарт Тоқаев -> Qasym-Zhomart Toqaev). Before it, Kazakh
letters can be mapped onto their Russian-Cyrillic renderings (Тоқаев -> Токаев), which is how
Kazakh names are written in Russian-language documents; both forms are produced as variants.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Kazakh (and Kyrgyz, Uzbek, Tajik) letters -> the Russian letter used in Russian-language
# renderings of names (Instruction on Russian rendering of Kazakh anthroponyms).
_KAZAKH_TO_RUSSIAN = str.maketrans(
    {
        "ә": "а",
        "Ә": "А",
        "ғ": "г",
        "Ғ": "Г",
        "қ": "к",
        "Қ": "К",
        "ң": "н",
        "Ң": "Н",
        "ө": "о",
        "Ө": "О",
        "ұ": "у",
        "Ұ": "У",
        "ү": "у",
        "Ү": "У",
        "һ": "х",
        "Һ": "Х",
        "і": "и",
        "І": "И",
        "ў": "у",
        "Ў": "У",
        "ҳ": "х",
        "Ҳ": "Х",
        "ҷ": "дж",
        "Ҷ": "Дж",
        "ӣ": "и",
        "Ӣ": "И",
        "ӯ": "у",
        "Ӯ": "У",
    }
)
_TURKIC = str.maketrans({"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch"})
_CJK = re.compile("[\u4e00-\u9fff]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІўҳҷӣӯЎҲҶӢӮ")


def has_kazakh_letters(text: str) -> bool:
    return not text.isascii() and not _KAZAKH_LETTERS.isdisjoint(text)


def kazakh_to_russian(text: str) -> str:
    """Map Kazakh/Central Asian Cyrillic letters onto Russian ones (Тілеуберді -> Тилеуберди)."""
    return text.translate(_KAZAKH_TO_RUSSIAN)


@lru_cache(maxsize=65536)
def romanise(text: str) -> str:
    """Lowercase ASCII rendering of ``text`` with word boundaries kept.

    Chinese syllables, which anyascii writes in CamelCase (XiJinPing), are split into words.
    Apostrophes and soft/hard-sign marks are dropped.
    """
    text = unicodedata.normalize("NFKC", text)
    # Belarusian Latin ŭ stands where Russian spelling has в (Ivanoŭ / Иванов)
    text = text.replace("ŭ", "v").replace("Ŭ", "V")
    # Turkish, Azerbaijani and Kazakh (2021) Latin: ş and ç are sh and ch
    text = text.translate(_TURKIC)
    out = anyascii(text)
    if not text.isascii() and _CJK.search(text):
        out = _CAMEL.sub(" ", out)
    out = out.replace("'", "").replace("`", "").replace('"', " ")
    return out.lower()

"""Matched names with their aligned words marked, so an analyst sees at a glance which word
met which, and how closely."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from markupsafe import Markup

from corridor.names.fold import fold
from corridor.names.translit import romanise

_SEPARATORS = re.compile(r"([\s,.;:/()\"'«»\-]+)")


def _keys(word: str) -> set[str]:
    roman = romanise(word).lower()
    return {fold(w) for w in re.split(r"[^0-9a-z]+", roman) if w}


def mark_name(name: str, alignment: list[dict[str, Any]], side: str) -> Markup:
    """``name`` with each word that the alignment pairs wrapped in ``<mark>``: the pair's
    number (so both sides show the same number) and its similarity."""
    wanted: dict[str, tuple[int, float]] = {}
    for i, pair in enumerate(alignment, start=1):
        for key in _keys(str(pair[side])):
            wanted.setdefault(key, (i, float(pair.get("similarity", 1.0))))
    out = []
    for part in _SEPARATORS.split(name):
        if not part:
            continue
        hit = next((wanted[k] for k in _keys(part) if k in wanted), None)
        if hit is None or _SEPARATORS.fullmatch(part):
            out.append(escape(part))
            continue
        number, similarity = hit
        exact = "exact" if similarity >= 1 else "near"
        out.append(
            f'<mark class="pair {exact}" data-pair="{number}" '
            f'title="word {number}: similarity {similarity:.2f}">{escape(part)}'
            f"<sup>{number}</sup></mark>"
        )
    return Markup("".join(out))

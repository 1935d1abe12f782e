"""Goods codes: HS chapters, headings and subheadings, and the national 8- and 10-digit codes
built on them (EU CN and TARIC, EAEU TN VED, US HTS and Schedule B, UK tariff)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corridor.exceptions import InvalidGoodsCode
from corridor.goods.nomenclature import Nomenclature, hs2022

HS_VERSIONS = ("2022", "2017", "2012")
_SEPARATORS = re.compile(r"[\s.\-_/]+")
_SYSTEMS = {
    2: "HS chapter",
    4: "HS heading",
    6: "HS subheading",
    8: "national 8-digit code (EU CN)",
    10: "national 10-digit code (EAEU TN VED, EU TARIC, US HTS/Schedule B, UK tariff)",
}


@dataclass(frozen=True)
class GoodsCode:
    """A normalised goods code. ``code`` keeps every digit given (so lists drafted at 8 or 10
    digits stay exact); ``hs6`` is its HS subheading in HS 2022 terms, or None for a bare
    chapter or heading."""

    text: str
    code: str
    hs_version: str
    hs6: str | None
    heading: str | None
    chapter: str
    hs2022: tuple[str, ...]  # the HS 2022 subheadings it maps to (several when split)
    note: str | None = None

    @property
    def system(self) -> str:
        return _SYSTEMS[len(self.code)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "system": self.system,
            "hs_version": self.hs_version,
            "chapter": self.chapter,
            "heading": self.heading,
            "hs6": self.hs6,
            "hs2022": list(self.hs2022),
            "note": self.note,
        }


def format_hs(code: str) -> str:
    """``854231`` as ``8542.31``; national codes keep their extra digits: ``8542.31.00.00``."""
    if len(code) <= 4:
        return code
    rest = code[6:]
    pairs = " ".join(rest[i : i + 2] for i in range(0, len(rest), 2))
    return f"{code[:4]}.{code[4:6]}" + (f" {pairs}" if pairs else "")


def parse_code(
    text: str, hs_version: str = "2022", nomenclature: Nomenclature | None = None
) -> GoodsCode:
    """Normalise ``text`` ("8542.31", "854231", "8542 31 00 00"...) and check it against the
    nomenclature. Raises :class:`InvalidGoodsCode` saying what is wrong."""
    nom = nomenclature or hs2022()
    if hs_version not in HS_VERSIONS:
        raise InvalidGoodsCode(f"HS version {hs_version!r}: expected 2022, 2017 or 2012")
    digits = _SEPARATORS.sub("", str(text).strip())
    if not digits:
        raise InvalidGoodsCode("empty goods code: expected an HS or national code like 8542.31")
    if not digits.isdigit():
        raise InvalidGoodsCode(
            f"goods code {text!r}: expected digits (with optional dots or spaces), like 8542.31"
        )
    if len(digits) not in _SYSTEMS:
        raise InvalidGoodsCode(
            f"goods code {text!r} has {len(digits)} digits: expected 2 (chapter), 4 (heading), "
            "6 (HS subheading), 8 (EU CN) or 10 (TN VED, TARIC, HTS)"
        )
    chapter = digits[:2]
    if chapter not in nom.entries:
        raise InvalidGoodsCode(f"goods code {text!r}: {chapter} is not an HS chapter")
    heading = digits[:4] if len(digits) >= 4 else None
    older_code = len(digits) >= 6 and nom.older_version_of(digits[:6]) is not None
    if (
        heading is not None
        and heading not in nom.entries
        and hs_version == "2022"
        and not older_code
    ):
        raise InvalidGoodsCode(f"goods code {text!r}: {heading} is not an HS 2022 heading")
    hs6 = digits[:6] if len(digits) >= 6 else None
    note = None
    mapped: tuple[str, ...] = ()
    version = hs_version
    if hs6 is not None:
        detected = False
        if version == "2022" and hs6 not in nom.entries:
            # documents still carry older codes: 8548.90 is the HS 2017 form of 8548.00
            older = nom.older_version_of(hs6)
            if older is not None:
                version, detected = older, True
        older_map = nom.older_to_2022(hs6, version) if version != "2022" else []
        if older_map:
            mapped = tuple(older_map)
            unchanged = version == "2017" and hs6 in nom.unchanged and mapped == (hs6,)
            if version == "2012" and mapped == (hs6,):
                unchanged = all(m in nom.unchanged for m in nom.from_2012.get(hs6, []))
            if detected or not unchanged:
                note = (
                    f"{format_hs(hs6)} is an HS {version} code"
                    + (" (the document gives no HS version)" if detected else "")
                    + "; HS 2022 "
                    + ", ".join(format_hs(c) for c in mapped)
                )
                mid = nom.from_2012.get(hs6, [hs6]) if version == "2012" else [hs6]
                why = [nom.notes[m] for m in mid if nom.notes.get(m)]
                if why:
                    note += f" ({why[0]})"
            hs6_2022 = mapped[0] if len(mapped) == 1 else None
        elif hs6 in nom.entries:
            mapped = (hs6,)
            hs6_2022 = hs6
        else:
            known = [format_hs(c) for c in nom.children(digits[:4])]
            hint = f" (heading {digits[:4]} has {', '.join(known)})" if known else ""
            raise InvalidGoodsCode(
                f"goods code {text!r}: {format_hs(hs6)} is not an HS {hs_version} subheading{hint}"
            )
        hs6 = hs6_2022 if hs6_2022 is not None else hs6
    return GoodsCode(str(text), digits, version, hs6, heading, chapter, mapped, note)

"""Goods codes that a spreadsheet typed as numbers: 8471.50 stored as 8471.5, 0402.10 as
402.1, 040210 as 40210, 0402109100 as 402109100.

HS, CN and TN VED codes have an even number of digits (2, 4, 6, 8, 10) and a heading of
four. A code with an odd count (or an odd number of digits after its dot, or three before
it) has lost a zero: a leading one (chapters 01 to 09) or a trailing one; a number cell
holding four digits may have lost its subheading (5201.00 stored as 5201). Each way of putting
the zero back is checked against the HS table; one valid reading restores the code, with a
note; two (or none) leave the code as it was, with a note saying why, so the line is flagged
rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corridor.exceptions import InvalidGoodsCode
from corridor.goods.codes import format_hs, parse_code
from corridor.goods.nomenclature import hs2022

_DOTTED = re.compile(r"^(\d{1,4})\.(\d{1,9})$")
_PLAIN = re.compile(r"^\d{3,9}$")


@dataclass(frozen=True)
class Restored:
    code: str | None  # the restored code (digits), None when it cannot be told
    note: str


def _valid(digits: str) -> bool:
    if len(digits) not in (2, 4, 6, 8, 10):
        return False
    try:
        parse_code(digits)
    except InvalidGoodsCode:
        return False
    return True


def _readings(text: str) -> list[str]:
    if len(text) == 4 and text.isdigit():
        # a number cell holding 5201 was 5201.00 when the heading has that one subheading
        return hs2022().children(text)
    dotted = _DOTTED.match(text)
    if dotted:
        head, tail = dotted.groups()
        if len(head) == 3:
            head = "0" + head
        if len(head) != 4:
            return []
        if len(tail) % 2:
            tail += "0"
        return [head + tail]
    if _PLAIN.match(text) and len(text) % 2:
        return ["0" + text, text + "0"]
    return []


def lost_zeros(text: str | None) -> bool:
    """Whether a code looks like a number that lost a zero (odd digit count, or a three-digit
    heading before its dot)."""
    if not text:
        return False
    value = text.strip()
    dotted = _DOTTED.match(value)
    if dotted:
        head, tail = dotted.groups()
        return len(head) == 3 or len(tail) % 2 == 1
    return bool(_PLAIN.match(value)) and len(value) % 2 == 1


def restore(text: str) -> Restored:
    """Restore a code typed as a number; ``code`` is None when the HS table cannot tell."""
    value = text.strip()
    readings = list(dict.fromkeys(_readings(value)))
    valid = [r for r in readings if _valid(r)]
    if len(valid) == 1:
        return Restored(
            valid[0], f"hs_code {value} was typed as a number: read as {format_hs(valid[0])}"
        )
    if len(valid) > 1:
        return Restored(
            None,
            f"hs_code {value} was typed as a number and lost digits: it may be "
            + " or ".join(format_hs(r) for r in valid)
            + "; give the code as text",
        )
    return Restored(
        None,
        f"hs_code {value} looks like a number that lost a zero, and no reading of it is an "
        "HS code; give the code as text",
    )

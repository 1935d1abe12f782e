"""Bounds on what one input file may cost: bytes after decompression, the compression ratio,
the length of a line, a field and a record, and the nesting of JSON.

Every reader of files from outside (lists, ledgers, parties, counterparties, ownership
registers, uploads) goes through :mod:`corridor.lists.files`, which enforces these. The
adapters set them once at start-up from :class:`corridor.settings.Settings`
(``set_limits``); the defaults below hold otherwise.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    """What one input file may cost before it is refused."""

    max_bytes: int = 2048 * MIB  # bytes after decompression
    max_ratio: float = 100.0  # decompressed / compressed bytes read (real lists: 3 to 25)...
    ratio_floor: int = 8 * MIB  # ...checked once this much has come out
    max_line: int = 4 * MIB  # bytes in one physical line
    max_field: int = 2 * MIB  # characters in one CSV field
    max_record: int = 16 * MIB  # bytes of one CSV record (its lines together)
    max_json_depth: int = 64  # nesting of objects and arrays in one JSON value
    max_number_digits: int = 64  # digits in one JSON number


_CURRENT = InputLimits()


def limits() -> InputLimits:
    """The limits in force."""
    return _CURRENT


def set_limits(new: InputLimits) -> None:
    """Put ``new`` in force for every reader of this process."""
    global _CURRENT
    _CURRENT = new
    csv.field_size_limit(new.max_field)


csv.field_size_limit(_CURRENT.max_field)

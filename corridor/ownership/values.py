"""Parsing the values of ownership files: shares (and ISO dates, from the model)."""

from __future__ import annotations

import re

from corridor.model.dates import parse_iso_date

SHARE_GT = 1e-6  # "more than 50 %" is held as [50.000001, 100]

_NUM = r"(\d+(?:[.,]\d+)?)\s*%?"
_EXACT = re.compile(rf"^{_NUM}$")
_RANGE = re.compile(rf"^{_NUM}\s*(?:-|–|—|to|\.\.)\s*{_NUM}$", re.I)
_MORE = re.compile(rf"^(?:>|more than|over|above)\s*{_NUM}$", re.I)
_AT_LEAST = re.compile(rf"^(?:>=|≥|at least)\s*{_NUM}$", re.I)
_LESS = re.compile(rf"^(?:<|less than|under|below)\s*{_NUM}$", re.I)
_AT_MOST = re.compile(rf"^(?:<=|≤|at most|up to)\s*{_NUM}$", re.I)

SHARE_EXPECTED = "a percentage from 0 to 100, a range like 25-50, or a bound like >50 or <=25"


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def parse_share(text: str) -> tuple[float, float]:
    """A share in percent as an interval ``(low, high)``; ValueError if it is not one."""
    try:
        low = high = float(text)  # the common case, fast
    except ValueError:
        pass
    else:
        if not 0.0 <= low <= 100.0:
            raise ValueError(f"expected shares within 0-100, found {text!r}")
        return low, high
    value = text.strip()
    if m := _EXACT.match(value):
        low = high = _num(m.group(1))
    elif m := _RANGE.match(value):
        low, high = _num(m.group(1)), _num(m.group(2))
    elif m := _MORE.match(value):
        low, high = _num(m.group(1)) + SHARE_GT, 100.0
    elif m := _AT_LEAST.match(value):
        low, high = _num(m.group(1)), 100.0
    elif m := _LESS.match(value):
        low, high = 0.0, _num(m.group(1)) - SHARE_GT
    elif m := _AT_MOST.match(value):
        low, high = 0.0, _num(m.group(1))
    else:
        raise ValueError(f"expected {SHARE_EXPECTED}, found {text!r}")
    if not (0.0 <= low <= high <= 100.0):
        raise ValueError(f"expected shares within 0-100 with min <= max, found {text!r}")
    return low, high


__all__ = ["SHARE_EXPECTED", "SHARE_GT", "parse_iso_date", "parse_share"]

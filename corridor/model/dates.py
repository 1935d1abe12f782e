"""Dates as sanctions lists write them, reduced to ISO 8601 prefixes.

``"12 Mar 1962"`` -> ``"1962-03-12"``; ``"Mar 1962"`` -> ``"1962-03"``; ``"circa 1962"`` ->
``"1962"``; ``"1960 to 1962"`` -> each year. Anything unreadable returns nothing rather than a
guess, and the caller keeps the raw text in the remarks.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_MAX_RANGE_YEARS = 15


def _valid(y: int, m: int = 1, d: int = 1) -> bool:
    return 1800 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if not _valid(y, m or 1, d or 1):
        return None
    if d is not None:
        try:
            date(y, m or 1, d)  # 31 Feb is no date
        except ValueError:
            return None
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(text: str | None, dayfirst: bool = True) -> str | None:
    """Parse one date into an ISO prefix, or None."""
    if not text:
        return None
    s = text.strip().lower().replace(",", " ")
    s = re.sub(r"^(circa|approximately|approx\.?|about|ca\.?|c\.)\s*", "", s).strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:t.*)?", s)
    if m:
        return _fmt(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
    if m:
        return _fmt(int(m[1]), int(m[2]))
    m = re.fullmatch(r"(\d{4})", s)
    if m:
        return _fmt(int(m[1]))
    m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", s)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        day, month = (a, b) if dayfirst else (b, a)
        return _fmt(y, month, day)
    m = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", s)
    if m and m[2] in _MONTHS:
        return _fmt(int(m[3]), _MONTHS[m[2]], int(m[1]))
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})\s+(\d{4})", s)
    if m and m[1] in _MONTHS:
        return _fmt(int(m[3]), _MONTHS[m[1]], int(m[2]))
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", s)
    if m and m[1] in _MONTHS:
        return _fmt(int(m[2]), _MONTHS[m[1]])
    return None


def parse_dates(text: str | None, dayfirst: bool = True) -> list[str]:
    """Parse a date field that may hold a range or several dates ("1960 to 1962")."""
    if not text:
        return []
    s = text.strip()
    m = re.fullmatch(
        r"(?:circa\s+|approximately\s+)?(\d{4})\s*(?:to|-|–|/)\s*(?:circa\s+)?(\d{4})", s, re.I
    )
    if m:
        start, end = int(m[1]), int(m[2])
        if start <= end and end - start <= _MAX_RANGE_YEARS:
            return [y for y in (_fmt(v) for v in range(start, end + 1)) if y]
        return [y for y in (_fmt(start), _fmt(end)) if y]
    m = re.fullmatch(r"(?:between\s+)?(.+?)\s+(?:to|and)\s+(.+)", s, re.I)
    if m:
        dates = [parse_date(m[1], dayfirst), parse_date(m[2], dayfirst)]
        found = [d for d in dates if d]
        if found:
            return found
    single = parse_date(s, dayfirst)
    return [single] if single else []


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_iso_date(text: str | None) -> str | None:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or None when empty."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    m = _ISO.match(value)
    if m is None:
        raise ValueError(f"expected an ISO date (YYYY-MM-DD), found {text!r}")
    try:
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError as exc:
        raise ValueError(f"expected an ISO date (YYYY-MM-DD), found {text!r}: {exc}") from exc
    return value


def within(day: str | None, start: str | None, end: str | None) -> bool:
    """``day`` falls in ``[start, end)``: on or after ``start`` and before ``end`` (the first
    day something no longer holds); open ends and an unknown day always do. ISO prefixes
    compare as strings ("2024" covers the whole year)."""
    if day is None:
        return True
    if start is not None and day < start:
        return False
    return end is None or day < end

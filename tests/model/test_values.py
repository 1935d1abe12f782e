"""Countries and dates as lists write them."""

from __future__ import annotations

import pytest

from corridor.model.countries import to_iso2
from corridor.model.dates import parse_dates


@pytest.mark.parametrize(
    "text,code",
    [
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("RUS", "RU"),
        ("Korea, North", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("CONGO, Democratic Republic of (was Zaire)", "CD"),
        ("Palestinian", "PS"),
        ("DEU", "DE"),
        ("Kazakhstan", "KZ"),
        ("Burma", "MM"),
        ("Türkiye", "TR"),
        ("Iranian", "IR"),
        ("undetermined", None),
        ("", None),
        ("Atlantis", None),
    ],
)
def test_countries(text: str, code: str | None) -> None:
    assert to_iso2(text) == code


@pytest.mark.parametrize(
    "text,dates",
    [
        ("12 Mar 1962", ["1962-03-12"]),
        ("Mar 1962", ["1962-03"]),
        ("circa 1962", ["1962"]),
        ("1960 to 1962", ["1960", "1961", "1962"]),
        ("1962-03-25", ["1962-03-25"]),
        ("25.03.1962", ["1962-03-25"]),
        ("not a date", []),
        ("31 Feb 1962", []),
        ("29 Feb 1964", ["1964-02-29"]),
        ("1800 to 2100", ["1800", "2100"]),
    ],
)
def test_dates(text: str, dates: list[str]) -> None:
    assert parse_dates(text) == dates

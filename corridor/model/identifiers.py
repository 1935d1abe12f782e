"""Identifier labels as lists write them, mapped to :class:`IdType`.

Generic tax and registration numbers become the national type when the country and the
digit count say so: a Russian 10/12-digit tax id is an INN, a Russian 13/15-digit
registration number an OGRN, a Kazakh 12-digit number a BIN (organisations) or IIN (persons).
"""

from __future__ import annotations

import re

from corridor.model.entity import Identifier, IdType

_LABELS: list[tuple[str, IdType]] = [
    ("passport", IdType.PASSPORT),
    ("national id", IdType.NATIONAL_ID),
    ("national identification", IdType.NATIONAL_ID),
    ("identification number", IdType.NATIONAL_ID),
    ("personal id", IdType.NATIONAL_ID),
    ("cedula", IdType.NATIONAL_ID),
    ("id card", IdType.NATIONAL_ID),
    ("ni number", IdType.NATIONAL_ID),
    ("inn", IdType.INN),
    ("ogrn", IdType.OGRN),
    ("bin", IdType.BIN),
    ("iin", IdType.IIN),
    ("tax id", IdType.TAX_ID),
    ("tax identification", IdType.TAX_ID),
    ("taxpayer", IdType.TAX_ID),
    ("ruc", IdType.TAX_ID),
    ("nit", IdType.TAX_ID),
    ("rfc", IdType.TAX_ID),
    ("v.a.t.", IdType.VAT),
    ("vat", IdType.VAT),
    ("legal entity number", IdType.LEI),
    ("lei", IdType.LEI),
    ("swift", IdType.BIC),
    ("bic", IdType.BIC),
    ("bik", IdType.OTHER),
    ("vessel registration identification", IdType.IMO),
    ("imo", IdType.IMO),
    ("mmsi", IdType.MMSI),
    ("d-u-n-s", IdType.DUNS),
    ("duns", IdType.DUNS),
    ("aircraft manufacturer", IdType.AIRCRAFT_SERIAL),
    ("aircraft construction", IdType.AIRCRAFT_SERIAL),
    ("registration", IdType.REGISTRATION),
    ("company number", IdType.REGISTRATION),
    ("commercial registry", IdType.REGISTRATION),
    ("business number", IdType.REGISTRATION),
    ("certificate of incorporation", IdType.REGISTRATION),
    ("government gazette", IdType.REGISTRATION),
    ("public security and traffic bureau", IdType.REGISTRATION),
    ("chinese commercial code", IdType.OTHER),
]


def id_type_for_label(label: str) -> IdType:
    low = label.lower().strip()
    for key, kind in _LABELS:
        if key not in low:
            continue
        # short keys only match as whole words
        short = key in ("bin", "iin", "inn", "nit", "ruc", "rfc", "lei", "bic", "vat")
        if short and not re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", low):
            continue
        return kind
    return IdType.OTHER


def make_identifier(
    label: str,
    value: str,
    country: str | None = None,
    note: str | None = None,
    person: bool = False,
) -> Identifier | None:
    """Build an identifier from a source label, refining the type from country and digits."""
    value = value.strip().strip(".;,").strip()
    if not value:
        return None
    kind = id_type_for_label(label)
    digits = re.sub(r"\D", "", value)
    plain = digits == re.sub(r"[\s-]", "", value)
    if kind is IdType.IMO:
        value = re.sub(r"^imo\s*", "", value, flags=re.I)
    if plain and country == "RU":
        if kind is IdType.TAX_ID and len(digits) in (10, 12):
            kind = IdType.INN
        elif kind is IdType.REGISTRATION and len(digits) in (13, 15):
            kind = IdType.OGRN
    if (
        plain
        and country == "KZ"
        and len(digits) == 12
        and kind
        in (
            IdType.TAX_ID,
            IdType.REGISTRATION,
            IdType.NATIONAL_ID,
        )
    ):
        kind = IdType.IIN if person else IdType.BIN
    return Identifier(type=kind, value=value, country=country, label=label.strip(), note=note)

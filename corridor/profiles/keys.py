"""What a list record says about who it is: the keys that link it to other records.

Strong keys are identifiers that name one party only (IMO and MMSI numbers, BIC, LEI, Russian
INN and OGRN, Kazakh BIN and IIN, DUNS, aircraft serial numbers, passport and national
identity numbers with their country, UN reference numbers, and the OFAC record number that
the US Consolidated Screening List repeats for its copies of OFAC records). Two records that
share one are the same party unless something else says otherwise.
"""

from __future__ import annotations

import re

from corridor.matching.features import normalise_identifier
from corridor.model.entity import Entity, EntityKind, IdType

# identifier types that name one party whatever the country that issued them
GLOBAL_IDS = frozenset(
    {
        IdType.IMO,
        IdType.MMSI,
        IdType.BIC,
        IdType.LEI,
        IdType.INN,
        IdType.OGRN,
        IdType.BIN,
        IdType.IIN,
        IdType.DUNS,
        IdType.AIRCRAFT_SERIAL,
    }
)
# ... and those that do so only together with their issuing country
COUNTRY_IDS = frozenset({IdType.PASSPORT, IdType.NATIONAL_ID})
MIN_ID_CHARS = {IdType.BIC: 8, IdType.INN: 10, IdType.OGRN: 13, IdType.BIN: 12, IdType.IIN: 12}
DEFAULT_MIN_CHARS = 6

# UN reference numbers: the current form (QDi.086, KPe.012) and the permanent reference
# numbers the UK and EU printed before 2016 (QI.A.86.03 for QDi.086, TE.H.12.01 for TAe.012)
_UN_REF = re.compile(r"\b([A-Z]{2})([ie])\.\s?(\d{1,3})\b")
_UN_OLD = re.compile(r"\b(Q|T)([IE])\.[A-Z]\.(\d{1,3})\.\d{2}\b")
_OLD_REGIME = {"Q": "QD", "T": "TA"}
SDN_SUBLIST = "Specially Designated Nationals"


def un_reference(text: str) -> str | None:
    """The UN reference number written in ``text`` (either form), as ``QDi.086``."""
    m = _UN_REF.search(text)
    if m is not None:
        return f"{m.group(1)}{m.group(2)}.{int(m.group(3)):03d}"
    m = _UN_OLD.search(text)
    if m is not None:
        return f"{_OLD_REGIME[m.group(1)]}{m.group(2).lower()}.{int(m.group(3)):03d}"
    return None


def un_references(ent: Entity) -> set[str]:
    """The UN reference numbers of a record: the UN list's own, the EU's ``unitedNationId``,
    and those the UK and others write in their remarks (``UN Ref QI.A.86.03``)."""
    out: set[str] = set()
    for value in ent.attributes.get("un_reference", []):
        ref = un_reference(value)
        if ref:
            out.add(ref)
    for remark in ent.remarks:
        if "UN Ref" in remark or "UN ref" in remark:
            ref = un_reference(remark.split("UN Ref", 1)[-1].split("UN ref", 1)[-1])
            if ref:
                out.add(ref)
    return out


def ofac_record(ent: Entity) -> str | None:
    """The OFAC record a list entry is, or copies: ``ofac-N`` for OFAC's own lists, and for the
    Consolidated Screening List's copies of OFAC records, the record number it repeats."""
    if ent.source.startswith("us_ofac") and ent.id.startswith("ofac-"):
        return ent.id
    if ent.source == "us_csl":
        numbers = ent.attributes.get("entity_number", [])
        treasury = any("Treasury Department" in name for name in ent.lists)
        if numbers and treasury and numbers[0].strip().isdigit():
            return f"ofac-{int(numbers[0])}"
    return None


def repeats_parties(ent: Entity) -> bool:
    """Whether the record comes from a list that names one party in several records: the
    Consolidated Screening List's copies of the BIS and State Department lists give a party
    one row per address or order (OFAC's lists give each party one record)."""
    return ent.source == "us_csl" and not any("Treasury Department" in x for x in ent.lists)


def notice_key(ent: Entity) -> str | None:
    """For such a row, the party's name with the first Federal Register notice that listed
    it: the rows of one party at several addresses share both."""
    notices = ent.attributes.get("federal_register_notice", [])
    if not repeats_parties(ent) or not notices:
        return None
    first = re.split(r",\s*", notices[0].strip())[0]
    cite = re.sub(r"[^0-9a-z]", "", first.lower().replace("f.r.", "fr"))
    name = re.sub(r"[^0-9a-z]", "", ent.caption.lower())
    return f"notice:{cite}:{name}" if cite and name else None


def identifier_keys(ent: Entity) -> set[str]:
    """Strong identifier keys (``imo:9187629``, ``passport:RU:4509123456``)."""
    out: set[str] = set()
    for ident in ent.identifiers:
        value = normalise_identifier(ident.value)
        if len(value) < MIN_ID_CHARS.get(ident.type, DEFAULT_MIN_CHARS) or not any(
            c.isdigit() for c in value
        ):
            continue
        if ident.type in GLOBAL_IDS:
            out.add(f"{ident.type.value}:{value}")
        elif ident.type in COUNTRY_IDS and ident.country:
            out.add(f"{ident.type.value}:{ident.country}:{value}")
    return out


def strong_keys(ent: Entity, withhold: frozenset[str] = frozenset()) -> set[str]:
    """Every strong key of a record. ``withhold`` names kinds of key to leave out (``un``,
    ``ofac``, ``imo``): the benchmark hides the keys its ground truth is made of."""
    keys = {k for k in identifier_keys(ent) if k.split(":", 1)[0] not in withhold}
    if "un" not in withhold:
        keys |= {f"un:{ref}" for ref in un_references(ent)}
    if ent.kind is EntityKind.VESSEL:  # a call sign names one ship at a time
        for sign in ent.attributes.get("call_sign", []):
            value = normalise_identifier(sign)
            if len(value) >= 4:
                keys.add(f"call_sign:{value}")
    notice = notice_key(ent)
    if notice:
        keys.add(notice)
    if "ofac" not in withhold:
        record = ofac_record(ent)
        if record:
            keys.add(f"ofac:{record}")
    return keys


def key_words(key: str) -> str:
    """A strong key in words, for the evidence of a link."""
    kind, _, value = key.partition(":")
    if kind == "notice":
        return "name and Federal Register notice " + value.split(":", 1)[0]
    label = {
        "un": "UN reference number",
        "ofac": "OFAC record",
        "imo": "IMO number",
        "mmsi": "MMSI",
        "bic": "BIC",
        "lei": "LEI",
        "inn": "INN",
        "ogrn": "OGRN",
        "bin": "BIN",
        "iin": "IIN",
        "duns": "DUNS number",
        "aircraft_serial": "aircraft serial number",
        "passport": "passport",
        "call_sign": "call sign",
        "notice": "name and Federal Register notice",
        "national_id": "national identity number",
    }.get(kind, kind)
    if kind in ("passport", "national_id"):
        country, _, number = value.partition(":")
        return f"{label} {number} ({country})"
    return f"{label} {value}"

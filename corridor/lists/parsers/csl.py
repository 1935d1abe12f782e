"""US Consolidated Screening List CSV (trade.gov): SDN, Entity List, DPL, UVL, MEU, ISN, DTC...

One row per listed party; multi-valued columns are separated by ``; ``. The ``ids`` column
holds ``country, [issued, expires,] number, type`` groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.remarks import apply_remarks
from corridor.lists.text import csv_dicts, open_text
from corridor.model.countries import is_country_code, to_iso2
from corridor.model.dates import parse_dates
from corridor.model.entity import Address, Entity, EntityKind, Name, NameType
from corridor.model.identifiers import make_identifier
from corridor.model.scripts import detect_script

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
_REQUIRED = ("_id", "source", "name", "type", "alt_names", "ids")
_ATTR_IDS = {
    "gender": "gender",
    "website": "website",
    "email address": "email",
    "additional sanctions information -": "sanctions_info",
    "secondary sanctions risk:": "sanctions_info",
    "linked to:": "linked_to",
}


def _multi(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def sniff(head: bytes, name: str) -> bool:
    first = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf")
    return first.startswith(b"_id,source,entity_number,type,programs,name")


def parse(ctx: ParseContext) -> Iterator[Entity]:
    with open_text(ctx.path, ctx.encoding, final_newline=True) as fh:
        fields, rows = csv_dicts(fh)
        missing = [c for c in _REQUIRED if c not in fields]
        if missing:
            raise ParseError(f"header lacks column(s) {', '.join(missing)}", ctx.name, line=1)
        count = 0
        for line, row in rows:
            count += 1
            yield _row(ctx, {k: (v or "").strip() for k, v in row.items()}, line)
    if count == 0:
        raise ParseError("no rows found", ctx.name)


def _row(ctx: ParseContext, row: dict[str, str], line: int) -> Entity:
    rid = row["_id"]
    if not rid:
        raise ParseError("row has no _id", ctx.name, line=line)
    if not row["name"]:
        raise ParseError("row has no name", ctx.name, line=line, record=rid)
    kind = _KINDS.get(row["type"].lower(), EntityKind.UNKNOWN)
    person = kind is EntityKind.PERSON
    # one party can be on several of the CSL's lists (e.g. SDN and CAPTA), each a row with the
    # same _id: the list's abbreviation keeps the ids unique and stable
    m = re.search(r"\(([A-Z][A-Za-z-]*)(?: List)?\)", row["source"])
    code = m.group(1).lower() if m else "csl"
    ent = Entity(id=f"csl-{code}-{rid}", source=ctx.source, kind=kind)
    ent.add_name(Name(row["name"], NameType.PRIMARY, script=detect_script(row["name"])))
    for alt in _multi(row["alt_names"]):
        ent.add_name(Name(alt, NameType.AKA, script=detect_script(alt)))
    ent.add("lists", row["source"])
    for prog in _multi(row.get("programs", "")):
        ent.add("programs", prog)
    ent.add("positions", row.get("title", ""))
    ent.add_attribute("entity_number", row.get("entity_number", ""))
    for key in (
        "federal_register_notice",
        "end_date",
        "standard_order",
        "license_requirement",
        "license_policy",
        "call_sign",
        "vessel_type",
        "gross_tonnage",
        "gross_registered_tonnage",
        "vessel_owner",
        "source_list_url",
        "source_information_url",
    ):
        ent.add_attribute(key, row.get(key, ""))
    flag = row.get("vessel_flag", "")
    ent.add_attribute("vessel_flag", to_iso2(flag) or flag)
    start = parse_dates(row.get("start_date", ""))
    ent.listed_on = start[0] if start else None
    for addr in _multi(row.get("addresses", "")):
        tail = addr.rsplit(",", 1)[-1].strip()
        country = tail.upper() if is_country_code(tail) else to_iso2(tail)
        ent.add_address(Address(full=addr, country=country))
        if country:
            ent.add("countries", country)
    for key, attr in (("citizenships", "citizenships"), ("nationalities", "nationalities")):
        for value in _multi(row.get(key, "")):
            code = value.upper() if is_country_code(value) else to_iso2(value)
            if code:
                ent.add(attr, code)
    for value in _multi(row.get("dates_of_birth", "")):
        for d in parse_dates(value):
            ent.add("birth_dates", d)
    for value in _multi(row.get("places_of_birth", "")):
        ent.add("birth_places", value)
    for group in _multi(row.get("ids", "")):
        _id_group(ent, group, person)
    apply_remarks(ent, row.get("remarks", ""))
    return ent


def _id_group(ent: Entity, group: str, person: bool) -> None:
    parts = [p.strip() for p in group.split(",")]
    if len(parts) < 2:
        ent.add_attribute("id_note", group)
        return
    label = parts[-1]
    value = parts[-2]
    low = label.lower()
    if low in _ATTR_IDS:
        if _ATTR_IDS[low] == "gender":
            ent.gender = value.lower() or ent.gender
        else:
            ent.add_attribute(_ATTR_IDS[low], ", ".join(parts[:-1]))
        return
    country = None
    if len(parts) >= 3 and is_country_code(parts[0]):
        country = parts[0].upper()
    notes = ", ".join(parts[1:-2]) if len(parts) > 3 else None
    made = make_identifier(label, value, country, notes, person=person)
    if made is not None:
        ent.add_identifier(made)


FORMAT = register(
    ListFormat(
        name="us_csl_csv",
        title="US Consolidated Screening List CSV (trade.gov)",
        default_source="us_csl",
        sniff=sniff,
        parse=parse,
        extensions=(".csv", ".gz"),
    )
)

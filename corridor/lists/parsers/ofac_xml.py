"""OFAC classic XML: ``SDN.XML`` and ``consolidated.xml`` (schema ``sdnList.xsd``)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.remarks import apply_remarks
from corridor.lists.xmlread import child_text, children, first, iter_xml, line_of, local, release
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date, parse_dates
from corridor.model.entity import (
    Address,
    Entity,
    EntityKind,
    Name,
    NamePart,
    NamePartKind,
    NameStrength,
    NameType,
)
from corridor.model.identifiers import make_identifier

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
_ALT = {"a.k.a.": NameType.AKA, "f.k.a.": NameType.FKA, "n.k.a.": NameType.NKA}
_ATTR_ID_TYPES = {
    "website": "website",
    "email address": "email",
    "phone number": "phone",
    "linked to:": "linked_to",
    "additional sanctions information -": "sanctions_info",
    "secondary sanctions risk:": "sanctions_info",
    "for more information, please see:": "url",
    "organization established date": "incorporation_date",
    "organization type:": "organization_type",
    "vessel year of build": "vessel_build_year",
    "other vessel flag": "vessel_flag",
    "other vessel call sign": "call_sign",
    "other vessel type": "vessel_type",
    "target type": "target_type",
    "aircraft model": "aircraft_model",
    "aircraft operator": "aircraft_operator",
    "aircraft tail number": "aircraft_tail_number",
}


def sniff(head: bytes, name: str) -> bool:
    return b"<sdnList" in head and b"sdnList.xsd" in head


def _name(first_name: str | None, last_name: str | None) -> tuple[str, list[NamePart]]:
    parts: list[NamePart] = []
    if last_name:
        parts.append(NamePart(NamePartKind.FAMILY, last_name))
    if first_name:
        parts.append(NamePart(NamePartKind.GIVEN, first_name))
    if first_name and last_name:
        return f"{last_name}, {first_name}", parts
    return (last_name or first_name or ""), parts


def _entry(ctx: ParseContext, elem: etree._Element) -> Entity:
    uid = child_text(elem, "uid")
    line = line_of(elem)
    if not uid:
        raise ParseError("sdnEntry has no uid", ctx.name, line=line)
    sdn_type = (child_text(elem, "sdnType") or "").lower()
    if sdn_type not in _KINDS:
        raise ParseError(f"unknown sdnType {sdn_type!r}", ctx.name, line=line, record=uid)
    kind = _KINDS[sdn_type]
    person = kind is EntityKind.PERSON
    ent = Entity(id=f"ofac-{uid}", source=ctx.source, kind=kind)
    full, parts = _name(child_text(elem, "firstName"), child_text(elem, "lastName"))
    if not full:
        raise ParseError("sdnEntry has no name", ctx.name, line=line, record=uid)
    ent.add_name(Name(full, NameType.PRIMARY, script="Latn", parts=parts if person else []))
    ent.add("positions", child_text(elem, "title"))
    for plist in children(elem, "programList"):
        for prog in children(plist, "program"):
            ent.add("programs", prog.text)
    for alist in children(elem, "akaList"):
        for aka in children(alist, "aka"):
            full, parts = _name(child_text(aka, "firstName"), child_text(aka, "lastName"))
            if not full:
                continue
            weak = (child_text(aka, "category") or "").lower() == "weak"
            ent.add_name(
                Name(
                    full,
                    _ALT.get((child_text(aka, "type") or "").lower(), NameType.AKA),
                    NameStrength.WEAK if weak else NameStrength.STRONG,
                    script="Latn",
                    parts=parts if person else [],
                )
            )
    for ilist in children(elem, "idList"):
        for ident in children(ilist, "id"):
            id_type = child_text(ident, "idType") or ""
            number = child_text(ident, "idNumber") or ""
            low = id_type.lower()
            if low == "gender":
                ent.gender = number.lower() or None
            elif low in _ATTR_ID_TYPES:
                value = number
                if _ATTR_ID_TYPES[low] == "vessel_flag":
                    value = to_iso2(number) or number
                ent.add_attribute(_ATTR_ID_TYPES[low], value)
            elif number:
                notes = []
                for key, label in (("issueDate", "issued"), ("expirationDate", "expires")):
                    val = child_text(ident, key)
                    if val:
                        notes.append(f"{label} {val}")
                made = make_identifier(
                    id_type,
                    number,
                    to_iso2(child_text(ident, "idCountry")),
                    "; ".join(notes) or None,
                    person=person,
                )
                if made is not None:
                    ent.add_identifier(made)
    for alist in children(elem, "addressList"):
        for addr in children(alist, "address"):
            fields = [
                child_text(addr, k)
                for k in (
                    "address1",
                    "address2",
                    "address3",
                    "city",
                    "stateOrProvince",
                    "postalCode",
                    "country",
                )
            ]
            full = ", ".join(f for f in fields if f)
            country = to_iso2(child_text(addr, "country"))
            street = ", ".join(f for f in fields[:3] if f) or None
            ent.add_address(
                Address(
                    full=full,
                    street=street,
                    city=fields[3],
                    region=fields[4],
                    postal_code=fields[5],
                    country=country,
                )
            )
            if country:
                ent.add("countries", country)
    for nlist in children(elem, "nationalityList"):
        for item in children(nlist, "nationality"):
            code = to_iso2(child_text(item, "country"))
            if code:
                ent.add("nationalities", code)
    for clist in children(elem, "citizenshipList"):
        for item in children(clist, "citizenship"):
            code = to_iso2(child_text(item, "country"))
            if code:
                ent.add("citizenships", code)
    for dlist in children(elem, "dateOfBirthList"):
        for item in children(dlist, "dateOfBirthItem"):
            for d in parse_dates(child_text(item, "dateOfBirth")):
                ent.add("birth_dates", d)
    for plist in children(elem, "placeOfBirthList"):
        for item in children(plist, "placeOfBirthItem"):
            ent.add("birth_places", child_text(item, "placeOfBirth"))
    vessel = first(elem, "vesselInfo")
    if vessel is not None:
        for key, attr in (
            ("callSign", "call_sign"),
            ("vesselType", "vessel_type"),
            ("vesselOwner", "vessel_owner"),
            ("tonnage", "vessel_tonnage"),
            ("grossRegisteredTonnage", "vessel_grt"),
        ):
            ent.add_attribute(attr, child_text(vessel, key))
        flag = child_text(vessel, "vesselFlag")
        ent.add_attribute("vessel_flag", to_iso2(flag) or flag)
    remarks = child_text(elem, "remarks")
    if remarks:
        apply_remarks(ent, remarks)
    return ent


def parse(ctx: ParseContext) -> Iterator[Entity]:
    count = 0
    for elem in iter_xml(ctx.path, ("sdnEntry", "publshInformation")):
        if local(elem) == "publshInformation":
            ctx.published = parse_date(child_text(elem, "Publish_Date"), dayfirst=False)
            declared = child_text(elem, "Record_Count")
            if declared and declared.isdigit():
                ctx.declared_count = int(declared)
            continue
        count += 1
        yield _entry(ctx, elem)
        release(elem)
    if count == 0:
        raise ParseError("no sdnEntry records found", ctx.name)


FORMAT = register(
    ListFormat(
        name="ofac_xml",
        title="OFAC classic XML (SDN.XML, consolidated.xml)",
        default_source="us_ofac_sdn",
        sniff=sniff,
        parse=parse,
        extensions=(".xml", ".zip"),
    )
)

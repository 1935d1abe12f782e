"""UN Security Council Consolidated List XML (``consolidated.xml``, schema ``sc-sanctions.xsd``)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.xmlread import child_text, children, iter_xml, line_of, local, release, text_of
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
from corridor.model.scripts import detect_script

_NAME_FIELDS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _values(elem: etree._Element, name: str) -> list[str]:
    out = []
    for node in children(elem, name):
        for v in children(node, "VALUE"):
            if text_of(v):
                out.append(text_of(v) or "")
    return out


def _address(node: etree._Element) -> Address | None:
    fields = [
        child_text(node, k) for k in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
    ]
    note = child_text(node, "NOTE")
    full = ", ".join(f for f in fields if f)
    if not full:
        return None
    if note:
        full = f"{full} ({note})"
    return Address(
        full=full,
        street=fields[0],
        city=fields[1],
        region=fields[2],
        postal_code=fields[3],
        country=to_iso2(fields[4]),
    )


def _record(ctx: ParseContext, elem: etree._Element, person: bool) -> Entity:
    dataid = child_text(elem, "DATAID")
    if not dataid:
        raise ParseError("record has no DATAID", ctx.name, line=line_of(elem))
    kind = EntityKind.PERSON if person else EntityKind.ORGANIZATION
    ent = Entity(id=f"un-{dataid}", source=ctx.source, kind=kind)
    name_values = [child_text(elem, f) for f in _NAME_FIELDS]
    full = " ".join(v for v in name_values if v)
    if not full:
        raise ParseError("record has no name", ctx.name, line=line_of(elem), record=dataid)
    parts: list[NamePart] = []
    if person:
        # UN order: first name, then the family/other names
        if name_values[0]:
            parts.append(NamePart(NamePartKind.GIVEN, name_values[0]))
        for v in name_values[1:]:
            if v:
                parts.append(NamePart(NamePartKind.OTHER, v))
    ent.add_name(Name(full, NameType.PRIMARY, script="Latn", parts=parts))
    for orig in children(elem, "NAME_ORIGINAL_SCRIPT"):
        text = text_of(orig)
        if text:
            ent.add_name(Name(text, NameType.AKA, script=detect_script(text)))
    for alias in children(elem, "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"):
        text = child_text(alias, "ALIAS_NAME")
        if not text:
            continue
        quality = (child_text(alias, "QUALITY") or "").lower()
        weak = quality in ("low", "very low")
        ent.add_name(
            Name(
                text,
                NameType.AKA,
                NameStrength.WEAK if weak else NameStrength.STRONG,
                script=detect_script(text),
            )
        )
    ref = child_text(elem, "REFERENCE_NUMBER")
    ent.add_attribute("un_reference", ref)
    ent.add("programs", child_text(elem, "UN_LIST_TYPE"))
    for lt in _values(elem, "LIST_TYPE"):
        ent.add("lists", lt)
    ent.listed_on = parse_date(child_text(elem, "LISTED_ON"))
    updated = [parse_date(v) for v in _values(elem, "LAST_DAY_UPDATED")]
    updated_clean = sorted(u for u in updated if u)
    ent.modified_on = updated_clean[-1] if updated_clean else None
    ent.gender = (child_text(elem, "GENDER") or "").lower() or None
    ent.add("remarks", child_text(elem, "COMMENTS1"))
    for title in _values(elem, "TITLE"):
        ent.add("positions", title)
    for desig in _values(elem, "DESIGNATION"):
        ent.add("positions", desig)
    for nat in _values(elem, "NATIONALITY"):
        code = to_iso2(nat)
        if code:
            ent.add("nationalities", code)
        else:
            ent.add_attribute("nationality_text", nat)
    for node in children(elem, "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"):
        address = _address(node)
        if address is not None:
            ent.add_address(address)
            if address.country:
                ent.add("countries", address.country)
    for dob in children(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
        date = child_text(dob, "DATE")
        year = child_text(dob, "YEAR")
        frm, to = child_text(dob, "FROM_YEAR"), child_text(dob, "TO_YEAR")
        found: list[str] = []
        if date:
            found = parse_dates(date)
        elif year:
            found = parse_dates(year)
        elif frm and to:
            found = parse_dates(f"{frm} to {to}")
        for d in found:
            ent.add("birth_dates", d)
    for pob in children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
        fields = [child_text(pob, k) for k in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        ent.add("birth_places", ", ".join(f for f in fields if f))
    for doc in children(elem, "INDIVIDUAL_DOCUMENT"):
        number = child_text(doc, "NUMBER")
        if not number:
            continue
        label = child_text(doc, "TYPE_OF_DOCUMENT") or "Other"
        country = to_iso2(child_text(doc, "ISSUING_COUNTRY") or child_text(doc, "COUNTRY_OF_ISSUE"))
        note_bits = [child_text(doc, k) for k in ("TYPE_OF_DOCUMENT2", "DATE_OF_ISSUE", "NOTE")]
        made = make_identifier(
            label, number, country, "; ".join(b for b in note_bits if b) or None, person=person
        )
        if made is not None:
            ent.add_identifier(made)
    return ent


def sniff(head: bytes, name: str) -> bool:
    return b"<CONSOLIDATED_LIST" in head


def parse(ctx: ParseContext) -> Iterator[Entity]:
    count = 0
    for elem in iter_xml(ctx.path, ("INDIVIDUAL", "ENTITY", "CONSOLIDATED_LIST")):
        name = local(elem)
        if name == "CONSOLIDATED_LIST":
            continue
        parent = elem.getparent()
        if parent is None or local(parent) not in ("INDIVIDUALS", "ENTITIES"):
            continue
        if ctx.published is None:
            root = parent.getparent()
            generated = root.get("dateGenerated") if root is not None else None
            ctx.published = generated[:10] if generated else None
        count += 1
        yield _record(ctx, elem, person=(name == "INDIVIDUAL"))
        release(elem)
    if count == 0:
        raise ParseError("no INDIVIDUAL or ENTITY records found", ctx.name)


FORMAT = register(
    ListFormat(
        name="un_xml",
        title="UN Security Council Consolidated List XML",
        default_source="un_sc",
        sniff=sniff,
        parse=parse,
        extensions=(".xml",),
    )
)

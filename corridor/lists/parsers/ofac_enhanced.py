"""OFAC Enhanced XML (``SDN_ENHANCED.XML``/``CONS_ENHANCED.XML``, plain or zipped)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.parsers.ofac_common import ATTR_FEATURES, ID_FEATURES, SCRIPTS
from corridor.lists.xmlread import (
    child_text,
    children,
    descendants,
    first,
    iter_xml,
    line_of,
    local,
    release,
    text_of,
)
from corridor.model.countries import to_iso2
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
_ALIASES = {"a.k.a.": NameType.AKA, "f.k.a.": NameType.FKA, "n.k.a.": NameType.NKA}
_PARTS = {
    "last name": NamePartKind.FAMILY,
    "first name": NamePartKind.GIVEN,
    "middle name": NamePartKind.MIDDLE,
    "patronymic": NamePartKind.PATRONYMIC,
}


def _entity(ctx: ParseContext, elem: etree._Element) -> Entity:
    uid = elem.get("id")
    if not uid:
        raise ParseError("entity without id", ctx.name, line=line_of(elem))
    info = first(elem, "generalInfo")
    etype = (child_text(info, "entityType") or "").lower() if info is not None else ""
    if etype not in _KINDS:
        raise ParseError(f"unknown entityType {etype!r}", ctx.name, line=line_of(elem), record=uid)
    kind = _KINDS[etype]
    person = kind is EntityKind.PERSON
    ent = Entity(id=f"ofac-{uid}", source=ctx.source, kind=kind)
    if info is not None:
        ent.add("remarks", child_text(info, "remarks"))
    for lst in descendants(elem, "sanctionsList"):
        ent.add("lists", text_of(lst))
        published = lst.get("datePublished")
        if published and (ent.listed_on is None or published < ent.listed_on):
            ent.listed_on = published[:10]
    for prog in descendants(elem, "sanctionsProgram"):
        ent.add("programs", text_of(prog))
    names = first(elem, "names")
    for name in children(names, "name") if names is not None else []:
        primary = child_text(name, "isPrimary") == "true"
        weak = child_text(name, "isLowQuality") == "true"
        alias = (child_text(name, "aliasType") or "").lower()
        ntype = NameType.PRIMARY if primary else _ALIASES.get(alias, NameType.AKA)
        for tr in descendants(name, "translation"):
            full = child_text(tr, "formattedFullName")
            if not full:
                continue
            script_name = (child_text(tr, "script") or "").lower()
            script = SCRIPTS.get(script_name, script_name[:4].title() or None)
            this_type = ntype
            if ntype is NameType.PRIMARY and child_text(tr, "isPrimary") != "true":
                this_type = NameType.AKA
            parts = []
            for np_ in descendants(tr, "namePart"):
                pkind = _PARTS.get((child_text(np_, "type") or "").lower())
                value = child_text(np_, "value")
                if pkind and value:
                    parts.append(NamePart(pkind, value))
            ent.add_name(
                Name(
                    full,
                    this_type,
                    NameStrength.WEAK if weak else NameStrength.STRONG,
                    script=script,
                    parts=parts if person else [],
                )
            )
    if not ent.names:
        raise ParseError("entity has no name", ctx.name, line=line_of(elem), record=uid)
    for addr in descendants(elem, "address"):
        country_name = child_text(addr, "country")
        country = to_iso2(country_name)
        parts_map: dict[str, str] = {}
        for ap in descendants(addr, "addressPart"):
            ptype = (child_text(ap, "type") or "").lower()
            value = child_text(ap, "value")
            if value:
                parts_map[ptype] = value
        street = ", ".join(
            parts_map[k] for k in ("address1", "address2", "address3") if k in parts_map
        )
        fields = [
            street,
            parts_map.get("city"),
            parts_map.get("state/province"),
            parts_map.get("postal code"),
            parts_map.get("region"),
            country_name,
        ]
        full = ", ".join(f for f in fields if f)
        if full:
            ent.add_address(
                Address(
                    full=full,
                    street=street or None,
                    city=parts_map.get("city"),
                    region=parts_map.get("state/province") or parts_map.get("region"),
                    postal_code=parts_map.get("postal code"),
                    country=country,
                )
            )
        if country:
            ent.add("countries", country)
    for feature in descendants(elem, "feature"):
        ftype = (child_text(feature, "type") or "").lower()
        value = child_text(feature, "value")
        vdate = first(feature, "valueDate")
        if ftype == "birthdate" and vdate is not None:
            begin = child_text(vdate, "fromDateBegin") or ""
            end = child_text(vdate, "toDateEnd") or ""
            if begin[:4] and begin[5:] == "01-01" and end[5:] == "12-31" and end[:4] == begin[:4]:
                ent.add("birth_dates", begin[:4])
            elif begin:
                ent.add("birth_dates", begin[:10] if begin == end or not end else begin[:10])
        elif ftype == "place of birth":
            ent.add("birth_places", value)
        elif ftype in ("citizenship country", "nationality country"):
            code = to_iso2(value)
            if code:
                ent.add("citizenships" if "citizenship" in ftype else "nationalities", code)
        elif ftype == "gender":
            ent.gender = (value or "").lower() or None
        elif ftype in ID_FEATURES and value:
            made = make_identifier(ftype, value, person=person)
            if made is not None:
                ent.add_identifier(made)
        elif ftype in ATTR_FEATURES:
            if ATTR_FEATURES[ftype] in ("vessel_flag", "registration_country"):
                value = to_iso2(value) or value
            ent.add_attribute(ATTR_FEATURES[ftype], value)
        elif ftype != "location" and value:
            ent.add_attribute("feature", f"{ftype}: {value}")
    for doc in descendants(elem, "identityDocument"):
        number = child_text(doc, "documentNumber")
        if not number:
            continue
        made = make_identifier(
            child_text(doc, "type") or "",
            number,
            to_iso2(child_text(doc, "issuingCountry")),
            person=person,
        )
        if made is not None:
            ent.add_identifier(made)
    for rel in descendants(elem, "relationship"):
        related = first(rel, "relatedEntity")
        if related is not None and text_of(related):
            ent.add_attribute("linked_to", text_of(related))
    return ent


def sniff(head: bytes, name: str) -> bool:
    return b"<sanctionsData" in head and b"ENHANCED_XML" in head


def parse(ctx: ParseContext) -> Iterator[Entity]:
    count = 0
    for elem in iter_xml(ctx.path, ("entity", "dataAsOf")):
        if local(elem) == "dataAsOf":
            ctx.published = (text_of(elem) or "")[:10] or None
            continue
        parent = elem.getparent()
        if parent is None or local(parent) != "entities":
            continue
        count += 1
        yield _entity(ctx, elem)
        release(elem)
    if count == 0:
        raise ParseError("no entity records found", ctx.name)


FORMAT = register(
    ListFormat(
        name="ofac_enhanced",
        title="OFAC Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML, zip or xml)",
        default_source="us_ofac_cons",
        sniff=sniff,
        parse=parse,
        extensions=(".xml", ".zip"),
    )
)

"""EU Financial Sanctions Files XML: the current FSF 1.1 schema (``<export>``) and the
legacy v1.0 schema (``<WHOLE>``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.xmlread import child_text, children, iter_xml, line_of, release, text_of
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date, parse_dates
from corridor.model.entity import (
    Address,
    Entity,
    EntityKind,
    Identifier,
    Name,
    NamePart,
    NamePartKind,
    NameStrength,
    NameType,
)
from corridor.model.identifiers import make_identifier
from corridor.model.scripts import detect_script

_SUBJECTS = {
    "person": EntityKind.PERSON,
    "enterprise": EntityKind.ORGANIZATION,
    "p": EntityKind.PERSON,
    "e": EntityKind.ORGANIZATION,
}
_GENDERS = {"m": "male", "f": "female"}


def _parts(first: str | None, middle: str | None, last: str | None) -> list[NamePart]:
    parts = []
    for kind, value in (
        (NamePartKind.GIVEN, first),
        (NamePartKind.MIDDLE, middle),
        (NamePartKind.FAMILY, last),
    ):
        if value:
            parts.append(NamePart(kind, value))
    return parts


def document_identifier(number: str, country: str | None, person: bool) -> Identifier | None:
    """An identifier from the legacy EU files' free-text number, e.g.
    ``AD001095 (passport-National passport) ((passport))``: the number before the brackets,
    typed by whether the text says passport, the whole text kept as the note."""
    return make_identifier(
        "passport" if "passport" in number.lower() else "id document",
        number.split(" (")[0],
        country,
        note=number if " (" in number else None,
        person=person,
    )


def _stream(
    ctx: ParseContext,
    tag: str,
    build: Callable[[ParseContext, etree._Element], Entity],
    published: Callable[[etree._Element], str | None],
) -> Iterator[Entity]:
    """Entities from each ``tag`` element; the publication date is read from the root."""
    count = 0
    for elem in iter_xml(ctx.path, (tag,)):
        if ctx.published is None:
            root = elem.getparent()
            ctx.published = published(root) if root is not None else None
        count += 1
        yield build(ctx, elem)
        release(elem)
    if count == 0:
        raise ParseError(f"no {tag} records found", ctx.name)


def _code(iso2: str | None) -> str | None:
    if not iso2 or iso2 == "00":
        return None
    return to_iso2(iso2)


# --- FSF 1.1 ---------------------------------------------------------------------------


def _entity_11(ctx: ParseContext, elem: etree._Element) -> Entity:
    logical = elem.get("logicalId")
    if not logical:
        raise ParseError("sanctionEntity without logicalId", ctx.name, line=line_of(elem))
    subject = children(elem, "subjectType")
    code = subject[0].get("code", "").lower() if subject else ""
    kind = _SUBJECTS.get(code, EntityKind.ORGANIZATION)
    person = kind is EntityKind.PERSON
    ent = Entity(id=f"eu-{logical}", source=ctx.source, kind=kind)
    ent.listed_on = parse_date(elem.get("designationDate"))
    ent.add_attribute("eu_reference", elem.get("euReferenceNumber"))
    ent.add_attribute("un_reference", elem.get("unitedNationId"))
    for reg in children(elem, "regulation"):
        ent.add("programs", reg.get("programme"))
        ent.add_attribute("legal_basis", reg.get("numberTitle"))
    for remark in children(elem, "remark"):
        ent.add("remarks", text_of(remark))
    for alias in children(elem, "nameAlias"):
        whole = alias.get("wholeName") or " ".join(
            v for v in (alias.get("firstName"), alias.get("middleName"), alias.get("lastName")) if v
        )
        if not whole:
            continue
        ntype = (
            NameType.PRIMARY
            if not any(n.type is NameType.PRIMARY for n in ent.names)
            else NameType.AKA
        )
        weak = alias.get("strong", "true").lower() == "false"
        lang = (alias.get("nameLanguage") or "").lower() or None
        ent.add_name(
            Name(
                whole,
                ntype,
                NameStrength.WEAK if weak else NameStrength.STRONG,
                script=detect_script(whole),
                lang=lang,
                parts=_parts(alias.get("firstName"), alias.get("middleName"), alias.get("lastName"))
                if person
                else [],
            )
        )
        ent.add("positions", alias.get("function"))
        gender = (alias.get("gender") or "").lower()
        if gender in _GENDERS:
            ent.gender = _GENDERS[gender]
    for cit in children(elem, "citizenship"):
        country = _code(cit.get("countryIso2Code")) or to_iso2(cit.get("countryDescription"))
        if country:
            ent.add("citizenships", country)
    for birth in children(elem, "birthdate"):
        date = birth.get("birthdate") or birth.get("year")
        for d in parse_dates(date):
            ent.add("birth_dates", d)
        place = ", ".join(
            v
            for v in (
                birth.get("city"),
                birth.get("place"),
                birth.get("region"),
                birth.get("countryDescription"),
            )
            if v and v != "UNKNOWN"
        )
        ent.add("birth_places", place)
    for addr in children(elem, "address"):
        country = _code(addr.get("countryIso2Code"))
        fields = [
            addr.get(k)
            for k in ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")
        ]
        full = ", ".join(f for f in fields if f and f != "UNKNOWN")
        ent.add_address(
            Address(
                full=full,
                street=addr.get("street") or None,
                city=addr.get("city") or None,
                region=addr.get("region") or None,
                postal_code=addr.get("zipCode") or None,
                country=country,
            )
        )
        if country:
            ent.add("countries", country)
    for ident in children(elem, "identification"):
        number = ident.get("number") or ident.get("latinNumber")
        if not number:
            continue
        label = ident.get("identificationTypeDescription") or ident.get("identificationTypeCode")
        made = make_identifier(
            label or "other", number, _code(ident.get("countryIso2Code")), person=person
        )
        if made is not None:
            ent.add_identifier(made)
    if not ent.names:
        raise ParseError("sanctionEntity has no name", ctx.name, line=line_of(elem), record=logical)
    return ent


def _parse_11(ctx: ParseContext) -> Iterator[Entity]:
    return _stream(
        ctx,
        "sanctionEntity",
        _entity_11,
        lambda root: (root.get("generationDate") or "")[:10] or None,
    )


# --- legacy v1.0 -----------------------------------------------------------------------


def _entity_10(ctx: ParseContext, elem: etree._Element) -> Entity:
    ident_attr = elem.get("Id")
    if not ident_attr:
        raise ParseError("ENTITY without Id", ctx.name, line=line_of(elem))
    kind = _SUBJECTS.get((elem.get("Type") or "").lower(), EntityKind.ORGANIZATION)
    person = kind is EntityKind.PERSON
    ent = Entity(id=f"eu-{ident_attr}", source=ctx.source, kind=kind)
    ent.add("programs", elem.get("programme"))
    ent.add_attribute("legal_basis", elem.get("legal_basis"))
    ent.listed_on = parse_date(elem.get("reg_date"))
    ent.add("remarks", elem.get("remark"))
    for name in children(elem, "NAME"):
        whole = child_text(name, "WHOLENAME") or " ".join(
            v for v in (child_text(name, k) for k in ("FIRSTNAME", "MIDDLENAME", "LASTNAME")) if v
        )
        if not whole:
            continue
        ntype = (
            NameType.PRIMARY
            if not any(n.type is NameType.PRIMARY for n in ent.names)
            else NameType.AKA
        )
        lang = (child_text(name, "LANGUAGE") or "").lower() or None
        parts = (
            _parts(
                child_text(name, "FIRSTNAME"),
                child_text(name, "MIDDLENAME"),
                child_text(name, "LASTNAME"),
            )
            if person
            else []
        )
        ent.add_name(Name(whole, ntype, script=detect_script(whole), lang=lang, parts=parts))
        ent.add("positions", child_text(name, "FUNCTION"))
        gender = (child_text(name, "GENDER") or "").lower()
        if gender in _GENDERS:
            ent.gender = _GENDERS[gender]
    for birth in children(elem, "BIRTH"):
        for d in parse_dates(child_text(birth, "DATE")):
            ent.add("birth_dates", d)
        place = ", ".join(
            v for v in (child_text(birth, "PLACE"), child_text(birth, "COUNTRY")) if v
        )
        ent.add("birth_places", place)
    for cit in children(elem, "CITIZEN"):
        code = to_iso2(child_text(cit, "COUNTRY"))
        if code:
            ent.add("citizenships", code)
    for pas in children(elem, "PASSPORT"):
        number = child_text(pas, "NUMBER")
        if number:
            made = document_identifier(number, to_iso2(child_text(pas, "COUNTRY")), person)
            if made is not None:
                ent.add_identifier(made)
    for addr in children(elem, "ADDRESS"):
        fields = [
            child_text(addr, k) for k in ("NUMBER", "STREET", "ZIPCODE", "CITY", "COUNTRY", "OTHER")
        ]
        country = to_iso2(fields[4])
        full = ", ".join(f for f in fields if f)
        street = " ".join(f for f in fields[:2] if f) or None
        ent.add_address(
            Address(
                full=full, street=street, city=fields[3], postal_code=fields[2], country=country
            )
        )
        if country:
            ent.add("countries", country)
    if not ent.names:
        raise ParseError("ENTITY has no NAME", ctx.name, line=line_of(elem), record=ident_attr)
    return ent


def _parse_10(ctx: ParseContext) -> Iterator[Entity]:
    return _stream(ctx, "ENTITY", _entity_10, lambda root: parse_date(root.get("Date")))


def sniff_11(head: bytes, name: str) -> bool:
    return b"<export" in head and b"fsd/export" in head


def sniff_10(head: bytes, name: str) -> bool:
    return b"<WHOLE" in head and b"<ENTITY" in head


FORMAT_11 = register(
    ListFormat(
        name="eu_fsf_xml",
        title="EU Financial Sanctions Files XML (FSF 1.1)",
        default_source="eu_fsf",
        sniff=sniff_11,
        parse=_parse_11,
        extensions=(".xml",),
    )
)
FORMAT_10 = register(
    ListFormat(
        name="eu_fsf_v1_xml",
        title="EU Financial Sanctions Files XML (legacy v1.0)",
        default_source="eu_fsf",
        sniff=sniff_10,
        parse=_parse_10,
        extensions=(".xml",),
    )
)

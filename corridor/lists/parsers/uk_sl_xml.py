"""UK Sanctions List XML (FCDO, ``UK-Sanctions-List.xml``): the only UK source since the OFSI
Consolidated List was retired on 28 January 2026.

Root ``Designations`` (with ``DateGenerated``, dd/mm/yyyy) and one ``Designation`` per listed
party: ``UniqueID`` (stable, e.g. ``RUS0001``), ``OFSIGroupID``, ``UNReferenceNumber``,
``Names/Name`` (``Name1``..``Name6``, ``Name6`` the family or whole name; ``NameType`` "Primary
Name", "Primary name variation" or "Alias" in any case; ``AliasStrength``),
``NonLatinNames/NonLatinName/NameNonLatinScript``, ``RegimeName``, ``IndividualEntityShip``,
``DesignationSource``, ``SanctionsImposed`` (pipe-separated), ``Addresses/Address``,
``IndividualDetails/Individual`` (``DOBs/DOB`` with the literal letters dd and mm for unknown
parts, nationalities, birth places, passports, national ids, positions, genders),
``EntityDetails`` (business registration numbers, parent companies) and ``ShipDetails`` (IMO
numbers, flag). Element names are read without regard to namespace or case, so the minor
variations of the published file read alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.xmlread import iter_xml, line_of, release
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import (
    Address,
    Entity,
    EntityKind,
    IdType,
    Name,
    NamePart,
    NamePartKind,
    NameStrength,
    NameType,
)
from corridor.model.identifiers import id_type_for_label, make_identifier
from corridor.model.scripts import detect_script

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "ship": EntityKind.VESSEL,
}
_NAME_TYPES = {
    "primary name": NameType.PRIMARY,
    "primary name variation": NameType.AKA,
    "alias": NameType.AKA,
    "former name": NameType.FKA,
}
_DATE = re.compile(r"(dd|\d{1,2})/(mm|\d{1,2})/(\d{4})", re.I)


def _lname(elem: etree._Element) -> str:
    return etree.QName(elem).localname.lower() if isinstance(elem.tag, str) else ""


def _kids(elem: etree._Element, name: str) -> list[etree._Element]:
    low = name.lower()
    return [c for c in elem if _lname(c) == low]


def _text(elem: etree._Element | None) -> str | None:
    if elem is None or elem.text is None:
        return None
    value = " ".join(elem.text.split())
    return value or None


def _child(elem: etree._Element, name: str) -> str | None:
    found = _kids(elem, name)
    return _text(found[0]) if found else None


def _all(elem: etree._Element, name: str) -> list[str]:
    """Texts of every descendant named ``name`` (any depth, any case)."""
    low = name.lower()
    out = []
    for node in elem.iter():
        if _lname(node) == low:
            value = _text(node)
            if value:
                out.append(value)
    return out


def uk_dates(text: str | None) -> list[str]:
    """dd/mm/yyyy with the letters dd and mm (or 00) for unknown parts, as ISO dates."""
    out = []
    for m in _DATE.finditer(text or ""):
        d, mo, y = m.groups()
        if not mo.isdigit() or int(mo) == 0:
            out.append(y)
        elif not d.isdigit() or int(d) == 0:
            out.append(f"{y}-{int(mo):02d}")
        else:
            parsed = parse_date(f"{int(d):02d}/{int(mo):02d}/{y}")
            if parsed:
                out.append(parsed)
    return out


def _names(ctx: ParseContext, ent: Entity, elem: etree._Element, uid: str) -> None:
    person = ent.kind is EntityKind.PERSON
    for group in _kids(elem, "Names"):
        for node in _kids(group, "Name"):
            values = [_child(node, f"Name{i}") for i in range(1, 7)]
            full = " ".join(v for v in values if v)
            if not full:
                continue
            parts: list[NamePart] = []
            if person:
                for i, v in enumerate(values[:5]):
                    if v:
                        kind = NamePartKind.GIVEN if i == 0 else NamePartKind.MIDDLE
                        parts.append(NamePart(kind, v))
                if values[5]:
                    parts.append(NamePart(NamePartKind.FAMILY, values[5]))
            label = (_child(node, "NameType") or "alias").lower()
            ntype = _NAME_TYPES.get(label, NameType.AKA)
            if ntype is NameType.PRIMARY and any(n.type is NameType.PRIMARY for n in ent.names):
                ntype = NameType.AKA
            weak = "low" in (_child(node, "AliasStrength") or "").lower()
            ent.add_name(
                Name(
                    full,
                    ntype,
                    NameStrength.WEAK if weak else NameStrength.STRONG,
                    script=detect_script(full),
                    parts=parts,
                )
            )
    for text in _all(elem, "NameNonLatinScript"):
        ent.add_name(Name(text, NameType.AKA, script=detect_script(text)))
    if not ent.names:
        raise ParseError("designation has no name", ctx.name, line=line_of(elem), record=uid)
    if not any(n.type is NameType.PRIMARY for n in ent.names):
        ent.names[0].type = NameType.PRIMARY


def _addresses(ent: Entity, elem: etree._Element) -> None:
    for group in _kids(elem, "Addresses"):
        for node in _kids(group, "Address"):
            lines = [_child(node, f"AddressLine{i}") for i in range(1, 7)]
            postal = _child(node, "AddressPostalCode")
            country_name = _child(node, "AddressCountry")
            full = ", ".join(v for v in [*lines, postal, country_name] if v)
            if not full:
                continue
            country = to_iso2(country_name) if country_name else None
            filled = [v for v in lines if v]
            ent.add_address(
                Address(
                    full=full,
                    street=", ".join(v for v in lines[:3] if v) or None,
                    city=lines[5] or (filled[-1] if len(filled) > 1 else None),
                    postal_code=postal,
                    country=country,
                )
            )
            if country:
                ent.add("countries", country)


def _identifiers(ent: Entity, elem: etree._Element) -> None:
    person = ent.kind is EntityKind.PERSON
    found: list[tuple[str, str, str | None]] = []
    for node in elem.iter():
        name = _lname(node)
        if name == "passport":
            found.append(
                (
                    "Passport",
                    _child(node, "PassportNumber") or "",
                    _child(node, "PassportAdditionalInformation"),
                )
            )
        elif name == "nationalidentifier":
            found.append(
                (
                    "National ID No.",
                    _child(node, "NationalIdentifierNumber") or "",
                    _child(node, "NationalIdentifierAdditionalInformation"),
                )
            )
        elif name == "businessregistrationnumber":
            found.append(("Registration Number", _text(node) or "", None))
        elif name == "imonumber":
            found.append(("IMO", _text(node) or "", None))
    for label, value, note in found:
        # the additional information often names the country or the kind (INN, OGRN)
        country = to_iso2(note) if note else None
        if note and id_type_for_label(note) is not IdType.OTHER:
            label = note
        made = make_identifier(label, value, country, note=note, person=person)
        if made is not None:
            ent.add_identifier(made)


def _individual(ent: Entity, elem: etree._Element) -> None:
    for value in _all(elem, "DOB"):
        for d in uk_dates(value):
            ent.add("birth_dates", d)
    for nat in _all(elem, "Nationality"):
        code = to_iso2(nat)
        if code:
            ent.add("nationalities", code)
        else:
            ent.add_attribute("nationality_text", nat)
    for node in elem.iter():
        if _lname(node) == "location":
            place = ", ".join(
                v for v in (_child(node, "TownOfBirth"), _child(node, "CountryOfBirth")) if v
            )
            ent.add("birth_places", place)
    for position in _all(elem, "Position"):
        ent.add("positions", position)
    genders = _all(elem, "Gender")
    if genders:
        ent.gender = genders[0].lower()


def _designation(ctx: ParseContext, elem: etree._Element) -> Entity:
    uid = _child(elem, "UniqueID")
    if not uid:
        raise ParseError("Designation has no UniqueID", ctx.name, line=line_of(elem))
    kind_raw = _child(elem, "IndividualEntityShip") or ""
    kind_text = kind_raw.lower()
    if kind_text not in _KINDS:
        raise ParseError(
            f"IndividualEntityShip is {kind_raw or 'missing'!r}; expected Individual, "
            "Entity or Ship",
            ctx.name,
            line=line_of(elem),
            record=uid,
        )
    ent = Entity(id=f"uksl-{uid}", source=ctx.source, kind=_KINDS[kind_text])
    _names(ctx, ent, elem, uid)
    ent.add_attribute("uk_unique_id", uid)
    ent.add_attribute("ofsi_group_id", _child(elem, "OFSIGroupID"))
    ent.add_attribute("un_reference", _child(elem, "UNReferenceNumber"))
    ent.add_attribute("designation_source", _child(elem, "DesignationSource"))
    for sanction in (_child(elem, "SanctionsImposed") or "").split("|"):
        ent.add_attribute("sanctions_imposed", sanction.strip())
    ent.add("programs", _child(elem, "RegimeName"))
    for title in _all(elem, "Title"):
        ent.add("positions", title)
    ent.add("remarks", _child(elem, "OtherInformation"))
    ent.add_attribute("statement_of_reasons", _child(elem, "UKStatementofReasons"))
    ent.listed_on = next(iter(uk_dates(_child(elem, "DateDesignated"))), None)
    ent.modified_on = next(iter(uk_dates(_child(elem, "LastUpdated"))), None)
    _addresses(ent, elem)
    _identifiers(ent, elem)
    if ent.kind is EntityKind.PERSON:
        _individual(ent, elem)
    for flag in _all(elem, "CurrentBelievedFlagOfShip"):
        code = to_iso2(flag)
        if code:
            ent.add("countries", code)
    return ent


def sniff(head: bytes, name: str) -> bool:
    return b"<Designations" in head and (b"<Designation>" in head or b"<DateGenerated" in head)


def parse(ctx: ParseContext) -> Iterator[Entity]:
    count = 0
    seen: set[str] = set()
    for elem in iter_xml(ctx.path, ("Designation", "DateGenerated")):
        if etree.QName(elem).localname == "DateGenerated":
            if ctx.published is None:
                ctx.published = next(iter(uk_dates(_text(elem))), None)
            continue
        parent = elem.getparent()
        if parent is None or etree.QName(parent).localname != "Designations":
            continue
        ent = _designation(ctx, elem)
        if ent.id in seen:
            raise ParseError(
                f"UniqueID {ent.id[5:]} appears twice", ctx.name, line=line_of(elem), record=ent.id
            )
        seen.add(ent.id)
        count += 1
        yield ent
        release(elem)
    if count == 0:
        raise ParseError("no Designation records found", ctx.name)


FORMAT = register(
    ListFormat(
        name="uk_sl_xml",
        title="UK Sanctions List XML (FCDO)",
        default_source="uk_fcdo",
        sniff=sniff,
        parse=parse,
        extensions=(".xml",),
    )
)

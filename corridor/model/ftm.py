"""FollowTheMoney (FtM) JSON, the format of OpenSanctions exports, to and from :class:`Entity`.

An entity becomes one main FtM entity (``Person``, ``Organization``, ``Vessel``, ``Airplane``
or ``LegalEntity``) plus adjunct entities that FtM models separately: one ``Sanction`` (programmes,
lists, listing date), one ``Identification``/``Passport`` per identifier and one ``Address`` per
address. Reading accepts those adjuncts and also the typed identifier properties OpenSanctions
puts on main entities (``innCode``, ``ogrnCode``, ``leiCode``...).

What FtM cannot carry, and so does not survive a round trip: name parts of aliases (those of the
primary name do), per-name script and language tags (the script is detected again on reading), the
weak/strong distinction of former names and the aka/nka distinction,
and source-specific attributes that have no FtM property. ``Entity → FtM → Entity → FtM`` is
stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

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
from corridor.model.identifiers import make_identifier
from corridor.model.scripts import detect_script

SCHEMAS = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
    EntityKind.UNKNOWN: "LegalEntity",
}
_KINDS = {
    "Person": EntityKind.PERSON,
    "Organization": EntityKind.ORGANIZATION,
    "Company": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
    "LegalEntity": EntityKind.UNKNOWN,
}
MAIN_SCHEMAS = frozenset(_KINDS)
ADJUNCT_SCHEMAS = frozenset({"Sanction", "Identification", "Passport", "Address"})

_TYPED_IDS: dict[IdType, str] = {
    IdType.INN: "innCode",
    IdType.OGRN: "ogrnCode",
    IdType.LEI: "leiCode",
    IdType.BIC: "swiftBic",
    IdType.IMO: "imoNumber",
    IdType.MMSI: "mmsi",
    IdType.TAX_ID: "taxNumber",
    IdType.VAT: "vatCode",
    IdType.REGISTRATION: "registrationNumber",
    IdType.DUNS: "dunsCode",
    IdType.PASSPORT: "passportNumber",
    IdType.NATIONAL_ID: "idNumber",
    IdType.BIN: "registrationNumber",
    IdType.IIN: "idNumber",
}
_LABEL_FOR_PROP = {
    "innCode": "INN",
    "ogrnCode": "OGRN",
    "leiCode": "Legal Entity Number",
    "swiftBic": "SWIFT/BIC",
    "imoNumber": "IMO",
    "mmsi": "MMSI",
    "taxNumber": "Tax ID No.",
    "vatCode": "V.A.T. Number",
    "registrationNumber": "Registration Number",
    "dunsCode": "D-U-N-S Number",
    "passportNumber": "Passport",
    "idNumber": "National ID No.",
}
_ATTR_PROPS = {
    "website": "website",
    "email": "email",
    "phone": "phone",
    "call_sign": "callSign",
    "vessel_flag": "flag",
    "vessel_type": "type",
    "vessel_tonnage": "tonnage",
    "vessel_grt": "grossRegisteredTonnage",
    "vessel_build_year": "buildDate",
    "incorporation_date": "incorporationDate",
}
_PART_PROPS = {
    NamePartKind.GIVEN: "firstName",
    NamePartKind.MIDDLE: "middleName",
    NamePartKind.FAMILY: "lastName",
    NamePartKind.PATRONYMIC: "fatherName",
    NamePartKind.TITLE: "title",
    NamePartKind.OTHER: "secondName",
}
_NAME_PROPS = {
    (NameType.AKA, NameStrength.STRONG): "alias",
    (NameType.NKA, NameStrength.STRONG): "alias",
    (NameType.FKA, NameStrength.STRONG): "previousName",
    (NameType.FKA, NameStrength.WEAK): "previousName",
    (NameType.AKA, NameStrength.WEAK): "weakAlias",
    (NameType.NKA, NameStrength.WEAK): "weakAlias",
}


def _put(props: dict[str, list[str]], key: str, value: str | None) -> None:
    if value:
        values = props.setdefault(key, [])
        if value not in values:
            values.append(value)


def to_ftm(entity: Entity) -> list[dict[str, Any]]:
    """The FtM entities (main first, then adjuncts) that represent ``entity``."""
    schema = SCHEMAS[entity.kind]
    props: dict[str, list[str]] = {}
    for name in entity.names:
        if name.type is NameType.PRIMARY:
            _put(props, "name", name.full)
            if entity.kind is EntityKind.PERSON:
                for part in name.parts:
                    if part.kind in _PART_PROPS:
                        _put(props, _PART_PROPS[part.kind], part.value)
        else:
            _put(props, _NAME_PROPS[(name.type, name.strength)], name.full)
    if entity.kind is EntityKind.PERSON:
        for d in entity.birth_dates:
            _put(props, "birthDate", d)
        for p in entity.birth_places:
            _put(props, "birthPlace", p)
        for c in entity.nationalities:
            _put(props, "nationality", c.lower())
        for c in entity.citizenships:
            _put(props, "citizenship", c.lower())
        for p in entity.positions:
            _put(props, "position", p)
        _put(props, "gender", entity.gender)
    else:
        # FtM has no nationality for organisations; jurisdiction is the nearest property
        for c in entity.nationalities + entity.citizenships:
            _put(props, "jurisdiction", c.lower())
        for p in entity.positions:
            _put(props, "summary", p)
    for c in entity.countries:
        _put(props, "country", c.lower())
    for r in entity.remarks:
        _put(props, "notes", r)
    _put(props, "topics", "sanction")
    _put(props, "modifiedAt", entity.modified_on)
    for key, prop in _ATTR_PROPS.items():
        for value in entity.attributes.get(key, []):
            _put(props, prop, value.lower() if prop == "flag" and len(value) == 2 else value)
    for ident in entity.identifiers:
        typed = _TYPED_IDS.get(ident.type)
        if typed and not (typed == "passportNumber" and entity.kind is not EntityKind.PERSON):
            _put(props, typed, ident.value)
    adjuncts: list[dict[str, Any]] = []
    sanction: dict[str, list[str]] = {"entity": [entity.id]}
    for p in entity.programs:
        _put(sanction, "program", p)
    for lst in entity.lists:
        _put(sanction, "authority", lst)
    _put(sanction, "listingDate", entity.listed_on)
    adjuncts.append(_make(f"{entity.id}-sanction", "Sanction", sanction, entity.source))
    for i, ident in enumerate(entity.identifiers):
        iprops: dict[str, list[str]] = {"holder": [entity.id], "number": [ident.value]}
        _put(iprops, "type", ident.label or ident.type.value)
        _put(iprops, "country", ident.country.lower() if ident.country else None)
        _put(iprops, "summary", ident.note)
        schema_i = "Passport" if ident.type is IdType.PASSPORT else "Identification"
        adjuncts.append(_make(f"{entity.id}-id-{i}", schema_i, iprops, entity.source))
    for i, addr in enumerate(entity.addresses):
        aprops: dict[str, list[str]] = {"full": [addr.full]}
        _put(aprops, "street", addr.street)
        _put(aprops, "city", addr.city)
        _put(aprops, "region", addr.region)
        _put(aprops, "postalCode", addr.postal_code)
        _put(aprops, "country", addr.country.lower() if addr.country else None)
        addr_id = f"{entity.id}-addr-{i}"
        adjuncts.append(_make(addr_id, "Address", aprops, entity.source))
        _put(props, "addressEntity", addr_id)
        _put(props, "address", addr.full)
    main = _make(entity.id, schema, props, entity.source)
    return [main, *adjuncts]


def _make(eid: str, schema: str, props: dict[str, list[str]], dataset: str) -> dict[str, Any]:
    return {"id": eid, "schema": schema, "properties": props, "datasets": [dataset]}


def _country(value: str) -> str:
    return value.upper() if len(value) == 2 else value


def from_ftm(
    main: dict[str, Any], adjuncts: Iterable[dict[str, Any]] = (), source: str | None = None
) -> Entity:
    """Build an :class:`Entity` from a main FtM entity and the adjuncts that refer to it."""
    schema = main.get("schema", "")
    kind = _KINDS[schema]
    props: dict[str, list[str]] = main.get("properties", {})
    datasets = main.get("datasets") or ["ftm"]
    ent = Entity(id=str(main["id"]), source=source or datasets[0], kind=kind)
    person = kind is EntityKind.PERSON
    parts: list[NamePart] = []
    if person:
        for pkind, prop in _PART_PROPS.items():
            for value in props.get(prop, []):
                parts.append(NamePart(pkind, value))
    for value in props.get("name", []):
        primary_taken = any(n.type is NameType.PRIMARY for n in ent.names)
        ent.add_name(
            Name(
                value,
                NameType.AKA if primary_taken else NameType.PRIMARY,
                script=detect_script(value),
                parts=[] if primary_taken else parts,
            )
        )
    for prop, ntype, strength in (
        ("alias", NameType.AKA, NameStrength.STRONG),
        ("weakAlias", NameType.AKA, NameStrength.WEAK),
        ("previousName", NameType.FKA, NameStrength.STRONG),
    ):
        for value in props.get(prop, []):
            ent.add_name(Name(value, ntype, strength, script=detect_script(value)))
    for d in props.get("birthDate", []):
        ent.add("birth_dates", d)
    for p in props.get("birthPlace", []):
        ent.add("birth_places", p)
    for c in props.get("nationality", []) + props.get("jurisdiction", []):
        ent.add("nationalities", _country(c))
    for c in props.get("citizenship", []):
        ent.add("citizenships", _country(c))
    for c in props.get("country", []):
        ent.add("countries", _country(c))
    for p in props.get("position", []) + props.get("summary", []):
        ent.add("positions", p)
    for r in props.get("notes", []):
        ent.add("remarks", r)
    genders = props.get("gender", [])
    ent.gender = genders[0] if genders else None
    modified = props.get("modifiedAt", [])
    ent.modified_on = modified[0][:10] if modified else None
    for key, prop in _ATTR_PROPS.items():
        for value in props.get(prop, []):
            ent.add_attribute(key, _country(value) if prop == "flag" else value)
    addresses_by_id: dict[str, dict[str, list[str]]] = {}
    for adj in adjuncts:
        aschema = adj.get("schema")
        aprops: dict[str, list[str]] = adj.get("properties", {})
        if aschema == "Sanction":
            for p in aprops.get("program", []):
                ent.add("programs", p)
            for a in aprops.get("authority", []):
                ent.add("lists", a)
            dates = sorted(aprops.get("listingDate", []) + aprops.get("startDate", []))
            if dates and (ent.listed_on is None or dates[0] < ent.listed_on):
                ent.listed_on = dates[0][:10]
        elif aschema in ("Identification", "Passport"):
            number = (aprops.get("number") or [""])[0]
            label = (aprops.get("type") or ["Passport" if aschema == "Passport" else "other"])[0]
            countries = aprops.get("country") or []
            country = countries[0] if countries else None
            notes = aprops.get("summary") or []
            note = notes[0] if notes else None
            made = make_identifier(
                label, number, _country(country) if country else None, note, person=person
            )
            if made is not None:
                ent.add_identifier(made)
        elif aschema == "Address":
            addresses_by_id[str(adj["id"])] = aprops
    for prop, label in _LABEL_FOR_PROP.items():
        for value in props.get(prop, []):
            if not any(i.value == value for i in ent.identifiers):
                made = make_identifier(label, value, person=person)
                if made is not None:
                    ent.add_identifier(made)
    linked = props.get("addressEntity", [])
    for addr_id in linked:
        linked_props = addresses_by_id.get(addr_id)
        if linked_props is not None:
            ent.add_address(_address(linked_props))
    if not linked:
        for aprops in addresses_by_id.values():
            ent.add_address(_address(aprops))
        for full in props.get("address", []):
            ent.add_address(Address(full=full))
    return ent


def _address(aprops: dict[str, list[str]]) -> Address:
    def one(key: str) -> str | None:
        values = aprops.get(key) or []
        return values[0] if values else None

    country = one("country")
    full = one("full") or ", ".join(
        v for v in (one("street"), one("city"), one("region"), one("postalCode"), country) if v
    )
    return Address(
        full=full,
        street=one("street"),
        city=one("city"),
        region=one("region"),
        postal_code=one("postalCode"),
        country=_country(country) if country else None,
    )


def group_ftm(
    records: Iterable[dict[str, Any]],
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Group a stream of FtM entities into (main, adjuncts) pairs.

    Adjuncts are attached through their ``entity``/``holder`` property or through the main
    entity's ``addressEntity``. Entities of other schemas are skipped.
    """
    mains: dict[str, dict[str, Any]] = {}
    by_owner: dict[str, list[dict[str, Any]]] = {}
    addresses: dict[str, dict[str, Any]] = {}
    for rec in records:
        schema = rec.get("schema")
        props = rec.get("properties", {})
        if schema in MAIN_SCHEMAS:
            mains[str(rec["id"])] = rec
        elif schema == "Address":
            addresses[str(rec["id"])] = rec
        elif schema in ADJUNCT_SCHEMAS:
            owners = props.get("entity") or props.get("holder") or []
            for owner in owners:
                by_owner.setdefault(str(owner), []).append(rec)
    for eid, main in mains.items():
        adj = list(by_owner.get(eid, []))
        for addr_id in main.get("properties", {}).get("addressEntity", []):
            if addr_id in addresses:
                adj.append(addresses[addr_id])
        yield main, adj

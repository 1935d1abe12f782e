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

import re
from collections.abc import Iterable, Iterator
from typing import Any

from corridor.model.checkdigits import ru_inn_valid, ru_ogrn_valid
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
from corridor.model.identifiers import make_identifier
from corridor.model.listings import listing_parts
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
    "call_sign": "callSign",
    "vessel_flag": "flag",
    "vessel_type": "type",
    "vessel_tonnage": "tonnage",
    "vessel_grt": "grossRegisteredTonnage",
    "vessel_build_year": "buildDate",
    "incorporation_date": "incorporationDate",
}
# the properties of Corridor's exports that a schema lacks (followthemoney 4.11)
_PERSON_ONLY = (
    "firstName middleName lastName fatherName title secondName birthDate birthPlace "
    "nationality citizenship position gender"
)
_VESSEL_ONLY = "callSign flag type tonnage grossRegisteredTonnage buildDate imoNumber mmsi"
_COMPANY_ONLY = (
    "jurisdiction website email phone incorporationDate innCode ogrnCode leiCode swiftBic "
    "taxNumber vatCode dunsCode passportNumber idNumber"
)


def _props(*groups: str, keep: str = "") -> frozenset[str]:
    return frozenset(" ".join(groups).split()) - frozenset(keep.split())


_NOT_ON: dict[str, frozenset[str]] = {
    "Person": _props(_VESSEL_ONLY),
    "Organization": _props(_PERSON_ONLY, _VESSEL_ONLY, "passportNumber", keep="imoNumber"),
    "Vessel": _props(_PERSON_ONLY, _COMPANY_ONLY),
    "Airplane": _props(_PERSON_ONLY, _COMPANY_ONLY, _VESSEL_ONLY, keep="type buildDate"),
}
_NOT_ON["LegalEntity"] = _NOT_ON["Organization"]
_TEXT_PROPS = frozenset({"notes", "summary", "description", "remarks"})
# the longest value of each FtM type (followthemoney 4.11): longer ones are refused
_IDENTIFIER_PROPS = _props(
    "number innCode ogrnCode leiCode swiftBic imoNumber mmsi taxNumber vatCode "
    "registrationNumber dunsCode passportNumber idNumber callSign"
)
_NAME_VALUE_PROPS = _props("name alias weakAlias previousName")


def _max_length(prop: str) -> int:
    if prop in _IDENTIFIER_PROPS:
        return 64
    if prop in ("full", "address"):
        return 250
    if prop in _NAME_VALUE_PROPS:
        return 384
    if prop in _TEXT_PROPS:
        return 65000
    return 1024


_DATE_PROPS = frozenset({"birthDate", "buildDate", "incorporationDate", "modifiedAt"})
_COUNTRY_PROPS = frozenset({"nationality", "citizenship", "jurisdiction", "country", "flag"})
_GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female", "other": "other"}
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")

# FtM topics of each listing: export-control lists are not sanctions
SANCTION = "sanction"
EXPORT_CONTROL = "export.control"
DEBARMENT = "debarment"
LISTED_TOPICS = frozenset({SANCTION, EXPORT_CONTROL})  # what an import lists by default
_SUBLIST_TOPICS = {
    "EL": (EXPORT_CONTROL,),
    "MEU": (EXPORT_CONTROL,),
    "UVL": (EXPORT_CONTROL,),
    "DPL": (EXPORT_CONTROL, DEBARMENT),
    "DTC": (DEBARMENT, EXPORT_CONTROL),
}
_SOURCE_TOPICS = {
    "kz_afm": (SANCTION, "crime.terror"),
    "kz_afm_participants": (SANCTION, "crime.terror"),
}


def topics_of(entity: Entity) -> tuple[str, ...]:
    """The FtM topics of a listed record: ``sanction`` for sanctions lists,
    ``export.control`` for the BIS lists, with ``debarment`` for the denied and debarred."""
    if entity.source in _SOURCE_TOPICS:
        return _SOURCE_TOPICS[entity.source]
    own = entity.attributes.get("topics")
    if own and entity.source not in ("us_csl",):
        return tuple(own)
    _, sub, _ = listing_parts(entity.source, entity.lists)
    return _SUBLIST_TOPICS.get(sub, (SANCTION,))


def _valid_typed(prop: str, value: str) -> bool:
    """Whether a value may go in a typed identifier property (FtM checks their formats)."""
    digits = re.sub(r"\D", "", value)
    compact = re.sub(r"[\s-]", "", value.upper())
    if prop == "innCode":
        return digits == compact and ru_inn_valid(digits)
    if prop == "ogrnCode":  # FtM's OGRN format is the 13-digit one (not the OGRNIP)
        return digits == compact and len(digits) == 13 and ru_ogrn_valid(digits)
    if prop == "swiftBic":
        return bool(_BIC.match(compact))
    if prop == "leiCode":
        if not _LEI.match(compact):
            return False
        number = "".join(str(int(c, 36)) for c in compact)
        return int(number) % 97 == 1
    if prop == "imoNumber":
        imo = re.sub(r"^IMO", "", compact)
        if not (len(imo) == 7 and imo.isdigit()):
            return False
        return sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True)) % 10 == int(
            imo[6]
        )
    return True


def _clean(prop: str, value: str) -> str | None:
    """A value as FtM's type for ``prop`` accepts it, or None (the caller keeps it in the
    notes)."""
    if prop in _DATE_PROPS:
        if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
            return value
        return parse_date(value)
    if prop in _COUNTRY_PROPS:
        code = to_iso2(value)
        return code.lower() if code else None
    if prop == "gender":
        return _GENDERS.get(value.lower())
    if prop == "website":
        return value if re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", value, re.I) else None
    if prop == "email":
        return value if re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value) else None
    return value


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


class _Props:
    """The properties of one FtM entity being written: only those its schema has, and only
    values of the property's type; a value FtM would refuse goes to the notes, labelled."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.values: dict[str, list[str]] = {}
        self.refused: list[str] = []

    def put(self, key: str, value: str | None) -> None:
        if not value:
            return
        if key in _NOT_ON.get(self.schema, frozenset()):
            return
        if key not in _TEXT_PROPS:
            value = " ".join(value.split())  # one line: FtM's non-text types refuse breaks
        cleaned = _clean(key, value)
        if cleaned is None or not _valid_typed(key, cleaned) or len(cleaned) > _max_length(key):
            self.refused.append(f"{key}: {value}")
            return
        _put(self.values, key, cleaned)


def to_ftm(entity: Entity) -> list[dict[str, Any]]:
    """The FtM entities (main first, then adjuncts) that represent ``entity``. Every value is
    one FtM accepts for its property (dates as ISO prefixes, countries as codes, typed
    identifiers that pass their check); what FtM would refuse, and phone numbers (which FtM
    validates against numbering plans Corridor does not carry), go to the notes."""
    schema = SCHEMAS[entity.kind]
    props = _Props(schema)
    for name in entity.names:
        if name.type is NameType.PRIMARY:
            props.put("name", name.full)
            if entity.kind is EntityKind.PERSON:
                for part in name.parts:
                    if part.kind in _PART_PROPS:
                        props.put(_PART_PROPS[part.kind], part.value)
        else:
            props.put(_NAME_PROPS[(name.type, name.strength)], name.full)
    if entity.kind is EntityKind.PERSON:
        for d in entity.birth_dates:
            props.put("birthDate", d)
        for p in entity.birth_places:
            props.put("birthPlace", p)
        for c in entity.nationalities:
            props.put("nationality", c)
        for c in entity.citizenships:
            props.put("citizenship", c)
        for p in entity.positions:
            props.put("position", p)
        props.put("gender", entity.gender)
    else:
        # FtM has no nationality for organisations; jurisdiction is the nearest property
        for c in entity.nationalities + entity.citizenships:
            props.put("jurisdiction", c)
        for p in entity.positions:
            props.put("summary", p)
    for c in entity.countries:
        props.put("country", c)
    for r in entity.remarks:
        props.put("notes", r)
    for topic in topics_of(entity):
        props.put("topics", topic)
    props.put("modifiedAt", entity.modified_on)
    for key, prop in _ATTR_PROPS.items():
        for value in entity.attributes.get(key, []):
            props.put(prop, value)
    for value in entity.attributes.get("phone", []):
        props.refused.append(f"phone: {value}")
    for ident in entity.identifiers:
        typed = _TYPED_IDS.get(ident.type)
        if typed and not (typed == "passportNumber" and entity.kind is not EntityKind.PERSON):
            if typed in _NOT_ON.get(schema, frozenset()) or not _valid_typed(typed, ident.value):
                continue  # kept in its Identification entity below
            props.put(typed, ident.value)
    adjuncts: list[dict[str, Any]] = []
    sanction = _Props("Sanction")
    sanction.put("entity", entity.id)
    for p in entity.programs:
        sanction.put("program", p)
    for lst in entity.lists:
        sanction.put("authority", lst)
    listed = _clean("birthDate", entity.listed_on) if entity.listed_on else None
    sanction.put("listingDate", listed)
    adjuncts.append(_make(f"{entity.id}-sanction", "Sanction", sanction.values, entity.source))
    for i, ident in enumerate(entity.identifiers):
        iprops = _Props("Identification")
        iprops.put("holder", entity.id)
        iprops.put("number", ident.value)
        if "number" not in iprops.values:  # not an identifier FtM accepts: a note
            props.refused.append(f"{ident.label or ident.type.value}: {ident.value}")
            continue
        iprops.put("type", ident.label or ident.type.value)
        iprops.put("country", ident.country)
        iprops.put("summary", ident.note)
        schema_i = "Passport" if ident.type is IdType.PASSPORT else "Identification"
        adjuncts.append(_make(f"{entity.id}-id-{i}", schema_i, iprops.values, entity.source))
    for i, addr in enumerate(entity.addresses):
        aprops = _Props("Address")
        aprops.put("full", addr.full)
        if "full" not in aprops.values:  # longer than FtM's addresses: kept as remarks
            aprops.put("remarks", addr.full)
        aprops.put("street", addr.street)
        aprops.put("city", addr.city)
        aprops.put("region", addr.region)
        aprops.put("postalCode", addr.postal_code)
        aprops.put("country", addr.country)
        addr_id = f"{entity.id}-addr-{i}"
        adjuncts.append(_make(addr_id, "Address", aprops.values, entity.source))
        props.put("addressEntity", addr_id)
        if len(" ".join(addr.full.split())) <= _max_length("address"):
            props.put("address", addr.full)
    for refused in props.refused:
        _put(props.values, "notes", refused)
    main = _make(entity.id, schema, props.values, entity.source)
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
        if r.startswith("phone: "):
            ent.add_attribute("phone", r[len("phone: ") :])
        else:
            ent.add("remarks", r)
    for topic in props.get("topics", []):
        ent.add_attribute("topics", topic)
    genders = props.get("gender", [])
    ent.gender = genders[0] if genders else None
    modified = props.get("modifiedAt", [])
    ent.modified_on = modified[0][:10] if modified else None
    for key, prop in _ATTR_PROPS.items():
        for value in props.get(prop, []):
            ent.add_attribute(key, _country(value) if prop == "flag" else value)
    for value in props.get("phone", []):
        ent.add_attribute("phone", value)
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
    full = (
        one("full")
        or one("remarks")
        or ", ".join(
            v for v in (one("street"), one("city"), one("region"), one("postalCode"), country) if v
        )
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

"""The listed-party data model shared by every list format and every later stage.

Internal types are plain slotted dataclasses (fast to build in bulk); serialisation is
``to_dict``/``from_dict`` (JSON-ready, used by the store) and FollowTheMoney JSON in
:mod:`corridor.model.ftm`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EntityKind(StrEnum):
    """What a listed party is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class NameType(StrEnum):
    """The role of a name on the list record."""

    PRIMARY = "primary"
    AKA = "aka"  # also known as
    FKA = "fka"  # formerly known as
    NKA = "nka"  # now known as


class NameStrength(StrEnum):
    """OFAC/EU/UN alias quality: weak aliases are nicknames or low-quality spellings."""

    STRONG = "strong"
    WEAK = "weak"


class NamePartKind(StrEnum):
    """A structured part of a name, where the source gives one."""

    GIVEN = "given"
    MIDDLE = "middle"
    FAMILY = "family"
    PATRONYMIC = "patronymic"
    TITLE = "title"
    OTHER = "other"


@dataclass(slots=True)
class NamePart:
    kind: NamePartKind
    value: str


@dataclass(slots=True)
class Name:
    """One name of a listed party, as written by the source."""

    full: str
    type: NameType = NameType.PRIMARY
    strength: NameStrength = NameStrength.STRONG
    script: str | None = None  # ISO 15924 code, e.g. "Latn", "Cyrl", "Arab"
    lang: str | None = None  # ISO 639 code where the source gives it
    parts: list[NamePart] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"full": self.full, "type": self.type.value}
        if self.strength is not NameStrength.STRONG:
            d["strength"] = self.strength.value
        if self.script:
            d["script"] = self.script
        if self.lang:
            d["lang"] = self.lang
        if self.parts:
            d["parts"] = [[p.kind.value, p.value] for p in self.parts]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Name:
        return cls(
            full=d["full"],
            type=NameType(d.get("type", "primary")),
            strength=NameStrength(d.get("strength", "strong")),
            script=d.get("script"),
            lang=d.get("lang"),
            parts=[NamePart(NamePartKind(k), v) for k, v in d.get("parts", [])],
        )


class IdType(StrEnum):
    """Normalised identifier types; the source's own label is kept in ``Identifier.label``."""

    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    INN = "inn"  # Russian taxpayer number (10 or 12 digits)
    OGRN = "ogrn"  # Russian state registration number (13 or 15 digits)
    BIN = "bin"  # Kazakh business identification number (12 digits)
    IIN = "iin"  # Kazakh individual identification number (12 digits)
    REGISTRATION = "registration"
    VAT = "vat"
    LEI = "lei"
    BIC = "bic"
    IMO = "imo"
    MMSI = "mmsi"
    DUNS = "duns"
    AIRCRAFT_SERIAL = "aircraft_serial"
    OTHER = "other"


@dataclass(slots=True)
class Identifier:
    type: IdType
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2
    label: str | None = None  # the source's own label, e.g. "Tax ID No."
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type.value, "value": self.value}
        for key in ("country", "label", "note"):
            val = getattr(self, key)
            if val:
                d[key] = val
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Identifier:
        return cls(
            type=IdType(d["type"]),
            value=d["value"],
            country=d.get("country"),
            label=d.get("label"),
            note=d.get("note"),
        )


@dataclass(slots=True)
class Address:
    full: str
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"full": self.full}
        for key in ("street", "city", "region", "postal_code", "country"):
            val = getattr(self, key)
            if val:
                d[key] = val
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Address:
        return cls(
            full=d["full"],
            street=d.get("street"),
            city=d.get("city"),
            region=d.get("region"),
            postal_code=d.get("postal_code"),
            country=d.get("country"),
        )


_LIST_FIELDS = (
    "programs",
    "lists",
    "birth_dates",
    "birth_places",
    "nationalities",
    "citizenships",
    "countries",
    "positions",
    "remarks",
)


@dataclass(slots=True)
class Entity:
    """A listed party: person, organisation, vessel or aircraft.

    ``id`` is stable across versions of the same list (it is built from the source's own
    permanent identifier, e.g. ``ofac-36`` for SDN entry 36 in every OFAC format).
    Countries are ISO 3166-1 alpha-2; dates are ISO 8601 prefixes (``1962``, ``1962-03``,
    ``1962-03-25``).
    """

    id: str
    source: str
    kind: EntityKind
    names: list[Name] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    listed_on: str | None = None
    modified_on: str | None = None
    positions: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        """The primary name, or the first name of any kind."""
        for name in self.names:
            if name.type is NameType.PRIMARY:
                return name.full
        return self.names[0].full if self.names else self.id

    def add_name(self, name: Name) -> None:
        """Add a name unless the same text with the same role is already there."""
        key = (name.full, name.type)
        for existing in self.names:
            if (existing.full, existing.type) == key:
                if not existing.parts and name.parts:
                    existing.parts = name.parts
                return
        self.names.append(name)

    def add(self, attr: str, value: str | None) -> None:
        """Append ``value`` to a list field, skipping empties and duplicates."""
        if value is None:
            return
        value = value.strip()
        if not value:
            return
        values: list[str] = getattr(self, attr)
        if value not in values:
            values.append(value)

    def add_attribute(self, key: str, value: str | None) -> None:
        if value is None or not value.strip():
            return
        values = self.attributes.setdefault(key, [])
        if value.strip() not in values:
            values.append(value.strip())

    def add_identifier(self, ident: Identifier) -> None:
        for existing in self.identifiers:
            if (existing.type, existing.value, existing.country) == (
                ident.type,
                ident.value,
                ident.country,
            ):
                return
        self.identifiers.append(ident)

    def add_address(self, address: Address) -> None:
        if not address.full.strip():
            return
        if any(a.full == address.full for a in self.addresses):
            return
        self.addresses.append(address)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "kind": self.kind.value,
            "names": [n.to_dict() for n in self.names],
        }
        for key in _LIST_FIELDS:
            values = getattr(self, key)
            if values:
                d[key] = list(values)
        if self.gender:
            d["gender"] = self.gender
        if self.identifiers:
            d["identifiers"] = [i.to_dict() for i in self.identifiers]
        if self.addresses:
            d["addresses"] = [a.to_dict() for a in self.addresses]
        if self.listed_on:
            d["listed_on"] = self.listed_on
        if self.modified_on:
            d["modified_on"] = self.modified_on
        if self.attributes:
            d["attributes"] = {k: list(v) for k, v in sorted(self.attributes.items())}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        ent = cls(
            id=d["id"],
            source=d["source"],
            kind=EntityKind(d["kind"]),
            names=[Name.from_dict(n) for n in d.get("names", [])],
            gender=d.get("gender"),
            identifiers=[Identifier.from_dict(i) for i in d.get("identifiers", [])],
            addresses=[Address.from_dict(a) for a in d.get("addresses", [])],
            listed_on=d.get("listed_on"),
            modified_on=d.get("modified_on"),
            attributes={k: list(v) for k, v in d.get("attributes", {}).items()},
        )
        for key in _LIST_FIELDS:
            setattr(ent, key, list(d.get(key, [])))
        return ent

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def content_hash(self) -> str:
        """A hash of the record's content; equal records in two versions share it."""
        return record_hash(self.to_json())


def record_hash(record_json: str) -> str:
    """The content hash of an entity record serialised by :meth:`Entity.to_json`."""
    return hashlib.sha256(record_json.encode("utf-8")).hexdigest()

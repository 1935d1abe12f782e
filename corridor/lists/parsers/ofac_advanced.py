"""OFAC Advanced Sanctions Data Model XML (``sdn_advanced.xml``, ``cons_advanced.xml``).

The file is a small relational database: reference values first, then locations, identity
documents, parties, relationships and sanctions entries. Reference tables, locations and
documents are held in memory (they are small); parties are streamed and completed with their
programmes and listing dates when the sanctions entries have been read at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.parsers.ofac_common import ATTR_FEATURES, ID_FEATURES, SCRIPTS
from corridor.lists.xmlread import (
    children,
    descendants,
    first,
    iter_xml,
    line_of,
    local,
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

_PART_KINDS = {
    "last name": NamePartKind.FAMILY,
    "first name": NamePartKind.GIVEN,
    "middle name": NamePartKind.MIDDLE,
    "patronymic": NamePartKind.PATRONYMIC,
    "maiden name": NamePartKind.FAMILY,
}
_ALIAS_TYPES = {
    "a.k.a.": NameType.AKA,
    "f.k.a.": NameType.FKA,
    "n.k.a.": NameType.NKA,
    "name": NameType.PRIMARY,
}


@dataclass
class _Refs:
    values: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    party_subtype: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (sub, type)
    country_iso: dict[str, str] = field(default_factory=dict)
    script_code: dict[str, str] = field(default_factory=dict)

    def get(self, table: str, ref: str | None) -> str:
        return self.values[table].get(ref or "", "")


def _read_refs(elem: etree._Element) -> _Refs:
    refs = _Refs()
    for table in elem:
        if not isinstance(table.tag, str):
            continue
        for item in table:
            if not isinstance(item.tag, str):
                continue
            name = local(item)
            ident = item.get("ID", "")
            refs.values[name][ident] = (item.text or "").strip()
            if name == "PartySubType":
                refs.party_subtype[ident] = ((item.text or "").strip(), item.get("PartyTypeID", ""))
            elif name == "Country":
                iso = item.get("ISO2") or to_iso2(item.text) or ""
                refs.country_iso[ident] = iso
            elif name == "AreaCode":
                code = (item.text or "").strip()
                if len(code) == 2:
                    refs.country_iso.setdefault(item.get("CountryID", ident), code)
            elif name == "Script":
                code = item.get("ScriptCode", "") or ""
                refs.script_code[ident] = SCRIPTS.get(code.lower(), code[:4].title())
    return refs


def _location(refs: _Refs, elem: etree._Element) -> Address:
    parts: dict[str, str] = {}
    for lp in children(elem, "LocationPart"):
        ptype = refs.get("LocPartType", lp.get("LocPartTypeID")).lower()
        for value in children(lp, "LocationPartValue"):
            if value.get("Primary", "true") == "true":
                parts[ptype] = text_of(first(value, "Value")) or ""
    country = None
    for lc in children(elem, "LocationCountry"):
        country = refs.country_iso.get(lc.get("CountryID", "")) or None
    if country is None:
        for ac in children(elem, "LocationAreaCode"):
            country = refs.country_iso.get(ac.get("AreaCodeID", "")) or None
    street = ", ".join(parts[k] for k in ("address1", "address2", "address3") if parts.get(k))
    country_name = refs.get(
        "Country", next((lc.get("CountryID") for lc in children(elem, "LocationCountry")), None)
    )
    fields = [
        street,
        parts.get("city"),
        parts.get("state/province"),
        parts.get("postal code"),
        parts.get("region"),
        country_name,
    ]
    return Address(
        full=", ".join(f for f in fields if f),
        street=street or None,
        city=parts.get("city") or None,
        region=parts.get("state/province") or parts.get("region") or None,
        postal_code=parts.get("postal code") or None,
        country=country,
    )


def _date_period(elem: etree._Element) -> str | None:
    start = first(elem, "Start")
    end = first(elem, "End")

    def ymd(node: etree._Element | None) -> tuple[int, int, int] | None:
        if node is None:
            return None
        frm = first(node, "From")
        if frm is None:
            return None
        try:
            return (
                int(text_of(first(frm, "Year")) or 0),
                int(text_of(first(frm, "Month")) or 0),
                int(text_of(first(frm, "Day")) or 0),
            )
        except ValueError:
            return None

    s, e = ymd(start), ymd(end)
    if s is None:
        return None
    y, m, d = s
    if e is not None and e[0] == y and (e[1], e[2]) == (12, 31) and (m, d) == (1, 1):
        return f"{y:04d}"
    if e is not None and e[0] == y and e[1] == m and d == 1 and e[2] >= 28:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


class _Advanced:
    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.refs = _Refs()
        self.locations: dict[str, Address] = {}
        self.documents: dict[str, list[etree._Element]] = defaultdict(list)
        self.entities: dict[str, Entity] = {}

    def party(self, elem: etree._Element) -> None:
        fixed = elem.get("FixedRef")
        profile = first(elem, "Profile")
        if not fixed or profile is None:
            raise ParseError(
                "DistinctParty without FixedRef or Profile", self.ctx.name, line=line_of(elem)
            )
        subtype, ptype_id = self.refs.party_subtype.get(profile.get("PartySubTypeID", ""), ("", ""))
        ptype = self.refs.get("PartyType", ptype_id).lower()
        kind = {"individual": EntityKind.PERSON, "entity": EntityKind.ORGANIZATION}.get(ptype)
        if kind is None:
            kind = {"vessel": EntityKind.VESSEL, "aircraft": EntityKind.AIRCRAFT}.get(
                subtype.lower(), EntityKind.ORGANIZATION
            )
        person = kind is EntityKind.PERSON
        ent = Entity(id=f"ofac-{fixed}", source=self.ctx.source, kind=kind)
        identity_ids: list[str] = []
        for identity in children(profile, "Identity"):
            identity_ids.append(identity.get("ID", ""))
            groups: dict[str, str] = {}
            for npg in descendants(identity, "NamePartGroup"):
                groups[npg.get("ID", "")] = self.refs.get("NamePartType", npg.get("NamePartTypeID"))
            for alias in children(identity, "Alias"):
                atype = self.refs.get("AliasType", alias.get("AliasTypeID")).lower()
                name_type = _ALIAS_TYPES.get(atype, NameType.AKA)
                if alias.get("Primary") == "true":
                    name_type = NameType.PRIMARY
                weak = alias.get("LowQuality") == "true"
                for dn in children(alias, "DocumentedName"):
                    self._name(ent, dn, groups, name_type, weak, person)
        for feature in children(profile, "Feature"):
            self._feature(ent, feature, person)
        for identity_id in identity_ids:
            for doc in self.documents.pop(identity_id, []):
                self._document(ent, doc, person)
        if not ent.names:
            raise ParseError("party has no name", self.ctx.name, line=line_of(elem), record=fixed)
        self.entities[fixed] = ent

    def _name(
        self,
        ent: Entity,
        dn: etree._Element,
        groups: dict[str, str],
        name_type: NameType,
        weak: bool,
        person: bool,
    ) -> None:
        parts: list[NamePart] = []
        values: list[tuple[str, str]] = []
        script = None
        for dnp in children(dn, "DocumentedNamePart"):
            npv = first(dnp, "NamePartValue")
            value = text_of(npv)
            if npv is None or not value:
                continue
            script = self.refs.script_code.get(npv.get("ScriptID", ""), script)
            ptype = groups.get(npv.get("NamePartGroupID", ""), "").lower()
            values.append((ptype, value))
            if ptype in _PART_KINDS:
                parts.append(NamePart(_PART_KINDS[ptype], value))
        if not values:
            return
        last = [v for t, v in values if t == "last name"]
        rest = [v for t, v in values if t != "last name"]
        if last and rest and person:
            full = f"{' '.join(last)}, {' '.join(rest)}"
        else:
            full = " ".join(last + rest)
        # a second script of the primary name is an alias in that script
        if (
            name_type is NameType.PRIMARY
            and any(n.type is NameType.PRIMARY for n in ent.names)
            and script not in (None, "Latn")
        ):
            name_type = NameType.AKA
        ent.add_name(
            Name(
                full,
                name_type,
                NameStrength.WEAK if weak else NameStrength.STRONG,
                script=script,
                parts=parts if person else [],
            )
        )

    def _feature(self, ent: Entity, feature: etree._Element, person: bool) -> None:
        ftype = self.refs.get("FeatureType", feature.get("FeatureTypeID")).lower()
        for version in children(feature, "FeatureVersion"):
            detail = first(version, "VersionDetail")
            text = text_of(detail)
            if detail is not None and detail.get("DetailReferenceID"):
                text = self.refs.get("DetailReference", detail.get("DetailReferenceID")) or text
            loc = first(version, "VersionLocation")
            address = self.locations.get(loc.get("LocationID", "")) if loc is not None else None
            period = first(version, "DatePeriod")
            if ftype == "birthdate" and period is not None:
                ent.add("birth_dates", _date_period(period))
            elif ftype == "place of birth":
                ent.add("birth_places", text or (address.full if address else None))
            elif ftype in ("citizenship country", "nationality country"):
                code = address.country if address else to_iso2(text)
                if code:
                    ent.add("citizenships" if "citizenship" in ftype else "nationalities", code)
            elif ftype == "location" and address is not None:
                ent.add_address(address)
                if address.country:
                    ent.add("countries", address.country)
            elif ftype == "gender":
                ent.gender = (text or "").lower() or ent.gender
            elif ftype in ID_FEATURES and text:
                made = make_identifier(ftype, text, person=person)
                if made is not None:
                    ent.add_identifier(made)
            elif ftype in ATTR_FEATURES:
                value = text or (address.country if address else None)
                ent.add_attribute(ATTR_FEATURES[ftype], value)
            elif text:
                ent.add_attribute("feature", f"{ftype}: {text}")

    def _document(self, ent: Entity, doc: etree._Element, person: bool) -> None:
        number = text_of(first(doc, "IDRegistrationNo"))
        if not number:
            return
        label = self.refs.get("IDRegDocType", doc.get("IDRegDocTypeID"))
        country = self.refs.country_iso.get(doc.get("IssuedBy-CountryID", "")) or None
        made = make_identifier(label, number, country, person=person)
        if made is not None:
            ent.add_identifier(made)

    def entry(self, elem: etree._Element) -> None:
        profile = elem.get("ProfileID", "")
        ent = self.entities.get(profile)
        if ent is None:
            return
        ent.add("lists", self.refs.get("List", elem.get("ListID")))
        for event in children(elem, "EntryEvent"):
            date = first(event, "Date")
            if date is not None:
                try:
                    y, m, d = (int(text_of(first(date, k)) or 0) for k in ("Year", "Month", "Day"))
                    listed = f"{y:04d}-{m:02d}-{d:02d}"
                    if ent.listed_on is None or listed < ent.listed_on:
                        ent.listed_on = listed
                except ValueError:
                    pass
        for measure in children(elem, "SanctionsMeasure"):
            stype = self.refs.get("SanctionsType", measure.get("SanctionsTypeID")).lower()
            comment = text_of(first(measure, "Comment"))
            if stype == "program" and comment:
                ent.add("programs", comment)

    def run(self) -> Iterator[Entity]:
        tags = (
            "DateOfIssue",
            "ReferenceValueSets",
            "Location",
            "IDRegDocument",
            "DistinctParty",
            "SanctionsEntry",
        )
        for elem in iter_xml(self.ctx.path, tags):
            name = local(elem)
            if name == "DistinctParty":
                self.party(elem)
            elif name == "SanctionsEntry":
                self.entry(elem)
            elif name == "Location":
                if elem.get("ID"):
                    self.locations[elem.get("ID", "")] = _location(self.refs, elem)
            elif name == "IDRegDocument":
                self.documents[elem.get("IdentityID", "")].append(elem)
                continue  # kept until its party is read
            elif name == "ReferenceValueSets":
                self.refs = _read_refs(elem)
            elif name == "DateOfIssue":
                try:
                    y, m, d = (int(text_of(first(elem, k)) or 0) for k in ("Year", "Month", "Day"))
                    self.ctx.published = f"{y:04d}-{m:02d}-{d:02d}"
                except ValueError:
                    pass
            if (
                name != "IDRegDocument"
                and elem.getparent() is not None
                and name in ("DistinctParty", "SanctionsEntry", "Location")
            ):
                elem.clear()
        if not self.entities:
            raise ParseError("no DistinctParty records found", self.ctx.name)
        for key in list(self.entities):
            yield self.entities.pop(key)


def sniff(head: bytes, name: str) -> bool:
    return b"<Sanctions" in head and (
        b"sdn_advanced" in head or b"un.org/sanctions/1.0" in head or b"<ReferenceValueSets" in head
    )


def parse(ctx: ParseContext) -> Iterator[Entity]:
    yield from _Advanced(ctx).run()


FORMAT = register(
    ListFormat(
        name="ofac_advanced",
        title="OFAC Advanced Sanctions Data Model XML (sdn_advanced.xml, cons_advanced.xml)",
        default_source="us_ofac_sdn",
        sniff=sniff,
        parse=parse,
        extensions=(".xml", ".zip"),
    )
)

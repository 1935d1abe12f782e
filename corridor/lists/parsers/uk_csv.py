"""HM Treasury / OFSI Consolidated List CSV (``ConList.csv``), both layouts:

- the older 29-column layout (``Name 6,Name 1,...,Group ID``; often latin-1);
- the newer layout with non-Latin-script name, passport and national-id columns.

The file has one row per name; rows sharing a ``Group ID`` are one target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.text import csv_dicts, open_text
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
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

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "ship": EntityKind.VESSEL,
}
_ALIASES = {
    "prime alias": NameType.PRIMARY,
    "aka": NameType.AKA,
    "fka": NameType.FKA,
    "alias": NameType.AKA,
    "primary name": NameType.PRIMARY,
    "primary name variation": NameType.AKA,
}
_REQUIRED = ("Name 6", "Group ID", "Group Type")


def uk_date(text: str) -> list[str]:
    """OFSI dates: ``dd/mm/yyyy`` with ``00`` for unknown parts; several may be listed."""
    out = []
    for m in re.finditer(r"(\d{2})/(\d{2})/(\d{4})", text or ""):
        d, mo, y = m.groups()
        if mo == "00":
            out.append(y)
        elif d == "00":
            out.append(f"{y}-{mo}")
        else:
            parsed = parse_date(f"{d}/{mo}/{y}")
            if parsed:
                out.append(parsed)
    return out


def _split_numbered(text: str) -> list[str]:
    """ "(1) Iranian (2) Iraqi" -> ["Iranian", "Iraqi"]."""
    parts = [p.strip(" ,;") for p in re.split(r"\(\d+\)", text or "")]
    return [p for p in parts if p]


def sniff(head: bytes, name: str) -> bool:
    text = head.decode("latin-1", errors="replace").lstrip("\ufeff")
    lines = text.split("\n", 2)
    return len(lines) >= 2 and lines[0].startswith("Last Updated") and "Name 6" in lines[1]


def parse(ctx: ParseContext) -> Iterator[Entity]:
    entities: dict[str, Entity] = {}
    # OFSI published its files without a final line break: a cut at a record boundary is
    # caught by the shrink guard, a cut inside a record by the strict reader
    with open_text(ctx.path, ctx.encoding) as fh:
        first = next(fh, "")
        if not first.lstrip("\ufeff").startswith("Last Updated"):
            raise ParseError("first line must be 'Last Updated,<date>'", ctx.name, line=1)
        ctx.published = next(iter(uk_date(first)), None)
        fields, rows = csv_dicts(fh)
        missing = [c for c in _REQUIRED if c not in fields]
        if missing:
            raise ParseError(f"header lacks column(s) {', '.join(missing)}", ctx.name, line=2)
        for line, row in rows:
            if not any((v or "").strip() for v in row.values()):
                continue
            group = (row.get("Group ID") or "").strip()
            if not group:
                raise ParseError("row has no Group ID", ctx.name, line=line)
            ent = entities.get(group)
            if ent is None:
                gtype = (row.get("Group Type") or "").strip().lower()
                if gtype not in _KINDS:
                    raise ParseError(
                        f"unknown Group Type {row.get('Group Type')!r}",
                        ctx.name,
                        line=line,
                        record=group,
                    )
                ent = Entity(id=f"uk-{group}", source=ctx.source, kind=_KINDS[gtype])
                entities[group] = ent
            _apply(ent, {k: (v or "").strip() for k, v in row.items() if k})
    if not entities:
        raise ParseError("no rows found", ctx.name)
    for ent in entities.values():
        if not any(n.type is NameType.PRIMARY for n in ent.names) and ent.names:
            ent.names[0].type = NameType.PRIMARY
        yield ent


def _apply(ent: Entity, row: dict[str, str]) -> None:
    person = ent.kind is EntityKind.PERSON
    given = [row.get(f"Name {i}", "") for i in range(1, 6)]
    family = row.get("Name 6", "")
    full = " ".join(v for v in [*given, family] if v)
    if full:
        parts = []
        if person:
            for i, v in enumerate(given):
                if v:
                    parts.append(NamePart(NamePartKind.GIVEN if i == 0 else NamePartKind.MIDDLE, v))
            if family:
                parts.append(NamePart(NamePartKind.FAMILY, family))
        alias_type = _ALIASES.get(row.get("Alias Type", "").lower(), NameType.AKA)
        if alias_type is NameType.PRIMARY and any(n.type is NameType.PRIMARY for n in ent.names):
            alias_type = NameType.AKA
        weak = row.get("Alias Quality", "").lower() in ("low quality", "low")
        ent.add_name(
            Name(
                full,
                alias_type,
                NameStrength.WEAK if weak else NameStrength.STRONG,
                script="Latn",
                parts=parts,
            )
        )
    non_latin = row.get("Name Non-Latin Script", "")
    if non_latin:
        ent.add_name(
            Name(
                non_latin,
                NameType.AKA,
                script=detect_script(non_latin),
                lang=row.get("Non-Latin Script Language", "").lower()[:2] or None,
            )
        )
    ent.add("positions", row.get("Title", ""))
    ent.add("positions", row.get("Position", ""))
    for d in uk_date(row.get("DOB", "")):
        ent.add("birth_dates", d)
    place = ", ".join(
        v for v in (row.get("Town of Birth", ""), row.get("Country of Birth", "")) if v
    )
    ent.add("birth_places", place)
    for nat in _split_numbered(row.get("Nationality", "")):
        code = to_iso2(nat)
        if code:
            ent.add("nationalities", code)
    for key, label in (
        ("Passport Number", "Passport"),
        ("National Identification Number", "National ID No."),
    ):
        if row.get(key):
            made = make_identifier(label, row[key], person=person)
            if made is not None:
                ent.add_identifier(made)
    if row.get("Passport Details"):
        ent.add_attribute("passport_details", row["Passport Details"])
    if row.get("NI Number"):
        ent.add_attribute("ni_details", row["NI Number"])
    address_fields = [row.get(f"Address {i}", "") for i in range(1, 7)]
    country_name = row.get("Country", "")
    full_addr = ", ".join(
        v for v in [*address_fields, row.get("Post/Zip Code", ""), country_name] if v
    )
    if full_addr:
        country = to_iso2(country_name)
        ent.add_address(
            Address(
                full=full_addr,
                street=", ".join(v for v in address_fields[:3] if v) or None,
                city=address_fields[5] or address_fields[3] or None,
                postal_code=row.get("Post/Zip Code") or None,
                country=country,
            )
        )
        if country:
            ent.add("countries", country)
    ent.add("remarks", row.get("Other Information", ""))
    ent.add("programs", row.get("Regime", ""))
    listed = next(iter(uk_date(row.get("Listed On", ""))), None)
    if listed and (ent.listed_on is None or listed < ent.listed_on):
        ent.listed_on = listed
    updated = next(iter(uk_date(row.get("Last Updated", ""))), None)
    if updated and (ent.modified_on is None or updated > ent.modified_on):
        ent.modified_on = updated
    ent.add_attribute("uk_designated", row.get("UK Sanctions List Date Designated", ""))


FORMAT = register(
    ListFormat(
        name="uk_hmt_csv",
        title="HM Treasury / OFSI Consolidated List CSV (both layouts)",
        default_source="uk_hmt",
        sniff=sniff,
        parse=parse,
        extensions=(".csv",),
    )
)

"""EU Financial Sanctions Files legacy v1.0 CSV (``;``-separated, one row per sub-record).

Each row repeats the entity columns and fills one group of name (``Naal_``), address
(``Addr_``), birth (``Birt_``), identification (``Iden_``) or citizenship (``Citi_``) columns.
Files saved through spreadsheet tools may wrap every line in quotes and pad it with tabs;
both layouts are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.parsers.eu_xml import document_identifier
from corridor.lists.text import csv_rows, open_text
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date, parse_dates
from corridor.model.entity import (
    Address,
    Entity,
    EntityKind,
    Name,
    NamePart,
    NamePartKind,
    NameType,
)
from corridor.model.scripts import detect_script

_REQUIRED = ("Entity_logical_id", "Subject_type", "Naal_wholename")


def _unwrap(line: str) -> str:
    line = line.rstrip("\r\n").rstrip("\t ")
    if len(line) >= 2 and line.startswith('"') and line.endswith('"') and ";" in line:
        inner = line[1:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"')
    return line


def sniff(head: bytes, name: str) -> bool:
    first = head.split(b"\n", 1)[0]
    return b"Entity_logical_id" in first and b"Naal_" in first and b";" in first


def parse(ctx: ParseContext) -> Iterator[Entity]:
    entities: dict[str, Entity] = {}
    with open_text(ctx.path, ctx.encoding, final_newline=True) as fh:
        reader = csv_rows(fh, (_unwrap(line) for line in fh), delimiter=";")
        first = next(reader, None)
        if first is None:
            raise ParseError("file is empty", ctx.name, line=1)
        header = first[1]
        index: dict[str, int] = {}
        for i, column in enumerate(header):
            index.setdefault(column.strip().lstrip("\ufeff"), i)
        missing = [c for c in _REQUIRED if c not in index]
        if missing:
            raise ParseError(f"header lacks column(s) {', '.join(missing)}", ctx.name, line=1)
        width = len(header)
        for line, row in reader:
            if not any(v.strip() for v in row):
                continue
            if len(row) < width:
                raise ParseError(f"expected {width} fields, found {len(row)}", ctx.name, line=line)

            def col(name: str, row: list[str] = row) -> str:
                return row[index[name]].strip() if name in index else ""

            if ctx.published is None:
                ctx.published = parse_date(row[0])  # Date_file, first column
            logical = col("Entity_logical_id")
            if not logical:
                raise ParseError("row has no Entity_logical_id", ctx.name, line=line)
            ent = entities.get(logical)
            if ent is None:
                kind = {"P": EntityKind.PERSON, "E": EntityKind.ORGANIZATION}.get(
                    col("Subject_type").upper()
                )
                if kind is None:
                    raise ParseError(
                        f"Subject_type must be P or E, found {col('Subject_type')!r}",
                        ctx.name,
                        line=line,
                        record=logical,
                    )
                ent = Entity(id=f"eu-{logical}", source=ctx.source, kind=kind)
                ent.add_attribute("eu_reference", col("EU_ref_num"))
                entities[logical] = ent
            _apply_row(ent, col)
    if not entities:
        raise ParseError("no entity rows found", ctx.name)
    for ent in entities.values():
        if not ent.names:
            raise ParseError("entity has no name row", ctx.name, record=ent.id)
        yield ent


def _apply_row(ent: Entity, get: Callable[[str], str]) -> None:
    person = ent.kind is EntityKind.PERSON
    ent.add("programs", get("Programme"))
    ent.add("remarks", get("Entity_remark").replace("\\n", "\n"))
    ent.add_attribute("legal_basis", get("Leba_numtitle"))
    listed = parse_date(get("Leba_publication_date"))
    if listed and (ent.listed_on is None or listed < ent.listed_on):
        ent.listed_on = listed
    whole = get("Naal_wholename")
    if whole:
        parts = []
        for kind, key in (
            (NamePartKind.GIVEN, "Naal_firstname"),
            (NamePartKind.MIDDLE, "Naal_middlename"),
            (NamePartKind.FAMILY, "Naal_lastname"),
        ):
            if get(key):
                parts.append(NamePart(kind, get(key)))
        ntype = (
            NameType.AKA if any(n.type is NameType.PRIMARY for n in ent.names) else NameType.PRIMARY
        )
        lang = get("Naal_language").lower() or None
        ent.add_name(
            Name(
                whole, ntype, script=detect_script(whole), lang=lang, parts=parts if person else []
            )
        )
        ent.add("positions", get("Naal_function"))
        gender = get("Naal_gender").lower()
        if gender in ("m", "f"):
            ent.gender = "male" if gender == "m" else "female"
    fields = [
        get(k)
        for k in (
            "Addr_number",
            "Addr_street",
            "Addr_zipcode",
            "Addr_city",
            "Addr_country",
            "Addr_other",
        )
    ]
    if any(fields):
        country = to_iso2(fields[4])
        street = " ".join(f for f in fields[:2] if f) or None
        ent.add_address(
            Address(
                full=", ".join(f for f in fields if f),
                street=street,
                city=fields[3] or None,
                postal_code=fields[2] or None,
                country=country,
            )
        )
        if country:
            ent.add("countries", country)
    for d in parse_dates(get("Birt_date")):
        ent.add("birth_dates", d)
    place = ", ".join(v for v in (get("Birt_place"), get("Birt_country")) if v)
    ent.add("birth_places", place)
    number = get("Iden_number")
    if number:
        made = document_identifier(number, to_iso2(get("Iden_country")), person)
        if made is not None:
            ent.add_identifier(made)
    cit = to_iso2(get("Citi_country"))
    if cit:
        ent.add("citizenships", cit)


FORMAT = register(
    ListFormat(
        name="eu_fsf_v1_csv",
        title="EU Financial Sanctions Files CSV (legacy v1.0)",
        default_source="eu_fsf",
        sniff=sniff,
        parse=parse,
        extensions=(".csv",),
    )
)

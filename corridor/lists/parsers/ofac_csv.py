"""OFAC legacy CSV sets: ``sdn.csv`` + ``add.csv`` + ``alt.csv`` + ``sdn_comments.csv``, and the
consolidated (non-SDN) ``cons_prim.csv`` + ``cons_add.csv`` + ``cons_alt.csv`` +
``cons_comments.csv``.

The files have no header; ``-0-`` means empty; the primary file may end with a 0x1A byte.
Companion files are found beside the primary file (plain or ``.gz``) and are optional.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.remarks import apply_remarks
from corridor.lists.text import csv_rows, open_text
from corridor.model.countries import to_iso2
from corridor.model.entity import (
    Address,
    Entity,
    EntityKind,
    Name,
    NamePart,
    NamePartKind,
    NameType,
)

_PRIMARY_COLS = 12
_KINDS = {
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    "": EntityKind.ORGANIZATION,
    "entity": EntityKind.ORGANIZATION,
}
_ALT_TYPES = {"aka": NameType.AKA, "fka": NameType.FKA, "nka": NameType.NKA}
_FIRST_ROW = re.compile(r'^\s*\d+\s*,\s*"')


def _clean(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def _rows(path: Path, ncols: int, encoding: str | None) -> Iterator[tuple[int, list[str]]]:
    """Rows of a headerless OFAC CSV file with their line numbers, validated for width. The
    files end with a line break (and a 0x1A byte): one that does not was cut short."""
    with open_text(path, encoding, final_newline=True) as fh:
        for line, row in csv_rows(fh):
            if not row or (len(row) == 1 and row[0].strip(" \x1a\r\n") == ""):
                continue
            if len(row) != ncols:
                raise ParseError(
                    f"expected {ncols} comma-separated fields, found {len(row)}",
                    str(path),
                    line=line,
                )
            if not row[0].strip().isdigit():
                raise ParseError(
                    f"first field must be the numeric entry number, found {row[0][:30]!r}",
                    str(path),
                    line=line,
                )
            yield line, [_clean(v) for v in row]


def _companion(primary: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        for candidate in (primary.parent / name, primary.parent / f"{name}.gz"):
            if candidate.exists():
                return candidate
    return None


def _companions(ctx: ParseContext) -> dict[str, Path]:
    stem = ctx.path.name.lower()
    cons = stem.startswith("cons")
    found: dict[str, Path] = {}
    options = {
        "add": ("cons_add.csv",) if cons else ("add.csv",),
        "alt": ("cons_alt.csv",) if cons else ("alt.csv",),
        "comments": ("cons_comments.csv",) if cons else ("sdn_comments.csv",),
    }
    for key, names in options.items():
        if key in ctx.companions:
            found[key] = ctx.companions[key]
            continue
        path = _companion(ctx.path, names)
        if path is not None:
            found[key] = path
    return found


def _person_parts(name: str) -> list[NamePart]:
    if "," not in name:
        return []
    family, _, given = name.partition(",")
    parts = [NamePart(NamePartKind.FAMILY, family.strip())]
    if given.strip():
        parts.append(NamePart(NamePartKind.GIVEN, given.strip()))
    return parts


def sniff(head: bytes, name: str) -> bool:
    text = head.decode("latin-1", errors="replace").lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    if not _FIRST_ROW.match(first_line):
        return False
    try:
        row = next(csv.reader([first_line]))
    except csv.Error:
        return False
    return len(row) == _PRIMARY_COLS


def parse(ctx: ParseContext) -> Iterator[Entity]:
    comp = _companions(ctx)
    ctx.companions.update(comp)
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    addresses: dict[str, list[Address]] = defaultdict(list)
    comments: dict[str, str] = {}
    if "alt" in comp:
        for _line, row in _rows(comp["alt"], 5, ctx.encoding):
            aliases[row[0]].append((row[2].lower(), row[3]))
    if "add" in comp:
        for _line, row in _rows(comp["add"], 6, ctx.encoding):
            country = to_iso2(row[4])
            full = ", ".join(v for v in (row[2], row[3], row[4]) if v)
            if full:
                addresses[row[0]].append(
                    Address(full=full, street=row[2] or None, city=row[3] or None, country=country)
                )
    if "comments" in comp:
        for _line, row in _rows(comp["comments"], 2, ctx.encoding):
            comments[row[0]] = row[1]
    for line, row in _rows(ctx.path, _PRIMARY_COLS, ctx.encoding):
        ent_num, name, sdn_type = row[0], row[1], row[2].lower()
        if not name:
            raise ParseError("entry has no name", ctx.name, line=line, record=ent_num)
        if sdn_type not in _KINDS:
            raise ParseError(
                f"unknown SDN type {row[2]!r} (expected individual, vessel, aircraft or -0-)",
                ctx.name,
                line=line,
                record=ent_num,
            )
        kind = _KINDS[sdn_type]
        ent = Entity(id=f"ofac-{ent_num}", source=ctx.source, kind=kind)
        parts = _person_parts(name) if kind is EntityKind.PERSON else []
        ent.add_name(Name(name, NameType.PRIMARY, script="Latn", parts=parts))
        for program in row[3].strip("[]").split("] ["):
            ent.add("programs", program.strip())
        ent.add("positions", row[4])
        ent.add_attribute("call_sign", row[5])
        ent.add_attribute("vessel_type", row[6])
        ent.add_attribute("vessel_tonnage", row[7])
        ent.add_attribute("vessel_grt", row[8])
        flag = to_iso2(row[9])
        ent.add_attribute("vessel_flag", flag or row[9])
        ent.add_attribute("vessel_owner", row[10])
        for alt_type, alt_name in aliases.get(ent_num, []):
            if alt_name:
                ent.add_name(
                    Name(
                        alt_name,
                        _ALT_TYPES.get(alt_type.replace(".", ""), NameType.AKA),
                        script="Latn",
                        parts=_person_parts(alt_name) if kind is EntityKind.PERSON else [],
                    )
                )
        for address in addresses.get(ent_num, []):
            ent.add_address(address)
            if address.country:
                ent.add("countries", address.country)
        remarks = row[11]
        if ent_num in comments:
            remarks = f"{remarks}{comments[ent_num]}" if remarks else comments[ent_num]
        apply_remarks(ent, remarks)
        yield ent


FORMAT = register(
    ListFormat(
        name="ofac_csv",
        title="OFAC legacy CSV (sdn.csv/cons_prim.csv with add, alt and comments files)",
        default_source="us_ofac_sdn",
        sniff=sniff,
        parse=parse,
        extensions=(".csv",),
    )
)

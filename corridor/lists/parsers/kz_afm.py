"""Kazakhstan Financial Monitoring Agency (AFM) lists, both XML exports: the list of persons
and organisations linked to the financing of terrorism and extremism, and the list of
participants in terrorist activities.

Each export holds ``person`` elements (``lname``, ``fname``, ``mname``, ``birthdate`` as
dd.mm.yyyy, ``iin``, ``note``, ``correction`` such as "включен от dd.mm.yyyy",
``added_to_list``) and ``org`` elements (``org_name``, ``org_name_en``, several names in one
field separated by "; ", ``org_iin``, ``note``, ``correction``). The wrapping elements are
not relied on. The export gives no record number: a record's id is its IIN or BIN where it
has a valid one, else a digest of its names and date of birth, so it stays the same from one
version to the next while the record does.

No real file could be had when this parser was written; it follows the structure public
descriptions of the exports give, and its fixtures are built from that structure.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from lxml import etree

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.xmlread import child_text, iter_xml, line_of, release
from corridor.model.checkdigits import kz_id_is_person, kz_id_valid
from corridor.model.dates import parse_date
from corridor.model.entity import (
    Entity,
    EntityKind,
    Identifier,
    IdType,
    Name,
    NamePart,
    NamePartKind,
    NameType,
)
from corridor.model.scripts import detect_script

_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_INCLUDED = re.compile(r"включ\w*\s+(?:от\s+)?(\d{1,2}\.\d{1,2}\.\d{4})", re.I)
_EXCLUDED = re.compile(r"исключ\w*", re.I)


def _date(text: str | None) -> str | None:
    m = _DATE.search(text or "")
    if not m:
        return None
    d, mo, y = m.groups()
    if int(mo) == 0:
        return y
    if int(d) == 0:
        return f"{y}-{int(mo):02d}"
    return parse_date(f"{int(d):02d}/{int(mo):02d}/{y}")


def _digest(*parts: str | None) -> str:
    text = "|".join((p or "").casefold() for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _kz_id(ctx: ParseContext, ent: Entity, value: str | None, person: bool) -> str | None:
    """Add the IIN/BIN as an identifier; the digits when valid, for the record's id."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return None
    kind = IdType.IIN if person else IdType.BIN
    valid = kz_id_valid(digits)
    note = None if valid else "check digit does not verify"
    if valid and kz_id_is_person(digits) not in (None, person):
        # the fifth digit tells a person's IIN from an organisation's BIN
        note = f"{'BIN' if person else 'IIN'} given where the export expects {kind.value.upper()}"
        ctx.warnings.append(f"{ent.caption}: {digits}: {note}")
    ent.add_identifier(
        Identifier(type=kind, value=digits, country="KZ", label=kind.value.upper(), note=note)
    )
    if not valid:
        ctx.warnings.append(f"{ent.caption}: {kind.value.upper()} {digits} fails its check digit")
    return digits if valid else None


def _common(ent: Entity, elem: etree._Element) -> None:
    note = child_text(elem, "note")
    correction = child_text(elem, "correction")
    ent.add("remarks", note)
    ent.add("remarks", correction)
    listed = _date(child_text(elem, "added_to_list"))
    m = _INCLUDED.search(correction or "")
    if m:
        listed = listed or _date(m.group(1))
    ent.listed_on = listed


def _excluded(elem: etree._Element) -> bool:
    """A record the agency marks as taken off the list ("исключен от ...") and not put back."""
    correction = child_text(elem, "correction") or ""
    out = [m.start() for m in _EXCLUDED.finditer(correction)]
    back = [m.start() for m in _INCLUDED.finditer(correction)]
    return bool(out) and (not back or max(out) > max(back))


def _person(ctx: ParseContext, elem: etree._Element) -> Entity:
    last, first, middle = (child_text(elem, k) for k in ("lname", "fname", "mname"))
    full = " ".join(v for v in (last, first, middle) if v)
    if not full:
        raise ParseError("person has no lname, fname or mname", ctx.name, line=line_of(elem))
    birth = _date(child_text(elem, "birthdate"))
    ent = Entity(id="", source=ctx.source, kind=EntityKind.PERSON)
    parts = []
    if first:
        parts.append(NamePart(NamePartKind.GIVEN, first))
    if middle:
        parts.append(NamePart(NamePartKind.MIDDLE, middle))
    if last:
        parts.append(NamePart(NamePartKind.FAMILY, last))
    ent.add_name(Name(full, NameType.PRIMARY, script=detect_script(full), parts=parts))
    if birth:
        ent.add("birth_dates", birth)
    valid = _kz_id(ctx, ent, child_text(elem, "iin"), person=True)
    ent.id = f"kzafm-{valid}" if valid else f"kzafm-p{_digest(last, first, middle, birth)}"
    _common(ent, elem)
    return ent


def _org(ctx: ParseContext, elem: etree._Element) -> Entity:
    names: list[str] = []
    for key in ("org_name", "org_name_en"):
        for part in (child_text(elem, key) or "").split(";"):
            value = " ".join(part.split())
            if value and value not in names:
                names.append(value)
    if not names:
        raise ParseError("org has no org_name", ctx.name, line=line_of(elem))
    ent = Entity(id="", source=ctx.source, kind=EntityKind.ORGANIZATION)
    for i, value in enumerate(names):
        ent.add_name(
            Name(value, NameType.PRIMARY if i == 0 else NameType.AKA, script=detect_script(value))
        )
    valid = _kz_id(ctx, ent, child_text(elem, "org_iin"), person=False)
    ent.id = f"kzafm-{valid}" if valid else f"kzafm-o{_digest(names[0])}"
    _common(ent, elem)
    return ent


def sniff(head: bytes, name: str) -> bool:
    return (b"<person" in head and b"<lname" in head) or (b"<org>" in head and b"<org_name" in head)


def parse(ctx: ParseContext) -> Iterator[Entity]:
    seen: dict[str, Entity] = {}
    for elem in iter_xml(ctx.path, ("person", "org")):
        tag = etree.QName(elem).localname
        line = line_of(elem)
        if _excluded(elem):
            ctx.warnings.append(
                f"line {line}: a {tag} record marked as taken off the list; skipped"
            )
            release(elem)
            continue
        ent = _person(ctx, elem) if tag == "person" else _org(ctx, elem)
        release(elem)
        if ent.id in seen:
            # one party written twice (a second name, a corrected date): one record
            known = seen[ent.id]
            for n in ent.names:
                known.add_name(Name(n.full, NameType.AKA, script=n.script, parts=n.parts))
            for r in ent.remarks:
                known.add("remarks", r)
            ctx.warnings.append(f"line {line}: {ent.caption} repeats record {ent.id}; merged")
            continue
        seen[ent.id] = ent
    if not seen:
        raise ParseError("no person or org records found", ctx.name)
    yield from seen.values()


FORMAT = register(
    ListFormat(
        name="kz_afm_xml",
        title="Kazakhstan AFM list of terrorism and extremism financing (XML export)",
        default_source="kz_afm",
        sniff=sniff,
        parse=parse,
        extensions=(".xml",),
    )
)

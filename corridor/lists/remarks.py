"""OFAC-style remarks ("DOB 12 Mar 1962; POB Tehran, Iran; Passport A123 (Iran); ...").

The legacy CSV files and the US Consolidated Screening List put most facts about a party into
one free-text remarks field. This module reads the parts it recognises into the entity and
keeps the whole text in ``remarks`` so nothing is lost.
"""

from __future__ import annotations

import re

from corridor.model.countries import to_iso2
from corridor.model.dates import parse_dates
from corridor.model.entity import Entity, EntityKind, Name, NameStrength, NameType
from corridor.model.identifiers import make_identifier

_ID_LABELS = sorted(
    [
        "Passport",
        "Diplomatic Passport",
        "Stateless Person Passport",
        "National ID No.",
        "Identification Number",
        "Personal ID Card",
        "Cedula No.",
        "Tax ID No.",
        "Registration Number",
        "Registration ID",
        "Public Registration Number",
        "Business Registration Number",
        "Business Number",
        "Commercial Registry Number",
        "Company Number",
        "Government Gazette Number",
        "Certificate of Incorporation Number",
        "Legal Entity Number",
        "SWIFT/BIC",
        "MMSI",
        "D-U-N-S Number",
        "V.A.T. Number",
        "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        "Residency Number",
        "Driver's License No.",
        "Birth Certificate Number",
        "Trade License No.",
        "Refugee ID Card",
        "C.U.R.P.",
        "R.F.C.",
        "NIT #",
        "RUC #",
        "RIF #",
        "Italian Fiscal Code",
        "Unified Social Credit Code (USCC)",
        "Chinese Commercial Code",
        "Matricula Mercantil No",
        "Serial No.",
        "Kenyan ID No.",
        "UAE Identification",
        "Citizen's Card Number",
        "Electoral Registry No.",
        "Immigration No.",
        "Social Security Number",
        "Tax ID",
        "Enterprise Number",
        "Registered Charity No.",
        "Vessel Registration Identification",
    ],
    key=len,
    reverse=True,
)

_ATTR_LABELS = sorted(
    [
        ("Website", "website"),
        ("Email Address", "email"),
        ("Phone Number", "phone"),
        ("Telephone", "phone"),
        ("Fax", "fax"),
        ("Linked To:", "linked_to"),
        ("Organization Established Date", "incorporation_date"),
        ("Organization Type:", "organization_type"),
        ("Vessel Year of Build", "vessel_build_year"),
        ("Vessel Flag", "vessel_flag"),
        ("Other Vessel Flag", "vessel_flag"),
        ("Other Vessel Call Sign", "call_sign"),
        ("Other Vessel Type", "vessel_type"),
        ("Aircraft Tail Number", "aircraft_tail_number"),
        ("Aircraft Model", "aircraft_model"),
        ("Aircraft Operator", "aircraft_operator"),
        ("Aircraft Mode S Transponder Code", "aircraft_transponder"),
        ("Aircraft Manufacture Date", "aircraft_build_date"),
        ("Additional Sanctions Information -", "sanctions_info"),
        ("Secondary sanctions risk:", "sanctions_info"),
        (
            "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
            "Institutions:",
            "sanctions_info",
        ),
        ("Target Type", "target_type"),
        ("Nationality of Registration", "registration_country"),
        ("Listing Date", "listing_date"),
        ("Effective Date", "effective_date"),
        ("Digital Currency Address -", "crypto_address"),
        ("Title", "title"),
    ],
    key=lambda kv: len(kv[0]),
    reverse=True,
)

_ALIAS_RE = re.compile(
    r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*[,:]?\s*['\"‘’](.+?)['\"‘’]?\s*\.?$", re.I
)
_PAREN_RE = re.compile(r"\(([^()]*)\)")


def split_segments(text: str) -> list[str]:
    """Split remarks on ``;`` separators, keeping text in parentheses whole."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        if char == ";" and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [
        p.rstrip(".").strip() if p.endswith(".") and not p.endswith("..") else p for p in parts if p
    ]


def _id_value(rest: str) -> tuple[str, str | None, str | None]:
    """Split "A123456 (Iran) expires 01 Jan 2020" into value, country and note."""
    country = None
    note_parts: list[str] = []
    value = rest
    m = _PAREN_RE.search(rest)
    if m:
        value = rest[: m.start()].strip()
        country = to_iso2(m.group(1))
        if country is None:
            note_parts.append(m.group(1))
        tail = rest[m.end() :].strip()
        if tail:
            note_parts.append(tail)
    else:
        words = rest.split(" ")
        for marker in ("issued", "expires", "expiration", "valid"):
            if marker in words:
                idx = words.index(marker)
                value = " ".join(words[:idx])
                note_parts.append(" ".join(words[idx:]))
                break
    return value.strip(), country, "; ".join(note_parts) or None


def apply_remarks(ent: Entity, text: str | None) -> None:
    """Read the facts of an OFAC-style remarks text into ``ent``."""
    if not text:
        return
    text = text.strip()
    if not text:
        return
    ent.add("remarks", text)
    person = ent.kind is EntityKind.PERSON
    for seg in split_segments(text):
        seg = re.sub(r"^alt\.\s+", "", seg, flags=re.I).strip()
        if not seg:
            continue
        m = _ALIAS_RE.match(seg)
        if m:
            kind = {"a": NameType.AKA, "f": NameType.FKA, "n": NameType.NKA}[m.group(1)[0].lower()]
            ent.add_name(Name(m.group(2).strip(), type=kind, strength=NameStrength.WEAK))
            continue
        low = seg.lower()
        if low.startswith("dob "):
            for d in parse_dates(seg[4:]):
                ent.add("birth_dates", d)
            continue
        if low.startswith("pob "):
            ent.add("birth_places", seg[4:])
            continue
        if low.startswith("nationality "):
            code = to_iso2(seg[12:])
            if code:
                ent.add("nationalities", code)
            continue
        if low.startswith("citizen "):
            code = to_iso2(seg[8:])
            if code:
                ent.add("citizenships", code)
            continue
        if low.startswith("gender "):
            ent.gender = seg[7:].strip().lower() or ent.gender
            continue
        if _apply_identifier(ent, seg, person):
            continue
        for label, key in _ATTR_LABELS:
            if seg.startswith(label):
                value = seg[len(label) :].strip(" :")
                if key in ("vessel_flag", "registration_country"):
                    value = to_iso2(value) or value
                ent.add_attribute(key, value)
                break


def _apply_identifier(ent: Entity, seg: str, person: bool) -> bool:
    for label in _ID_LABELS:
        if seg.startswith((label + " ", label + ":")):
            rest = seg[len(label) :].strip(" :")
            if not rest:
                return True
            value, country, note = _id_value(rest)
            ident = make_identifier(label, value, country, note, person=person)
            if ident is not None:
                ent.add_identifier(ident)
            return True
    return False

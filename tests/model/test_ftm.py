"""FollowTheMoney JSON round trips over real list records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corridor.lists import open_list
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import Entity, NameType
from corridor.model.ftm import from_ftm, group_ftm, to_ftm

FILES = [
    "ofac/sdn_csv_2024-05-03/sdn.csv",
    "ofac/legacy_csv_2021-07-07/sdn.csv",
    "un/UN_consolidated.xml",
    "eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml",
    "uk/hmt_conlist_2014-04-02/sanctionsconlist.csv",
    "ofac/cons_enhanced_xml_2025-01-14/CONS_ENHANCED.ZIP",
]


def _one_line(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    if isinstance(value, dict):
        return {k: _one_line(v) for k, v in value.items()}
    return value


def _projection(ent: Entity) -> dict[str, Any]:
    """What FtM carries: everything but alias name parts, per-name script tags and
    attributes without an FtM property."""
    # FtM values (but notes) are one line: whitespace runs become one space
    d = _one_line({k: v for k, v in ent.to_dict().items() if k != "remarks"})
    # countries FtM knows (a retired code such as AN, Netherlands Antilles, goes to the notes)
    for key in ("countries", "nationalities", "citizenships"):
        if key in d:
            d[key] = [c for c in d[key] if to_iso2(c)]
            if not d[key]:
                d.pop(key)
    for a in d.get("addresses", []):
        if a.get("country") and not to_iso2(a["country"]):
            a.pop("country")
    # identifiers longer than FtM's (64 characters) are sentences, kept in the notes
    if "identifiers" in d:
        d["identifiers"] = [i for i in d["identifiers"] if len(i["value"]) <= 64]
        if not d["identifiers"]:
            d.pop("identifiers")
    # what FtM refuses (a phone, an identifier longer than FtM's, a date it cannot read)
    # travels in the notes: compare the remarks a list gave
    d.pop("remarks", None)
    for n in d["names"]:
        n.pop("script", None)
        n.pop("lang", None)
        if n["type"] != NameType.PRIMARY.value:
            n.pop("parts", None)
        elif "parts" in n:
            # FtM keeps parts by property, without repeats, not in name order
            n["parts"] = sorted({tuple(p) for p in n["parts"]})
        if n["type"] == "nka":
            n["type"] = "aka"
        if n["type"] == "fka":
            n.pop("strength", None)  # FtM's previousName has no weak form
    # FtM groups names by property (alias, weakAlias, previousName), not in list order
    d["names"] = sorted(d["names"], key=lambda n: (n["type"] != "primary", json.dumps(n)))
    kept = {
        "website",
        "email",
        "phone",
        "call_sign",
        "vessel_flag",
        "vessel_type",
        "vessel_tonnage",
        "vessel_grt",
        "vessel_build_year",
        "incorporation_date",
    }
    d["attributes"] = {k: v for k, v in d.get("attributes", {}).items() if k in kept}
    d.pop("attributes")  # compared apart: a value FtM refuses travels in the notes
    if ent.kind.value != "person":
        merged = list(dict.fromkeys(d.pop("nationalities", []) + d.pop("citizenships", [])))
        if merged:
            d["nationalities"] = merged
        d.pop("gender", None)
    return d


@pytest.mark.parametrize("file", FILES, ids=[f.split("/")[-1] for f in FILES])
def test_round_trip_real_records(shared: Path, file: str) -> None:
    for ent in open_list(shared / file):
        records = to_ftm(ent)
        # serialised as JSON lines and read back
        lines = [json.loads(json.dumps(r)) for r in records]
        [(main, adjuncts)] = list(group_ftm(lines))
        back = from_ftm(main, adjuncts)
        assert _projection(back) == _projection(ent), ent.id
        assert to_ftm(back) == records, ent.id
        # every attribute FtM carries comes back, in its property or in the notes
        notes = set(back.remarks)
        for key in ("website", "email", "phone", "call_sign", "incorporation_date"):
            for value in ent.attributes.get(key, []):
                one_line = " ".join(value.split())
                if key == "incorporation_date":  # as an ISO date, where it reads as one
                    one_line = parse_date(one_line) or one_line
                assert one_line in back.attributes.get(key, []) or any(
                    one_line in n for n in notes
                ), (ent.id, key, value)
        for remark in ent.remarks:
            assert remark in notes, (ent.id, remark)


def test_ftm_file_loads_through_the_parser(shared: Path, tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    ents = list(open_list(shared / "un/UN_consolidated.xml"))
    with path.open("w", encoding="utf-8") as fh:
        for ent in ents:
            for rec in to_ftm(ent):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    reader = open_list(path)
    assert reader.format.name == "ftm_json"
    back = list(reader)
    assert len(back) == 1003
    assert {e.id for e in back} == {e.id for e in ents}


def test_opensanctions_style_typed_properties() -> None:
    main = {
        "id": "NK-abc",
        "schema": "Company",
        "datasets": ["ru_registry"],
        "properties": {
            "name": ["OOO Volga Group"],
            "innCode": ["7718989383"],
            "ogrnCode": ["1147746803049"],
            "country": ["ru"],
            "address": ["Moscow"],
        },
    }
    ent = from_ftm(main)
    assert ent.kind.value == "organization" and ent.countries == ["RU"]
    assert {(i.type.value, i.value) for i in ent.identifiers} == {
        ("inn", "7718989383"),
        ("ogrn", "1147746803049"),
    }
    assert ent.addresses[0].full == "Moscow"

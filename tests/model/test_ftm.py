"""FollowTheMoney JSON round trips over real list records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corridor.lists import open_list
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


def _projection(ent: Entity) -> dict[str, Any]:
    """What FtM carries: everything but alias name parts, per-name script tags and
    attributes without an FtM property."""
    d = ent.to_dict()
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
    if not d["attributes"]:
        d.pop("attributes")
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

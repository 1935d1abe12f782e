"""Every parser against the real list files, with the inventory's exact counts."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from corridor.exceptions import FormatError
from corridor.lists import detect_format, open_list
from corridor.model.entity import Entity, IdType, NameStrength, NameType

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "cases.toml").read_text("utf-8")
)["case"]


@pytest.fixture(scope="module")
def parsed(shared: Path) -> dict[str, tuple[Any, list[Entity]]]:
    out = {}
    for case in CASES:
        reader = open_list(shared / case["file"])
        out[case["file"]] = (reader, list(reader))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["file"].split("/")[-1] for c in CASES])
def test_real_file_counts(case: dict[str, Any], parsed: dict[str, Any]) -> None:
    reader, ents = parsed[case["file"]]
    assert reader.format.name == case["format"]
    assert reader.context.source == case["source"]
    assert len(ents) == case["entities"]
    if "kinds" in case:
        assert dict(Counter(e.kind.value for e in ents)) == case["kinds"]
    if "published" in case:
        assert reader.context.published == case["published"]
    if "min_names" in case:
        assert sum(len(e.names) for e in ents) >= case["min_names"]
    if "min_addresses" in case:
        assert sum(len(e.addresses) for e in ents) >= case["min_addresses"]
    # every entity has exactly one primary name and a stable, unique id
    for ent in ents:
        assert sum(1 for n in ent.names if n.type is NameType.PRIMARY) == 1, ent.id
    # some published files repeat a record; the import keeps the first (see cases.toml)
    assert len({e.id for e in ents}) == len(ents) - case.get("duplicate_ids", 0)


@pytest.mark.parametrize("case", CASES, ids=[c["file"].split("/")[-1] for c in CASES])
def test_forced_format_matches_detection(case: dict[str, Any], shared: Path) -> None:
    path = shared / case["file"]
    assert detect_format(path).name == case["format"]
    assert open_list(path, format=case["format"]).format.name == case["format"]


def test_forcing_a_wrong_format_is_refused(shared: Path) -> None:
    path = shared / "un/UN_consolidated.xml"
    with pytest.raises(FormatError, match="does not look like"):
        open_list(path, format="ofac_csv")


def _by_id(parsed: dict[str, Any], file: str) -> dict[str, Entity]:
    return {e.id: e for e in parsed[file][1]}


def test_sdn_csv_reads_remarks(parsed: dict[str, Any]) -> None:
    ents = _by_id(parsed, "ofac/sdn_csv_2024-05-03/sdn.csv")
    bank = ents["ofac-16681"]
    assert bank.caption == "BANK ROSSIYA"
    ids = {(i.type, i.value, i.country) for i in bank.identifiers}
    assert (IdType.INN, "7831000122", "RU") in ids
    assert (IdType.OGRN, "1027800000084", "RU") in ids
    assert (IdType.BIC, "ROSYRU2P", None) in ids
    person = ents["ofac-6905"]
    assert person.birth_dates == ["1971-03-12"]
    assert person.nationalities == ["PS"]
    assert person.gender == "male"
    assert [(i.type, i.value, i.country) for i in person.identifiers] == [
        (IdType.PASSPORT, "484824", "EG")
    ]
    weak = [n.full for n in person.names if n.strength is NameStrength.WEAK]
    assert weak == ["ABU ZUBAIDA", "ABU ZUBAYDAH"]
    kz = ents["ofac-36427"]
    assert (IdType.BIN, "110140012405", "KZ") in {
        (i.type, i.value, i.country) for i in kz.identifiers
    }
    vessel = ents["ofac-4243"]
    assert vessel.kind.value == "vessel"
    assert vessel.attributes["vessel_flag"] == ["PA"]
    assert [(i.type, i.value) for i in vessel.identifiers] == [(IdType.IMO, "7406784")]


def test_legacy_csv_joins_aliases_addresses_and_comments(parsed: dict[str, Any]) -> None:
    ents = _by_id(parsed, "ofac/legacy_csv_2021-07-07/sdn.csv")
    cuba_bank = ents["ofac-306"]
    assert "NATIONAL BANK OF CUBA" in [n.full for n in cuba_bank.names]
    assert any(a.country == "CH" for a in cuba_bank.addresses)
    # sdn_comments.csv continues the remarks of long entries
    assert any("LAZARUS GROUP" in r for r in ents["ofac-28263"].remarks)


def test_un_original_script_names(parsed: dict[str, Any]) -> None:
    ents = _by_id(parsed, "un/UN_consolidated.xml")
    saddam = ents["un-6908048"]
    scripts = {n.full: n.script for n in saddam.names}
    assert scripts["صدام حسين التكريتي"] == "Arab"
    assert saddam.birth_dates == ["1937-04-28"]
    assert saddam.nationalities == ["IQ"]
    assert saddam.attributes["un_reference"] == ["IQi.001"]
    with_script = [e for e in ents.values() if any(n.script not in (None, "Latn") for n in e.names)]
    assert len(with_script) >= 370


def test_eu_names_in_many_scripts(parsed: dict[str, Any]) -> None:
    ents = parsed["eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml"][1]
    scripts = Counter(n.script for e in ents for n in e.names)
    assert scripts["Cyrl"] > 50 and scripts["Grek"] > 10
    mugabe = _by_id(parsed, "eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml")["eu-1"]
    assert mugabe.caption == "Robert Gabriel Mugabe"
    assert mugabe.birth_dates == ["1924-02-21"]


def test_csl_rows_keep_their_list(parsed: dict[str, Any]) -> None:
    ents = parsed["us_csl/consolidated.csv.gz"][1]
    lists = Counter(e.lists[0] for e in ents)
    assert lists["Entity List (EL) - Bureau of Industry and Security"] == 2001
    ids = [e.id for e in ents]
    assert "csl-sdn-34616" in ids and "csl-cap-34616" in ids

"""FollowTheMoney both ways: an import lists sanctioned and export-controlled targets only
(unless told otherwise), and an export carries each list's topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corridor.exceptions import FormatError
from corridor.lists import open_list
from corridor.lists.bundled import bundled_lists
from corridor.model.ftm import to_ftm, topics_of


def _person(i: int, topics: list[str], target: bool | None = True) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": f"p-{i}",
        "schema": "Person",
        "properties": {"name": [f"Person Number{i} Example"], "topics": topics},
    }
    if target is not None:
        rec["target"] = target
    return rec


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    return path


def test_a_dataset_of_party_donors_is_not_a_list(tmp_path: Path) -> None:
    donors = _write(tmp_path / "donors.ftm.json", [_person(i, ["role.pep"]) for i in range(96)])
    with pytest.raises(FormatError, match=r"no listed parties: 96 entities.*role\.pep x96"):
        list(open_list(donors))
    # asked for: every entity
    assert len(list(open_list(donors, topics=frozenset()))) == 96


def test_only_sanctioned_and_export_controlled_targets_are_listed(tmp_path: Path) -> None:
    records = [
        _person(1, ["sanction"]),
        _person(2, ["export.control"]),
        _person(3, ["sanction.linked"]),  # a relative of a listed person
        _person(4, ["sanction"], target=False),  # a non-target in a sanctions dataset
        _person(5, ["role.pep", "sanction"], target=None),  # no target flag: topics decide
        _person(6, ["debarment"]),
    ]
    reader = open_list(_write(tmp_path / "mixed.ftm.json", records))
    assert sorted(e.id for e in reader) == ["p-1", "p-2", "p-5"]
    [warning] = reader.context.warnings
    assert "3 entities are not listed parties" in warning and "--topics all" in warning
    # a filter of one's own
    chosen = open_list(tmp_path / "mixed.ftm.json", topics=frozenset({"debarment"}))
    assert [e.id for e in chosen] == ["p-6"]


def test_export_topics_per_list() -> None:
    csl = next(b for b in bundled_lists() if b.source == "us_csl")
    by_list: dict[str, tuple[str, ...]] = {}
    for ent in open_list(csl.path, format=csl.format, source=csl.source):
        by_list.setdefault(ent.lists[0].split(" (")[0], topics_of(ent))
    assert by_list["Entity List"] == ("export.control",)
    assert by_list["Denied Persons List"] == ("export.control", "debarment")
    assert by_list["Military End User"] == ("export.control",)
    assert by_list["Specially Designated Nationals"] == ("sanction",)
    assert by_list["Nonproliferation Sanctions"] == ("sanction",)


def test_an_export_reads_back_as_the_same_parties(tmp_path: Path) -> None:
    csl = next(b for b in bundled_lists() if b.source == "us_csl")
    ents = list(open_list(csl.path, format=csl.format, source=csl.source))
    path = tmp_path / "csl.ftm.json"
    with path.open("w", encoding="utf-8") as fh:
        for ent in ents:
            for rec in to_ftm(ent):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    reader = open_list(path, source="us_csl")
    back = {e.id: e for e in reader}
    # every record is sanctioned or export-controlled: none is left out
    assert set(back) == {e.id for e in ents} and not reader.context.warnings
    dpl = next(e for e in ents if e.lists[0].startswith("Denied Persons"))
    assert back[dpl.id].attributes["topics"] == ["export.control", "debarment"]

"""The guards on a new list version, on SQLite and PostgreSQL: a version that loses too many
entities, that is older than the active one, or whose count differs from what the file
declares is stored but not activated; duplicates are summarised; --force and activation
override; everything is audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor.exceptions import VersionHeld
from corridor.service import activate_version, audit, list_versions, load_list
from corridor.store import SqlStore

SDN_2024 = "ofac/sdn_csv_2024-05-03/sdn.csv"
SDN_2021 = "ofac/legacy_csv_2021-07-07/sdn.csv"


def _actions(store: SqlStore) -> list[str]:
    return [e["action"] for e in audit.iter_entries(store)]


def test_a_file_of_one_row_copied_200001_times_is_held(
    store: SqlStore, shared: Path, tmp_path: Path
) -> None:
    full = load_list(store, shared / SDN_2024)
    assert full.version is not None and full.version.entity_count == 14965
    row = (shared / SDN_2024).read_bytes().split(b"\r\n")[0] + b"\r\n"
    copies = tmp_path / "sdn.csv"
    copies.write_bytes(row * 200_001)
    with pytest.raises(VersionHeld) as held:
        load_list(store, copies)
    message = str(held.value)
    assert "1 entities, 100% fewer than the active version" in message
    assert len(message) < 1000  # the duplicates are counted, never listed
    assert store.active_version("us_ofac_sdn").id == full.version.id  # type: ignore[union-attr]
    entry = list(audit.iter_entries(store))[-1]
    assert entry["action"] == "list.held" and entry["detail"]["duplicates"] == 200_000
    assert len(entry["detail"]["why"][0]) < 300


def test_duplicates_are_summarised(store: SqlStore, shared: Path, tmp_path: Path) -> None:
    lines = (shared / SDN_2024).read_bytes().split(b"\r\n")
    doubled = tmp_path / "sdn.csv"
    doubled.write_bytes(b"\r\n".join(lines[:100] + lines[:100] + lines[100:]))
    result = load_list(store, doubled)
    assert result.version is not None and result.version.entity_count == 14965
    assert result.warnings == [
        "100 records appear more than once (first: ofac-36, ofac-173, ofac-306, ofac-424, "
        "ofac-475); the first copy of each is kept"
    ]


def test_an_older_smaller_set_is_held_until_activated(
    store: SqlStore, shared: Path, tmp_path: Path
) -> None:
    first = load_list(store, shared / SDN_2024)
    folder = tmp_path / "2021"
    shutil.copytree(shared / "ofac/legacy_csv_2021-07-07", folder)
    with pytest.raises(VersionHeld) as held:
        load_list(store, folder / "sdn.csv")
    assert "8,976 entities, 40% fewer" in str(held.value)
    assert held.value.version is not None
    assert store.active_version("us_ofac_sdn").entity_count == 14965  # type: ignore[union-attr]
    # --force activates it at once (audited as forced)
    forced = load_list(store, folder / "sdn.csv", force=True)
    assert forced.version is not None and forced.version.active
    assert store.active_version("us_ofac_sdn").entity_count == 8976  # type: ignore[union-attr]
    assert list(audit.iter_entries(store))[-1]["detail"]["forced"] is True
    # and any stored version can be made active again: a rollback
    assert first.version is not None
    back = activate_version(store, "us_ofac_sdn", first.version.id, "supervisor")
    assert back.active and store.active_version("us_ofac_sdn").id == first.version.id  # type: ignore[union-attr]
    assert _actions(store)[-1] == "list.activate"
    assert [v.active for v in list_versions(store, "us_ofac_sdn")].count(True) == 1


def test_an_older_publication_is_held(store: SqlStore, shared: Path, tmp_path: Path) -> None:
    un = (shared / "un/UN_consolidated.xml").read_bytes()
    load_list(store, shared / "un/UN_consolidated.xml")
    older = tmp_path / "consolidated.xml"
    older.write_bytes(un.replace(b'dateGenerated="2026-02-27', b'dateGenerated="2025-01-01', 1))
    with pytest.raises(VersionHeld, match="published on 2025-01-01, before the active version"):
        load_list(store, older)
    # versions are listed by publication date: the older file first, though imported later
    assert [v.published for v in list_versions(store, "un_sc")] == ["2025-01-01", "2026-02-27"]


def test_a_count_that_differs_from_the_declared_one_is_held(
    store: SqlStore, shared: Path, tmp_path: Path
) -> None:
    xml = shared / "ofac/consolidated_nonsdn_xml_2018-04-06/consolidated.xml"
    data = xml.read_bytes()
    assert b"<Record_Count>639</Record_Count>" in data
    lying = tmp_path / "consolidated.xml"
    lying.write_bytes(data.replace(b"<Record_Count>639<", b"<Record_Count>700<"))
    with pytest.raises(VersionHeld, match="declares 700 records but 639 were read"):
        load_list(store, lying)
    assert store.active_version("us_ofac_cons") is None
    assert load_list(store, xml).version is not None

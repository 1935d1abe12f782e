"""One scenario run against every store backend (SQLite and a real PostgreSQL server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor.exceptions import NotFound, ParseError, VersionHeld
from corridor.service import (
    activate_version,
    audit,
    diff_versions,
    list_status,
    load_list,
    show_entity,
)
from corridor.store import SqlStore

SDN_2021 = "ofac/legacy_csv_2021-07-07/sdn.csv"
SDN_2024 = "ofac/sdn_csv_2024-05-03/sdn.csv"


def _copy_set(shared: Path, tmp: Path, name: str) -> Path:
    """A copy of the 2021 legacy CSV set with its companion files."""
    folder = tmp / name
    folder.mkdir()
    for f in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        shutil.copy(shared / "ofac/legacy_csv_2021-07-07" / f, folder / f)
    return folder / "sdn.csv"


def test_import_versions_and_diff(store: SqlStore, shared: Path) -> None:
    first = load_list(store, shared / "un/UN_consolidated.xml")
    assert first.version is not None and first.version.entity_count == 1003
    assert first.version.counts == {"organization": 273, "person": 730}
    assert first.version.published == "2026-02-27"
    assert len(first.version.file_hash) == 64
    again = load_list(store, shared / "un/UN_consolidated.xml")
    assert again.skipped and again.version is not None and again.version.id == first.version.id
    # a 7-entity excerpt published earlier is stored, but the guards hold it back
    with pytest.raises(VersionHeld) as held:
        load_list(
            store,
            shared / "format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_unsc.xml",
            source="un_sc",
        )
    message = str(held.value)
    assert "7 entities, 99% fewer than the active version" in message
    assert "published on 2024-10-17, before the active version" in message
    assert store.active_version("un_sc").id == first.version.id  # type: ignore[union-attr]
    excerpt_id = held.value.version
    assert excerpt_id is not None
    assert [v.id for v in store.versions("un_sc")] == [first.version.id, excerpt_id]
    # a person activates it (audited); then it is what readers see
    activate_version(store, "un_sc", excerpt_id, "tester")
    assert store.active_version("un_sc").id == excerpt_id  # type: ignore[union-attr]
    actions = [e["action"] for e in audit.iter_entries(store)]
    assert actions[-2:] == ["list.held", "list.activate"]
    excerpt = store.version(excerpt_id)
    diff = diff_versions(store, "un_sc")
    assert diff.from_version == first.version.id and diff.to_version == excerpt_id
    assert len(diff.removed) + len(diff.changed) + diff.unchanged == 1003
    assert len(diff.added) + len(diff.changed) + diff.unchanged == 7
    # going back is a diff too, and activation switches what readers see
    store.activate("un_sc", first.version.id)
    assert store.active_version("un_sc").id == first.version.id  # type: ignore[union-attr]
    back = store.diff("un_sc", excerpt.id, first.version.id)
    assert len(back.added) == len(diff.removed)


def test_diff_reports_changed_fields(store: SqlStore, shared: Path) -> None:
    load_list(store, shared / SDN_2021)
    load_list(store, shared / SDN_2024)
    diff = diff_versions(store, "us_ofac_sdn")
    assert len(diff.added) > 5000 and len(diff.removed) > 0 and len(diff.changed) > 1000
    assert all(c.fields for c in diff.changed)
    # the 2024 snapshot has no alias file, so aliases ("names") changed for aliased entries
    cuba = next(c for c in diff.changed if c.entity_id == "ofac-306")
    assert "names" in cuba.fields
    assert diff.added[0].caption


def test_failed_import_leaves_previous_version_active(
    store: SqlStore, shared: Path, tmp_path: Path
) -> None:
    good = load_list(store, _copy_set(shared, tmp_path, "good"))
    assert good.version is not None
    broken = _copy_set(shared, tmp_path, "broken")
    lines = broken.read_bytes().splitlines(keepends=True)
    lines[8000] = b'999999,"HALF A ROW",-0- \r\n'  # fails after 7,999 records were stored
    broken.write_bytes(b"".join(lines))
    with pytest.raises(ParseError, match="line 8001"):
        load_list(store, broken)
    active = store.active_version("us_ofac_sdn")
    assert active is not None and active.id == good.version.id
    assert [v.id for v in store.versions("us_ofac_sdn")] == [good.version.id]
    assert store.count_entities() == 8976


def test_entities_and_history(store: SqlStore, shared: Path) -> None:
    load_list(store, shared / SDN_2021)
    load_list(store, shared / SDN_2024)
    ent, history = show_entity(store, "ofac-306")
    assert ent.caption == "BANCO NACIONAL DE CUBA"
    assert [h["changed"] for h in history] == [False, True]
    assert history[-1]["active"] is True
    with pytest.raises(NotFound):
        show_entity(store, "ofac-0")
    ids = {e.id for e in store.iter_active_entities()}
    assert len(ids) == 14965
    status = list_status(store)
    assert [(s.source, s.versions, s.version.entity_count) for s in status] == [
        ("us_ofac_sdn", 2, 14965)
    ]


def test_identical_records_are_stored_once(store: SqlStore, shared: Path) -> None:
    load_list(store, shared / "un/UN_consolidated.xml")
    load_list(store, shared / "un/UN_consolidated.xml", force=True)
    from sqlalchemy import func, select

    from corridor.store import schema

    with store.engine.connect() as conn:
        records = conn.execute(select(func.count()).select_from(schema.records)).scalar_one()
        links = conn.execute(select(func.count()).select_from(schema.version_entities)).scalar_one()
    assert records == 1003 and links == 2006


def test_a_postgresql_url_without_its_driver_says_what_to_install() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from corridor.exceptions import StoreError\n"
        "from corridor.store import open_store\n"
        "try:\n"
        "    open_store('postgresql://u:secret@127.0.0.1:1/db')\n"
        "except StoreError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'corridor[postgres]'" in out.stdout and "secret" not in out.stdout

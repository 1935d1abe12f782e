"""Licences: scope, dates, supersession, one jurisdiction each; bad files named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.exceptions import ParseError
from corridor.service.shipments import load_licences, store_licences
from corridor.shipments import LicenceBook, read_licences
from corridor.store import SqlStore

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"


def test_sample_licences_and_supersession() -> None:
    book = LicenceBook(read_licences(SAMPLES / "licences.toml"))
    cover = book.covering
    # GL 124A until GL 124B took over on 14 Nov 2025
    lic = cover("us", "parties", "2025-11-01", ["Tengizchevroil"], projects={"TCO"})
    assert lic is not None and lic.id == "OFAC-RUSSIA-GL-124A"
    lic = cover("us", "parties", "2025-11-20", ["Tengizchevroil"], projects={"TCO"})
    assert lic is not None and lic.id == "OFAC-RUSSIA-GL-124B"
    # Karachaganak only from 124B; nothing before 124A
    assert cover("us", "goods", "2025-11-01", [], "851762", projects={"KARACHAGANAK"}) is None
    assert cover("us", "goods", "2025-12-01", [], "851762", projects={"KARACHAGANAK"})
    assert cover("us", "parties", "2025-01-01", ["x"], projects={"CPC"}) is None
    # the EU derogation: goods of heading 8517 for CPC, within its dates, EU only
    assert cover("eu", "goods", "2024-11-05", [], "851762", "KZ", {"CPC"}) is not None
    assert cover("eu", "goods", "2024-11-05", [], "854231", "KZ", {"CPC"}) is None
    assert cover("eu", "goods", "2025-07-01", [], "851762", "KZ", {"CPC"}) is None
    assert cover("eu", "parties", "2024-11-05", [], "851762", "KZ", {"CPC"}) is None
    assert cover("uk", "goods", "2024-11-05", [], "851762", "KZ", {"CPC"}) is None


def test_party_scope_and_exclusions(tmp_path: Path) -> None:
    path = tmp_path / "lic.toml"
    path.write_text(
        '[[licence]]\nid = "UK-GEN-1"\njurisdiction = "uk"\ntype = "specific"\n'
        'title = "wind-down with one bank"\nlifts = ["parties"]\n'
        'parties = ["ofac-12345", "Steppe Logistics TOO"]\n'
        'parties_excluded = ["Tobol Instruments TOO"]\nvalid_from = "2024-01-01"\n'
    )
    book = LicenceBook(read_licences(path))
    assert book.covering("uk", "parties", "2024-02-01", ["ofac-12345"]) is not None
    assert book.covering("uk", "parties", "2024-02-01", ["STEPPE LOGISTICS LLP"]) is not None
    assert book.covering("uk", "parties", "2024-02-01", ["Other Co"]) is None
    assert book.covering("uk", "parties", "2023-12-31", ["ofac-12345"]) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[licence]]\njurisdiction = "us"\n', "licence 1: id is required"),
        ('[[licence]]\nid = "X"\njurisdiction = "mars"\n', "licence 1 (X): jurisdiction must"),
        (
            '[[licence]]\nid = "X"\njurisdiction = "us"\nlifts = ["everything"]\n',
            "lifts must name parties and/or goods",
        ),
        (
            '[[licence]]\nid = "X"\njurisdiction = "us"\nvalid_from = "soon"\n',
            "valid_from/valid_to: expected an ISO date",
        ),
        (
            '[[licence]]\nid = "X"\njurisdiction = "us"\ngoods = ["chips"]\n',
            "goods must be HS code prefixes",
        ),
        (
            '[[licence]]\nid = "X"\njurisdiction = "us"\n[[licence]]\nid = "X"\n'
            'jurisdiction = "eu"\n',
            "licence id(s) X appear more than once",
        ),
        ("title = 'no licences'\n", "expected [[licence]] tables"),
    ],
)
def test_bad_licence_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "licences.toml"
    path.write_text(text)
    with pytest.raises(ParseError, match=r"licences\.toml") as info:
        read_licences(path)
    assert message in str(info.value)


def test_licences_in_the_store(store: SqlStore) -> None:
    version, skipped = load_licences(store, SAMPLES / "licences.toml")
    assert not skipped and version.record_count == 3 and version.active
    again, skipped = load_licences(store, SAMPLES / "licences.toml")
    assert skipped and again.id == version.id
    stored = store_licences(store)
    assert [lic.id for lic in stored] == [
        "EU-833-CPC-DEROGATION-SE-2024-017",
        "OFAC-RUSSIA-GL-124A",
        "OFAC-RUSSIA-GL-124B",
    ]
    assert stored[2].supersedes == ("OFAC-RUSSIA-GL-124A",)

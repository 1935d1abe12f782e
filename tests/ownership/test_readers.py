"""Ownership readers: the CSV, FtM and BODS fixtures, and clear errors on bad input."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.exceptions import CorridorError, ParseError
from corridor.model.ownership import ControlType, EdgeKind, ShareBasis
from corridor.ownership import read_designated, read_graph
from corridor.ownership.values import SHARE_GT, parse_share

HERE = Path(__file__).parent
DATA = HERE.parent / "data" / "ownership"
BAD = tomllib.loads((HERE / "bad_input.toml").read_text("utf-8"))["case"]


def test_edges_csv_with_party_columns() -> None:
    data = read_graph(DATA / "edges.csv")
    assert data.format == "edges_csv"
    assert len(data.edges) == 8
    control = [e for e in data.edges if e.kind is EdgeKind.CONTROL]
    assert len(control) == 1
    assert control[0].control_type is ControlType.BOARD_APPOINTMENT
    assert control[0].valid_from == "2021-06-01"
    ranged = next(e for e in data.edges if e.owned == "E")
    assert (ranged.share_min, ranged.share_max) == (40.0, 60.0)
    ended = next(e for e in data.edges if e.owned == "F")
    assert ended.valid_to == "2022-09-30"
    parties = {p.id: p for p in data.parties}
    assert parties["B"].name == "Steppe Logistics TOO" and parties["B"].country == "KZ"
    assert parties["X"].name == "Arkady Volkov"


def test_ftm_ownership_and_directorship() -> None:
    data = read_graph(DATA / "opensanctions.ftm.json")
    assert data.format == "ftm"
    by_source = {e.source: e for e in data.edges}
    assert by_source["os-own-1"].share_min == 75.0
    assert by_source["os-own-1"].valid_from == "2018-04-02"
    assert (by_source["os-own-3"].share_min, by_source["os-own-3"].share_max) == (0.0, 100.0)
    assert by_source["os-dir-1"].control_type is ControlType.MANAGEMENT
    assert any("no percentage" in w for w in data.warnings)
    names = {p.id: p.name for p in data.parties}
    assert names["os-steppe"] == "Steppe Logistics TOO"
    assert "os-sanction-1" not in names


def test_bods_0_3_interests() -> None:
    data = read_graph(DATA / "bods-0.3.json")
    assert data.format == "bods"
    edges = {(e.owner, e.owned, e.kind, e.control_type): e for e in data.edges}
    held = edges[("p-serikova", "e-caspian", EdgeKind.OWNERSHIP, None)]
    assert held.share_min == 10.0 and held.valid_from == "2021-06-01"
    assert ("p-serikova", "e-caspian", EdgeKind.CONTROL, ControlType.BOARD_APPOINTMENT) in edges
    ranged = edges[("e-caspian", "e-tobol", EdgeKind.OWNERSHIP, None)]
    assert ranged.share_min == pytest.approx(50.0 + SHARE_GT) and ranged.share_max == 75.0
    assert ("e-caspian", "e-tobol", EdgeKind.CONTROL, ControlType.MANAGEMENT) in edges
    assert len(data.edges) == 4  # the unspecified interested party is skipped
    parties = {p.id: p for p in data.parties}
    assert parties["e-caspian"].registration_id == "210640009876"
    assert parties["p-serikova"].kind == "person" and parties["p-serikova"].country == "KZ"


def test_bods_0_4_records() -> None:
    data = read_graph(DATA / "bods-0.4.jsonl")
    voting = next(e for e in data.edges if e.basis is ShareBasis.VOTING)
    assert (voting.owner, voting.owned, voting.share_min) == ("rec-orlov", "rec-almaty", 60.0)
    assert voting.valid_to == "2023-03-01"
    assert {p.name for p in data.parties} == {"Boris Orlov", "Almaty Components TOO"}


def test_designated_csv() -> None:
    des = {d.id: d for d in read_designated(DATA / "designated.csv")}
    assert des["X"].jurisdictions == {"us", "eu", "uk"}
    assert des["Y"].jurisdictions == {"eu", "uk"}
    assert des["Z"].jurisdictions == {"uk"} and des["Z"].designated_from == "2023-02-24"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50", (50.0, 50.0)),
        ("50%", (50.0, 50.0)),
        ("33,33 %", (33.33, 33.33)),
        ("25-50", (25.0, 50.0)),
        ("25 % - 50 %", (25.0, 50.0)),
        ("25 to 50", (25.0, 50.0)),
        (">50", (50.0 + SHARE_GT, 100.0)),
        ("more than 50%", (50.0 + SHARE_GT, 100.0)),
        (">=25", (25.0, 100.0)),
        ("<25", (0.0, 25.0 - SHARE_GT)),
        ("up to 10", (0.0, 10.0)),
    ],
)
def test_share_forms(text: str, expected: tuple[float, float]) -> None:
    assert parse_share(text) == pytest.approx(expected)


@pytest.mark.parametrize("case", BAD, ids=[c["id"] for c in BAD])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / case["name"]
    path.write_text(case["text"], "utf-8")
    with pytest.raises(CorridorError) as info:
        if case["kind"] == "designated":
            read_designated(path)
        else:
            read_graph(path)
    assert case["error"] in str(info.value)
    if isinstance(info.value, ParseError):
        assert info.value.line is not None or info.value.record is not None

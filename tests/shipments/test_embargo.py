"""Decisions for documents that involve embargoed places (embargo.toml): comprehensive and
goods embargoes per jurisdiction, regions by code, name and city, and their traps."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.goods import GoodsChecker
from corridor.shipments import ShipmentScreener, load_rules_config, read_ledger

from .conftest import WriteLedger

CASES = tomllib.loads((Path(__file__).parent / "embargo.toml").read_text("utf-8"))["case"]
SCREENER = ShipmentScreener(GoodsChecker.bundled(), load_rules_config(), None)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_embargo_decisions(case: dict[str, Any], write_ledger: WriteLedger) -> None:
    path, _ = write_ledger(case["lines"], None, case.get("extra_columns"))
    ledger = read_ledger(path)
    assert not ledger.errors, ledger.errors
    result = SCREENER.screen(ledger, as_of="2025-11-01").results[0]
    got = {j: d.result for j, d in result.decisions.items()}
    assert got == case["expect"], {j: d.reasons for j, d in result.decisions.items()}
    for j, words in case.get("basis", {}).items():
        assert any(words in r for r in result.decisions[j].reasons), result.decisions[j].reasons


def test_place_hits_are_reported(write_ledger: WriteLedger) -> None:
    case = next(c for c in CASES if c["id"].startswith("wheat to a consignee in Simferopol"))
    path, _ = write_ledger(case["lines"], None, case["extra_columns"])
    result = SCREENER.screen(read_ledger(path), as_of="2025-11-01").results[0]
    hits = {(h.code, h.field, h.kind) for h in result.place_hits}
    assert ("UA-43", "consignee_address", "city") in hits
    assert result.to_dict()["place_hits"]

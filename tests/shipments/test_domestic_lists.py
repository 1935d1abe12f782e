"""A party on Kazakhstan's AFM list: review under every jurisdiction, named as the domestic
listing it is (the AFM fixtures of tests/data/lists)."""

from __future__ import annotations

from pathlib import Path

from corridor.goods import GoodsChecker
from corridor.lists import open_list
from corridor.matching import Screener
from corridor.shipments import ShipmentScreener, load_rules_config, read_ledger

from .conftest import WriteLedger

AFM = Path(__file__).parent.parent / "data" / "lists" / "kz_afm_financing.xml"


def test_an_afm_listed_buyer(write_ledger: WriteLedger) -> None:
    listed = Screener(list(open_list(AFM)))
    screener = ShipmentScreener(GoodsChecker.bundled(), load_rules_config(), listed)
    path, _ = write_ledger(
        [
            "D1,e_invoice,2025-03-15,Steppe Trade TOO,KZ,Sunkar Transit Logistic LLP,KZ,"
            "Sunkar Transit Logistic LLP,KZ,,,KZ,KZ,KZ,,KZ,1001.99,Wheat,20000,kg,6000,USD",
            "D2,e_invoice,2025-03-15,Steppe Trade TOO,KZ,Almaty Mill TOO,KZ,"
            "Almaty Mill TOO,KZ,,,KZ,KZ,KZ,,KZ,1001.99,Wheat,20000,kg,6000,USD",
        ]
    )
    results = {r.doc_id: r for r in screener.screen(read_ledger(path), "2025-06-01").results}
    hit = results["D1"]
    for j in ("us", "eu", "uk", "un"):
        decision = hit.decisions[j]
        assert decision.result == "review", (j, decision.reasons)
        assert any("Kazakhstan's AFM list" in r for r in decision.reasons)
    assert results["D2"].overall == "clear"

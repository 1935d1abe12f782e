"""The sample ledger screened against real lists, the sample ownership register, the CHPL and
the sample licences: decisions per jurisdiction with their reasons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.lists.bundled import bundled_lists
from corridor.service import load_list
from corridor.service.goods import load_bundled_goods
from corridor.service.ownership import load_graph
from corridor.service.shipments import load_licences, report_rows, screen_ledger
from corridor.shipments import LedgerReport
from corridor.store import SqlStore, open_store

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerReport]:
    store: SqlStore = open_store(f"sqlite:///{tmp_path_factory.mktemp('ship') / 'c.db'}")
    for item in bundled_lists():
        if item.source in ("us_ofac_sdn", "uk_hmt"):
            load_list(store, item.path, format=item.format, source=item.source)
    load_graph(store, SAMPLES / "ownership.csv")
    load_bundled_goods(store)
    load_licences(store, SAMPLES / "licences.toml")
    yield screen_ledger(
        store, [SAMPLES / "ledger.csv"], companies=SAMPLES / "companies.csv", as_of="2025-01-15"
    )
    store.close()


def _decisions(report: LedgerReport, doc: str) -> dict[str, str]:
    result = next(r for r in report.results if r.doc_id == doc)
    return {j: d.result for j, d in result.decisions.items()}


def test_owned_importer_is_blocked_under_us_rules_only(report: LedgerReport) -> None:
    assert _decisions(report, "DT-2024-0311") == {
        "us": "prohibited",
        "eu": "review",
        "uk": "review",
        "un": "clear",
    }
    result = next(r for r in report.results if r.doc_id == "DT-2024-0311")
    us = " ".join(result.decisions["us"].reasons)
    assert "Steppe Logistics TOO is blocked (owned 75 % by DERIPASKA" in us


def test_re_export_to_russia_is_prohibited_everywhere_but_un(report: LedgerReport) -> None:
    assert _decisions(report, "ESF-2024-0417") == {
        "us": "prohibited",
        "eu": "prohibited",
        "uk": "prohibited",
        "un": "clear",
    }
    result = next(r for r in report.results if r.doc_id == "ESF-2024-0417")
    assert {f.rule for f in result.flags} >= {"SHP-04", "SHP-06", "PAY-01"}
    assert result.chains and result.chains[0].imports[0].doc_id == "DT-2024-0311"
    assert any(
        "is on the CHPL (tier 1) and goes to RU" in r for r in result.decisions["eu"].reasons
    )


def test_uk_control_makes_a_uk_only_prohibition(report: LedgerReport) -> None:
    assert _decisions(report, "WB-2024-0701") == {
        "us": "review",
        "eu": "review",
        "uk": "prohibited",
        "un": "clear",
    }


def test_a_licence_clears_its_own_jurisdiction_only(report: LedgerReport) -> None:
    assert _decisions(report, "DT-2024-1105") == {
        "us": "review",
        "eu": "clear",
        "uk": "review",
        "un": "clear",
    }
    result = next(r for r in report.results if r.doc_id == "DT-2024-1105")
    licensed = result.decisions["eu"].licensed
    assert licensed and "EU-833-CPC-DEROGATION-SE-2024-017" in licensed[0]
    assert result.goods_hits[0].licensed_by == {"eu": "EU-833-CPC-DEROGATION-SE-2024-017"}


def test_clean_trade_is_clear(report: LedgerReport) -> None:
    for doc in ("ESF-2024-0603", "ESF-2024-0904", "DT-2021-D01"):
        assert set(_decisions(report, doc).values()) == {"clear"}, doc


def test_counts_and_rows(report: LedgerReport) -> None:
    counts = report.counts()
    assert counts["documents"] == 27 and counts["chains"] == 1
    assert set(counts["flags"]) == {
        "CP-01",
        "CP-03",
        "CP-04",
        "CP-14",
        "PAY-01",
        "PAY-03",
        "SHP-02",
        "SHP-04",
        "SHP-06",
        "SHP-07",
        "SHP-08",
        "SHP-09",
    }
    rows = report_rows(report)
    assert rows[0]["doc_id"] == "DT-2024-0311" and rows[0]["us_result"] == "prohibited"

"""The virtual warehouse: re-export chains, FIFO stock, windows, units, related companies."""

from __future__ import annotations

from pathlib import Path

from corridor.goods import GoodsChecker
from corridor.service.ownership import load_graph
from corridor.service.shipments import ledger_chains, related_groups
from corridor.shipments import find_chains, load_rules_config, read_companies, read_ledger
from corridor.shipments.context import LedgerContext, company_key
from corridor.store import SqlStore

from .conftest import WriteLedger

IMPORT = (
    "{doc},customs_declaration,{day},Elektronik Vertrieb GmbH,DE,{company},KZ,{company},KZ,,,"
    "DE,DE,KZ,,DE,8542.31,Microcontrollers,{qty},{unit},5000,EUR"
)
EXPORT = (
    "{doc},e_invoice,{day},{company},KZ,OOO Ural Priborstroenie,{dest},"
    "OOO Ural Priborstroenie,{dest},,,DE,KZ,{dest},,DE,8542.31,Microcontrollers,{qty},{unit},"
    "9000,EUR"
)


def _imp(
    doc: str, day: str, qty: int, company: str = "Steppe Logistics TOO", unit: str = "pcs"
) -> str:
    return IMPORT.format(doc=doc, day=day, company=company, qty=qty, unit=unit)


def _exp(
    doc: str,
    day: str,
    qty: int,
    company: str = "Steppe Logistics TOO",
    dest: str = "RU",
    unit: str = "pcs",
) -> str:
    return EXPORT.format(doc=doc, day=day, company=company, qty=qty, dest=dest, unit=unit)


def _chains(path: Path, related: dict[str, str] | None = None) -> list:  # type: ignore[type-arg]
    ctx = LedgerContext(load_rules_config(), GoodsChecker.bundled(), "2025-06-01")
    ctx.related = related or {}
    return find_chains(read_ledger(path).lines, ctx, window_days=90, min_share=0.5)


def test_fifo_and_stock_taken_once(write_ledger: WriteLedger) -> None:
    path, _ = write_ledger(
        [
            _imp("I1", "2024-03-01", 1000),
            _imp("I2", "2024-03-20", 500),
            _exp("E1", "2024-04-01", 1200),  # takes all of I1 and 200 of I2
            _exp("E2", "2024-04-10", 600),  # 300 left of I2: 50 % covered
            _exp("E3", "2024-04-15", 100),  # nothing left
        ]
    )
    chains = {c.export_doc: c for c in _chains(path)}
    assert [(i.doc_id, i.quantity) for i in chains["E1"].imports] == [("I1", 1000), ("I2", 200)]
    assert chains["E1"].share == 1.0 and chains["E1"].days == 31
    assert [(i.doc_id, i.quantity) for i in chains["E2"].imports] == [("I2", 300)]
    assert chains["E2"].share == 0.5
    assert "E3" not in chains


def test_window_units_and_destinations(write_ledger: WriteLedger) -> None:
    path, _ = write_ledger(
        [
            _imp("I1", "2024-01-01", 1000),  # older than 90 days at E1
            _exp("E1", "2024-04-15", 500),
            _imp("I2", "2024-05-01", 1000, unit="kg"),
            _exp("E2", "2024-05-10", 500),  # pieces, not kilograms
            _imp("I3", "2024-06-01", 1000),
            _exp("E3", "2024-06-10", 500, dest="UZ"),  # not a restricted destination
            _exp("E4", "2024-06-12", 400, dest="BY"),
        ]
    )
    chains = _chains(path)
    assert [c.export_doc for c in chains] == ["E4"]
    assert chains[0].destination == "BY"


def test_related_companies_share_a_warehouse(write_ledger: WriteLedger) -> None:
    path, _ = write_ledger(
        [
            _imp("I1", "2024-03-01", 1000, company="Tobol Instruments TOO"),
            _exp("E1", "2024-04-01", 800, company="Steppe Logistics TOO"),
        ]
    )
    assert _chains(path) == []
    group = {
        company_key("Tobol Instruments TOO", "KZ") or "": "g",
        company_key("Steppe Logistics TOO", "KZ") or "": "g",
    }
    chains = _chains(path, group)
    assert len(chains) == 1 and chains[0].related
    assert chains[0].imports[0].company == "Tobol Instruments TOO"


def test_related_groups_from_the_ownership_graph(
    sqlite_store: SqlStore, write_ledger: WriteLedger, tmp_path: Path
) -> None:
    graph = tmp_path / "register.csv"
    graph.write_text(
        "owner_id,owned_id,share,kind,control_type,valid_from,valid_to,owner_name,owner_country,"
        "owned_name,owned_country\n"
        "190540012345,210340077777,100,ownership,,,,Steppe Logistics TOO,KZ,"
        "Tobol Instruments TOO,KZ\n"
    )
    load_graph(sqlite_store, graph)
    path, facts = write_ledger(
        [
            _imp("I1", "2024-03-01", 1000, company="Tobol Instruments TOO"),
            _exp("E1", "2024-04-01", 800, company="Steppe Logistics TOO"),
        ],
        [
            "Steppe Logistics TOO,KZ,190540012345,2019-05-14,52.29",
            "ТОО Тобол Инструментс,KZ,210340077777,2021-03-01,46.52",
        ],
    )
    assert facts is not None
    groups = related_groups(sqlite_store, read_companies(facts)[0])
    steppe = company_key("Steppe Logistics TOO", "KZ")
    assert groups[company_key("Tobol Instruments TOO", "KZ") or ""] == groups[steppe or ""]
    chains, errors = ledger_chains(sqlite_store, [path], facts, as_of="2025-06-01")
    assert not errors and len(chains) == 1 and chains[0].related

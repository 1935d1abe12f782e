"""Shipment test helpers: ledgers written from the compact rows of the cases files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from corridor.model.trade import COMPANY_COLUMNS, LINE_COLUMNS

WriteLedger = Callable[..., tuple[Path, Path | None]]


@pytest.fixture
def write_ledger(tmp_path: Path) -> WriteLedger:
    def _write(
        lines: list[str],
        companies: list[str] | None = None,
        extra_columns: list[str] | None = None,
    ) -> tuple[Path, Path | None]:
        ledger = tmp_path / "ledger.csv"
        header = ",".join([*LINE_COLUMNS, *(extra_columns or [])])
        ledger.write_text(header + "\n" + "\n".join(lines) + "\n", "utf-8")
        facts = None
        if companies:
            facts = tmp_path / "companies.csv"
            facts.write_text(
                ",".join(COMPANY_COLUMNS) + "\n" + "\n".join(companies) + "\n", "utf-8"
            )
        return ledger, facts

    return _write

"""Every red-flag rule on realistic documents, positive and negative (rules.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.goods import GoodsChecker
from corridor.shipments import ShipmentScreener, load_rules_config, read_companies, read_ledger

from .conftest import WriteLedger

CASES = tomllib.loads((Path(__file__).parent / "rules.toml").read_text("utf-8"))["case"]
CHECKER = GoodsChecker.bundled()
CONFIG = load_rules_config()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rule(case: dict[str, Any], write_ledger: WriteLedger) -> None:
    ledger_path, facts_path = write_ledger(
        case["lines"], case.get("companies"), case.get("extra_columns")
    )
    ledger = read_ledger(ledger_path)
    assert not ledger.errors, ledger.errors
    companies = read_companies(facts_path)[0] if facts_path else []
    screener = ShipmentScreener(CHECKER, CONFIG, None, companies=companies)
    report = screener.screen(ledger, as_of="2025-06-01")
    result = next(r for r in report.results if r.doc_id == case["doc"])
    fired = {f.rule: f for f in result.flags}
    for rule in case.get("fires", []):
        assert rule in fired, f"{rule} did not fire; fired: {sorted(fired)}"
        flag = fired[rule]
        assert flag.message and flag.guidance and flag.evidence
        expected = case.get("severity", {}).get(rule)
        if expected:
            assert flag.severity == expected
    for rule, expected in case.get("evidence", {}).items():
        for key, value in expected.items():
            assert fired[rule].evidence.get(key) == value, (key, fired[rule].evidence)
    for rule in case.get("absent", []):
        assert rule not in fired, fired[rule].message


def test_every_rule_has_positive_and_negative_cases() -> None:
    fires = {r for c in CASES for r in c.get("fires", [])}
    absent = {r for c in CASES for r in c.get("absent", [])}
    for rule in CONFIG.rules:
        assert rule in fires, f"{rule} has no positive case"
        assert rule in absent, f"{rule} has no negative case"

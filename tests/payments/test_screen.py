"""Payments screened against the bundled lists (cases.toml): decisions per jurisdiction and
the hits behind them."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.matching import Screener
from corridor.payments import MessageError, Payment, PaymentResult, PaymentScreener, read_messages

DATA = Path(__file__).parent.parent / "data" / "payments"
CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text("utf-8"))["case"]


@pytest.fixture(scope="module")
def results(screener: Screener) -> dict[str, PaymentResult]:
    payments = PaymentScreener(screener)
    out = {}
    for path in sorted(DATA.iterdir()):
        for item in read_messages(path):
            if isinstance(item, Payment):
                out[item.message_id] = payments.screen(item)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["message_id"] for c in CASES])
def test_payment(case: dict[str, Any], results: dict[str, PaymentResult]) -> None:
    result = results[case["message_id"]]
    assert result.payment.kind == case["kind"]
    got = {j: d.result for j, d in result.decisions.items()}
    for j, want in case["decision"].items():
        assert got[j] == want, (j, result.decisions[j].reasons)
    found = {f"{h.kind}:{h.field}" for h in result.hits}
    for hit in case["hits"]:
        assert hit in found, found
    kinds = {h.kind for h in result.hits}
    for kind in case.get("absent", []):
        assert kind not in kinds, [h.to_dict() for h in result.hits if h.kind == kind]
    # every hit says what it matched and why; every reason is in words
    for h in result.hits:
        assert h.matched and h.why and h.field
    data = result.to_dict()
    assert set(data) >= {"message_id", "decision", "overall", "hits"}


def test_a_broken_message_is_reported_and_the_others_screened() -> None:
    items = list(read_messages(DATA / "mt103.txt"))
    assert [type(i).__name__ for i in items] == ["Payment", "Payment", "MessageError"]
    error = items[2]
    assert isinstance(error, MessageError)
    assert error.position == "message 3 (line 34)" and "cut short" in error.message

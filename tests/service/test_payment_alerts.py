"""Payment hits as alerts (SQLite and PostgreSQL): a matched party of a payment becomes a
counterparty of the book with an alert in its case, and a false positive decided on it holds
for its next payments."""

from __future__ import annotations

from pathlib import Path

from corridor.service import load_list
from corridor.service.alerts import decide, list_alerts
from corridor.service.payments import payment_screener, raise_payment_alerts, screen_payment_text
from corridor.service.screening import build_screener
from corridor.service.users import User
from corridor.store import SqlStore

DATA = Path(__file__).parent.parent / "data" / "payments"
ANALYST = User(1, "ana", "analyst")


def test_a_payment_match_becomes_an_alert_and_a_decision_is_remembered(
    store: SqlStore, shared: Path
) -> None:
    load_list(store, shared / "un/UN_consolidated.xml")
    screener = build_screener(store)
    payments = payment_screener(screener)
    body = (DATA / "mt202cov.txt").read_bytes()
    report = screen_payment_text(payments, [body])
    counts = raise_payment_alerts(store, screener, report, "ana")
    assert counts["parties"] == 1 and counts["alerts_created"] >= 1
    [alert] = [a for a in list_alerts(store) if "RYONBONG" in a["entity_caption"].upper()]
    assert alert["status"] == "open"
    # the same party in the next payment: the alert exists, no second one
    again = raise_payment_alerts(store, screener, screen_payment_text(payments, [body]), "ana")
    assert again["alerts_created"] == 0
    decide(store, alert["id"], "false_positive", "another company", alert["version"], ANALYST)
    later = raise_payment_alerts(store, screener, screen_payment_text(payments, [body]), "ana")
    assert later["alerts_created"] == 0 and later["suppressed_by_memory"] >= 1
    # a payment without a party match raises nothing
    clean = (DATA / "pain001_v09.xml").read_bytes()
    none = raise_payment_alerts(store, screener, screen_payment_text(payments, [clean]), "ana")
    assert none["parties"] == 0

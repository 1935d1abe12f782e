"""Screening payment messages: the payment screener of the active lists (rebuilt when they
change), files and request bodies screened, and a report of results and unreadable
messages."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor.goods import GoodsChecker
from corridor.matching import Screener
from corridor.payments import MessageError, PaymentResult, PaymentScreener, read_messages, read_text
from corridor.payments.message import Agent, Party, Payment
from corridor.service.counterparties import CounterpartyIn, upsert_counterparty
from corridor.store.sql import SqlStore

_LOCK = threading.Lock()
_CACHE: dict[int, PaymentScreener] = {}


def payment_screener(screener: Screener, goods: GoodsChecker | None = None) -> PaymentScreener:
    """The payment screener over ``screener``'s current index (built once per index: a list
    update gives the screener a new index, and this a new payment screener)."""
    screener.refresh()
    key = id(screener.index)
    with _LOCK:
        found = _CACHE.get(key)
        if found is None:
            _CACHE.clear()
            found = PaymentScreener(screener, goods)
            _CACHE[key] = found
        return found


@dataclass
class PaymentReport:
    results: list[PaymentResult] = field(default_factory=list)
    errors: list[MessageError] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> dict[str, Any]:
        overall = Counter(r.overall for r in self.results)
        per: dict[str, Counter[str]] = {}
        kinds: Counter[str] = Counter()
        for r in self.results:
            for j, d in r.decisions.items():
                per.setdefault(j, Counter())[d.result] += 1
            kinds.update(h.kind for h in r.hits)
        return {
            "messages": len(self.results),
            "unreadable": len(self.errors),
            "overall": dict(overall),
            "by_jurisdiction": {j: dict(c) for j, c in per.items()},
            "hits": dict(kinds),
        }

    def to_dict(self, with_messages: bool = False) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "errors": [e.to_dict() for e in self.errors],
            "results": [r.to_dict(with_messages) for r in self.results],
            "seconds": round(self.seconds, 3),
        }


def _screen(screener: PaymentScreener, items: Any, report: PaymentReport) -> PaymentReport:
    t0 = time.perf_counter()
    for item in items:
        if isinstance(item, MessageError):
            report.errors.append(item)
        else:
            assert isinstance(item, Payment)
            report.results.append(screener.screen(item))
    report.seconds += time.perf_counter() - t0
    return report


def screen_payment_files(screener: PaymentScreener, paths: list[Path]) -> PaymentReport:
    report = PaymentReport()
    for path in paths:
        _screen(screener, read_messages(path), report)
    return report


def screen_payment_text(
    screener: PaymentScreener, bodies: list[str | bytes], source: str = "request"
) -> PaymentReport:
    report = PaymentReport()
    for n, body in enumerate(bodies, start=1):
        _screen(screener, read_text(body, source if len(bodies) == 1 else f"{source} {n}"), report)
    return report


def report_rows(report: PaymentReport) -> list[dict[str, Any]]:
    """One row per payment, for CSV, JSON lines or Parquet."""
    rows = []
    for r in report.results:
        row: dict[str, Any] = {
            "message_id": r.message_id,
            "kind": r.payment.kind,
            "source": r.payment.source,
            "position": r.payment.position,
            "amount": r.payment.amount,
            "currency": r.payment.currency,
            "overall": r.overall,
        }
        for j, d in r.decisions.items():
            row[j] = d.result
            row[f"{j}_reasons"] = " | ".join(d.reasons)
        row["hits"] = " | ".join(f"{h.field}: {h.kind}: {h.text} -> {h.matched}" for h in r.hits)
        rows.append(row)
    return rows


def _party_id(name: str, country: str | None) -> str:
    """The counterparty id of a payment's party: its name and country, so that the same
    party in the next payment is the same counterparty (and its remembered decisions hold)."""
    key = f"{' '.join(name.casefold().split())}|{country or ''}"
    return "payment:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def raise_payment_alerts(
    store: SqlStore, screener: Screener, report: PaymentReport, actor: str
) -> dict[str, int]:
    """Make the party matches of screened payments alerts in cases: each party or bank that a
    list names (by its name) becomes a counterparty of the book and is screened through the
    monitoring service, in one transaction with its alerts. A false positive decided on it is
    remembered for every later payment of the same party (until the party or the listing
    changes), and it is re-screened with the book when lists change. Hits that are not names
    (a BIC, a place, free text) stay on the payment's result."""
    counts = {"parties": 0, "alerts_created": 0, "alerts_updated": 0, "suppressed_by_memory": 0}
    seen: set[str] = set()
    for result in report.results:
        found = {h.field for h in result.hits if h.kind in ("listed_party", "listed_agent")}
        if not found:
            continue
        who: list[Party | Agent] = [*result.payment.parties, *result.payment.agents]
        for party in who:
            if party.field not in found or not party.name:
                continue
            external = _party_id(party.name, party.country)
            if external in seen:
                continue
            seen.add(external)
            _, outcome = upsert_counterparty(
                store,
                screener,
                CounterpartyIn(external, party.name[:500], None, party.country),
                actor,
            )
            counts["parties"] += 1
            counts["alerts_created"] += len(outcome.created)
            counts["alerts_updated"] += len(outcome.updated)
            counts["suppressed_by_memory"] += len(outcome.suppressed)
    return counts

"""Screening payment messages: the payment screener of the active lists (rebuilt when they
change), files and request bodies screened, and a report of results and unreadable
messages."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor.goods import GoodsChecker
from corridor.matching import Screener
from corridor.payments import MessageError, PaymentResult, PaymentScreener, read_messages, read_text
from corridor.payments.message import Payment

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

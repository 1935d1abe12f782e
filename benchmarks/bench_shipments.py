"""Shipment screening benchmark: precision and recall of the red-flag rules on planted
patterns, throughput with party screening, and re-export chains on a large ledger.

Targets (issue "Goods and shipments"): recall >= 0.95 and precision >= 0.9 per rule family on
planted patterns; >= 100,000 document lines per minute on one core, party screening
included; the re-export chains of a 1,000,000-line ledger in under 2 minutes.
Run with ``make bench-shipments`` or ``python benchmarks/bench_shipments.py [--lines N]
[--throughput-lines N] [--chain-lines N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trade_data import generate  # noqa: E402

from corridor.goods import GoodsChecker  # noqa: E402
from corridor.lists.bundled import bundled_lists  # noqa: E402
from corridor.service import load_list  # noqa: E402
from corridor.service.screening import build_screener  # noqa: E402
from corridor.service.shipments import ledger_chains  # noqa: E402
from corridor.shipments import (  # noqa: E402
    ShipmentScreener,
    load_rules_config,
    read_companies,
    read_ledger,
)
from corridor.store import open_store  # noqa: E402

AS_OF = "2025-11-30"
COMPANY_RULES = ("CP-01", "CP-03", "CP-04")


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def quality(tmp: Path, lines: int) -> dict[str, object]:
    ledger_path, companies_path, truth_path = generate(
        tmp / "quality", lines, per_rule=max(50, lines // 1000)
    )
    truth = json.loads(truth_path.read_text())
    ledger = read_ledger(ledger_path)
    companies, _ = read_companies(companies_path)
    screener = ShipmentScreener(
        GoodsChecker.bundled(), load_rules_config(), None, companies=companies
    )
    report = screener.screen(ledger, AS_OF)
    found: dict[str, set[str]] = defaultdict(set)
    for r in report.results:
        for f in r.flags:
            found[f.rule].add(f.company or "" if f.rule in COMPANY_RULES else f.doc_id)
    rows = []
    families: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for rule in load_rules_config().rules:
        expected = set(truth["companies" if rule in COMPANY_RULES else "docs"].get(rule, []))
        got = found.get(rule, set())
        tp, fp, fn = len(got & expected), len(got - expected), len(expected - got)
        rows.append((rule, len(expected), tp, fp, fn, _ratio(tp, tp + fp), _ratio(tp, tp + fn)))
        fam = families[rule.split("-")[0]]
        fam[0] += tp
        fam[1] += fp
        fam[2] += fn
    print(
        f"\nPlanted patterns in a {len(ledger.lines):,}-line ledger "
        f"({len(report.results):,} documents)"
    )
    print(
        f"{'rule':<8} {'planted':>8} {'found':>6} {'false':>6} {'missed':>7} "
        f"{'precision':>10} {'recall':>7}"
    )
    for rule, planted, tp, fp, fn, p, r in rows:
        print(f"{rule:<8} {planted:>8} {tp:>6} {fp:>6} {fn:>7} {p:>10.3f} {r:>7.3f}")
    out: dict[str, object] = {}
    print(
        f"\n{'family':<8} {'precision':>10} {'recall':>7}   target: precision >= 0.9, "
        "recall >= 0.95"
    )
    for fam, (tp, fp, fn) in sorted(families.items()):
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        ok = "PASS" if p >= 0.9 and r >= 0.95 else "FAIL"
        print(f"{fam:<8} {p:>10.3f} {r:>7.3f}   {ok}")
        out[fam] = {"precision": p, "recall": r}
    return out


def throughput(tmp: Path, lines: int) -> dict[str, float]:
    ledger_path, companies_path, _ = generate(tmp / "throughput", lines, per_rule=20, seed=5)
    store = open_store(f"sqlite:///{tmp / 'lists.db'}")
    for item in bundled_lists():
        load_list(store, item.path, format=item.format, source=item.source)
    t0 = time.perf_counter()
    party = build_screener(store)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    ledger = read_ledger(ledger_path)
    companies, _ = read_companies(companies_path)
    read = time.perf_counter() - t0
    screener = ShipmentScreener(
        GoodsChecker.bundled(), load_rules_config(), party, companies=companies
    )
    t0 = time.perf_counter()
    report = screener.screen(ledger, AS_OF)
    screen = time.perf_counter() - t0
    parties = len(screener._party_cache)
    total = read + screen
    per_minute = len(ledger.lines) / total * 60
    print(
        f"\nThroughput on one core ({len(ledger.lines):,} lines, {len(report.results):,} "
        f"documents, {parties:,} distinct parties screened against "
        f"{len(party.index.entities):,} listed entities)"
    )
    print(f"  party index build (once per list update): {build:.1f} s")
    print(
        f"  read and validate: {read:.1f} s; screen (parties, goods, rules, chains, "
        f"decisions): {screen:.1f} s"
    )
    print(
        f"  {per_minute:,.0f} lines per minute (target >= 100,000): "
        f"{'PASS' if per_minute >= 100_000 else 'FAIL'}"
    )
    store.close()
    return {"lines_per_minute": per_minute, "build_s": build, "read_s": read, "screen_s": screen}


def chains(tmp: Path, lines: int) -> dict[str, float]:
    t0 = time.perf_counter()
    ledger_path, companies_path, _ = generate(tmp / "chains", lines, per_rule=400, seed=3)
    print(f"\nGenerated a {lines:,}-line ledger in {time.perf_counter() - t0:.0f} s (not counted)")
    t0 = time.perf_counter()
    found, errors = ledger_chains(None, [ledger_path], companies_path, as_of=AS_OF)
    secs = time.perf_counter() - t0
    print(
        f"  re-export chains: {len(found):,} found in {secs:.1f} s including reading and "
        f"validating the file ({len(errors)} bad rows) (target < 120 s): "
        f"{'PASS' if secs < 120 else 'FAIL'}"
    )
    return {"chains_s": secs, "chains": len(found)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=50_000, help="quality ledger size")
    parser.add_argument("--throughput-lines", type=int, default=100_000)
    parser.add_argument("--chain-lines", type=int, default=1_000_000)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["quality", "throughput", "chains"]
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with tempfile.TemporaryDirectory() as tmp:
        if "quality" not in args.skip:
            quality(Path(tmp), args.lines)
        if "throughput" not in args.skip:
            throughput(Path(tmp), args.throughput_lines)
        if "chains" not in args.skip:
            chains(Path(tmp), args.chain_lines)


if __name__ == "__main__":
    main()

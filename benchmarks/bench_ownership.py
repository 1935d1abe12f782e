"""Ownership benchmark: a synthetic graph of 1,000,000 edges and 50,000 designated parties
evaluated under the US, EU and UK rules.

Target (issue "Ownership and control"): all three jurisdictions in under 30 s on one machine.
Baseline in the same run: the textbook fixpoint of DOMAIN.md 4.1 (rescan every edge until
nothing changes) for the US rule, which must find exactly the same blocked set.
Run with ``make bench-ownership`` or ``python benchmarks/bench_ownership.py [--edges N]
[--designated D] [--db URL] [--no-store]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ownership_data import generate  # noqa: E402

from corridor.ownership import Evaluation, compile_graph, read_designated, read_graph  # noqa: E402
from corridor.ownership.engine import EPSILON  # noqa: E402
from corridor.ownership.graph import CompiledGraph  # noqa: E402
from corridor.service.ownership import evaluate_ownership, load_graph  # noqa: E402
from corridor.store import open_store  # noqa: E402

AS_OF = "2026-11-22"


def textbook_us(graph: CompiledGraph) -> set[int]:
    """DOMAIN.md 4.1 as written: repeat a full pass over the edges until no change."""
    blocked = {graph.index[d.id] for d in graph.designations.values() if "us" in d.jurisdictions}
    edges = [(u, v, low) for u, outs in enumerate(graph.own_out) for v, low, _ in outs]
    while True:
        totals: dict[int, float] = {}
        for u, v, low in edges:
            if u in blocked and v not in blocked:
                totals[v] = totals.get(v, 0.0) + low
        new = {v for v, s in totals.items() if s >= 50.0 - EPSILON}
        if not new:
            return blocked
        blocked |= new


def timed(label: str, rows: list[tuple[str, float, str]], fn, note=lambda r: ""):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    rows.append((label, time.perf_counter() - t0, note(result)))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--designated", type=int, default=50_000)
    parser.add_argument("--db", help="store URL for the store part (default: fresh SQLite)")
    parser.add_argument("--no-store", action="store_true", help="skip loading into a store")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        edges_path, des_path = generate(Path(tmp), args.edges, args.designated)
        print(
            f"generated {args.edges:,} edges, {args.designated:,} designated parties in "
            f"{time.perf_counter() - t0:.1f} s (not counted)"
        )

        total0 = time.perf_counter()
        data = timed(
            "read edges CSV",
            rows,
            lambda: read_graph(edges_path),
            lambda d: f"{len(d.edges):,} edges",
        )
        designations = timed(
            "read designated CSV",
            rows,
            lambda: read_designated(des_path),
            lambda d: f"{len(d):,} designations",
        )
        graph = timed(
            "compile graph as of " + AS_OF,
            rows,
            lambda: compile_graph(data.edges, designations, as_of=AS_OF),
            lambda g: f"{len(g.ids):,} parties, {g.edge_count:,} edges valid",
        )
        ev = timed(
            "evaluate US + EU + UK",
            rows,
            lambda: Evaluation(graph, ("us", "eu", "uk")),
            lambda e: json.dumps(e.counts()),
        )
        timed("list affected parties", rows, ev.affected, lambda a: f"{len(a):,} parties")
        timed(
            "derive findings with traces",
            rows,
            lambda: sum(1 for _ in ev.findings()),
            lambda n: f"{n:,} findings",
        )
        total = time.perf_counter() - total0
        for code in ("us", "eu", "uk"):
            timed(f"  {code.upper()} alone", rows, lambda c=code: Evaluation(graph, (c,)))
        base = timed(
            "baseline: textbook US fixpoint",
            rows,
            lambda: textbook_us(graph),
            lambda b: f"{len(b):,} blocked incl. designated",
        )
        res = ev.results["us"]
        engine = set(res.groups[0].definite.order) if res.groups else set(res.seeds)
        agree = engine == base
        if not args.no_store:
            url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
            store = open_store(url)
            timed(
                "store: load graph",
                rows,
                lambda: load_graph(store, edges_path),
                lambda r: f"version {r.version.id}",
            )
            timed(
                "store: evaluate from store",
                rows,
                lambda: evaluate_ownership(store, None, des_path, as_of=AS_OF),
                lambda e: f"{len(e.graph.ids):,} parties",
            )
            store.close()

    width = max(len(r[0]) for r in rows)
    print(f"\n{'step':<{width}}  {'seconds':>8}  detail")
    for label, secs, note in rows:
        print(f"{label:<{width}}  {secs:8.2f}  {note}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nread + compile + evaluate (3 jurisdictions) + findings: {total:.1f} s "
        f"(target < 30 s): {'PASS' if total < 30 else 'FAIL'}"
    )
    print(f"engine and textbook fixpoint agree on the US blocked set: {agree}")
    print(f"peak memory {peak:,.0f} MB")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "total_s": total, "agree": agree}))


if __name__ == "__main__":
    main()

"""Party-screening benchmark: quality against three baselines, retrieval loss, speed.

Run: ``make bench-screening`` or ``python benchmarks/bench_screening.py [--quick]``.
Sets are described in benchmarks/screening_sets.py; baselines in benchmarks/baselines.py.
Targets: recall >= 0.95 on Russian/Kazakh Cyrillic-to-Latin names, false-alert rate <= 1 %,
better than every baseline (recall at equal or lower false-alert rate); retrieval keeps
>= 99.5 % of brute-force results; >= 1,000 queries/s on one core, p99 <= 10 ms, index build
<= 10 s, memory < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baselines  # noqa: E402
import screening_sets as sets  # noqa: E402

from corridor.matching import DEFAULT_THRESHOLD, Query, Screener  # noqa: E402
from corridor.model.entity import Entity  # noqa: E402

METHODS = ["corridor", "levenshtein", "ofac_sls", "logic_v2"]


def _run_methods(
    entities: list[Entity], cases: list[sets.Case], use_logic: bool
) -> dict[str, list[dict[str, float]]]:
    screener = Screener(entities)
    table = baselines.NameTable(entities)
    by_id = {e.id: e for e in entities}
    logic = baselines.LogicV2() if use_logic else None
    out: dict[str, list[dict[str, float]]] = defaultdict(list)
    for case in cases:
        q = Query(case.query, kind=case.kind)
        res = screener.screen(q, threshold=0.5, limit=50)
        out["corridor_wide"].append({r.entity_id: r.score for r in res})
        out["corridor"].append({r.entity_id: r.score for r in res if r.score >= DEFAULT_THRESHOLD})
        out["levenshtein"].append(baselines.levenshtein(table, case.query))
        out["ofac_sls"].append(baselines.ofac_sls(table, case.query))
        if logic is not None:
            # logic-v2 scores a candidate set: Corridor's shortlist at a low cut-off plus the
            # Levenshtein top 10 (comparing every listed name is out of its reach)
            wide = screener.screen(q, threshold=0.3, limit=30)
            cand_ids = {r.entity_id for r in wide}
            cand_ids.update(
                table.entities[i].id for i in baselines.levenshtein_top(table, case.query)
            )
            out["logic_v2"].append(logic.score(case.query, case.kind, [by_id[c] for c in cand_ids]))
    return out


def _recall(cases: list[sets.Case], hits: list[dict[str, float]]) -> float:
    found = sum(1 for c, h in zip(cases, hits, strict=True) if c.expected in h)
    return found / len(cases) if cases else float("nan")


def _alerts(hits: list[dict[str, float]]) -> float:
    return sum(1 for h in hits if h) / len(hits) if hits else float("nan")


def _groups(cases: list[sets.Case], key: callable) -> dict[str, list[int]]:  # type: ignore[valid-type]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        groups[key(c)].append(i)
    return groups


def _recall_at(cases: list[sets.Case], wide: list[dict[str, float]], t: float) -> float:
    hits = sum(1 for c, h in zip(cases, wide, strict=True) if h.get(c.expected or "", 0) >= t)
    return hits / len(cases) if cases else float("nan")


def _fa_at(wide: list[dict[str, float]], t: float) -> float:
    return sum(1 for h in wide if h and max(h.values()) >= t) / len(wide)


Positives = list[tuple[str, list[sets.Case], list[dict[str, float]], dict[str, float]]]


def quality(
    quick: bool, use_logic: bool
) -> tuple[list[tuple[str, int, dict[str, float]]], Positives, dict[str, list[dict[str, float]]]]:
    rows: list[tuple[str, int, dict[str, float]]] = []
    positives: Positives = []
    t0 = time.perf_counter()
    ents, cases = sets.alias_heldout(400 if quick else 1500)
    res = _run_methods(ents, cases, use_logic)
    for name, idx in sorted(_groups(cases, lambda c: c.group).items()):
        sub = [cases[i] for i in idx]
        rows.append(
            (
                f"aliases held out: {name}",
                len(idx),
                {m: _recall(sub, [res[m][i] for i in idx]) for m in res},
            )
        )
    rows.append(("aliases held out: all", len(cases), {m: _recall(cases, res[m]) for m in res}))
    positives.append(
        (
            "aliases held out: all",
            cases,
            res["corridor_wide"],
            {m: _recall(cases, res[m]) for m in res},
        )
    )
    print(f"  aliases held out done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    t0 = time.perf_counter()
    ents, cases = sets.cross_script(20 if quick else 60)
    res = _run_methods(ents, cases, use_logic)

    def group(c: sets.Case) -> str:
        if c.group.startswith("names-ru-kz"):
            return "names ru/kz/kg/by/ua"
        if c.group.startswith("names-"):
            return "names other scripts"
        return c.group

    for name, idx in sorted(_groups(cases, group).items()):
        sub = [cases[i] for i in idx]
        rows.append(
            (
                f"cross-script: {name}",
                len(idx),
                {m: _recall(sub, [res[m][i] for i in idx]) for m in res},
            )
        )
    ru_kz = [
        i for i, c in enumerate(cases) if c.group == "eu-Cyrl" or c.group.startswith("names-ru-kz")
    ]
    rows.append(
        (
            "cross-script: Russian/Kazakh Cyrillic -> Latin",
            len(ru_kz),
            {m: _recall([cases[i] for i in ru_kz], [res[m][i] for i in ru_kz]) for m in res},
        )
    )
    for label, idx in (
        ("cross-script: all", list(range(len(cases)))),
        ("cross-script: Russian/Kazakh Cyrillic -> Latin", ru_kz),
    ):
        sub = [cases[i] for i in idx]
        positives.append(
            (
                label,
                sub,
                [res["corridor_wide"][i] for i in idx],
                {m: _recall(sub, [res[m][i] for i in idx]) for m in res},
            )
        )
    print(f"  cross-script done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    t0 = time.perf_counter()
    from corridor.lists import open_list
    from corridor.lists.bundled import bundled_lists

    everything = [
        e for b in bundled_lists() for e in open_list(b.path, format=b.format, source=b.source)
    ]
    seen: set[str] = set()
    unique = []
    for e in everything:
        if e.id not in seen:
            seen.add(e.id)
            unique.append(e)
    negs = sets.negatives(600 if quick else 2000)
    res = _run_methods(unique, negs, use_logic)
    rows.append(("negatives: false-alert rate", len(negs), {m: _alerts(res[m]) for m in res}))
    print(f"  negatives done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return rows, positives, res


def retrieval_loss(quick: bool) -> tuple[int, int, int]:
    """Results above threshold found by the index vs by comparing every listed name."""
    ents, cases = sets.cross_script(10)
    heldout_ents, heldout = sets.alias_heldout(200)
    screener = Screener(heldout_ents)
    queries = [c for c in heldout[: (60 if quick else 150)]]
    brute = found = 0
    for c in queries:
        q = Query(c.query, kind=c.kind)
        full = {r.entity_id for r in screener.screen(q, limit=1000, exhaustive=True)}
        fast = {r.entity_id for r in screener.screen(q, limit=1000)}
        brute += len(full)
        found += len(full & fast)
    del ents, cases
    return len(queries), brute, found


def speed_child(n_queries: int) -> None:
    """Runs in a fresh process: build the index from a store holding every bundled list."""
    from corridor.lists.bundled import bundled_lists
    from corridor.service import load_list
    from corridor.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 's.db'}")
        for b in bundled_lists():
            load_list(store, b.path, format=b.format, source=b.source)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        screener = Screener.from_store(store)
        build = time.perf_counter() - t0
        queries = [c.query for c in sets.negatives(n_queries // 2)]
        _ents, pos = sets.alias_heldout(n_queries // 2)
        queries += [c.query for c in pos]
        for q in queries[:200]:  # warm the caches as a running service would be
            screener.screen(q)
        lat = []
        t_all = time.perf_counter()
        for q in queries:
            t = time.perf_counter()
            screener.screen(q)
            lat.append(time.perf_counter() - t)
        total = time.perf_counter() - t_all
        lat.sort()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            json.dumps(
                {
                    "entities": len(screener.index.entities),
                    "names": len(screener.index.names),
                    "queries": len(queries),
                    "qps": len(queries) / total,
                    "p50_ms": lat[len(lat) // 2] * 1000,
                    "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
                    "build_s": build,
                    "peak_rss_mb": rss / 1024,
                    "rss_before_index_mb": rss_before / 1024,
                }
            )
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller samples")
    ap.add_argument("--no-logic-v2", action="store_true", help="skip the nomenklatura baseline")
    ap.add_argument("--speed-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.speed_child:
        speed_child(args.speed_child)
        return
    use_logic = not args.no_logic_v2
    if use_logic:
        try:
            baselines.LogicV2()
        except ImportError:
            print(
                "nomenklatura not installed: pip install 'corridor[bench]' (skipping logic-v2)",
                file=sys.stderr,
            )
            use_logic = False
    print(
        f"Corridor screening benchmark (default threshold {DEFAULT_THRESHOLD:.2f}; "
        "baseline thresholds: levenshtein 0.80, ofac_sls 0.85, logic_v2 0.70)"
    )
    proc = subprocess.run(
        [sys.executable, __file__, "--speed-child", "1000" if args.quick else "4000"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    speed = json.loads(proc.stdout.strip().splitlines()[-1])
    rows, positives, negres = quality(args.quick, use_logic)
    methods = [m for m in METHODS if m != "logic_v2" or use_logic]
    print()
    print(f"{'set':52} {'n':>5} " + " ".join(f"{m:>12}" for m in methods))
    for label, n, vals in rows:
        cells = []
        for m in methods:
            v = vals.get(m, float("nan"))
            cells.append(f"{v * 100:11.2f}%" if "false-alert" in label else f"{v:12.3f}")
        print(f"{label:52} {n:5} " + " ".join(cells))
    print(
        "(recall: share of queries whose entity scores at or above the method's threshold; "
        "false-alert rate: share of negatives with any result)"
    )
    print()
    print(
        "Corridor at each baseline's false-alert rate (its threshold lowered or raised until "
        "its false-alert rate is at most the baseline's):"
    )
    wide_neg = negres["corridor_wide"]
    for m in methods[1:]:
        fa = _alerts(negres[m])
        t = next((x / 100 for x in range(50, 100) if _fa_at(wide_neg, x / 100) <= fa), 1.0)
        cells = []
        for label, cases, wide, base in positives:
            cells.append(
                f"{label.split(': ')[1]} {base[m]:.3f} vs {_recall_at(cases, wide, t):.3f}"
            )
        print(
            f"  {m:12} false alerts {fa * 100:5.2f}% -> Corridor threshold {t:.2f} "
            f"({_fa_at(wide_neg, t) * 100:.2f}%): " + "; ".join(cells)
        )
    nq, brute, found = retrieval_loss(args.quick)
    print()
    print(
        f"retrieval: {found}/{brute} brute-force results above threshold kept by the index "
        f"({found / brute * 100 if brute else 100:.2f} %, target >= 99.5 %) over {nq} queries"
    )
    print(
        f"speed (1 core, every bundled list: {speed['entities']:,} entities, "
        f"{speed['names']:,} names): {speed['qps']:,.0f} queries/s, p50 "
        f"{speed['p50_ms']:.2f} ms, p99 {speed['p99_ms']:.2f} ms over {speed['queries']:,} "
        f"queries; index build {speed['build_s']:.2f} s; peak memory "
        f"{speed['peak_rss_mb']:.0f} MB ({speed['rss_before_index_mb']:.0f} MB before the index)"
    )


if __name__ == "__main__":
    main()

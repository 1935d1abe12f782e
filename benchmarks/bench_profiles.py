"""Cross-list entity resolution benchmark: pairwise precision and recall on the bundled lists.

Run: ``make bench-profiles`` or ``python benchmarks/bench_profiles.py``.

Ground truth comes from identifiers the sources themselves share: UN reference numbers (the UN
list's own, the EU's ``unitedNationId``, the UK's "UN Ref" in either form), the OFAC record
numbers that the US Consolidated Screening List repeats for its copies of OFAC records, and
IMO numbers. A pair of records is judged only when both carry a key of the same kind (a UN
record and an OFAC record share no key, so whether they are one party is not judged).

Two runs: **all evidence** (what Corridor does) and **blind**, where the resolver is denied
the very keys the ground truth is made of (UN references, OFAC record numbers, IMO numbers)
and must link on names, dates of birth, countries and other identifiers. Targets: pairwise
precision >= 0.99 and recall >= 0.95 (all evidence). The hardest wrong links and the missed
links of the blind run are listed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from itertools import combinations

from corridor.lists.bundled import bundled_lists
from corridor.lists.read import open_list
from corridor.model.entity import Entity, IdType
from corridor.profiles.keys import ofac_record, un_references
from corridor.profiles.resolve import Resolution, Resolver

TRUTH_KINDS = ("un", "ofac", "imo")
TARGET_P, TARGET_R = 0.99, 0.95


def truth_keys(ent: Entity) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for ref in un_references(ent):
        out["un"].add(ref)
    rec = ofac_record(ent)
    if rec:
        out["ofac"].add(rec)
    for ident in ent.identifiers:
        if ident.type is IdType.IMO:
            digits = "".join(c for c in ident.value if c.isdigit())
            if len(digits) == 7:
                out["imo"].add(digits)
    return out


def truth_pairs(entities: list[Entity]) -> tuple[set[tuple[str, str]], dict[str, set[str]]]:
    """Pairs that share a ground-truth key, and each record's kinds of key."""
    keyed: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, set[str]] = {}
    for ent in entities:
        tk = truth_keys(ent)
        if tk:
            kinds[ent.id] = set(tk)
        for kind, values in tk.items():
            for v in values:
                keyed[f"{kind}:{v}"].append(ent.id)
    pairs: set[tuple[str, str]] = set()
    for ids in keyed.values():
        for a, b in combinations(sorted(set(ids)), 2):
            pairs.add((a, b))
    return pairs, kinds


def judged(a: str, b: str, kinds: dict[str, set[str]]) -> bool:
    return bool(kinds.get(a, set()) & kinds.get(b, set()))


def evaluate(
    name: str,
    res: Resolution,
    truth: set[tuple[str, str]],
    kinds: dict[str, set[str]],
    by_id: dict[str, Entity],
    show: int,
) -> tuple[float, float]:
    predicted: set[tuple[str, str]] = set()
    for cluster in res.clusters:
        for a, b in combinations(cluster, 2):
            if judged(a, b, kinds):
                predicted.add((a, b))
    tp = len(predicted & truth)
    fp = sorted(predicted - truth)
    fn = sorted(truth - predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    sizes = [len(c) for c in res.clusters]
    multi = sum(1 for s in sizes if s > 1)
    print(f"\n== {name}")
    print(
        f"records {sum(sizes):,} -> profiles {len(sizes):,} ({multi:,} of two records or "
        f"more, largest {max(sizes)}); pairs compared {res.compared:,}; links {len(res.links):,}"
    )
    print(
        f"judged pairs: predicted {len(predicted):,}, true {len(truth):,}, right {tp:,}, "
        f"wrong {len(fp):,}, missed {len(fn):,}"
    )
    print(
        f"pairwise precision {precision:.4f} (target {TARGET_P}), recall {recall:.4f} "
        f"(target {TARGET_R})"
    )
    link_of = {(min(k.a, k.b), max(k.a, k.b)): k for k in res.links}
    if fp:
        print(f"hardest wrong links (up to {show}):")
        for a, b in fp[:show]:
            why = link_of.get((a, b))
            print(
                f"  {a} {by_id[a].caption!r} ~ {b} {by_id[b].caption!r}: "
                f"{why.why() if why else 'same profile through other links'}"
            )
    if fn:
        print(f"missed links (up to {show}):")
        for a, b in fn[:show]:
            ea, eb = by_id[a], by_id[b]
            print(
                f"  {a} {ea.caption!r} {ea.birth_dates[:2]} ~ {b} {eb.caption!r} "
                f"{eb.birth_dates[:2]}"
            )
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=12, help="wrong and missed links shown")
    args = parser.parse_args()
    t0 = time.perf_counter()
    entities = [e for b in bundled_lists() for e in open_list(b.path, b.format, b.source)]
    by_id = {e.id: e for e in entities}
    print(f"bundled lists: {len(entities):,} records read in {time.perf_counter() - t0:.1f} s")
    truth, kinds = truth_pairs(entities)
    per_kind = defaultdict(int)
    for a, b in truth:
        for k in kinds[a] & kinds[b]:
            per_kind[k] += 1
    print(
        f"ground truth: {len(truth):,} pairs ("
        + ", ".join(f"{k} {per_kind[k]:,}" for k in TRUTH_KINDS)
        + ")"
    )
    ok = True
    for name, withhold in (("all evidence", ()), ("blind (truth keys withheld)", TRUTH_KINDS)):
        t1 = time.perf_counter()
        res = Resolver(withhold=withhold).resolve(entities)
        took = time.perf_counter() - t1
        p, r = evaluate(name, res, truth, kinds, by_id, args.show)
        print(f"resolved in {took:.1f} s")
        if not withhold:
            ok = p >= TARGET_P and r >= TARGET_R
    print("\nPASS" if ok else "\nFAIL: below target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

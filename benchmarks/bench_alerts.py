"""Alerts per true party, before and after profiles: one party on several lists raises one
alert, not one per listing.

Run: ``make bench-alerts`` or ``python benchmarks/bench_alerts.py [--count 5000]``.

The bundled lists are loaded into a temporary store and grouped into profiles. Two sets of
counterparties are screened, once as Corridor screened before profiles (one alert per list
record scoring at least the threshold, up to 20) and once by profile (one alert per party):

- the demo's counterparties (``corridor/data/samples/counterparties.csv``);
- a set of ``--count`` counterparties: a third written from list records drawn at random (a
  record's name as a customer file would hold it: the primary name, an alias, or the name in
  another word order), the rest unlisted people made of common forenames and surnames of
  ../shared/data/names.

For a counterparty made from a listed record, its true party is the record's profile. Printed:
alerts before and after, their ratio (target: at least 2x fewer), alerts on the true party
per counterparty before and after, and true parties lost (a true party alerted before and
not after; target: none).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screening_sets as sets  # noqa: E402

from corridor.lists.bundled import bundled_lists  # noqa: E402
from corridor.matching import Query, Screener  # noqa: E402
from corridor.model.entity import EntityKind, NameType  # noqa: E402
from corridor.service import load_list  # noqa: E402
from corridor.service.counterparties import CounterpartyIn  # noqa: E402
from corridor.service.profiles import recompute_profiles  # noqa: E402
from corridor.store import SqlStore, open_store  # noqa: E402

SEED = 16
LIMIT = 20  # results a counterparty's screening raises alerts for (as the service does)
SAMPLES = Path(__file__).resolve().parent.parent / "corridor" / "data" / "samples"


def demo_counterparties() -> list[tuple[Query, str | None]]:
    import csv

    out: list[tuple[Query, str | None]] = []
    with (SAMPLES / "counterparties.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cp = CounterpartyIn(
                row["external_id"],
                row["name"],
                row["kind"] or None,
                row["country"] or None,
                row["birth_date"] or None,
                [i for i in row["identifiers"].split(";") if i],
            )
            out.append((cp.normalised().query(), None))
    return out


def made_counterparties(
    store: SqlStore, profiles: dict[str, str], count: int
) -> list[tuple[Query, str | None]]:
    rng = random.Random(SEED)
    chosen = rng.sample(sorted(profiles), count // 3)  # any record, as customers meet them
    out: list[tuple[Query, str | None]] = []
    by_id = {e.id: e for e in store.active_records(chosen)}
    for eid in chosen:
        ent = by_id[eid]
        names = [n.full for n in ent.names if n.type is not NameType.FKA] or [ent.caption]
        name = rng.choice(names)
        if "," in name and rng.random() < 0.5:  # "FAMILY, Given" as "Given Family"
            family, _, given = name.partition(",")
            name = f"{given.strip()} {family.strip()}"
        kind = ent.kind if ent.kind is not EntityKind.UNKNOWN else None
        out.append((Query(name, kind), profiles[eid]))
    for case in sets.negatives(count - len(out)):
        out.append((Query(case.query, case.kind), None))
    rng.shuffle(out)
    return out


def measure(
    name: str,
    screener: Screener,
    cps: list[tuple[Query, str | None]],
    profile_of: dict[str, str],
) -> bool:
    before = after = 0
    per_party_before: list[int] = []
    per_party_after: list[int] = []
    lost: list[str] = []
    worst: Counter[str] = Counter()
    started = time.perf_counter()
    for query, truth in cps:
        old = screener.screen(query, limit=LIMIT, by_profile=False)
        new = screener.screen(query, limit=LIMIT)
        before += len(old)
        after += len(new)
        worst[query.name] = len(old)
        if truth is None:
            continue
        hit_old = sum(1 for r in old if profile_of.get(r.entity_id) == truth)
        hit_new = sum(1 for r in new if profile_of.get(r.entity_id, r.profile_id) == truth)
        per_party_before.append(hit_old)
        per_party_after.append(hit_new)
        if hit_old and not hit_new:
            lost.append(query.name)
    took = time.perf_counter() - started
    listed = len(per_party_before)
    print(f"\n== {name}: {len(cps):,} counterparties ({listed:,} made from listed parties)")
    ratio = before / after if after else float("inf")
    print(f"alerts: before {before:,}, after {after:,} ({ratio:.2f}x fewer; target 2x)")
    if listed:
        mean_b = sum(per_party_before) / listed
        mean_a = sum(per_party_after) / listed
        found_b = sum(1 for x in per_party_before if x)
        found_a = sum(1 for x in per_party_after if x)
        print(
            f"alerts on the true party per counterparty: before {mean_b:.2f} (up to "
            f"{max(per_party_before)}), after {mean_a:.2f} (up to {max(per_party_after)}); "
            f"true party alerted: before {found_b:,}, after {found_a:,}"
        )
    top = ", ".join(f"{n} {c}" for n, c in worst.most_common(3))
    print(f"most alerts for one counterparty before: {top}")
    print(f"true parties lost: {len(lost)}" + (f" ({', '.join(lost[:5])})" if lost else ""))
    print(f"screened twice in {took:.1f} s")
    return not lost and (after == 0 or before / after >= 2.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="counterparties made")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corridor-bench-alerts-") as tmp:
        store = open_store(f"sqlite:///{tmp}/corridor.db")
        t0 = time.perf_counter()
        for item in bundled_lists():
            load_list(store, item.path, format=item.format, source=item.source)
        report = recompute_profiles(store)
        print(f"bundled lists loaded in {time.perf_counter() - t0:.1f} s; {report.line()}")
        screener = Screener.from_store(store, index_dir=Path(tmp) / "index")
        profile_of = store.profile_map()
        measure("demo counterparties", screener, demo_counterparties(), profile_of)
        made = made_counterparties(store, profile_of, args.count)
        ok_made = measure("made counterparties", screener, made, profile_of)
        store.close()
    # the demo's few parties are reported; the target is judged on the large set
    print("\nPASS" if ok_made else "\nFAIL: below target")
    return 0 if ok_made else 1


if __name__ == "__main__":
    sys.exit(main())

"""List loading benchmark: parse and store every real list, print a table.

Targets (issue "Foundation"): the 2024-05-03 SDN CSV (14,965 records) in under 10 s; every
bundled list under 60 s. Baseline in the same run: parsing alone (no store), to show what the
store adds. Run with ``make bench`` or ``python benchmarks/bench_load.py [--db URL]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corridor.lists import open_list
from corridor.lists.bundled import bundled_lists
from corridor.service import load_list
from corridor.store import open_store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="store URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = open_store(url)
        rows = []
        total_load = 0.0
        for item in bundled_lists():
            t0 = time.perf_counter()
            n_parsed = sum(1 for _ in open_list(item.path, format=item.format, source=item.source))
            parse_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            result = load_list(
                store,
                item.path,
                format=item.format,
                source=item.source,
                published=item.as_of,
                force=True,
            )
            load_s = time.perf_counter() - t0
            total_load += load_s
            assert result.version is not None
            rows.append(
                (
                    item.source,
                    item.path.name,
                    n_parsed,
                    result.version.entity_count,
                    parse_s,
                    load_s,
                )
            )
        sdn = SHARED / "ofac/sdn_csv_2024-05-03/sdn.csv"
        if sdn.exists():
            t0 = time.perf_counter()
            res = load_list(store, sdn, source="bench_sdn_plain")
            sdn_s = time.perf_counter() - t0
            assert res.version is not None
            rows.append(
                (
                    "bench_sdn_plain",
                    "sdn.csv (uncompressed)",
                    res.version.entity_count,
                    res.version.entity_count,
                    float("nan"),
                    sdn_s,
                )
            )
        store.close()
    print(f"store: {url.split('://')[0]}")
    print(
        f"{'source':16} {'file':28} {'parsed':>8} {'stored':>8} {'parse s':>8} "
        f"{'load s':>8} {'rec/s':>8}"
    )
    for source, name, parsed, stored, parse_s, load_s in rows:
        print(
            f"{source:16} {name:28} {parsed:8,} {stored:8,} {parse_s:8.2f} {load_s:8.2f} "
            f"{stored / load_s:8,.0f}"
        )
    print(f"all bundled lists loaded in {total_load:.2f} s (target < 60 s)")
    sdn_row = next((r for r in rows if r[0] == "us_ofac_sdn"), None)
    if sdn_row:
        print(
            f"SDN 2024-05-03 CSV ({sdn_row[3]:,} records) loaded in {sdn_row[5]:.2f} s "
            f"(target < 10 s)"
        )


if __name__ == "__main__":
    main()

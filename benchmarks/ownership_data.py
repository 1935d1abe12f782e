"""A generator of realistic synthetic ownership graphs, in Corridor's CSV forms.

The graph looks like corporate registries: persons own companies, holding companies own
subsidiaries in layers (with a few cross-holdings and cycles), most companies have one to four
owners whose stakes sum to at most 100 %, some stakes are only known as a range, a few are
control relations (board appointment, dominant influence, management...), and edges and
designations carry validity dates. ``python benchmarks/ownership_data.py OUT_DIR --edges N
--designated D`` writes ``edges.csv`` and ``designated.csv`` there.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

CONTROL_TYPES = (
    "board_appointment",
    "dominant_influence",
    "voting_agreement",
    "de_facto",
    "consolidated_accounts",
    "management",
    "management",
)
LISTS = (
    ("SDN;EU;UK", 0.55),
    ("SDN", 0.15),
    ("EU;UK", 0.1),
    ("UK", 0.1),
    ("UN", 0.05),
    ("Entity List", 0.05),
)


def _stakes(rng: random.Random, n: int) -> list[float]:
    """``n`` stakes that sum to at most 100, shaped like real cap tables."""
    if n == 1:
        return [rng.choice((100.0, 100.0, 100.0, 51.0, 75.0, 50.0, 60.0))]
    cuts = sorted(rng.random() for _ in range(n - 1))
    parts = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
    total = rng.choice((100.0, 100.0, 90.0, 80.0))
    return [round(p * total, 2) for p in parts]


def generate(
    out: Path, edges: int = 1_000_000, designated: int = 50_000, seed: int = 7
) -> tuple[Path, Path]:
    rng = random.Random(seed)
    n_companies = int(edges / 2.2)
    n_persons = max(designated * 2, int(edges * 0.4))
    out.mkdir(parents=True, exist_ok=True)
    edges_path, designated_path = out / "edges.csv", out / "designated.csv"
    written = 0
    with edges_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["owner_id", "owned_id", "share", "kind", "control_type", "valid_from", "valid_to"]
        )
        company = 0
        while written < edges:
            cid = f"C{company % n_companies}"
            company += 1
            k = min(1 + int(rng.expovariate(0.8)), 8)
            for stake in _stakes(rng, k):
                if rng.random() < 0.45 and company > 1:
                    # a holding company: usually one created earlier (layers), rarely any
                    upper = company % n_companies or 1
                    pick = upper if rng.random() < 0.98 else n_companies
                    owner = f"C{rng.randrange(pick)}"
                else:
                    owner = f"P{int(rng.paretovariate(0.9)) % n_persons}"
                if owner == cid:
                    continue
                start = end = ""
                r = rng.random()
                if r < 0.08:
                    end = f"20{rng.randrange(15, 24)}-{rng.randrange(1, 13):02d}-01"
                elif r < 0.14:
                    start = f"20{rng.randrange(26, 28)}-{rng.randrange(1, 13):02d}-01"
                if rng.random() < 0.03:
                    w.writerow([owner, cid, "", "control", rng.choice(CONTROL_TYPES), start, end])
                elif rng.random() < 0.05:
                    low = max(0.0, stake - rng.choice((5, 10, 15)))
                    w.writerow(
                        [
                            owner,
                            cid,
                            f"{low:g}-{min(100.0, stake + 10):g}",
                            "ownership",
                            "",
                            start,
                            end,
                        ]
                    )
                else:
                    w.writerow([owner, cid, f"{stake:g}", "ownership", "", start, end])
                written += 1
                if written >= edges:
                    break
    lists, weights = zip(*LISTS, strict=True)
    with designated_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "list", "designated_from", "designated_to"])
        chosen: set[str] = set()
        while len(chosen) < designated:
            if rng.random() < 0.7:
                # mostly any person; some of the owners of many companies (oligarch holdings)
                if rng.random() < 0.1:
                    pid = f"P{int(rng.paretovariate(1.2) * 7) % n_persons}"
                else:
                    pid = f"P{rng.randrange(n_persons)}"
            else:
                pid = f"C{rng.randrange(n_companies)}"
            if pid in chosen:
                continue
            chosen.add(pid)
            delisted = f"20{rng.randrange(19, 24)}-06-01" if rng.random() < 0.03 else ""
            w.writerow(
                [
                    pid,
                    f"Designated {pid}",
                    rng.choices(lists, weights)[0],
                    f"20{rng.randrange(14, 25)}-03-{rng.randrange(1, 29):02d}",
                    delisted,
                ]
            )
    return edges_path, designated_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--designated", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    e, d = generate(args.out, args.edges, args.designated, args.seed)
    print(f"wrote {e} and {d}")


if __name__ == "__main__":
    main()

"""Bulk screening: screen-file's memory against its input size, and Spark against screen-file.

    make bench-batch

On the bundled lists, with inputs of listed names (as written on the lists), the sample
parties (other scripts and spellings) and unlisted names:

- ``corridor screen-file`` on 10,000 and 100,000 rows: wall time and peak RSS of the whole
  process tree (memory must not grow with the input);
- Spark ``local[2]`` on the same 100,000 rows (session start-up timed apart and excluded)
  against ``screen-file --workers 2``, and the two outputs compared row by row.
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORK = ROOT / ".artifacts" / "batch"
SAMPLES = ROOT / "corridor" / "data" / "samples"
CORRIDOR = [sys.executable, "-m", "corridor"]
COLUMNS = ["ref", "name", "kind", "dob", "country", "id"]


def _env() -> dict[str, str]:
    return dict(
        os.environ,
        CORRIDOR_DATA_DIR=str(WORK / "data"),
        CORRIDOR_MAX_AGE="100000",
        PYTHONPATH=str(ROOT),
    )


def _inputs(rows: int) -> Path:
    path = WORK / f"parties-{rows}.csv"
    if path.exists():
        return path
    from corridor.lists.bundled import bundled_lists
    from corridor.lists.read import open_list

    rng = random.Random(rows)
    names = [
        (n.full, e.kind.value)
        for b in bundled_lists()
        for e in open_list(b.path, b.format, b.source)
        for n in e.names[:2]
    ]
    with (SAMPLES / "parties.csv").open(encoding="utf-8") as fh:
        sample = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            roll = rng.random()
            if roll < 0.5:
                name, kind = rng.choice(names)
                row = {"name": name, "kind": kind}
            else:
                s = rng.choice(sample)
                row = {k: s.get(k, "") for k in COLUMNS[1:]}
            writer.writerow({"ref": f"r{i:07d}", **row})
    return path


def _timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest process of the tree) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        assert proc.stderr is not None
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(usage.ru_maxrss, children) / 1024


SPARK_JOB = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from corridor.batch.spark import screen_table, session
spark = session("local[2]", "corridor-bench")
spark.range(1).count()
started = time.perf_counter() - t
t = time.perf_counter()
report = screen_table(spark, sys.argv[1], sys.argv[2], Path(sys.argv[3]), output_format="csv")
print(json.dumps({"startup_s": started, "screen_s": time.perf_counter() - t, **report.to_dict()}))
spark.stop()
"""


def _read_csv(paths: list[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for p in paths:
        with p.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def _same(a: dict[str, str], b: dict[str, str]) -> bool:
    for key, value in b.items():
        x = a.get(key) or ""
        y = value or ""
        if key == "alert":
            x, y = x.lower(), y.lower()
        elif key == "score" and x and y:
            x, y = str(float(x)), str(float(y))
        elif key == "matches" and x and y:
            x, y = json.loads(x), json.loads(y)  # type: ignore[assignment]
        if x != y:
            return False
    return True


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / "data" / "loaded").exists():
        subprocess.run([*CORRIDOR, "lists", "load", "--bundled"], env=_env(), check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        (WORK / "data" / "loaded").write_text("yes\n")
    index = json.loads(
        subprocess.run(
            [*CORRIDOR, "index", "build", "--json"],
            env=_env(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    results: dict[str, Any] = {}
    for rows in (10_000, 100_000):
        src = _inputs(rows)
        out = WORK / f"screened-{rows}.csv"
        wall, peak = _timed([*CORRIDOR, "screen-file", str(src), "--output", str(out),
                             "--workers", "2"])  # fmt: skip
        results[rows] = (wall, peak)
        print(f"screen-file --workers 2, {rows:,} rows: {wall:.1f} s "
              f"({rows / wall:,.0f} rows/s), peak RSS {peak:,.0f} MiB")  # fmt: skip
    growth = results[100_000][1] / results[10_000][1]
    print(f"memory, 100,000 rows against 10,000: x{growth:.2f} (flat: the input and output "
          "are streamed)")  # fmt: skip

    src = _inputs(100_000)
    spark_out = WORK / "spark-100000"
    job = subprocess.run(
        [sys.executable, "-c", SPARK_JOB, str(src), str(spark_out), index["path"]],
        env=_env(), capture_output=True, text=True,
    )  # fmt: skip
    if job.returncode != 0:
        raise SystemExit(f"Spark job failed:\n{job.stderr[-3000:]}")
    spark = json.loads(job.stdout.strip().splitlines()[-1])
    base = results[100_000][0]
    ratio = spark["screen_s"] / base
    print(f"Spark local[2], 100,000 rows: {spark['screen_s']:.1f} s screening "
          f"(+{spark['startup_s']:.1f} s session start-up, excluded), against "
          f"{base:.1f} s for screen-file --workers 2: x{ratio:.2f} (target <= 2)")  # fmt: skip
    want = _read_csv([WORK / "screened-100000.csv"])
    got = _read_csv(sorted(spark_out.glob("part-*.csv")))
    same = sum(_same(g, w) for g, w in zip(got, want, strict=False))
    print(f"results: {same:,} of {len(want):,} rows identical "
          f"({len(got):,} rows from Spark, {spark['alerts']:,} alerts)")  # fmt: skip


if __name__ == "__main__":
    main()

"""The Spark screening job for ``spark-submit``.

    spark-submit --master yarn corridor/batch/spark_job.py \\
        INPUT OUTPUT --index /shared/corridor/index/index-KEY.cidx [--format parquet]

``corridor spark screen`` runs the same job from the command line, compiling the index first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corridor.batch.spark import FORMATS, screen_table, session
from corridor.exceptions import CorridorError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="spark_job.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="table of parties: CSV (with a header), JSON lines or Parquet")
    ap.add_argument("output", help="output directory (part files in input order)")
    ap.add_argument("--index", required=True, type=Path, help="compiled index file (.cidx)")
    ap.add_argument("--format", choices=FORMATS, help="output format (default: from OUTPUT)")
    ap.add_argument("--input-format", choices=FORMATS)
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--partitions", type=int)
    ap.add_argument(
        "--shared-index",
        action="store_true",
        help="open --index at the same path on every executor instead of shipping it",
    )
    args = ap.parse_args(argv)
    try:
        spark = session()
        report = screen_table(
            spark,
            args.input,
            args.output,
            args.index,
            args.threshold,
            args.input_format,
            args.format,
            args.partitions,
            args.shared_index,
        )
    except CorridorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile list files: how fast each is refused and how much memory that takes.

Each file is loaded with ``corridor lists load`` in a fresh process (the store a fresh SQLite
file); the process's peak resident memory and wall time are printed beside the targets of
issue "integrity": every bomb refused with a clear error in under 10 s and under 300 MB, the
store left without a new version. Baseline in the same run: the same process loading the real
UN list, to show what importing Corridor itself costs.

    python benchmarks/bench_bombs.py [--keep DIR]

The test suite runs the two largest bombs through :func:`measure` as well
(tests/lists/test_bombs.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

MIB = 1024 * 1024
GIB = 1024 * MIB
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CSL_HEADER = (
    b"_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    b"start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    b"vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    b"source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    b"source_information_url,ids\n"
)

# VmHWM is this process's own peak (ru_maxrss would also count the parent it was forked from)
_PROBE = r"""
import json, re, sys, time
t0 = time.perf_counter()
from corridor.cli import main
code = main(["--db", sys.argv[1], "lists", "load", sys.argv[2]])
seconds = time.perf_counter() - t0
with open("/proc/self/status") as fh:
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", fh.read()).group(1)) / 1024
print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak}))
"""


def zip_bomb(path: Path, size: int = GIB) -> Path:
    """A zip archive of about 1 MB holding one XML member of ``size`` bytes."""
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
        zf.open("consolidated.xml", "w", force_zip64=True) as member,
    ):
        member.write(b'<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS>')
        chunk = b" " * MIB
        for _ in range(size // MIB):
            member.write(chunk)
    return path


def gzip_line(path: Path, size: int = GIB) -> Path:
    """A gzip file whose CSV holds one line of ``size`` bytes (a CSL header, then no break)."""
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(CSL_HEADER)
        chunk = b"A" * MIB
        for _ in range(size // MIB):
            fh.write(chunk)
    return path


def gzip_ratio(path: Path, size: int = 256 * MIB) -> Path:
    """Many short, valid-looking lines: refused by the compression ratio, not the line
    length."""
    header = CSL_HEADER
    row = (
        b'1,"Specially Designated Nationals (SDN) - Treasury Department",1,Entity,,X'
        + b"," * 23
        + b"\n"
    )
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as fh:
        fh.write(comp.compress(header))
        block = row * (MIB // len(row))
        for _ in range(size // len(block)):
            fh.write(comp.compress(block))
        fh.write(comp.flush())
    return path


def laughs(path: Path) -> Path:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">{lol}]>'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        "<FIRST_NAME>&l9;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n"
    )
    return path


def late_doctype(path: Path) -> Path:
    """A DOCTYPE with an external entity after 200 KB of comments: past any head check."""
    path.write_text(
        '<?xml version="1.0"?>\n'
        + "<!-- "
        + "x" * 200_000
        + " -->\n"
        + '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        "<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n"
    )
    return path


def deep(path: Path, depth: int = 100_000) -> Path:
    path.write_text(
        '<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS>'
        + "<a>" * depth
        + "</a>" * depth
        + "</INDIVIDUALS></CONSOLIDATED_LIST>\n"
    )
    return path


def plain_line(path: Path, size: int = 64 * MIB) -> Path:
    with path.open("wb") as fh:
        fh.write(CSL_HEADER)
        fh.write(b"B" * size)
    return path


BOMBS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "zip bomb (1 MB, 1 GiB inside)": ("bomb.zip", zip_bomb),
    "gzip, one 1 GiB line": ("line.csv.gz", gzip_line),
    "gzip, 256 MiB of short rows": ("ratio.csv.gz", gzip_ratio),
    "XML billion laughs": ("laughs.xml", laughs),
    "XML DOCTYPE after 200 KB": ("late.xml", late_doctype),
    "XML nested 100,000 deep": ("deep.xml", deep),
    "plain file, one 64 MiB line": ("line.csv", plain_line),
}


def measure(path: Path, db: str) -> dict[str, float]:
    """Load ``path`` with the CLI in a fresh process: its exit code, wall seconds and peak
    resident memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, db, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["error"] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""  # type: ignore[assignment]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="write the bombs into this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        rows = []
        un = SHARED / "un/UN_consolidated.xml"
        if un.exists():
            rows.append(
                ("baseline: the real UN list (accepted)", un.stat().st_size, measure(un, db))
            )
        for label, (name, build) in BOMBS.items():
            path = build(folder / name)
            rows.append((label, path.stat().st_size, measure(path, db)))
    print(f"{'file':40} {'size':>12} {'exit':>5} {'seconds':>8} {'peak MB':>8}  verdict")
    failed = 0
    for label, size, m in rows:
        bomb = not label.startswith("baseline")
        ok = (
            (m["code"] != 0 and m["seconds"] < TARGET_SECONDS and m["peak_mb"] < TARGET_MB)
            if bomb
            else m["code"] == 0
        )
        failed += not ok
        print(
            f"{label:40} {size:>12,} {int(m['code']):>5} {m['seconds']:>8.2f} "
            f"{m['peak_mb']:>8.0f}  {'ok' if ok else 'OVER TARGET'}"
        )
        if bomb:
            print(f"{'':40}   {m['error'][:110]}")
    print(f"targets: refused (exit != 0) in < {TARGET_SECONDS:g} s and < {TARGET_MB:g} MB each")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

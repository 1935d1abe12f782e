"""A mutation fuzz of the XLSX ledger reader: 2,000 damaged and hostile workbooks made from a
real ledger (bytes flipped, cut short, parts mangled, DTDs and entity bombs slipped in, parts
multiplied). Each must read, or fail with Corridor's own error: never anything else."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from openpyxl import Workbook

from corridor.exceptions import CorridorError
from corridor.shipments.read import read_ledger

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"
CASES = 2000
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    lines = (SAMPLES / "ledger.csv").read_text("utf-8").splitlines()
    import csv

    for row in csv.reader(lines):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(n, zf.read(n)) for n in zf.namelist()]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members:
            zf.writestr(name, body)
    return out.getvalue()


def _mutate(rng: random.Random, base: bytes, members: list[tuple[str, bytes]]) -> bytes:
    kind = rng.randrange(7)
    if kind == 0:  # flip bytes anywhere in the package
        data = bytearray(base)
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 1:  # cut short
        return base[: rng.randrange(1, len(base))]
    parts = list(members)
    i = rng.randrange(len(parts))
    name, body = parts[i]
    if kind == 2:  # flip bytes inside one part's XML
        mangled = bytearray(body)
        for _ in range(rng.randint(1, 8)):
            mangled[rng.randrange(len(mangled))] = rng.randrange(32, 127)
        parts[i] = (name, bytes(mangled))
    elif kind == 3:  # cut or repeat a stretch of one part
        a, b = sorted(rng.randrange(len(body) + 1) for _ in range(2))
        parts[i] = (name, body[:a] + body[b:] if rng.random() < 0.5 else body[:b] + body[a:])
    elif kind == 4:  # a DTD: an entity bomb or an external entity
        prolog = LAUGHS if rng.random() < 0.5 else XXE
        parts[i] = (name, prolog + body.split(b"?>", 1)[-1])
    elif kind == 5:  # a part dropped, or an empty one
        if rng.random() < 0.5:
            del parts[i]
        else:
            parts[i] = (name, b"")
    else:  # many extra parts, or one huge run of text
        if rng.random() < 0.5:
            parts += [(f"xl/extra{j}.xml", b"<a/>") for j in range(rng.choice((10, 1500)))]
        else:
            parts[i] = (name, body.replace(b"</", b"x" * 200_000 + b"</", 1))
    return _zip(parts)


def test_mutated_workbooks_fail_only_with_corridors_error(tmp_path: Path) -> None:
    base = _workbook()
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(base)
    assert len(read_ledger(path).lines) > 5  # the intact workbook reads
    members = _members(base)
    rng = random.Random(20261202)
    outcomes = {"read": 0, "refused": 0}
    crashes: list[str] = []
    for case in range(CASES):
        path.write_bytes(_mutate(rng, base, members))
        try:
            read_ledger(path)
            outcomes["read"] += 1
        except CorridorError:
            outcomes["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - what the fuzz is looking for
            crashes.append(f"case {case}: {exc.__class__.__name__}: {exc}")
    print(f"{CASES} mutated workbooks: {outcomes}, {len(crashes)} crashes")
    assert not crashes, crashes[:10]
    assert outcomes["refused"] > CASES // 4 and outcomes["read"] > 0

"""Hostile inputs are refused fast, in bounded memory, with the store untouched: a zip bomb
and a gzip with a 1 GiB line through the real CLI in a fresh process (time and peak memory
measured; ``benchmarks/bench_bombs.py`` prints the same for every bomb), and the XML, line
and field limits in process."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from corridor.exceptions import FormatError, InputLimitError, ParseError
from corridor.lists import open_list
from corridor.lists.limits import InputLimits, limits, set_limits
from corridor.lists.xmlread import iter_xml
from corridor.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_bombs", ROOT / "benchmarks/bench_bombs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_bombs"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


@pytest.mark.parametrize("bomb", ["zip_bomb", "gzip_line", "gzip_ratio"])
def test_bombs_are_refused_fast_in_bounded_memory(tmp_path: Path, bomb: str) -> None:
    names = {"zip_bomb": "bomb.zip", "gzip_line": "line.csv.gz", "gzip_ratio": "ratio.csv.gz"}
    path = getattr(BENCH, bomb)(tmp_path / names[bomb])
    assert path.stat().st_size < 2_000_000
    db = f"sqlite:///{tmp_path / 'c.db'}"
    figures = BENCH.measure(path, db)
    print(f"{bomb}: {figures}")
    assert figures["code"] == 2, figures
    assert figures["seconds"] < BENCH.TARGET_SECONDS, figures
    assert figures["peak_mb"] < BENCH.TARGET_MB, figures
    assert names[bomb] in figures["error"]
    store = open_store(db)
    assert store.sources() == []  # nothing half done
    store.close()


def test_dtd_anywhere_before_the_root_is_refused(tmp_path: Path) -> None:
    late = BENCH.late_doctype(tmp_path / "late.xml")
    with pytest.raises(FormatError):  # not even recognised as a list...
        sum(1 for _ in open_list(late, format="un_xml"))
    with pytest.raises(FormatError, match="DOCTYPE"):  # ...and the XML reader refuses it
        sum(1 for _ in iter_xml(late))
    laughs = BENCH.laughs(tmp_path / "laughs.xml")
    with pytest.raises(FormatError, match="DOCTYPE"):
        sum(1 for _ in open_list(laughs, format="un_xml"))


def test_deep_xml_is_refused(tmp_path: Path) -> None:
    deep = BENCH.deep(tmp_path / "deep.xml", depth=5000)
    with pytest.raises(ParseError, match="depth"):
        sum(1 for _ in open_list(deep))


def test_limits_are_configurable(tmp_path: Path, shared: Path) -> None:
    before = limits()
    try:
        set_limits(InputLimits(max_line=4096))
        with pytest.raises(ParseError, match="longer than 4,096 bytes"):
            sum(1 for _ in open_list(shared / "us_csl/consolidated.csv.gz"))
        set_limits(InputLimits(max_bytes=1_000_000))
        with pytest.raises(InputLimitError, match="more than 0 MiB|over the limit"):
            sum(1 for _ in open_list(shared / "un/UN_consolidated.xml"))
        set_limits(InputLimits(max_ratio=2.0, ratio_floor=1024))
        with pytest.raises(InputLimitError, match="decompression bomb"):
            sum(1 for _ in open_list(shared / "us_csl/consolidated.csv.gz"))
    finally:
        set_limits(before)
    # the real lists pass the defaults
    assert sum(1 for _ in open_list(shared / "us_csl/consolidated.csv.gz")) == 14160


def test_overlong_field_is_refused(tmp_path: Path, shared: Path) -> None:
    lines = (shared / "ofac/sdn_csv_2024-05-03/sdn.csv").read_bytes().split(b"\r\n")
    lines[10] = lines[10][:-1] + b"X" * 3_000_000 + b'"'
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ParseError) as err:
        sum(1 for _ in open_list(path))
    assert err.value.line == 11 and "field is longer" in str(err.value)


def test_record_limit_is_per_line_in_json_lines_and_per_record_in_csv(tmp_path: Path) -> None:
    """A JSON lines file far larger than the record limit loads (each line is a record); a CSV
    record that spans more lines than the limit allows is still refused."""
    line = (
        '{"id": "p%d", "schema": "Person", "properties": '
        '{"name": ["Person %d Example"], "topics": ["sanction"]}}\n'
    )
    jsonl = tmp_path / "many.ftm.json"
    jsonl.write_text("".join(line % (i, i) for i in range(2000)))
    csv_path = tmp_path / "long.csv"
    csv_path.write_text('name,remarks\nA,"' + "x\n" * 3000 + '"\n')
    before = limits()
    try:
        set_limits(InputLimits(max_record=4096))
        assert sum(1 for _ in open_list(jsonl)) == 2000
        with pytest.raises(ParseError, match="one record runs over 4,096 bytes"):
            list(csv_rows_of(csv_path))
    finally:
        set_limits(before)


def csv_rows_of(path: Path) -> list[list[str]]:
    from corridor.lists.text import csv_rows, open_text

    with open_text(path) as fh:
        return [row for _line, row in csv_rows(fh)]

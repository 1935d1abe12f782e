"""Truncated list files are refused, whatever the cut: every real format of ../shared/data cut
at many points (random ones, and the ones a broken download picks: inside a quoted field, in
the middle of an element, inside a compressed stream). A cut that falls exactly at a record
boundary leaves a well-formed file; the shrink guard catches that (test_guards.py)."""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from pathlib import Path

import pytest

from corridor.exceptions import FormatError
from corridor.lists import open_list
from corridor.model.ftm import to_ftm

CUTS = 16  # random cuts per file, besides the targeted ones
UK_COLUMNS = 29

# (file, name to give the cut copy, format); every format of the shared data
FILES = [
    ("ofac/sdn_csv_2024-05-03/sdn.csv", "sdn.csv", "ofac_csv"),
    ("ofac/consolidated_nonsdn_csv_2025-12-19/cons_prim.csv", "cons_prim.csv", "ofac_csv"),
    ("us_csl/consolidated.csv.gz", "consolidated.csv", "us_csl_csv"),
    ("un/UN_consolidated.xml", "consolidated.xml", "un_xml"),
    ("eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml", "data.xml", "eu_fsf_v1_xml"),
    ("eu/fsf_v1.0_csv_2018-07-04_excerpt/EUSanctionsShort.csv", "eu.csv", "eu_fsf_v1_csv"),
    ("uk/hmt_conlist_2014-04-02/sanctionsconlist.csv", "conlist.csv", "uk_hmt_csv"),
    ("uk/uksl_xml_2026-09-02_excerpt/UK-Sanctions-List.xml", "UK-Sanctions-List.xml", "uk_sl_xml"),
    ("ofac/consolidated_nonsdn_xml_2018-04-06/consolidated.xml", "cons.xml", "ofac_xml"),
    ("ofac/cons_advanced_xml_2020-03-17/cons_advanced.xml", "cons_advanced.xml", "ofac_advanced"),
    ("ofac/cons_enhanced_xml_2025-01-14/CONS_ENHANCED.ZIP", "CONS_ENHANCED.xml", "ofac_enhanced"),
    (
        "format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_eu.xml",
        "sample_eu.xml",
        "eu_fsf_xml",
    ),
]
COMPRESSED = [
    ("us_csl/consolidated.csv.gz", "consolidated.csv.gz"),
    ("ofac/cons_enhanced_xml_2025-01-14/CONS_ENHANCED.ZIP", "CONS_ENHANCED.ZIP"),
    ("format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_ofac_sdn.zip", "sdn.zip"),
]


def _plain(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:4] == b"PK\x03\x04":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read(zf.namelist()[0])
    return data


def _boundary(data: bytes, cut: int, fmt: str) -> bool:
    """True where a cut leaves a well-formed shorter file that no reader can tell from a
    complete one: after a line break in a line-oriented format, or (the UK ConList, whose
    files end without a line break) inside the last, unquoted field of a row."""
    if fmt.endswith("xml"):
        return False
    if data[cut - 1 : cut] in (b"\n", b"\r"):
        return True
    if fmt == "uk_hmt_csv":
        line = data[data.rfind(b"\n", 0, cut) + 1 : cut].decode("cp1252")
        if line.count('"') % 2:
            return False  # inside a quoted field: the strict reader sees it
        return len(next(csv.reader([line]))) == UK_COLUMNS  # a cut in the last field
    return False


def _cut_points(data: bytes, fmt: str, seed: str) -> list[int]:
    rng = random.Random(seed)
    points = {rng.randrange(64, len(data) - 1) for _ in range(CUTS)}
    # inside quoted fields, where real truncation falls in CSV
    quotes = [m.start() + 3 for m in re.finditer(rb'[,;]"[^"\r\n]{6}', data)]
    points.update(rng.sample(quotes, min(6, len(quotes))))
    # in the middle of a tag or of a text node
    tags = [m.start() + 2 for m in re.finditer(rb"<[A-Za-z][^>]{4}", data)]
    points.update(rng.sample(tags, min(4, len(tags))))
    points.add(len(data) - 2)  # just before the end
    return sorted(p for p in points if 0 < p < len(data) and not _boundary(data, p, fmt))


def _read_all(path: Path, fmt: str) -> int:
    return sum(1 for _ in open_list(path, format=fmt))


@pytest.mark.parametrize(("rel", "name", "fmt"), FILES, ids=[f[2] + ":" + f[1] for f in FILES])
def test_every_cut_is_refused(shared: Path, tmp_path: Path, rel: str, name: str, fmt: str) -> None:
    data = _plain(shared / rel)
    assert _read_all(shared / rel, fmt) > 0  # the whole file reads
    points = _cut_points(data, fmt, rel)
    assert len(points) >= 15
    accepted = []
    for cut in points:
        path = tmp_path / name
        path.write_bytes(data[:cut])
        try:
            _read_all(path, fmt)
        except FormatError as exc:
            assert name in str(exc)
            continue
        accepted.append(cut)
    assert not accepted, f"{rel}: cuts at {accepted[:5]} were read as complete files"


@pytest.mark.parametrize(("rel", "name"), COMPRESSED, ids=[c[1] for c in COMPRESSED])
def test_cut_compressed_streams_are_refused(
    shared: Path, tmp_path: Path, rel: str, name: str
) -> None:
    data = (shared / rel).read_bytes()
    rng = random.Random(rel)
    for cut in sorted({rng.randrange(32, len(data) - 1) for _ in range(CUTS)} | {len(data) - 9}):
        path = tmp_path / name
        path.write_bytes(data[:cut])
        with pytest.raises(FormatError) as err:
            sum(1 for _ in open_list(path))
        assert name in str(err.value)


def test_cut_followthemoney_lines_are_refused(shared: Path, tmp_path: Path) -> None:
    """FollowTheMoney exports end every line with a line break: a cut anywhere else is
    refused (the records are real UN list entries written as FtM)."""
    lines = []
    for ent in open_list(shared / "un/UN_consolidated.xml"):
        for rec in to_ftm(ent):
            lines.append(json.dumps(rec, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    whole = tmp_path / "entities.ftm.json"
    whole.write_bytes(data)
    assert _read_all(whole, "ftm_json") == 1003
    for cut in _cut_points(data, "ftm_json", "ftm"):
        whole.write_bytes(data[:cut])
        with pytest.raises(FormatError):
            _read_all(whole, "ftm_json")

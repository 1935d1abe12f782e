"""Broken, truncated, wrong-format and hostile files: one clear error naming file and place."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from corridor.exceptions import FormatError, ParseError
from corridor.lists import open_list


def _consume(path: Path, fmt: str | None = None) -> int:
    return sum(1 for _ in open_list(path, format=fmt))


def test_truncated_xml_names_file_and_line(shared: Path, tmp_path: Path) -> None:
    data = (shared / "un/UN_consolidated.xml").read_bytes()
    cut = tmp_path / "un_truncated.xml"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError) as err:
        _consume(cut)
    assert "un_truncated.xml" in str(err.value)
    assert err.value.line is not None and err.value.line > 1000
    assert "line" in str(err.value)


def test_truncated_gzip_is_a_parse_error(shared: Path, tmp_path: Path) -> None:
    data = (shared / "us_csl/consolidated.csv.gz").read_bytes()
    cut = tmp_path / "csl.csv.gz"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(FormatError) as err:
        _consume(cut)
    assert "csl.csv.gz" in str(err.value)


def test_csv_row_with_wrong_width_names_line(shared: Path, tmp_path: Path) -> None:
    lines = (shared / "ofac/sdn_csv_2024-05-03/sdn.csv").read_bytes().splitlines(keepends=True)
    lines[99] = b'12345,"BROKEN ROW",-0- \r\n'
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(b"".join(lines))
    with pytest.raises(ParseError) as err:
        _consume(bad)
    assert err.value.line == 100
    assert "expected 12" in str(err.value) and "sdn.csv" in str(err.value)


def test_unknown_format_lists_known_ones(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("these are not sanctions\n")
    with pytest.raises(FormatError, match="known formats: .*un_xml"):
        open_list(odd)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        open_list(empty)
    with pytest.raises(FormatError, match="does not exist"):
        open_list(tmp_path / "nope.csv")


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&lol3;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""

REMOTE = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:9/evil.dtd">
<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>
"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS, REMOTE], ids=["xxe", "laughs", "remote-dtd"])
def test_xml_entities_and_dtds_are_refused(payload: bytes, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(payload)
    with pytest.raises(FormatError, match="DOCTYPE"):
        _consume(path, "un_xml")


def test_gzip_bomb_guard_is_streaming(tmp_path: Path) -> None:
    """A huge compressed non-list is rejected from its head, without inflating it all."""
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb") as fh:
        for _ in range(200):
            fh.write(b"\0" * 1_000_000)
    with pytest.raises(FormatError, match="not a recognised list format"):
        open_list(path)

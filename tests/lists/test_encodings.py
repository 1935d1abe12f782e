"""One encoding per file: UTF-8 (with or without BOM), UTF-16 with a BOM, cp1251 for Cyrillic
and cp1252 for Western single-byte files; a byte that does not decode is an error naming the
line and byte offset; --encoding overrides; every reader takes it."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from corridor.batch.tables import read_rows
from corridor.exceptions import ParseError
from corridor.lists import open_list
from corridor.lists.encoding import detect_encoding
from corridor.ownership.readers import read_graph
from corridor.shipments.read import read_ledger

CSL = "us_csl/consolidated.csv.gz"


def _names(path: Path, encoding: str | None = None) -> list[str]:
    return [e.caption for e in open_list(path, encoding=encoding)]


@pytest.fixture(scope="module")
def csl_text(shared: Path) -> str:
    return gzip.decompress((shared / CSL).read_bytes()).decode("utf-8")


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_unicode_forms_read_the_same(
    csl_text: str, tmp_path: Path, shared: Path, codec: str, bom: bytes
) -> None:
    path = tmp_path / "consolidated.csv"
    path.write_bytes(bom + csl_text.encode(codec))
    expected = _names(shared / CSL)
    assert _names(path) == expected
    assert any(not n.isascii() for n in expected)


def test_cyrillic_single_byte_file_is_cp1251(tmp_path: Path) -> None:
    text = (
        "doc_id,date,doc_type,seller,seller_country,buyer,buyer_country,hs_code,"
        "description,quantity,unit,value,currency\n"
        "D1,2025-01-10,export,ТОО Казахстан Темир,KZ,ООО Ромашка,RU,854231,"
        "Микросхемы интегральные,10,pcs,1000,USD\n"
    )
    path = tmp_path / "ledger.csv"
    path.write_bytes(text.encode("cp1251"))
    assert detect_encoding(path.read_bytes()) == "cp1251"
    ledger = read_ledger(path)
    assert not ledger.errors
    assert ledger.lines[0].seller == "ТОО Казахстан Темир"
    assert ledger.lines[0].buyer == "ООО Ромашка"


def test_western_single_byte_file_is_cp1252(shared: Path) -> None:
    # the 2014 HM Treasury list is Windows-1252 ("DPRK’s" is the byte 0x92)
    path = shared / "uk/hmt_conlist_2014-04-02/sanctionsconlist.csv"
    assert detect_encoding(path.read_bytes()[:65536]) == "cp1252"
    remarks = [r for e in open_list(path) for r in e.remarks if "DPRK’s" in r]
    assert remarks


def shared_csl(path: Path) -> Path:
    return path.parent / "intact.csv"


def test_stray_byte_in_a_utf8_file_names_line_and_offset(csl_text: str, tmp_path: Path) -> None:
    data = bytearray(csl_text.encode("utf-8"))
    lines = data.split(b"\n")
    target = next(i for i, line in enumerate(lines) if not line.isascii())  # Cyrillic etc.
    offset = sum(len(line) + 1 for line in lines[:target]) + 5
    data[offset] = 0xFF
    path = tmp_path / "consolidated.csv"
    path.write_bytes(bytes(data))
    shared_csl(path).write_text(csl_text, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        _names(path)
    assert err.value.line == target + 1
    assert f"byte offset {offset:,}" in str(err.value) and "--encoding" in str(err.value)
    # naming an encoding reads the file in it, as the user asked
    assert len(_names(path, encoding="latin-1")) == len(_names(shared_csl(path)))


def test_stray_byte_in_an_ascii_head_then_utf8_cyrillic_is_a_mix(tmp_path: Path) -> None:
    """One cp1252 byte early on and UTF-8 Cyrillic later: refused as two encodings, never
    read as mojibake."""
    rows = [b"external_id,name,country", b"c0,Caf\xe9 de Paris SARL,FR"]
    rows += [f"c{i},Company number {i} Limited,GB".encode() for i in range(1, 4000)]
    rows.append("c4000,Путин Владимир,RU".encode())
    path = tmp_path / "parties.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    assert detect_encoding(path.read_bytes()[:65536]) == "cp1252"
    with pytest.raises(ParseError) as err:
        list(read_rows(path))
    assert err.value.line == 4002 and "one encoding" in str(err.value)


def test_every_reader_takes_encoding(tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_bytes("name,country\nТоқаев Қасым-Жомарт,KZ\n".encode("kz1048"))
    with pytest.raises(ParseError):
        list(read_rows(parties, encoding="utf-8"))
    assert list(read_rows(parties, encoding="kz1048"))[0]["name"] == "Тоқаев Қасым-Жомарт"
    edges = tmp_path / "edges.csv"
    edges.write_bytes(
        "owner_id,owned_id,share,kind,control_type,valid_from,valid_to\n"
        "Ромашка,Лютик,60,ownership,,,\n".encode("cp1251")
    )
    graph = read_graph(edges, encoding="cp1251")
    assert [(e.owner, e.owned) for e in graph.edges] == [("Ромашка", "Лютик")]


def test_unknown_encoding_is_a_clear_error(shared: Path) -> None:
    with pytest.raises(Exception, match="unknown encoding 'martian'"):
        open_list(shared / "un/UN_consolidated.xml", encoding="martian")

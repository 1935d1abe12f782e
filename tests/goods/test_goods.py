"""Goods codes, the nomenclature, descriptions and the checker against the bundled CHPL."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.exceptions import InvalidGoodsCode, ParseError
from corridor.goods import (
    GoodsChecker,
    bundled_goods_lists,
    hs2022,
    is_vague,
    parse_code,
    read_goods_list,
)
from corridor.goods.describe import default_index, translate
from corridor.service.goods import goods_checker, load_bundled_goods, load_goods_list
from corridor.store import SqlStore

HERE = Path(__file__).parent
CODES = tomllib.loads((HERE / "codes.toml").read_text("utf-8"))
CHECKER = GoodsChecker.bundled()


@pytest.mark.parametrize("case", CODES["valid"], ids=[c["text"] for c in CODES["valid"]])
def test_valid_codes(case: dict[str, Any]) -> None:
    code = parse_code(case["text"], case.get("version", "2022"))
    assert code.code == case["code"]
    assert code.hs6 == case.get("hs6")
    if "system" in case:
        assert code.system == case["system"]
    if "hs2022" in case:
        assert list(code.hs2022) == case["hs2022"]
    if "detected" in case:
        assert code.hs_version == case["detected"]
        assert code.note and "the document gives no HS version" in code.note


@pytest.mark.parametrize(
    "case", CODES["invalid"], ids=[c["text"] or "empty" for c in CODES["invalid"]]
)
def test_invalid_codes(case: dict[str, Any]) -> None:
    with pytest.raises(InvalidGoodsCode) as info:
        parse_code(case["text"], case.get("version", "2022"))
    assert case["error"] in str(info.value)


def test_nomenclature_and_bundled_chpl() -> None:
    nom = hs2022()
    assert len(nom.subheadings()) == 5613
    assert nom.description("848210") == "Ball bearings"
    entries = read_goods_list(bundled_goods_lists()[0].path)
    tiers: dict[str, int] = {}
    for e in entries:
        tiers[e.tier or ""] = tiers.get(e.tier or "", 0) + 1
    assert tiers == {"1": 4, "2": 5, "3.A": 16, "3.B": 9, "4.A": 11, "4.B": 5}


@pytest.mark.parametrize(
    ("code", "version", "tier", "list_version"),
    [
        ("8542.31", "2022", "1", "2022"),
        ("8542 31 00 00", "2022", "1", "2022"),  # TN VED 10-digit under a listed HS-6
        ("8548.90", "2017", "2", "2017"),  # HS 2017 form of 8548.00
        ("8807.30", "2022", "3.B", "2022"),
        ("8803.30", "2017", "3.B", "2017"),
        ("8541.50", "2017", "3.A", "2017"),
    ],
)
def test_listed_codes(code: str, version: str, tier: str, list_version: str) -> None:
    result = CHECKER.check(code, hs_version=version, as_of="2025-01-01")
    assert [(h.entry.tier, h.entry.hs_version) for h in result.hits] == [(tier, list_version)]
    assert result.hits[0].certain


def test_unlisted_and_dates() -> None:
    assert not CHECKER.check("1001.99", as_of="2025-01-01").hits
    # the CHPL entries apply from their publication date
    assert not CHECKER.check("8542.31", as_of="2024-01-01").hits
    heading = CHECKER.check("8471", as_of="2025-01-01")
    assert {h.entry.tier for h in heading.hits} == {"3.A", "4.A"}
    assert not any(h.certain for h in heading.hits)
    assert "give the 6-digit subheading" in heading.warnings[0]


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("ball bearings", "848210"),
        ("подшипники шариковые", "848210"),
        ("токарный станок с ЧПУ", "845891"),
        ("микросхемы памяти", "854232"),
        ("конденсаторы танталовые", "853221"),
        ("печатные платы", "853400"),
        ("GNSS receiver module", "852691"),
        ("oscilloscope 200 MHz", "903020"),
        ("wheat flour", "110100"),
        ("смартфоны", "851713"),
        ("мұнай", "271"),  # Kazakh: petroleum oils, chapter 27
    ],
)
def test_description_suggestions(description: str, expected: str) -> None:
    top = default_index().suggest(description, 3)
    assert top and top[0].hs6.startswith(expected), [s.hs6 for s in top]


def test_vague_descriptions() -> None:
    for text in (
        "spare parts",
        "Запчасти",
        "электронные компоненты",
        "parts and accessories",
        "ТНП",
        "қосалқы бөлшектер",
        "",
        "equipment, parts",
    ):
        assert is_vague(text), text
    for text in ("ball bearings", "spare parts for tractors", "запчасти к КамАЗ: фильтры масляные"):
        assert not is_vague(text), text
    assert translate("подшипник неизвестныйтермин")[1] == ["неизвестныйтермин"]


def test_checker_on_lines() -> None:
    inconsistent = CHECKER.check("8482.10", "frozen fish fillets", as_of="2025-01-01")
    assert inconsistent.consistent is False and inconsistent.suggestions
    assert inconsistent.suggestions[0].hs6.startswith("0304")
    suggested = CHECKER.check(None, "подшипники шариковые", as_of="2025-01-01")
    assert suggested.hits and suggested.hits[0].via == "description"
    assert not suggested.hits[0].certain
    vague = CHECKER.check(None, "запчасти")
    assert vague.vague and not vague.hits and "vague description" in vague.warnings[0]
    bad = CHECKER.check("8542.99", "chips")
    assert bad.error is not None and "not an HS 2022 subheading" in bad.error


def test_goods_lists_in_the_store(store: SqlStore, tmp_path: Path) -> None:
    assert goods_checker(store)[1] is True  # nothing loaded: the bundled lists
    results = load_bundled_goods(store)
    assert [r.version.entry_count for r in results if r.version] == [50, 49]
    assert load_bundled_goods(store)[0].skipped
    own = tmp_path / "annex.csv"
    own.write_text(
        "code,list,tier,jurisdictions,legal_basis,valid_from,valid_to,hs_version,description\n"
        "8471.30.00,EU Annex XXIII,,eu,Reg. 833/2014 Art. 3k,2023-06-24,,2022,Portable ADP\n"
        "87,KZ watch list,B,kz,,,,2022,Vehicles\n"
    )
    load_goods_list(store, own, "eu_annex_xxiii")
    checker, bundled = goods_checker(store)
    assert not bundled and len(checker.entries) == 101
    hits = checker.check("8471 30 000 1", as_of="2025-01-01").hits
    assert {h.entry.list for h in hits} == {"EU Annex XXIII"}
    assert not checker.check("8471 41", as_of="2025-01-01").hits  # narrower entry, other code
    assert {h.entry.list for h in checker.check("8703.23", as_of="2025-01-01").hits} == {
        "KZ watch list"
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("8542.99,X,,,,,,,", "line 2: field code: goods code '8542.99'"),
        ("8542.31,,,,,,,,", "line 2: field list: must not be empty"),
        ("8542.31,X,,mars,,,,,", "line 2: field jurisdictions: unknown mars"),
        ("8542.31,X,,,,2024-02-30,,,", "line 2: field valid_from/valid_to"),
        ("8542.31,X,,,,,,1996,", "line 2: field hs_version: expected 2022 or 2017"),
    ],
)
def test_bad_goods_lists(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "code,list,tier,jurisdictions,legal_basis,valid_from,valid_to,hs_version,description\n"
        + row
        + "\n"
    )
    with pytest.raises(ParseError) as info:
        read_goods_list(path)
    assert message in str(info.value) and "list.csv" in str(info.value)

"""Goods lists in Corridor's CSV form, and the bundled ones.

Header: ``code,list,tier,jurisdictions,legal_basis,valid_from,valid_to,hs_version,description``
(``code`` and ``list`` required; ``jurisdictions`` separated by ``;``; dates ISO; ``hs_version``
2022 or 2017, default 2022). Codes keep their granularity: an entry at 8 digits matches only
goods codes with those 8 digits, one at 6 digits every national code under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corridor.exceptions import InvalidGoodsCode, ParseError
from corridor.goods.codes import HS_VERSIONS, parse_code
from corridor.goods.nomenclature import goods_data_dir
from corridor.lists.text import csv_table
from corridor.model.dates import parse_iso_date
from corridor.model.goods import GoodsListEntry

REQUIRED = ("code", "list")
COLUMNS = (
    "code",
    "list",
    "tier",
    "jurisdictions",
    "legal_basis",
    "valid_from",
    "valid_to",
    "hs_version",
    "description",
)
JURISDICTION_CODES = frozenset({"us", "eu", "uk", "un", "jp", "kz", "eaeu"})


@dataclass(frozen=True)
class BundledGoodsList:
    source: str
    path: Path
    title: str


def bundled_goods_lists() -> list[BundledGoodsList]:
    base = goods_data_dir()
    return [
        BundledGoodsList(
            "chpl_hs2022", base / "chpl_hs2022.csv", "Common High Priority List (HS 2022)"
        ),
        BundledGoodsList(
            "chpl_hs2017", base / "chpl_hs2017.csv", "Common High Priority List (HS 2017)"
        ),
    ]


def read_goods_list(path: Path | str) -> list[GoodsListEntry]:
    """Read a goods-list CSV; errors name the file, the line and the field."""
    path = Path(path)
    name = path.name
    out: list[GoodsListEntry] = []
    with csv_table(path, REQUIRED, COLUMNS) as (at, rows):

        def get(row: list[str], col: str) -> str:
            i = at.get(col)
            return row[i].strip() if i is not None else ""

        for lineno, row in rows:
            version = get(row, "hs_version") or "2022"
            if version not in HS_VERSIONS:
                raise ParseError(
                    f"field hs_version: expected 2022 or 2017, found {version!r}", name, lineno
                )
            try:
                code = parse_code(get(row, "code"), version)
            except InvalidGoodsCode as exc:
                raise ParseError(f"field code: {exc}", name, lineno) from exc
            list_name = get(row, "list")
            if not list_name:
                raise ParseError("field list: must not be empty", name, lineno)
            juris = tuple(
                j.strip().lower() for j in get(row, "jurisdictions").split(";") if j.strip()
            )
            unknown = [j for j in juris if j not in JURISDICTION_CODES]
            if unknown:
                raise ParseError(
                    f"field jurisdictions: unknown {', '.join(unknown)} (expected "
                    f"{', '.join(sorted(JURISDICTION_CODES))}, separated by ;)",
                    name,
                    lineno,
                )
            try:
                start = parse_iso_date(get(row, "valid_from"))
                end = parse_iso_date(get(row, "valid_to"))
            except ValueError as exc:
                raise ParseError(f"field valid_from/valid_to: {exc}", name, lineno) from exc
            out.append(
                GoodsListEntry(
                    code.code,
                    list_name,
                    get(row, "tier") or None,
                    juris,
                    get(row, "legal_basis") or None,
                    start,
                    end,
                    version,
                    get(row, "description") or None,
                )
            )
    if not out:
        raise ParseError("the file holds no goods-list entries", name)
    return out

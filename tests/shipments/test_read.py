"""Reading trade documents: CSV, JSON lines and XLSX; bad rows reported, good rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from corridor.exceptions import FormatError, ParseError
from corridor.model.trade import LINE_COLUMNS
from corridor.shipments import read_companies, read_ledger

SAMPLES = Path(__file__).resolve().parents[2] / "corridor" / "data" / "samples"
GOOD = (
    "D1,customs_declaration,2024-03-11,Elektronik Vertrieb GmbH,DE,Steppe Logistics TOO,KZ,"
    "Steppe Logistics TOO,KZ,,,DE,DE,KZ,PL;BY;RU,DE,8542.31,Microcontrollers,12000,pcs,"
    "54000,EUR"
)


def test_sample_ledger_and_companies() -> None:
    ledger = read_ledger(SAMPLES / "ledger.csv")
    assert not ledger.errors
    assert len(ledger.lines) == 27 and len(ledger.documents()) == 27
    first = ledger.lines[0]
    assert first.transit_countries == ("PL", "BY", "RU")
    assert first.hs_code == "8542.31.90" and first.quantity == 12000.0
    cpc = next(line for line in ledger.lines if line.doc_id == "DT-2024-1105")
    assert cpc.extra == {"project": "CPC"}  # extra columns are kept
    companies, errors = read_companies(SAMPLES / "companies.csv")
    assert not errors and len(companies) == 12
    assert companies[1].incorporated == "2023-03-02"


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (GOOD.replace("2024-03-11", "11.03.2024"), "date", "expected an ISO date"),
        (
            GOOD.replace(",KZ,PL;BY;RU", ",Narnia,PL;BY;RU"),
            "destination_country",
            "expected an ISO 3166 alpha-2 country code",
        ),
        (GOOD.replace("PL;BY;RU", "PL;XX"), "transit_countries", "expected ISO 3166 alpha-2"),
        (GOOD.replace(",12000,", ",twelve thousand,"), "quantity", "expected a number"),
        (GOOD.replace(",54000,", ",-5,"), "value", "expected a number of zero or more"),
        (GOOD.replace(",EUR", ",euro"), "currency", "expected an ISO 4217 code"),
        (GOOD.replace("D1,", ",", 1), "doc_id", "must not be empty"),
    ],
)
def test_bad_rows_are_reported_and_good_rows_load(
    tmp_path: Path, row: str, field: str, message: str
) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(
        ",".join(LINE_COLUMNS) + "\n" + GOOD + "\n" + row + "\n" + GOOD.replace("D1", "D3") + "\n"
    )
    ledger = read_ledger(path)
    assert [line.doc_id for line in ledger.lines] == ["D1", "D3"]
    assert len(ledger.errors) == 1
    err = ledger.errors[0]
    assert (err.source, err.line, err.field) == ("docs.csv", 3, field)
    assert message in err.message
    assert str(err).startswith(f"docs.csv: line 3, field {field}: ")


def test_short_row_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(",".join(LINE_COLUMNS) + "\n" + GOOD + "\nD2,invoice,2024-01-01\n")
    ledger = read_ledger(path)
    assert len(ledger.lines) == 1
    assert "expected 22 comma-separated fields, found 3" in ledger.errors[0].message
    bad = tmp_path / "other.csv"
    bad.write_text("name,country\nIvanov,RU\n")
    with pytest.raises(ParseError, match="other.csv: line 1: missing column"):
        read_ledger(bad)
    with pytest.raises(FormatError, match="no such file"):
        read_ledger(tmp_path / "absent.csv")


def test_json_lines_and_xlsx(tmp_path: Path) -> None:
    row = dict(zip(LINE_COLUMNS, GOOD.split(","), strict=True))
    jsonl = tmp_path / "docs.jsonl"
    bad = {**row, "doc_id": "D2", "date": "2024-13-01"}
    with_list = {**row, "doc_id": "D3", "transit_countries": ["PL", "BY"], "quantity": 5}
    jsonl.write_text("\n".join(json.dumps(r) for r in (row, bad, with_list)) + "\n{oops\n")
    ledger = read_ledger(jsonl)
    assert [line.doc_id for line in ledger.lines] == ["D1", "D3"]
    assert ledger.lines[1].transit_countries == ("PL", "BY")
    assert [(e.line, e.field) for e in ledger.errors] == [(2, "date"), (4, None)]

    book = Workbook()
    sheet = book.active
    sheet.append([*LINE_COLUMNS, "end_user"])
    values: list[object] = GOOD.split(",")
    values[18], values[20] = 12000, 54000.0  # numbers as numbers
    sheet.append([*values, "Astana Precision TOO"])
    sheet.append(["D2", "invoice", "not a date", *values[3:], ""])
    xlsx = tmp_path / "docs.xlsx"
    book.save(xlsx)
    ledger = read_ledger(xlsx)
    assert len(ledger.lines) == 1 and ledger.lines[0].quantity == 12000.0
    assert ledger.lines[0].extra == {"end_user": "Astana Precision TOO"}
    assert ledger.errors[0].line == 3 and ledger.errors[0].field == "date"


def _xlsx_with_codes(tmp_path: Path, codes: list[object]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(list(LINE_COLUMNS))
    for i, code in enumerate(codes, start=1):
        values: list[object] = GOOD.split(",")
        values[0] = f"D{i}"
        values[16] = code  # hs_code, as a spreadsheet typed it
        sheet.append(values)
    path = tmp_path / "codes.xlsx"
    book.save(path)
    return path


def test_codes_typed_as_numbers_are_restored_or_flagged(tmp_path: Path) -> None:
    # 8471.50 as 8471.5, 0402.10 as 402.1, 040210 as 40210, a TN VED code without its
    # leading zero, a code that is right, and one that cannot be told
    path = _xlsx_with_codes(
        tmp_path, [8471.5, 402.1, 40210, 402109100, 854231, "8542.31", 1234567, 5201.0, 8542]
    )
    ledger = read_ledger(path)
    codes = [line.hs_code for line in ledger.lines]
    # 5201.00 stored as the number 5201: heading 5201 has one subheading; 8542 has five
    assert codes == [
        "847150",
        "040210",
        "040210",
        "0402109100",
        "854231",
        "8542.31",
        "1234567",
        "520100",
        "8542",
    ]
    assert "it may be 8542.31 or 8542.32" in ledger.lines[8].extra["hs_code_note"]
    assert ledger.lines[0].extra["hs_code_original"] == "8471.5"
    assert "read as 8471.50" in ledger.lines[0].extra["hs_code_note"]
    assert "hs_code_note" not in ledger.lines[4].extra
    assert "no reading of it is an HS code" in ledger.lines[6].extra["hs_code_note"]
    assert any("5 goods code(s) typed as numbers were restored" in w for w in ledger.warnings)
    assert any("2 goods code(s) typed as numbers could not" in w for w in ledger.warnings)


def test_csv_written_by_a_spreadsheet(tmp_path: Path) -> None:
    rows = [
        GOOD.replace("8542.31", code).replace("D1", f"D{i}")
        for i, code in enumerate(["40210", "8471.5", "8548.9"])
    ]
    path = tmp_path / "ledger.csv"
    path.write_text(",".join(LINE_COLUMNS) + "\n" + "\n".join(rows) + "\n", "utf-8")
    assert [line.hs_code for line in read_ledger(path).lines] == ["040210", "847150", "854890"]


def test_a_ledger_without_a_goods_code_column_says_so(tmp_path: Path) -> None:
    columns = [c for c in LINE_COLUMNS if c != "hs_code"]
    row = dict(zip(LINE_COLUMNS, GOOD.split(","), strict=True))
    path = tmp_path / "ledger.csv"
    path.write_text(",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n", "utf-8")
    ledger = read_ledger(path)
    assert len(ledger.lines) == 1
    assert ledger.warnings == [
        "ledger.csv: no hs_code column; goods are checked by their descriptions only"
    ]


def test_region_codes_in_country_columns(tmp_path: Path) -> None:
    row = GOOD.replace(",DE,DE,KZ,PL;BY;RU,", ",DE,DE,UA-43,PL;UA-14,")
    path = tmp_path / "ledger.csv"
    path.write_text(",".join(LINE_COLUMNS) + "\n" + row + "\n", "utf-8")
    line = read_ledger(path).lines[0]
    assert line.destination_country == "UA" and line.transit_countries == ("PL", "UA")
    assert line.extra["destination_subdivision"] == "UA-43"
    assert line.extra["transit_subdivisions"] == "UA-14"

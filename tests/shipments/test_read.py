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

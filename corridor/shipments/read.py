"""Reading trade documents (CSV, JSON lines, XLSX) and company facts (CSV).

A bad row is reported with its line and field and the good rows still load; a file that is
not a ledger at all (no such file, missing columns, not CSV/JSON/XLSX) is an error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor.exceptions import (
    CorridorError,
    FieldError,
    FormatError,
    ParseError,
    RequestTooLarge,
)
from corridor.goods.codes import format_hs
from corridor.lists.files import check_zip_package
from corridor.lists.text import csv_rows, json_error, loads, open_text
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_iso_date
from corridor.model.trade import (
    COMPANY_COLUMNS,
    LINE_COLUMNS,
    Company,
    DocumentLine,
    RowError,
)
from corridor.shipments.numeric import lost_zeros, restore

REQUIRED = ("doc_id", "date")
MAX_XLSX_COLUMNS = 200  # of a ledger sheet (a document line has about 25)
MAX_BAD_ROWS = 10_000  # rows that could not be read, before the file is refused as not a ledger
COUNTRY_COLUMNS = tuple(c for c in LINE_COLUMNS if c.endswith("_country"))
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SUBDIVISION = re.compile(r"^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$")  # ISO 3166-2: UA-43


@dataclass
class Ledger:
    """Goods lines read from one or more files, with the rows that could not be read."""

    lines: list[DocumentLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the ledger as a whole, e.g. no hs_code

    def documents(self) -> dict[str, list[DocumentLine]]:
        docs: dict[str, list[DocumentLine]] = {}
        for line in self.lines:
            docs.setdefault(line.doc_id, []).append(line)
        return docs


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) from a CSV, JSON lines or XLSX file; header names lower-cased."""
    suffix = "".join(path.suffixes[-2:]).lower()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
    elif suffix.endswith((".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz")):
        with open_text(path, encoding) as fh:
            for text in fh:
                lineno = fh.line
                if not text.strip():
                    continue
                try:
                    obj = loads(text)
                except ValueError as exc:
                    yield lineno, {"__error__": json_error(exc)}
                    continue
                if not isinstance(obj, dict):
                    yield lineno, {"__error__": "expected a JSON object"}
                    continue
                yield (
                    lineno,
                    {
                        str(k).strip().lower(): (
                            ";".join(map(str, v)) if isinstance(v, list) else _cell(v)
                        )
                        for k, v in obj.items()
                    },
                )
    else:
        with open_text(path, encoding) as fh:
            reader = csv_rows(fh)
            first = next(reader, None)
            header = [h.strip().lower().lstrip("\ufeff") for h in (first[1] if first else [])]
            if not header:
                raise ParseError("empty file: expected a header row", path.name, line=1)
            yield 1, {"__header__": ";".join(header)}
            for lineno, row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != len(header):
                    yield (
                        lineno,
                        {
                            "__error__": f"expected {len(header)} comma-separated fields, "
                            f"found {len(row)}"
                        },
                    )
                    continue
                yield lineno, dict(zip(header, (c.strip() for c in row), strict=True))


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of the first sheet of a workbook. The package is checked first (parts, sizes,
    no DTD in any XML part); whatever else the reader stumbles on in a damaged or hostile
    file is a FormatError naming the file."""
    from openpyxl import load_workbook

    check_zip_package(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - the reader's every failure, said as ours
        raise FormatError(f"not a readable XLSX workbook: {_reason(exc)}", str(path)) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise ParseError("empty sheet: expected a header row", path.name, line=1)
        header = [_cell(h).lower() for h in first][:MAX_XLSX_COLUMNS]
        yield 1, {"__header__": ";".join(header)}
        code_at = header.index("hs_code") if "hs_code" in header else -1
        for lineno, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values[: len(header)]]
            typed = values[code_at] if 0 <= code_at < len(values) else None
            numeric = isinstance(typed, int | float) and not isinstance(typed, bool)
            if not any(cells):
                continue
            cells += [""] * (len(header) - len(cells))
            row = dict(zip(header, cells, strict=True))
            if numeric:
                row["hs_code_typed"] = "number"  # the cell held a number, not text
            yield lineno, row
    except CorridorError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above, while the rows stream
        raise FormatError(f"not a readable XLSX workbook: {_reason(exc)}", str(path)) from exc
    finally:
        with contextlib.suppress(Exception):
            book.close()


def _reason(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {str(exc)[:200]}"


def _country(value: str, column: str) -> str | None:
    if not value:
        return None
    code = to_iso2(value)
    if code is None:
        raise ValueError(f"{column}: expected an ISO 3166 alpha-2 country code, found {value!r}")
    return code


def _number(value: str, column: str) -> float | None:
    if not value:
        return None
    text = value.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueError(f"{column}: expected a number, found {value!r}")
    number = float(text)
    if number < 0:
        raise ValueError(f"{column}: expected a number of zero or more, found {value!r}")
    return number


def line_from_row(row: dict[str, str], source: str, lineno: int) -> DocumentLine:
    """Build a line from a row; raises FieldError naming the field."""

    def fail(column: str, message: str) -> FieldError:
        return FieldError(column, message, source, lineno)

    doc_id = row.get("doc_id", "")
    if not doc_id:
        raise fail("doc_id", "must not be empty")
    raw_date = row.get("date", "")
    try:
        day = parse_iso_date(raw_date[:10] if len(raw_date) > 10 else raw_date)
    except ValueError as exc:
        raise fail("date", str(exc)) from exc
    if day is None or len(day) != 10:
        raise fail("date", f"expected a full ISO date (YYYY-MM-DD), found {raw_date!r}")
    values: dict[str, Any] = {}
    regions: dict[str, str] = {}
    for column in COUNTRY_COLUMNS:
        raw = row.get(column, "").strip()
        region = _SUBDIVISION.match(raw)
        if region:
            # a region (ISO 3166-2, such as UA-43): the country, and the region kept
            raw = region.group(1)
            regions[column.replace("_country", "_subdivision")] = (
                f"{region.group(1)}-{region.group(2)}".upper()
            )
        try:
            values[column] = _country(raw, column)
        except ValueError as exc:
            raise fail(column, str(exc).split(": ", 1)[1]) from exc
    transit: list[str] = []
    transit_regions: list[str] = []
    for part in re.split(r"[;|]", row.get("transit_countries", "")):
        if part.strip():
            region = _SUBDIVISION.match(part.strip())
            if region:
                transit_regions.append(part.strip().upper())
                part = region.group(1)
            code = to_iso2(part.strip())
            if code is None:
                raise fail(
                    "transit_countries",
                    f"expected ISO 3166 alpha-2 codes separated by ';', found {part.strip()!r}",
                )
            transit.append(code)
    try:
        quantity = _number(row.get("quantity", ""), "quantity")
        value = _number(row.get("value", ""), "value")
    except ValueError as exc:
        column, message = str(exc).split(": ", 1)
        raise fail(column, message) from exc
    currency = row.get("currency", "").upper() or None
    if currency is not None and not _CURRENCY.match(currency):
        raise fail("currency", f"expected an ISO 4217 code like USD, found {row['currency']!r}")
    if not any(row.get(r) for r in ("seller", "buyer", "consignee", "payer")):
        raise fail("seller", "the line names no party (seller, buyer, consignee or payer)")
    extra = {k: v for k, v in row.items() if k not in LINE_COLUMNS and v}
    extra.update(regions)
    hs_code = row.get("hs_code") or None
    typed_number = row.get("hs_code_typed") == "number"
    if hs_code is not None and (lost_zeros(hs_code) or (typed_number and len(hs_code) == 4)):
        restored = restore(hs_code)
        extra["hs_code_note"] = restored.note
        if restored.code is not None:
            extra["hs_code_original"] = hs_code
            hs_code = restored.code
    if transit_regions:
        extra["transit_subdivisions"] = ";".join(transit_regions)
    return DocumentLine(
        doc_id=doc_id,
        doc_type=row.get("doc_type", "") or "invoice",
        date=day,
        seller=row.get("seller") or None,
        seller_country=values["seller_country"],
        buyer=row.get("buyer") or None,
        buyer_country=values["buyer_country"],
        consignee=row.get("consignee") or None,
        consignee_country=values["consignee_country"],
        payer=row.get("payer") or None,
        payer_country=values["payer_country"],
        origin_country=values["origin_country"],
        dispatch_country=values["dispatch_country"],
        destination_country=values["destination_country"],
        transit_countries=tuple(transit),
        manufacturer_country=values["manufacturer_country"],
        hs_code=hs_code,
        description=row.get("description") or None,
        quantity=quantity,
        unit=(row.get("unit") or "").lower() or None,
        value=value,
        currency=currency,
        extra=extra,
        source=source,
        line=lineno,
    )


def read_ledger(
    *paths: Path | str,
    encoding: str | None = None,
    max_lines: int | None = None,
    max_errors: int = MAX_BAD_ROWS,
) -> Ledger:
    """Read trade-document files into one ledger; bad rows go to ``errors``. ``encoding``
    overrides the detected text encoding of CSV and JSON lines files. Reading stops, with an
    error, at the goods line after ``max_lines`` or the bad row after ``max_errors``: memory
    stays bounded whatever the file."""
    ledger = Ledger()
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise FormatError("no such file", str(path))
        ledger.sources.append(path.name)
        header_checked = False
        for lineno, row in _rows(path, encoding):
            if "__header__" in row:
                cols = row["__header__"].split(";")
                missing = [c for c in REQUIRED if c not in cols]
                if missing:
                    raise ParseError(
                        f"missing column(s) {', '.join(missing)}: expected the header "
                        + ",".join(LINE_COLUMNS),
                        path.name,
                        line=1,
                    )
                header_checked = True
                if "hs_code" not in cols:
                    what = (
                        "goods are checked by their descriptions only"
                        if "description" in cols
                        else "and no description column: goods are not checked at all"
                    )
                    ledger.warnings.append(f"{path.name}: no hs_code column; {what}")
                continue
            if len(ledger.errors) >= max_errors:
                raise ParseError(
                    f"more than {max_errors:,} rows could not be read: is this a ledger of "
                    "trade documents? (the first: " + str(ledger.errors[0]) + ")",
                    path.name,
                    line=lineno,
                )
            if max_lines is not None and len(ledger.lines) >= max_lines:
                raise RequestTooLarge(
                    f"{path.name}: more than {max_lines:,} goods lines: at most {max_lines:,} in "
                    "one screening (split the ledger, or screen it with 'corridor shipments "
                    "screen')"
                )
            if "__error__" in row:
                ledger.errors.append(RowError(path.name, lineno, None, row["__error__"]))
                continue
            if not header_checked and not all(c in row for c in REQUIRED):
                ledger.errors.append(RowError(path.name, lineno, None, "missing doc_id or date"))
                continue
            try:
                ledger.lines.append(line_from_row(row, path.name, lineno))
            except FieldError as exc:
                ledger.errors.append(RowError(path.name, lineno, exc.field, exc.detail))
    restored = [line for line in ledger.lines if "hs_code_original" in line.extra]
    if restored:
        first = restored[0]
        ledger.warnings.append(
            f"{len(restored):,} goods code(s) typed as numbers were restored from the HS table "
            f"(e.g. line {first.line}: {first.extra['hs_code_original']} read as "
            f"{format_hs(first.hs_code or '')})"
        )
    unclear = [
        line
        for line in ledger.lines
        if "hs_code_note" in line.extra and "hs_code_original" not in line.extra
    ]
    if unclear:
        ledger.warnings.append(
            f"{len(unclear):,} goods code(s) typed as numbers could not be restored "
            f"(e.g. line {unclear[0].line}: {unclear[0].extra['hs_code_note']}); they are "
            "flagged (SHP-07)"
        )
    return ledger


def read_companies(
    path: Path | str, encoding: str | None = None
) -> tuple[list[Company], list[RowError]]:
    """Company facts: ``name,country,registration_id,incorporated,activity_code``."""
    path = Path(path)
    companies: list[Company] = []
    errors: list[RowError] = []
    for lineno, row in _rows(path, encoding):
        if "__header__" in row:
            cols = row["__header__"].split(";")
            if "name" not in cols:
                raise ParseError(
                    "missing column name: expected the header " + ",".join(COMPANY_COLUMNS),
                    path.name,
                    line=1,
                )
            continue
        if "__error__" in row:
            errors.append(RowError(path.name, lineno, None, row["__error__"]))
            continue
        name = row.get("name", "")
        if not name:
            errors.append(RowError(path.name, lineno, "name", "must not be empty"))
            continue
        try:
            country = _country(row.get("country", ""), "country")
        except ValueError as exc:
            errors.append(RowError(path.name, lineno, "country", str(exc).split(": ", 1)[1]))
            continue
        try:
            incorporated = parse_iso_date(row.get("incorporated", ""))
        except ValueError as exc:
            errors.append(RowError(path.name, lineno, "incorporated", str(exc)))
            continue
        extra = {k: v for k, v in row.items() if k not in COMPANY_COLUMNS and v}
        companies.append(
            Company(
                name,
                country,
                row.get("registration_id") or None,
                incorporated,
                row.get("activity_code") or None,
                extra,
            )
        )
    return companies, errors

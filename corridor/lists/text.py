"""Reading text files from outside: one encoding per file (given, or detected from the first
bytes), line by line within the limits, CSV read strictly, JSON lines parsed within bounds.

Every failure is a :class:`corridor.exceptions.ParseError` naming the file and the line: a
file that ends inside a quoted field, a byte that does not decode (with its byte offset), a
line, field or record over its limit, a JSON value nested too deep.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from corridor.exceptions import FormatError, ParseError
from corridor.lists.encoding import ENCODING_HINT, UTF8_SEQUENCE, detect_encoding, is_single_byte
from corridor.lists.files import DAMAGED, open_binary, read_head
from corridor.lists.limits import limits


class TextLines:
    """The lines of a text file (newlines kept, as ``csv`` wants them), decoded in one
    encoding: the one given, or the one detected from the first bytes.

    A byte that does not decode is a ParseError naming the line and the byte offset; so is a
    line longer than the limit, a CSV record longer than its limit (a record is a line until
    :func:`csv_rows` reads the file, which calls ``mark`` where each record starts), and,
    when ``final_newline`` is set, a last line with no line break (a file cut short). In a
    file detected as single-byte, a line that is valid UTF-8 with multi-byte characters is
    refused as a mix of encodings.
    """

    def __init__(
        self, path: Path, encoding: str | None = None, final_newline: bool = False
    ) -> None:
        self.path = path
        self.name = path.name
        self.explicit = encoding is not None
        self.encoding = encoding or detect_encoding(read_head(path))
        try:
            codecs.lookup(self.encoding)
        except LookupError as exc:
            raise FormatError(f"unknown encoding {self.encoding!r}", str(path)) from exc
        self.final_newline = final_newline
        self.line = 0
        self.offset = 0
        self.record = 0
        self.multiline = False  # records span lines (CSV): only ``mark`` starts a new one
        self._binary = open_binary(path)
        self._text: IO[str] | None = None
        if self.encoding.replace("_", "-").lower().startswith("utf-16"):
            self._text = io.TextIOWrapper(
                self._binary, encoding=self.encoding, errors="strict", newline=""
            )
        self._single = is_single_byte(self.encoding)
        self._bom = self.encoding == "utf-8-sig"
        self._codec = "utf-8" if self._bom else self.encoding

    def __enter__(self) -> TextLines:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        (self._text or self._binary).close()

    def __iter__(self) -> Iterator[str]:
        return self

    def mark(self) -> None:
        """A new record starts here (for the record-length limit)."""
        self.record = 0

    def _error(self, message: str, line: int | None = None) -> ParseError:
        return ParseError(message, self.name, line=line if line is not None else self.line + 1)

    def _readline(self, limit: int) -> bytes | str:
        try:
            if self._text is not None:
                return self._text.readline(limit + 1)
            return self._binary.readline(limit + 1)
        except UnicodeDecodeError as exc:
            raise self._error(
                f"text does not decode as {self.encoding} ({exc.reason}); {ENCODING_HINT}"
            ) from exc
        except ParseError as exc:
            if exc.line is None:
                raise self._error(exc.detail) from exc
            raise
        except DAMAGED as exc:
            raise self._error(f"file is truncated or damaged ({exc})") from exc

    def __next__(self) -> str:
        lim = limits()
        raw = self._readline(lim.max_line)
        if not raw:
            raise StopIteration
        if len(raw) > lim.max_line:
            raise self._error(
                f"line longer than {lim.max_line:,} bytes (the limit; CORRIDOR_MAX_LINE_KB "
                "raises it)"
            )
        self.line += 1
        start = self.offset
        self.offset += len(raw)
        self.record = self.record + len(raw) if self.multiline else len(raw)
        if self.record > lim.max_record:
            raise self._error(
                f"one record runs over {lim.max_record:,} bytes (the limit): an unclosed "
                "quote or a damaged file",
                self.line,
            )
        if isinstance(raw, str):
            text = raw
        else:
            if self._bom and self.line == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
                start += 3
            try:
                text = raw.decode(self._codec)
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"byte 0x{raw[exc.start]:02x} at byte offset {start + exc.start:,} does not "
                    f"decode as {self.encoding}; {ENCODING_HINT}",
                    self.name,
                    line=self.line,
                ) from exc
            if (
                self._single
                and not self.explicit
                and UTF8_SEQUENCE.search(raw)
                and _valid_utf8(raw)
            ):
                raise ParseError(
                    f"this line is UTF-8 but the file began in {self.encoding}: a file must be "
                    f"in one encoding; {ENCODING_HINT}",
                    self.name,
                    line=self.line,
                )
        if self.final_newline and not text.endswith(("\n", "\r")) and text.strip("\x1a \t"):
            raise ParseError(
                "the last line has no line break: the file is truncated", self.name, self.line
            )
        return text

    def read(self) -> str:
        """The rest of the file as one string (for whole-document formats such as a JSON
        array), within the input limits."""
        return "".join(self)


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def open_text(path: Path, encoding: str | None = None, final_newline: bool = False) -> TextLines:
    """Open a text file for reading line by line (see :class:`TextLines`)."""
    return TextLines(path, encoding, final_newline)


def decoded_head(path: Path, size: int = 8192, encoding: str | None = None) -> str:
    head = read_head(path, size)
    enc = encoding or detect_encoding(head)
    return head.decode(enc, errors="replace")


def csv_error(exc: csv.Error, name: str, line: int | None) -> ParseError:
    """A csv module error as a ParseError that says what it means."""
    text = str(exc)
    if "unexpected end of data" in text:
        return ParseError("the file ends inside a quoted field: it is truncated", name, line=line)
    if "field larger than field limit" in text:
        return ParseError(
            f"a field is longer than {limits().max_field:,} characters (the limit)",
            name,
            line=line,
        )
    return ParseError(f"malformed CSV: {text}", name, line=line)


def csv_rows(
    fh: TextLines, lines: Iterable[str] | None = None, **options: Any
) -> Iterator[tuple[int, list[str]]]:
    """(line, row) for every CSV record of ``fh`` (or of ``lines``, a transformation of its
    lines), read strictly: a file that ends inside a quoted field, a quote in the wrong place
    or an over-long field is a ParseError with the line. ``line`` is where the record ends."""
    reader = csv.reader(fh if lines is None else lines, strict=True, **options)
    fh.multiline = True
    fh.mark()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise csv_error(exc, fh.name, fh.line) from exc
        fh.mark()
        yield fh.line, row


def csv_dicts(
    fh: TextLines, short_rows: bool = False, **options: Any
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header of a CSV file and (line, row as a dict) for every record after it; a row
    with more fields than the header, or fewer unless ``short_rows``, is a ParseError naming
    its line (short rows are padded with empty fields)."""
    rows = csv_rows(fh, **options)
    first = next(rows, None)
    header = [h.strip().lstrip("\ufeff") for h in first[1]] if first else []

    def dicts() -> Iterator[tuple[int, dict[str, str]]]:
        for line, row in rows:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < len(header) and short_rows:
                row = row + [""] * (len(header) - len(row))
            if len(row) != len(header):
                more = "more" if len(row) > len(header) else "fewer"
                raise ParseError(
                    f"row has {more} fields than the header ({len(row)}, expected {len(header)})",
                    fh.name,
                    line=line,
                )
            yield line, dict(zip(header, row, strict=True))

    return header, dicts()


@contextmanager
def csv_table(
    path: Path,
    required: tuple[str, ...],
    columns: tuple[str, ...],
    encoding: str | None = None,
) -> Iterator[tuple[dict[str, int], Iterator[tuple[int, list[str]]]]]:
    """Open a CSV file with a header: yield the column positions (lower-cased names) and
    the rows with their line numbers, blank rows skipped. A missing required column or a row
    of the wrong width is a ParseError naming the file and the line (``columns`` is the
    header the error message shows)."""
    with open_text(path, encoding) as fh:
        reader = csv_rows(fh)
        first = next(reader, None)
        header = [h.strip().lower().lstrip("\ufeff") for h in (first[1] if first else [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise ParseError(
                f"missing column(s) {', '.join(missing)}: expected the header " + ",".join(columns),
                path.name,
                line=1,
            )

        def rows() -> Iterator[tuple[int, list[str]]]:
            for lineno, row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != len(header):
                    raise ParseError(
                        f"expected {len(header)} comma-separated fields, found {len(row)}",
                        path.name,
                        lineno,
                    )
                yield lineno, row

        yield {c: i for i, c in enumerate(header)}, rows()


def loads(text: str) -> Any:
    """``json.loads`` within the limits: numbers of at most ``max_number_digits`` digits and
    values nested at most ``max_json_depth`` deep; ValueError otherwise (``json``'s own
    errors are ValueErrors too)."""
    lim = limits()

    def number(kind: type[int] | type[float]) -> Any:
        def parse(digits: str) -> int | float:
            if len(digits) > lim.max_number_digits:
                raise ValueError(
                    f"a number of {len(digits):,} digits (at most {lim.max_number_digits})"
                )
            return kind(digits)

        return parse

    try:
        value = json.loads(text, parse_int=number(int), parse_float=number(float))
    except RecursionError as exc:
        raise ValueError(f"nested deeper than {lim.max_json_depth} levels") from exc
    if _depth(value) > lim.max_json_depth:
        raise ValueError(f"nested deeper than {lim.max_json_depth} levels")
    return value


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item if isinstance(v, dict | list))
    return deepest


def json_error(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    return f"invalid JSON: {exc}"


def iter_json_lines(
    path: Path, encoding: str | None = None, final_newline: bool = False
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) for each non-blank line of a JSON lines file; a line that is not a JSON
    object is a ParseError naming the file and the line."""
    with open_text(path, encoding, final_newline) as fh:
        for text in fh:
            lineno = fh.line
            text = text.strip()
            if not text:
                continue
            try:
                obj = loads(text)
            except ValueError as exc:
                raise ParseError(json_error(exc), path.name, line=lineno) from exc
            if not isinstance(obj, dict):
                raise ParseError("each line must be a JSON object", path.name, line=lineno)
            yield lineno, obj

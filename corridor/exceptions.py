"""The Corridor exception tree.

Every error Corridor raises on purpose derives from :class:`CorridorError`::

    CorridorError                 500  root; catch this to catch everything Corridor raises
    ├── ConfigError               500  bad settings or sources file
    ├── InvalidQuery              400  a request that cannot be answered as asked
    │   ├── InvalidGoodsCode      400  a goods code that is not in the HS nomenclature
    │   ├── QueryTooCostly        422  a query over the words or time a screening may take
    │   └── RequestTooLarge       413  more queries, names or characters than a request may hold
    ├── Unauthorized              401  no valid credentials
    ├── Forbidden                 403  the user's role does not allow this
    ├── NotFound                  404  an entity, source or version that does not exist
    ├── Conflict                  409  the record changed meanwhile, or exists already
    ├── TooManyRequests           429  over the rate limit
    ├── StoreError                503  the store cannot be opened, migrated or written
    ├── IndexFileError            503  a compiled index file is damaged or of another format
    └── ListIngestError           422  a list file could not be imported
        ├── FormatError           422  the file is not (or not entirely) in the expected format
        │   └── ParseError        422  a record or line is malformed; names file and position
        │       └── FieldError    422  one field of a row is malformed; names it too
        ├── VersionHeld           409  a complete version stored but not activated (a guard)
        ├── ChecksumError         422  a downloaded file does not match its expected checksum
        └── FetchError            502  a source could not be downloaded

Each class carries ``status``, the HTTP status an API adapter answers with, and ``code``,
a stable machine-readable identifier.

Example::

    try:
        load_list(store, path)
    except ParseError as exc:
        print(exc.path, exc.line, exc)
"""

from __future__ import annotations

from typing import ClassVar


class CorridorError(Exception):
    """Root of every error Corridor raises deliberately."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "corridor_error"


class IndexFileError(CorridorError):
    """A compiled name index file that cannot be used: truncated, damaged, or written by a
    Corridor with another index format. Rebuilding it (``corridor index build``) mends it."""

    status: ClassVar[int] = 503
    code: ClassVar[str] = "index_file_error"


class ConfigError(CorridorError):
    """Settings, a sources file or a command-line option are not valid."""

    code: ClassVar[str] = "config_error"


class InvalidQuery(CorridorError):
    """A request that cannot be answered as asked."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalid_query"


class InvalidGoodsCode(InvalidQuery):
    """A goods code that is not an HS or national code of the nomenclature."""

    code: ClassVar[str] = "invalid_goods_code"


class QueryTooCostly(InvalidQuery):
    """A screening query with more words than a name may have, or one that ran past its time
    budget: refused whole, never answered in part."""

    status: ClassVar[int] = 422
    code: ClassVar[str] = "query_too_costly"


class RequestTooLarge(InvalidQuery):
    """More queries, names or characters than one request may carry."""

    status: ClassVar[int] = 413
    code: ClassVar[str] = "request_too_large"


class Unauthorized(CorridorError):
    """No valid credentials (API key, session or password)."""

    status: ClassVar[int] = 401
    code: ClassVar[str] = "unauthorized"


class Forbidden(CorridorError):
    """Authenticated, but the role does not allow the operation."""

    status: ClassVar[int] = 403
    code: ClassVar[str] = "forbidden"


class Conflict(CorridorError):
    """The record changed since it was read (optimistic locking), or exists already."""

    status: ClassVar[int] = 409
    code: ClassVar[str] = "conflict"


class TooManyRequests(CorridorError):
    """Over the rate limit."""

    status: ClassVar[int] = 429
    code: ClassVar[str] = "too_many_requests"


class NotFound(CorridorError):
    """An entity, source or list version that does not exist."""

    status: ClassVar[int] = 404
    code: ClassVar[str] = "not_found"


class StoreError(CorridorError):
    """The store cannot be opened, migrated, read or written."""

    status: ClassVar[int] = 503
    code: ClassVar[str] = "store_error"


class ListIngestError(CorridorError):
    """A list file could not be imported; the previously active version stays active."""

    status: ClassVar[int] = 422
    code: ClassVar[str] = "list_ingest_error"


class FormatError(ListIngestError):
    """The file is not in the expected (or any recognised) list format."""

    code: ClassVar[str] = "format_error"

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ParseError(FormatError):
    """A line or record of a list file is malformed.

    ``path`` names the file, ``line`` the 1-based line (where the format has lines) and
    ``record`` the record identifier or ordinal, when known.
    """

    code: ClassVar[str] = "parse_error"

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.line = line
        self.record = record
        self.detail = message
        where = []
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        text = f"{', '.join(where)}: {message}" if where else message
        super().__init__(text, path)


class FieldError(ParseError):
    """One field of a row is malformed: ``field`` names the column."""

    code: ClassVar[str] = "field_error"

    def __init__(self, field: str | None, message: str, path: str, line: int) -> None:
        self.field = field
        super().__init__(f"field {field}: {message}" if field else message, path, line=line)
        self.detail = message


class InputLimitError(FormatError):
    """The input is over one of the input limits (size after decompression, compression
    ratio, line, field or record length); nothing of it was kept."""

    status: ClassVar[int] = 413
    code: ClassVar[str] = "input_too_large"


class VersionHeld(ListIngestError):
    """A list file was read completely and stored, but not made the active version: it would
    have lost too many entities, or it is older than the active version. ``version`` is the
    stored version's id, which ``corridor lists activate`` can still make active."""

    status: ClassVar[int] = 409
    code: ClassVar[str] = "version_held"

    def __init__(self, message: str, version: int | None = None) -> None:
        self.version = version
        super().__init__(message)


class ChecksumError(ListIngestError):
    """A downloaded file does not match the checksum the source declares."""

    code: ClassVar[str] = "checksum_error"


class FetchError(ListIngestError):
    """A source could not be downloaded."""

    status: ClassVar[int] = 502
    code: ClassVar[str] = "fetch_error"

"""Screening files of parties on every core of this machine.

The index is opened once in the parent process (a compiled file it maps, or one built in
memory); worker processes are forked from it and share its pages, so N workers cost little
more memory than one. Rows are processed in chunks, in order, and every input column is
carried through to the output. For more than one machine, :mod:`corridor.batch.spark` runs the
same per-row function, :func:`screen_row`, on Apache Spark with the index file shipped to every
executor.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from corridor.exceptions import InvalidQuery
from corridor.matching import Query, Screener
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import EntityKind
from corridor.model.listings import listing_labels

Row = dict[str, Any]
CHUNK = 200
_SCREENER: Screener | None = None


def row_query(row: Row, line: int | None = None) -> Query:
    """The query a row describes: columns name, kind, dob, country, id (extra columns are
    ignored here and carried through by the caller). A country is a code or a name in any
    language CLDR knows (an unknown one is an error for the row); a date of birth that is not
    a date is dropped, with a warning, and the name is screened without it."""
    return row_query_checked(row, line)[0]


def row_query_checked(row: Row, line: int | None = None) -> tuple[Query, list[str]]:
    """:func:`row_query` with the warnings about fields it dropped."""
    name = str(row.get("name") or "").strip()
    where = f"row {line}: " if line is not None else ""
    if not name:
        raise InvalidQuery(f"{where}the 'name' column is empty")
    kind_raw = str(row.get("kind") or "").strip().lower()
    kind = None
    if kind_raw:
        aliases = {
            "company": "organization",
            "entity": "organization",
            "individual": "person",
            "organisation": "organization",
            "ship": "vessel",
            "plane": "aircraft",
        }
        try:
            kind = EntityKind(aliases.get(kind_raw, kind_raw))
        except ValueError as exc:
            raise InvalidQuery(
                f"{where}kind {kind_raw!r} is not person, organization, vessel or aircraft"
            ) from exc
    warnings: list[str] = []
    dob_raw = str(row.get("dob") or "").strip()
    dob = parse_date(dob_raw) if dob_raw else None
    if dob_raw and dob is None:
        warnings.append(
            f"{where}dob {dob_raw!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD): "
            "screened without it"
        )
    country_raw = str(row.get("country") or "").strip()
    country = to_iso2(country_raw) if country_raw else None
    if country_raw and country is None:
        raise InvalidQuery(
            f"{where}country {country_raw!r} is not a country code or name that Corridor "
            "knows (use ISO 3166 codes such as KZ, or names such as Kazakhstan or Қазақстан)"
        )
    ids = tuple(i.strip() for i in str(row.get("id") or "").split(";") if i.strip())
    query = Query(name=name, kind=kind, birth_date=dob, country=country, identifiers=ids)
    return query, warnings


def screen_row(
    screener: Screener, row: Row, line: int | None = None, threshold: float | None = None
) -> Row:
    """Screen one row; return it with the result columns added."""
    out = dict(row)
    try:
        query, warnings = row_query_checked(row, line)
    except InvalidQuery as exc:
        out.update(
            {
                "alert": None,
                "score": None,
                "entity_id": None,
                "entity_name": None,
                "source": None,
                "programs": None,
                "explanation": None,
                "matches": [],
                "ownership": None,
                "error": str(exc),
                "warning": None,
            }
        )
        return out
    results = screener.screen(query, threshold=threshold, limit=10)
    top = results[0] if results else None
    out.update(
        {
            "alert": bool(results),
            "score": top.score if top else 0.0,
            "entity_id": top.entity_id if top else None,
            "entity_name": top.caption if top else None,
            "source": top.source if top else None,
            "programs": "; ".join(top.programs) if top else None,
            "explanation": top.explanation.summary() if top else None,
            "matches": [
                {
                    "entity_id": r.entity_id,
                    "name": r.caption,
                    "source": r.source,
                    "score": r.score,
                    "lists": listing_labels(r.listings) or [r.source],
                }
                for r in results
            ],
            "ownership": next(
                (r.ownership["summary"] for r in results if r.ownership is not None), None
            ),
            "error": None,
            "warning": "; ".join(warnings) or None,
        }
    )
    return out


def _work(chunk: list[tuple[int, Row]], threshold: float | None) -> list[Row]:
    assert _SCREENER is not None
    return [screen_row(_SCREENER, row, line, threshold) for line, row in chunk]


def _chunks(rows: Iterable[Row]) -> Iterator[list[tuple[int, Row]]]:
    chunk: list[tuple[int, Row]] = []
    for line, row in enumerate(rows, start=1):
        chunk.append((line, row))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen_rows(
    screener: Screener,
    rows: Iterable[Row],
    threshold: float | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Row]:
    """Screen rows in order, on ``workers`` processes (default: every core)."""
    global _SCREENER
    workers = workers or os.cpu_count() or 1
    done = 0
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        for chunk in _chunks(rows):
            for line, row in chunk:
                yield screen_row(screener, row, line, threshold)
            done += len(chunk)
            if progress:
                progress(done)
        return
    _SCREENER = screener
    ctx = mp.get_context("fork")
    try:
        with ctx.Pool(workers) as pool:
            jobs = (pool.apply_async(_work, (chunk, threshold)) for chunk in _chunks(rows))
            pending = []
            for job in jobs:
                pending.append(job)
                if len(pending) >= workers * 2:
                    result = pending.pop(0).get()
                    done += len(result)
                    if progress:
                        progress(done)
                    yield from result
            for job in pending:
                result = job.get()
                done += len(result)
                if progress:
                    progress(done)
                yield from result
    finally:
        _SCREENER = None

"""Pages for screening: party search, listed entities, shipments uploads, ownership graphs
and the lists with their versions and updates."""

from __future__ import annotations

import contextlib
import re
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from corridor.exceptions import CorridorError, InvalidQuery, RequestTooLarge
from corridor.matching import DEFAULT_THRESHOLD, Query
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import EntityKind
from corridor.ownership.evaluate import Evaluation
from corridor.service import (
    activate_version,
    audit,
    diff_versions,
    list_status,
    list_versions,
    monitoring,
    show_entity,
)
from corridor.service.ownership import evaluate_ownership, graph_status
from corridor.service.profiles import get_profile
from corridor.service.shipments import (
    get_screening,
    list_screenings,
    record_screening,
    screen_ledger,
)
from corridor.settings import Settings
from corridor.web.auth import require
from corridor.web.backend import Backend
from corridor.web.graphview import Adjacency, adjacency, ownership_picture
from corridor.web.highlight import mark_name
from corridor.web.render import page, whole
from corridor.web.timeline import chains_timeline

UPLOAD_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx", ".gz")
MAX_UPLOAD_LINES = 50_000
MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # one uploaded file, as sent (compressed or not)
MAX_NAME_BYTES = 120  # of an uploaded file's name as kept on disk (file systems allow 255)
DOCS_PER_PAGE = 100
DIFF_PAGE = 100  # added, removed or changed entities shown per page of a list diff
JURISDICTION_NAMES = {"us": "United States", "eu": "European Union", "uk": "United Kingdom"}


class OwnershipCache:
    """The evaluated graphs, kept until a list or graph changes (evaluating a large graph
    takes seconds; drawing one party's neighbourhood takes milliseconds)."""

    def __init__(self) -> None:
        self.key: tuple[Any, ...] | None = None
        self.value: tuple[Evaluation, Adjacency] | None = None
        self.lock = threading.Lock()

    def get(self, backend: Backend, as_of: str | None) -> tuple[Evaluation, Adjacency]:
        store = backend.store
        key = (
            tuple(store.active_signature()),
            tuple(g.id for g in graph_status(store) if g.active),
            as_of,
        )
        with self.lock:
            if self.key != key or self.value is None:
                ev = evaluate_ownership(store, as_of=as_of)
                self.value, self.key = (ev, adjacency(ev)), key
            return self.value


def _query(params: dict[str, str]) -> Query:
    name = params.get("name", "").strip()
    if not name:
        raise InvalidQuery("name: give the name to screen")
    dob = params.get("birth_date", "").strip()
    birth = parse_date(dob) if dob else None
    if dob and birth is None:
        raise InvalidQuery(f"birth date {dob!r}: expected a date such as 1962-03-12 or 1962")
    country_in = params.get("country", "").strip()
    country = to_iso2(country_in) if country_in else None
    if country_in and country is None:
        raise InvalidQuery(f"country {country_in!r}: expected an ISO 3166 code or name")
    kind = params.get("kind", "").strip()
    if kind and kind not in {k.value for k in EntityKind}:
        raise InvalidQuery(f"kind {kind!r}: expected person, organization, vessel or aircraft")
    ids = tuple(i.strip() for i in params.get("identifiers", "").split(",") if i.strip())
    return Query(name, EntityKind(kind) if kind else None, birth, country, ids)


async def _save(upload: UploadFile, folder: Path, field: str) -> Path:
    """The uploaded file under its own name (so that errors name it), in a folder of its
    own inside the request's temporary folder."""
    original = Path((upload.filename or field).replace("\\", "/")).name
    if not original.lower().endswith(UPLOAD_SUFFIXES):
        raise InvalidQuery(
            f"{field} {original}: expected a CSV, TSV, JSON lines or XLSX file "
            f"({', '.join(UPLOAD_SUFFIXES)})"
        )
    safe = re.sub(r"[^\w.\-]+", "_", original).lstrip(".")
    stem, dot, suffix = safe.rpartition(".")
    room = MAX_NAME_BYTES - len(suffix.encode()) - 1
    stem = stem.encode()[:room].decode("utf-8", errors="ignore")  # by bytes: 85 CJK fit
    safe = f"{stem}{dot}{suffix}" if stem else f"{field}{dot}{suffix}"
    (folder / field).mkdir()
    path = folder / field / safe
    size = 0
    with path.open("wb") as fh:  # streamed to disk, never whole in memory
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise RequestTooLarge(
                    f"{field} {original[:60]}: over {MAX_UPLOAD_BYTES // (1 << 20)} MiB; "
                    "split the file or screen it with 'corridor shipments screen'"
                )
            fh.write(chunk)
    return path


def register(app: FastAPI, backend: Backend, warm: bool = False) -> None:
    store = backend.store
    ownership_cache = OwnershipCache()
    if warm:  # evaluate the stored graphs now, not on the first visit to the page

        def evaluate() -> None:
            with contextlib.suppress(CorridorError):
                ownership_cache.get(backend, None)

        threading.Thread(target=evaluate, name="ownership-warm-up", daemon=True).start()

    # -- party search ------------------------------------------------------------------------

    @app.get("/ui/search", include_in_schema=False)
    def search(request: Request) -> Response:
        me = require(request, store, "client")
        params = dict(request.query_params)
        results: list[dict[str, Any]] | None = None
        error = None
        if params.get("name"):
            try:
                query = _query(params)
                threshold = float(params.get("threshold") or DEFAULT_THRESHOLD)
                if not 0.5 <= threshold <= 1.0:
                    raise InvalidQuery(f"threshold {threshold}: expected 0.5 to 1")
                found = backend.screener.screen(query, threshold=threshold, limit=20)
            except (CorridorError, ValueError) as exc:
                error = str(exc)
            else:
                results = []
                for r in found:
                    d = r.to_dict()
                    exp = d["explanation"]
                    d["query_marked"] = mark_name(exp["query_name"], exp["alignment"], "query")
                    d["match_marked"] = mark_name(
                        exp["matched_name"], exp["alignment"], "candidate"
                    )
                    results.append(d)
                audit.record(
                    store,
                    me.username,
                    "screen",
                    "party",
                    {
                        "name": query.name,
                        "country": query.country,
                        "matches": [r.entity_id for r in found],
                        "via": "web",
                    },
                )
        return page(
            "search.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "params": params,
                "results": results,
                "error": error,
                "lists": backend.screener.lists,
                "stale": backend.freshness.messages() if results is not None else [],
                "default_threshold": DEFAULT_THRESHOLD,
            },
            status=422 if error else 200,
            path="/ui/search",
        )

    @app.get("/ui/entities/{entity_id:path}", include_in_schema=False)
    def entity(request: Request, entity_id: str) -> Response:
        me = require(request, store, "client")
        ent, history = show_entity(store, entity_id)
        profile = get_profile(store, ent.id) if store.profile_of(ent.id) else None
        return page(
            "entity.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "record": ent.to_dict(),
                "history": history,
                "profile": profile,
            },
            path="/ui/search",
        )

    # -- shipments ---------------------------------------------------------------------------

    @app.get("/ui/shipments", include_in_schema=False)
    def shipments(request: Request) -> Response:
        me = require(request, store, "analyst")
        return page(
            "shipments.html",
            {"me": me.user, "csrf": me.csrf, "recent": list_screenings(store), "error": None},
            path="/ui/shipments",
        )

    @app.post("/ui/shipments", include_in_schema=False)
    async def upload(request: Request) -> Response:
        me = await run_in_threadpool(require, request, store, "analyst")
        form = await request.form()
        me.check(str(form.get("csrf", "")))
        ledger = form.get("ledger")
        if not isinstance(ledger, UploadFile) or not ledger.filename:
            raise InvalidQuery("ledger: choose a file of trade documents to upload")
        companies = form.get("companies")
        as_of = str(form.get("as_of", "")).strip() or None
        with tempfile.TemporaryDirectory(prefix="corridor-upload-") as tmp:
            folder = Path(tmp)
            ledger_path = await _save(ledger, folder, "ledger")
            companies_path = None
            if isinstance(companies, UploadFile) and companies.filename:
                companies_path = await _save(companies, folder, "companies")
            report = await run_in_threadpool(
                lambda: screen_ledger(
                    store,
                    [ledger_path],
                    companies=companies_path,
                    as_of=as_of,
                    parties=backend.screener,
                    goods=backend.goods,
                    max_lines=MAX_UPLOAD_LINES,
                )
            )
        sid = await run_in_threadpool(record_screening, store, report, ledger.filename, me.username)
        return RedirectResponse(f"/ui/shipments/{sid}", status_code=303)

    @app.get("/ui/shipments/{screening_id}", include_in_schema=False)
    def shipment_report(request: Request, screening_id: int, result: str | None = None) -> Response:
        me = require(request, store, "analyst")
        screening = get_screening(store, screening_id)
        report = screening["report"]
        docs = report["results"]
        if result:
            docs = [d for d in docs if d["overall"] == result]
        number = max(1, whole(request.query_params.get("page"), "page", 1))
        shown = docs[(number - 1) * DOCS_PER_PAGE : number * DOCS_PER_PAGE]
        return page(
            "shipment.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "s": screening,
                "report": report,
                "docs": shown,
                "matching": len(docs),
                "result": result or "",
                "page": number,
                "pages": max(1, -(-len(docs) // DOCS_PER_PAGE)),
                "timeline": chains_timeline(report["chains"]),
                "jurisdictions": ("us", "eu", "uk", "un"),
            },
            path="/ui/shipments",
        )

    # -- ownership ---------------------------------------------------------------------------

    @app.get("/ui/ownership", include_in_schema=False)
    def ownership(
        request: Request,
        entity: str | None = None,
        j: str = "us",
        as_of: str | None = None,
        q: str | None = None,
    ) -> Response:
        me = require(request, store, "client")
        context: dict[str, Any] = {
            "me": me.user,
            "csrf": me.csrf,
            "entity": entity or "",
            "j": j,
            "as_of": as_of or "",
            "q": q or "",
            "graphs": graph_status(store),
            "error": None,
            "picture": None,
            "findings": [],
            "matches": [],
            "affected": [],
            "names": JURISDICTION_NAMES,
        }
        try:
            ev, adj = ownership_cache.get(backend, as_of or None)
        except CorridorError as exc:
            context["error"] = str(exc)
            return page("ownership.html", context, path="/ui/ownership")
        if j not in ev.jurisdictions:
            raise InvalidQuery(f"j {j!r}: expected one of {', '.join(ev.jurisdictions)}")
        context["jurisdictions"] = ev.jurisdictions
        if q:
            needle = q.strip().lower()
            context["matches"] = [
                (eid, ev.graph.name(eid))
                for eid in ev.graph.ids
                if needle in eid.lower() or needle in ev.graph.name(eid).lower()
            ][:50]
        if entity:
            findings = ev.explain(entity)
            chosen = next((f for f in findings if f.jurisdiction == j), None)
            context["findings"] = [f.to_dict() for f in findings]
            context["name"] = ev.graph.name(entity)
            context["summary"] = ev.summary(entity)
            context["picture"] = ownership_picture(ev, adj, entity, j, chosen)
        else:
            context["affected"] = [
                (eid, ev.graph.name(eid), {c: ev.status(eid, c).value for c in ev.jurisdictions})
                for eid in ev.affected()[:200]
            ]
        return page("ownership.html", context, path="/ui/ownership")

    # -- lists -------------------------------------------------------------------------------

    @app.get("/ui/lists", include_in_schema=False)
    def lists(request: Request, done: str | None = None, failed: str | None = None) -> Response:
        me = require(request, store, "client")
        return page(
            "lists.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "sources": list_status(store),
                "done": done,
                "failed": failed,
            },
            path="/ui/lists",
        )

    @app.get("/ui/lists/{source}", include_in_schema=False)
    def list_source(
        request: Request,
        source: str,
        from_version: int | None = None,
        to_version: int | None = None,
    ) -> Response:
        me = require(request, store, "client")
        versions = list_versions(store, source)
        diff = diff_versions(store, source, from_version, to_version)
        keys = ("added_page", "removed_page", "changed_page")
        pages = {k: whole(request.query_params.get(k, "0"), k, 0) for k in keys}

        def query(key: str, at: int) -> str:
            params = {k: v for k, v in request.query_params.items() if k != key}
            return urlencode({**params, key: at})

        return page(
            "list.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "source": source,
                "versions": list(reversed(versions)),
                "diff": diff,
                "shown": DIFF_PAGE,
                "pages": pages,
                "query": query,
                "done": request.query_params.get("done"),
            },
            path="/ui/lists",
        )

    @app.post("/ui/lists/{source}/activate", include_in_schema=False)
    async def activate(request: Request, source: str) -> Response:
        me = await run_in_threadpool(require, request, store, "supervisor")
        form = await request.form()
        me.check(str(form.get("csrf", "")))
        version = whole(str(form.get("version", "")), "version", 0)
        info = await run_in_threadpool(activate_version, store, source, version, me.username)
        await run_in_threadpool(backend.screener.refresh, True)  # the new versions' index
        said = f"version {info.id} is now the active version of {source}"
        return RedirectResponse(
            f"/ui/lists/{quote(source)}?{urlencode({'done': said})}", status_code=303
        )

    @app.post("/ui/lists/update", include_in_schema=False)
    async def update(request: Request) -> Response:
        me = await run_in_threadpool(require, request, store, "supervisor")
        form = await request.form()
        me.check(str(form.get("csrf", "")))
        source = str(form.get("source", "")).strip() or None
        outcomes, report = await run_in_threadpool(
            monitoring.update_and_rescreen,
            store,
            Settings.from_env(db_url=store.url),
            [source] if source else None,
            me.username,
            lambda: backend.screener,
        )
        failed = "; ".join(f"{o.source}: {o.status}: {o.detail}" for o in outcomes if o.failed)
        said = "; ".join(f"{o.source}: {o.status}" for o in outcomes if not o.failed)
        if not outcomes:
            said = "no sources configured"
        if report:
            said += f"; re-screened {report.get('rescreened', 0)} counterparties"
        query = {k: v for k, v in (("done", said), ("failed", failed)) if v}
        return RedirectResponse(f"/ui/lists?{urlencode(query)}", status_code=303)

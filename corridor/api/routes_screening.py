"""Screening endpoints: parties (single, batch, and the yente-compatible ``/match``), goods,
shipments, ownership, and the lists behind them."""

import csv
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from corridor.api import responses as R
from corridor.api.models import (
    ActivateRequest,
    BatchRequest,
    BatchResponse,
    GoodsRequest,
    OwnershipRequest,
    ScreenRequest,
    ScreenResponse,
    ShipmentRequest,
    Version,
)
from corridor.api.security import (
    BearerAuth,
    KeyHeaderAuth,
    Principal,
    SessionAuth,
    authenticate,
    requires,
)
from corridor.api.state import ApiState
from corridor.exceptions import FieldError, InvalidQuery, RequestTooLarge
from corridor.matching import Query as PartyQuery
from corridor.model.countries import to_iso2
from corridor.model.dates import parse_date
from corridor.model.entity import EntityKind
from corridor.model.trade import Company, RowError
from corridor.service import activate_version, diff_versions, list_status, list_versions
from corridor.service.ownership import evaluate_ownership, parse_jurisdictions
from corridor.service.shipments import related_groups, store_licences
from corridor.shipments import Ledger, ShipmentScreener, load_rules_config
from corridor.shipments.read import line_from_row


def _query(req: ScreenRequest) -> PartyQuery:
    dob = parse_date(req.birth_date) if req.birth_date else None
    if req.birth_date and dob is None:
        raise InvalidQuery(f"birth_date {req.birth_date!r}: expected a date such as 1962-03-12")
    country = to_iso2(req.country) if req.country else None
    if req.country and country is None:
        raise InvalidQuery(f"country {req.country!r}: expected an ISO 3166 code or name")
    return PartyQuery(
        req.name,
        EntityKind(req.kind) if req.kind else None,
        dob,
        country,
        tuple(req.identifiers),
        req.gender,
    )


def register(app: FastAPI, state: ApiState, Auth: Any) -> None:  # noqa: N803 - a type alias
    store = state.store
    client = requires("client")

    def screen_one(req: ScreenRequest) -> dict[str, Any]:
        query = _query(req)
        results = state.screener.screen(
            query,
            threshold=req.threshold,
            limit=req.limit,
            refresh=False,  # the index follows list updates from a background thread
            budget=state.config.screen_budget,
        )
        return {
            "query": query.to_dict(),
            "matches": [r.to_dict() for r in results],
            "alert": bool(results),
            "lists": state.screener.lists,
            "warnings": state.freshness.messages(),
        }

    @app.post("/screen", response_model=ScreenResponse, tags=["screening"])
    async def screen(
        req: ScreenRequest,
        request: Request,
        _bearer: BearerAuth = None,
        _key: KeyHeaderAuth = None,
        _session: SessionAuth = None,
    ) -> JSONResponse:
        """Screen one party against the active lists (and the ownership-derived parties).
        The work runs on a worker thread, at most one per core at a time, within a time budget
        (a name too costly to screen is refused with 422, never answered in part)."""

        def work() -> tuple[Principal, dict[str, Any]]:
            # the busiest endpoint authenticates on the same worker thread that screens: one
            # hand-off a request, not two
            principal = authenticate(request, store, state.limiter)
            client(principal)
            return principal, screen_one(req)

        principal, response = await state.compute(work)
        await state.audit.arecord(
            principal.user.username,
            "screen",
            "party",
            {
                "name": req.name,
                "country": req.country,
                "matches": [m["entity_id"] for m in response["matches"]],
            },
        )
        return JSONResponse(response)

    @app.post("/screen/batch", response_model=BatchResponse, tags=["screening"])
    async def screen_batch(req: BatchRequest, principal: Auth) -> BatchResponse:
        """Screen up to the batch limit of parties in one request."""
        client(principal)
        if len(req.queries) > state.config.max_batch:
            raise RequestTooLarge(
                f"batch of {len(req.queries)} queries: at most {state.config.max_batch}"
            )
        results = await state.compute(lambda: [screen_one(q) for q in req.queries])
        await state.audit.arecord(
            principal.user.username,
            "screen.batch",
            "parties",
            {
                "queries": len(req.queries),
                "alerts": sum(r["alert"] for r in results),
            },
        )
        return BatchResponse.model_validate({"results": results})

    @app.post("/goods/check", tags=["goods"], response_model=R.GoodsCheck)
    def goods(req: GoodsRequest, principal: Auth) -> dict[str, Any]:
        """A goods code and/or description against the goods lists."""
        client(principal)
        if not req.code and not req.description:
            raise InvalidQuery("give a goods code, a description, or both")
        result = state.goods.check(req.code, req.description, req.hs_version, req.as_of)
        state.audit.record(
            principal.user.username,
            "goods.check",
            f"goods:{req.code}",
            {"description": req.description, "listed": result.listed},
        )
        return result.to_dict()

    @app.post("/shipments/screen", tags=["shipments"], response_model=R.ShipmentReport)
    async def shipments(req: ShipmentRequest, principal: Auth) -> dict[str, Any]:
        """Trade documents (one object per goods line, the columns of the CSV form) screened:
        a result per jurisdiction with reasons, red flags and re-export chains. Bad rows are
        reported, the good ones screened."""
        client(principal)
        if len(req.documents) > state.config.max_documents:
            raise RequestTooLarge(f"at most {state.config.max_documents} goods lines a request")
        report = await state.compute(screen_documents, req)
        await state.audit.arecord(
            principal.user.username, "shipments.screen", "documents", report["counts"]
        )
        return report

    def screen_documents(req: ShipmentRequest) -> dict[str, Any]:
        ledger = Ledger(sources=["request"])
        for i, row in enumerate(req.documents, start=1):
            try:
                ledger.lines.append(
                    line_from_row(
                        {
                            str(k).lower(): ""
                            if v is None
                            else (";".join(map(str, v)) if isinstance(v, list) else str(v).strip())
                            for k, v in row.items()
                        },
                        "documents",
                        i,
                    )
                )
            except FieldError as exc:
                ledger.errors.append(RowError("documents", i, exc.field, exc.detail))
        companies = [
            Company(
                str(c.get("name", "")),
                to_iso2(str(c.get("country") or "")),
                c.get("registration_id"),
                c.get("incorporated"),
                c.get("activity_code"),
            )
            for c in req.companies
            if c.get("name")
        ]
        screener = ShipmentScreener(
            state.goods,
            load_rules_config(),
            state.screener,
            store_licences(store),
            companies,
            related_groups(store, companies),
        )
        report = screener.screen(ledger, req.as_of)
        return {**report.to_dict(), "counts": report.counts()}

    @app.post("/ownership/evaluate", tags=["ownership"], response_model=R.OwnershipAnswer)
    async def ownership(req: OwnershipRequest, principal: Auth) -> dict[str, Any]:
        """Ownership and control under the US, EU and UK rules: the store's graphs and lists,
        or edges and designations given in the request (the CSV forms' columns)."""
        client(principal)
        juris = parse_jurisdictions(req.jurisdictions)
        answer = await state.compute(evaluate, req, juris)
        await state.audit.arecord(
            principal.user.username,
            "ownership.evaluate",
            req.entity or "graph",
            {"jurisdictions": list(juris)},
        )
        return answer

    def evaluate(req: OwnershipRequest, juris: tuple[str, ...]) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as tmp:
            edges_path = designated_path = None
            if req.edges is not None:
                edges_path = _rows_to_csv(
                    Path(tmp) / "edges.csv",
                    req.edges,
                    (
                        "owner_id",
                        "owned_id",
                        "share",
                        "kind",
                        "control_type",
                        "valid_from",
                        "valid_to",
                    ),
                )
            if req.designated is not None:
                designated_path = _rows_to_csv(
                    Path(tmp) / "designated.csv",
                    req.designated,
                    ("id", "name", "list", "designated_from", "designated_to"),
                )
            ev = evaluate_ownership(store, edges_path, designated_path, juris, req.as_of)
        if req.entity:
            return {
                "entity": req.entity,
                "as_of": ev.as_of,
                "summary": ev.summary(req.entity),
                "results": [f.to_dict() for f in ev.explain(req.entity)],
            }
        return {
            "as_of": ev.as_of,
            "jurisdictions": list(ev.jurisdictions),
            "counts": ev.counts(),
            "results": [f.to_dict() for f in ev.findings()],
        }

    @app.get("/lists", tags=["lists"], response_model=list[R.SourceStatus])
    def lists(principal: Auth) -> list[dict[str, Any]]:
        """Sources, their active versions, counts and age."""
        client(principal)
        return [s.to_dict() for s in list_status(store)]

    @app.get("/lists/{source}/versions", tags=["lists"], response_model=list[R.Version])
    def versions(source: str, principal: Auth) -> list[dict[str, Any]]:
        """Every stored version of a source, by publication date (404 for an unknown
        source)."""
        client(principal)
        return [v.to_dict() for v in list_versions(store, source)]

    @app.post("/lists/{source}/activate", tags=["lists"], response_model=R.Version)
    def activate(source: str, req: ActivateRequest, principal: Auth) -> dict[str, Any]:
        """Make a stored version the active one (a rollback, or a version a guard held
        back); supervisors, audited."""
        requires("supervisor")(principal)
        info = activate_version(store, source, req.version, principal.user.username)
        state.screener.refresh(force=True)  # compiles the new versions' index now
        return info.to_dict()

    @app.get("/lists/{source}/diff", tags=["lists"], response_model=R.Diff)
    def diff(
        source: str, principal: Auth, from_version: Version = None, to_version: Version = None
    ) -> dict[str, Any]:
        """Added, removed and changed entities between two versions (default: the active one
        and the one before)."""
        client(principal)
        return diff_versions(store, source, from_version, to_version).to_dict()

    @app.get("/entities/{entity_id}", tags=["lists"], response_model=R.EntityWithHistory)
    def entity(entity_id: str, principal: Auth) -> dict[str, Any]:
        """A listed entity (active version) with the versions it appears in."""
        client(principal)
        from corridor.service import show_entity

        ent, history = show_entity(store, entity_id)
        return {"entity": ent.to_dict(), "history": history}


def _rows_to_csv(path: Path, rows: list[dict[str, Any]], required: tuple[str, ...]) -> Path:
    columns = list(dict.fromkeys([*required, *(k for r in rows for k in r)]))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return path

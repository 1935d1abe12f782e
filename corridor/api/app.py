"""The REST API (FastAPI): a thin adapter over :mod:`corridor.service`, with the analysts'
web UI (:mod:`corridor.web`) served beside it under ``/ui/``.

``create_app(store_url)`` builds the application; ``corridor serve`` runs it with uvicorn.
OpenAPI documentation is served at ``/docs`` and ``/openapi.json``. Errors are JSON,
``{"error": {"code": ..., "message": ...}}``, with the status of the Corridor exception.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corridor import web
from corridor.api import responses as R
from corridor.api import (
    routes_match,
    routes_payments,
    routes_profiles,
    routes_screening,
    routes_work,
)
from corridor.api.models import ERROR_RESPONSES
from corridor.api.security import (
    BearerAuth,
    KeyHeaderAuth,
    Principal,
    RateLimiter,
    SessionAuth,
    authenticate,
)
from corridor.api.state import ApiConfig, ApiState
from corridor.exceptions import CorridorError, InvalidQuery, TooManyRequests
from corridor.matching.screener import REFRESH_SECONDS
from corridor.service.audit import AuditWriter
from corridor.service.counterparties import screen_pending
from corridor.service.counters import LoginGate
from corridor.service.freshness import FreshnessWatch
from corridor.settings import Settings
from corridor.store import open_store
from corridor.store.sql import SqlStore

STATIC = Path(__file__).resolve().parent / "static"
PENDING_SECONDS = 60.0  # how often the service looks for counterparties left unscreened


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes (by their Content-Length, and while
    they stream in when there is none), as plain ASGI: no per-request task overhead."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                response = _error(
                    413, "request_too_large", f"request body over {self.max_body:,} bytes"
                )
                await response(scope, receive, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise InvalidQuery(f"request body over {self.max_body:,} bytes")
            return message

        await self.app(scope, limited, send)


SIGN_IN_PATHS = (b"/auth/login", b"/ui/login")


class SignInGate:
    """Turn away a flood of sign-ins from one address before anything else is done for it
    (no routing, no body, no thread): past what every worker together may check from one
    address in a window, this worker answers 429 at once. Plain ASGI, like BodyLimit."""

    def __init__(self, app: ASGIApp, gate: LoginGate) -> None:
        self.app, self.gate = app, gate
        self.refusal = _error(
            429, "too_many_requests", "too many sign-ins from this address: try again later"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and scope.get("raw_path", b"").split(b"?")[0] in SIGN_IN_PATHS
        ):
            client = scope.get("client")
            try:
                self.gate.check(client[0] if client else None)
            except TooManyRequests:
                await self.refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(
    store: SqlStore | str, config: ApiConfig | None = None, warm: bool = False
) -> FastAPI:
    """The API over a store (an open store or its URL). ``warm`` builds the screening index
    at once rather than at the first screening request."""
    store = open_store(store) if isinstance(store, str) else store
    config = config or ApiConfig()
    settings = Settings.from_env(db_url=store.url).apply()
    state = ApiState(
        store,
        config,
        RateLimiter(config.rate_limit),
        AuditWriter(store),
        settings,
        FreshnessWatch(store, settings),
    )
    app = FastAPI(
        title="Corridor",
        version="0.1.0",
        docs_url=None,  # served below from vendored assets: no CDN, works offline
        redoc_url=None,
        responses=ERROR_RESPONSES,
        description="Sanctions and export-control compliance for cross-border trade: party "
        "screening, goods, shipments, ownership, monitored counterparties, alerts, cases, "
        "remembered decisions and an audit trail.",
    )
    app.state.corridor = state
    app.mount("/docs/static", StaticFiles(directory=STATIC), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Corridor API",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon-32x32.png",
        )

    app.add_middleware(BodyLimit, max_body=config.max_body)
    app.add_middleware(SignInGate, gate=state.login_gate)

    @app.exception_handler(CorridorError)
    async def corridor_error(request: Request, exc: CorridorError) -> Response:
        if request.url.path.startswith("/ui/"):
            return await run_in_threadpool(web.error_page, request, state, exc.status, str(exc))
        return _error(exc.status, exc.code, str(exc))

    @app.exception_handler(OverflowError)
    @app.exception_handler(UnicodeError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # a number no column holds, text that is not valid Unicode (a lone surrogate): the
        # request's fault, said so, never a 500 (a body that is not JSON, nested too deep or
        # with a number too long, is refused by the framework: see http_error)
        what = (
            "text that is not valid Unicode"
            if isinstance(exc, UnicodeError)
            else ("a number out of range")
        )
        return await corridor_error(request, InvalidQuery(f"the request holds {what}"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # the framework's own refusals (a body that is not JSON, no such route) in the
        # stable error shape too
        code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error"
        )
        if request.url.path.startswith("/ui/"):
            return await run_in_threadpool(
                web.error_page, request, state, exc.status_code, str(exc.detail)
            )
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        # the stable error shape even for a failure of Corridor's own
        if request.url.path.startswith("/ui/"):
            return await run_in_threadpool(
                web.error_page, request, state, 500, "internal error: the failure is logged"
            )
        return _error(500, "internal_error", "internal error: the failure is logged")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors()
        )
        if request.url.path.startswith("/ui/"):
            message = f"the form is incomplete or wrong: {problems}"
            return await run_in_threadpool(web.error_page, request, state, 422, message)
        return _error(422, "invalid_request", problems or "invalid request")

    async def principal(
        request: Request,
        _bearer: BearerAuth = None,
        _key: KeyHeaderAuth = None,
        _session: SessionAuth = None,
    ) -> Principal:
        # keys, sessions and rate counts are read from the store (a worker thread): a
        # revocation or a deactivation holds at once in every worker
        return await run_in_threadpool(authenticate, request, state.store, state.limiter)

    Auth = Annotated[Principal, Depends(principal)]

    @app.get("/health", tags=["service"], response_model=R.Health)
    async def health() -> dict[str, Any]:
        """Liveness, and the list versions the screening index holds; needs no
        authentication. Answered on the event loop from memory: no store query, no thread."""
        screener = state._screener
        return {"status": "ok", "lists": screener.lists if screener is not None else []}

    routes_screening.register(app, state, Auth)
    routes_match.register(app, state, Auth)
    routes_work.register(app, state, Auth)
    routes_profiles.register(app, state, Auth)
    routes_payments.register(app, state, Auth)
    web.register(app, state, warm)
    if warm:
        _ = state.screener
        screen_pending(store, state.screener, "system")

    def follow_lists() -> None:
        last_pending = 0.0
        while True:
            time.sleep(REFRESH_SECONDS)
            if state._screener is None:
                continue
            # a store unreachable for a moment keeps the current index
            with contextlib.suppress(CorridorError):
                state._screener.refresh()
            # counterparties left unscreened (an interrupted import, an older Corridor)
            if time.monotonic() - last_pending >= PENDING_SECONDS:
                last_pending = time.monotonic()
                with contextlib.suppress(CorridorError):
                    screen_pending(store, state._screener, "system")

    threading.Thread(target=follow_lists, name="follow-lists", daemon=True).start()
    return app


__all__ = ["ApiConfig", "ApiState", "create_app"]

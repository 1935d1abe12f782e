"""The analysts' web UI: server-rendered pages (Jinja2) over :mod:`corridor.service`, served
by ``corridor serve`` under ``/ui/`` beside the REST API. No build step: the stylesheet, the
small script and the charts (inline SVG drawn on the server) ship with the package."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from corridor.web import pages_admin, pages_payments, pages_trade, pages_work
from corridor.web.auth import SignInRequired, signed_in
from corridor.web.backend import Backend
from corridor.web.render import HERE, page


def error_page(request: Request, backend: Backend, status: int, message: str) -> Response:
    """An error shown as a page of the UI (the API's errors stay JSON)."""
    me = signed_in(request, backend.store)
    context = {
        "me": me.user if me else None,
        "csrf": me.csrf if me else "",
        "status": status,
        "message": message,
    }
    return page("error.html", context, status=status, path=request.url.path)


def register(app: FastAPI, backend: Backend, warm: bool = False) -> None:
    """Mount the UI on ``app``; ``warm`` prepares what the first visits would otherwise
    wait for (the ownership evaluation)."""
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/ui/login?{urlencode({'next': exc.next_path})}", 303)

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    @app.get("/ui", include_in_schema=False)
    def ui_root() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    pages_work.register(app, backend)
    pages_trade.register(app, backend, warm)
    pages_payments.register(app, backend)
    pages_admin.register(app, backend)


__all__ = ["error_page", "register"]

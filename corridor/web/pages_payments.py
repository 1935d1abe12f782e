"""Pages of payments: upload ISO 20022 or SWIFT MT messages and read each payment's decision
per jurisdiction, with its hits."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from corridor.exceptions import InvalidQuery, RequestTooLarge
from corridor.service import audit
from corridor.service.payments import (
    payment_screener,
    raise_payment_alerts,
    screen_payment_text,
)
from corridor.web.auth import require
from corridor.web.backend import Backend
from corridor.web.render import page

MAX_PAYMENT_BYTES = 16 * 1024 * 1024


def register(app: FastAPI, backend: Backend) -> None:
    store = backend.store

    @app.get("/ui/payments", include_in_schema=False)
    def payments(request: Request) -> Response:
        me = require(request, store, "analyst")
        return page(
            "payments.html",
            {"me": me.user, "csrf": me.csrf, "report": None, "filename": None},
            path="/ui/payments",
        )

    @app.post("/ui/payments", include_in_schema=False)
    async def upload(request: Request) -> Response:
        me = await run_in_threadpool(require, request, store, "analyst")
        form = await request.form()
        me.check(str(form.get("csrf", "")))
        upload = form.get("messages")
        text = str(form.get("text", "")).strip()
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(MAX_PAYMENT_BYTES + 1)
            name = upload.filename[:120]
        elif text:
            data, name = text.encode("utf-8"), "pasted text"
        else:
            raise InvalidQuery("messages: choose a file of payment messages, or paste one")
        if len(data) > MAX_PAYMENT_BYTES:
            raise RequestTooLarge(
                f"{name}: over {MAX_PAYMENT_BYTES // (1 << 20)} MiB; split the file or screen "
                "it with 'corridor payments screen'"
            )

        alerts = str(form.get("alerts", "")) == "on"

        def run() -> dict[str, Any]:
            screener = payment_screener(backend.screener, backend.goods)
            report = screen_payment_text(screener, [data], name)
            out = report.to_dict()
            if alerts:
                out["alerts"] = raise_payment_alerts(store, backend.screener, report, me.username)
            return out

        report = await run_in_threadpool(run)
        await run_in_threadpool(
            audit.record, store, me.username, "payments.screen", name, report["counts"]
        )
        return page(
            "payments.html",
            {"me": me.user, "csrf": me.csrf, "report": report, "filename": name},
            path="/ui/payments",
        )

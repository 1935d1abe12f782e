"""Routes of payments: ISO 20022 and SWIFT MT messages screened field by field."""

from typing import Any

from fastapi import FastAPI

from corridor.api import responses as R
from corridor.api.models import PaymentRequest
from corridor.api.security import requires
from corridor.api.state import ApiState
from corridor.exceptions import InvalidQuery
from corridor.service.payments import (
    payment_screener,
    raise_payment_alerts,
    screen_payment_text,
)


def register(app: FastAPI, state: ApiState, Auth: Any) -> None:  # noqa: N803 - a type alias
    client, analyst = requires("client"), requires("analyst")

    @app.post("/payments/screen", tags=["payments"], response_model=R.PaymentReport)
    async def screen(req: PaymentRequest, principal: Auth) -> dict[str, Any]:
        """One message (``message``) or a batch (``messages``), each a file's text: pacs.008,
        pacs.009 (COV), pain.001 or MT103, MT202, MT202COV, several messages a text allowed.
        Each payment comes back with ``message_id``, a ``decision`` per jurisdiction (clear,
        review, block), ``overall`` and ``hits`` (field, text, matched entity or pattern,
        score, why); a message that cannot be read is in ``errors`` with its position."""
        client(principal)
        if req.raise_alerts:
            analyst(principal)
        bodies = ([req.message] if req.message else []) + list(req.messages)
        if not bodies:
            raise InvalidQuery("give a payment message in 'message', or several in 'messages'")

        def run() -> dict[str, Any]:
            screener = payment_screener(state.screener, state.goods)
            report = screen_payment_text(screener, list(bodies))
            out = report.to_dict()
            if req.raise_alerts:
                out["alerts"] = raise_payment_alerts(
                    state.store, state.screener, report, principal.user.username
                )
            return out

        report = await state.compute(run)
        await state.audit.arecord(
            principal.user.username, "payments.screen", "messages", report["counts"]
        )
        return report

"""Routes of profiles: one party on several lists, and analysts' judgements on the links."""

from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from corridor.api import responses as R
from corridor.api.models import ConcernRequest, JudgementRequest
from corridor.api.security import requires
from corridor.api.state import ApiState
from corridor.service import monitoring
from corridor.service.profiles import get_profile, judge


def register(app: FastAPI, state: ApiState, Auth: Any) -> None:  # noqa: N803 - a type alias
    store = state.store
    analyst, supervisor = requires("analyst"), requires("supervisor")

    @app.get("/profiles/{ref}", tags=["profiles"], response_model=R.Profile)
    def profile(ref: str, principal: Auth) -> dict[str, Any]:
        """A party's profile, by its id (``pf-...``) or a list record id: every listing, and
        the evidence of every link between its records."""
        analyst(principal)
        return get_profile(store, ref[:160])

    @app.post("/profiles/judgements", tags=["profiles"], response_model=R.JudgementDone)
    async def judgement(req: JudgementRequest, principal: Auth) -> dict[str, Any]:
        """Confirm that two list records are one party (``same``) or split them
        (``different``): audited, kept across list versions, stronger than the automatic
        decision. The profiles are recomputed, and screening follows them."""
        analyst(principal)
        result, report = await run_in_threadpool(
            judge, store, principal.user, req.a, req.b, req.verdict, req.reason
        )
        state.screener.refresh(force=True)
        return {**result, "profiles": report.to_dict()}

    @app.get("/settings/concern", tags=["service"], response_model=R.Concern)
    def concern(principal: Auth) -> dict[str, Any]:
        analyst(principal)
        return {"jurisdictions": list(monitoring.get_concern(store))}

    @app.put("/settings/concern", tags=["service"], response_model=R.Concern)
    def set_concern(req: ConcernRequest, principal: Auth) -> dict[str, Any]:
        """The jurisdictions of concern (supervisors): their listings weigh more in the
        severity of new alerts."""
        supervisor(principal)
        chosen = list(dict.fromkeys(req.jurisdictions))
        monitoring.set_setting(
            store, monitoring.CONCERN_KEY, ",".join(chosen), principal.user.username
        )
        return {"jurisdictions": chosen}

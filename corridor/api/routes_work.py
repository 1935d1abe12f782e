"""Work endpoints: sessions, monitored counterparties, alerts, cases, decisions, remembered
decisions, re-screening, list updates, settings, users and the audit trail."""

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from corridor.api import responses as R
from corridor.api.models import (
    AssignRequest,
    CounterpartyImport,
    CounterpartyRequest,
    DecisionRequest,
    FourEyesRequest,
    Id,
    KeyRequest,
    Limit1000,
    Limit5000,
    LoginRequest,
    Offset,
    RescreenRequest,
    Since,
    UserChange,
    UserRequest,
)
from corridor.api.security import requires
from corridor.api.state import ApiState
from corridor.exceptions import (
    CorridorError,
    Forbidden,
    InvalidQuery,
    TooManyRequests,
    Unauthorized,
)
from corridor.service import audit, monitoring, users
from corridor.service.users import SESSION_COOKIE
from corridor.web.auth import same_origin, secure_cookies


def _cp_in(req: CounterpartyRequest) -> monitoring.CounterpartyIn:
    return monitoring.CounterpartyIn(
        req.external_id, req.name, req.kind, req.country, req.birth_date, list(req.identifiers)
    )


def register(app: FastAPI, state: ApiState, Auth: Any) -> None:  # noqa: N803 - a type alias
    store = state.store
    analyst, supervisor, admin = requires("analyst"), requires("supervisor"), requires("admin")

    # -- sessions --------------------------------------------------------------------------

    @app.post("/auth/login", tags=["auth"], response_model=R.Login)
    async def login(req: LoginRequest, request: Request, response: Response) -> dict[str, Any]:
        """Sign in with a username and password: sets the session cookie and returns the CSRF
        token to send back in ``X-CSRF-Token`` on every change. At most 5 password checks per
        user name in 5 minutes, for every worker together; a request from another site's page
        is refused."""
        if not same_origin(request):
            raise Forbidden("sign-in from another site's page is refused")
        client = request.client.host if request.client else None
        # (a flood from one address was turned away before it reached here: SignInGate)
        try:
            user = await state.sign_in(
                users.authenticate, store, req.username, req.password, client
            )
        except (Unauthorized, TooManyRequests):
            state.login_gate.failure(client)
            raise
        token, csrf = await run_in_threadpool(users.create_session, store, user)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request, state.settings.secure_cookies),
            max_age=users.SESSION_HOURS * 3600,
        )
        return {"user": user.to_dict(), "csrf_token": csrf}

    @app.post("/auth/logout", tags=["auth"], response_model=R.Done)
    def logout(request: Request, response: Response, principal: Auth) -> dict[str, str]:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            users.end_session(store, token)
        response.delete_cookie(SESSION_COOKIE)
        audit.record(store, principal.user.username, "logout", f"user:{principal.user.username}")
        return {"status": "signed out"}

    @app.get("/auth/me", tags=["auth"], response_model=R.Me)
    def me(principal: Auth) -> dict[str, Any]:
        return {**principal.user.to_dict(), "via": principal.via}

    # -- counterparties --------------------------------------------------------------------

    @app.post("/counterparties", tags=["monitoring"], response_model=R.Registered)
    def add_counterparty(req: CounterpartyRequest, principal: Auth) -> dict[str, Any]:
        """Register (or update) a monitored counterparty; it is screened at once and new
        matches become alerts."""
        analyst(principal)
        cp, outcome = monitoring.upsert_counterparty(
            store, state.screener, _cp_in(req), principal.user.username
        )
        return {"counterparty": cp, "screening": outcome.to_dict()}

    @app.post("/counterparties/import", tags=["monitoring"], response_model=R.Imported)
    def import_counterparties(req: CounterpartyImport, principal: Auth) -> dict[str, Any]:
        analyst(principal)
        if len(req.counterparties) > state.config.max_batch:
            raise InvalidQuery(
                f"batch of {len(req.counterparties)}: at most {state.config.max_batch}"
            )
        alerts, errors = 0, []
        for i, item in enumerate(req.counterparties, start=1):
            try:
                _, outcome = monitoring.upsert_counterparty(
                    store, state.screener, _cp_in(item), principal.user.username
                )
                alerts += len(outcome.created)
            except CorridorError as exc:
                errors.append(f"counterparties[{i}]: {exc}")
        return {
            "imported": len(req.counterparties) - len(errors),
            "alerts_created": alerts,
            "errors": errors,
        }

    @app.get("/counterparties", tags=["monitoring"], response_model=list[R.Counterparty])
    def counterparties(
        principal: Auth, limit: Limit1000 = 100, offset: Offset = 0
    ) -> list[dict[str, Any]]:
        analyst(principal)
        return monitoring.list_counterparties(store, limit, offset)

    @app.get("/counterparties/{cp_id}", tags=["monitoring"], response_model=R.Counterparty)
    def counterparty(cp_id: Id, principal: Auth) -> dict[str, Any]:
        analyst(principal)
        return monitoring.get_counterparty(store, cp_id)

    # -- alerts and cases --------------------------------------------------------------------

    @app.get("/alerts", tags=["alerts"], response_model=list[R.Alert])
    def alerts(
        principal: Auth,
        status: str | None = None,
        severity: str | None = None,
        source: str | None = None,
        assignee: str | None = None,
        limit: Limit1000 = 100,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """Alerts, newest first, filtered by status, severity, list source or assignee."""
        analyst(principal)
        return monitoring.list_alerts(store, status, severity, source, assignee, limit, offset)

    @app.get("/alerts/{alert_id}", tags=["alerts"], response_model=R.AlertDetail)
    def alert(alert_id: Id, principal: Auth) -> dict[str, Any]:
        analyst(principal)
        return monitoring.get_alert(store, alert_id)

    @app.post("/alerts/{alert_id}/decision", tags=["alerts"], response_model=R.AlertDetail)
    def decide(alert_id: Id, req: DecisionRequest, principal: Auth) -> dict[str, Any]:
        """Decide an alert: true match, false positive or escalate, with a reason and the
        ``version`` you read (409 if it changed since)."""
        analyst(principal)
        return monitoring.decide(
            store, alert_id, req.decision, req.reason, req.version, principal.user
        )

    @app.post("/alerts/assign", tags=["alerts"], response_model=R.Updated)
    def assign(req: AssignRequest, principal: Auth) -> dict[str, Any]:
        """Assign (or unassign) open alerts in bulk."""
        supervisor(principal)
        n = monitoring.assign_alerts(store, req.alert_ids, req.assignee, principal.user.username)
        return {"updated": n}

    @app.get("/cases", tags=["alerts"], response_model=list[R.Case])
    def cases(
        principal: Auth, status: str | None = None, limit: Limit1000 = 100
    ) -> list[dict[str, Any]]:
        analyst(principal)
        return monitoring.list_cases(store, status, limit)

    @app.get("/cases/{case_id}", tags=["alerts"], response_model=R.CaseDetail)
    def case(case_id: Id, principal: Auth) -> dict[str, Any]:
        """A case: the counterparty, its alerts with their decisions, and its history."""
        analyst(principal)
        return monitoring.get_case(store, case_id)

    @app.get("/memory", tags=["alerts"], response_model=list[R.Remembered])
    def memory(principal: Auth) -> list[dict[str, Any]]:
        """Remembered decisions: false positives not raised again while both records stay
        unchanged."""
        analyst(principal)
        return monitoring.list_memory(store)

    @app.delete("/memory/{counterparty_id}/{entity_id}", tags=["alerts"], response_model=R.Done)
    def forget(counterparty_id: Id, entity_id: str, principal: Auth) -> dict[str, str]:
        supervisor(principal)
        monitoring.forget(store, counterparty_id, entity_id, principal.user)
        return {"status": "forgotten"}

    # -- re-screening, lists, settings --------------------------------------------------------

    @app.post("/rescreen", tags=["monitoring"], response_model=R.Rescreen)
    def rescreen(req: RescreenRequest, principal: Auth) -> dict[str, Any]:
        """Re-screen every monitored counterparty (``full``), or none when nothing changed."""
        supervisor(principal)
        return monitoring.rescreen(
            store, state.screener, principal.user.username, None if req.full else {}
        )

    @app.post("/lists/update", tags=["lists"], response_model=R.ListsUpdate)
    def lists_update(principal: Auth, source: str | None = None) -> dict[str, Any]:
        """Download the configured sources; after an update, re-screen only the monitored
        counterparties the changed entities could affect."""
        supervisor(principal)
        outcomes, report = monitoring.update_and_rescreen(
            store,
            state.settings,
            [source] if source else None,
            principal.user.username,
            lambda: state.screener,
        )
        if any(o.status == "updated" for o in outcomes):
            state.screener.refresh(force=True)  # compiles the new versions' index now
        return {
            "ok": not any(o.failed for o in outcomes),
            "outcomes": [o.to_dict() for o in outcomes],
            "rescreen": report,
        }

    @app.get("/settings", tags=["service"], response_model=R.ServiceSettings)
    def settings(principal: Auth) -> dict[str, Any]:
        analyst(principal)
        return {
            "four_eyes_high_severity": monitoring.get_setting(store, monitoring.FOUR_EYES, "false")
            == "true"
        }

    @app.put("/settings/four-eyes", tags=["service"], response_model=R.ServiceSettings)
    def four_eyes(req: FourEyesRequest, principal: Auth) -> dict[str, Any]:
        """Require a second reviewer to clear high-severity alerts (supervisors)."""
        supervisor(principal)
        monitoring.set_setting(
            store, monitoring.FOUR_EYES, "true" if req.enabled else "false", principal.user.username
        )
        return {"four_eyes_high_severity": req.enabled}

    # -- audit -------------------------------------------------------------------------------

    @app.get("/audit", tags=["audit"], response_model=list[R.AuditEntry])
    def audit_entries(
        principal: Auth,
        since: Since = 0,
        actor: str | None = None,
        action: str | None = None,
        limit: Limit5000 = 200,
    ) -> list[dict[str, Any]]:
        supervisor(principal)
        return list(audit.iter_entries(store, since, actor, action, limit))

    @app.get("/audit/verify", tags=["audit"], response_model=R.Verification)
    def audit_verify(principal: Auth, full: bool = False) -> dict[str, Any]:
        """Walk the keyed hash chain from the last verified checkpoint (``full``: from the
        start): any edited, deleted, inserted, renumbered or re-hashed entry, a moved head or
        a cut-back tail is reported. A checkpoint is kept at the head when all is well."""
        supervisor(principal)
        return audit.verify(store, full=full, record=True).to_dict()

    @app.post("/audit/checkpoint", tags=["audit"], response_model=R.Checkpoint)
    def audit_checkpoint(principal: Auth) -> dict[str, Any]:
        """A signed checkpoint at the head (sequence, hash, time, MAC), to keep elsewhere."""
        supervisor(principal)
        return audit.checkpoint(store)

    # -- users -------------------------------------------------------------------------------

    @app.get("/users", tags=["users"], response_model=list[R.User])
    def user_list(principal: Auth) -> list[dict[str, Any]]:
        admin(principal)
        return [u.to_dict() for u in users.list_users(store)]

    @app.post("/users", tags=["users"], response_model=R.User)
    def user_add(req: UserRequest, principal: Auth) -> dict[str, Any]:
        admin(principal)
        return users.add_user(
            store, req.username, req.password, req.role, principal.user.username
        ).to_dict()

    @app.patch("/users/{username}", tags=["users"], response_model=R.User)
    def user_change(username: str, req: UserChange, principal: Auth) -> dict[str, Any]:
        admin(principal)
        return users.set_user(
            store, username, principal.user.username, req.role, req.active
        ).to_dict()

    @app.post("/users/{username}/keys", tags=["users"], response_model=R.NewKey)
    def user_key(username: str, req: KeyRequest, principal: Auth) -> dict[str, str]:
        """A new API key for the user (shown once)."""
        admin(principal)
        return {"api_key": users.create_api_key(store, username, req.name, principal.user.username)}

    @app.get("/keys", tags=["users"], response_model=list[R.ApiKey])
    def key_list(principal: Auth, username: str | None = None) -> list[dict[str, Any]]:
        """API keys: prefix, name, owner, creation, whether revoked (never the key)."""
        admin(principal)
        return users.list_api_keys(store, username)

    @app.delete("/keys/{prefix}", tags=["users"], response_model=R.Revoked)
    def key_revoke(prefix: str, principal: Auth) -> dict[str, str]:
        """Revoke one API key: every worker refuses it from the next request on."""
        admin(principal)
        users.revoke_api_key(store, prefix, principal.user.username)
        return {"status": "revoked", "prefix": prefix}

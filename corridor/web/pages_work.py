"""Pages of the analysts' daily work: sign-in, dashboard, alert queue, case view and
decisions, and the audit trail."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from corridor.exceptions import (
    CorridorError,
    Forbidden,
    InvalidQuery,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from corridor.service import audit, dashboard, monitoring, profiles, queue, users
from corridor.service.lists import show_entity
from corridor.service.ownership import DERIVED_PREFIX, DERIVED_SOURCE
from corridor.service.users import SESSION_COOKIE, SESSION_HOURS
from corridor.web import charts
from corridor.web.auth import require, safe_next, same_origin, secure_cookies, signed_in
from corridor.web.backend import Backend
from corridor.web.highlight import mark_name
from corridor.web.render import page, whole, words

STATUSES = ("open", "escalated", "pending_second_review", "true_match", "false_positive")
PER_PAGE = 50


def decision_words(alert_id: int, decision: str, status: str) -> str:
    """A decision as the flash says it: "Alert 12: false positive recorded; closed."."""
    what = {
        "true_match": "true match recorded; closed",
        "false_positive": "false positive recorded; closed",
        "escalate": "escalated to a supervisor",
    }.get(decision, decision.replace("_", " "))
    if status == "pending_second_review":
        what = "false positive recorded; waits for a second reviewer"
    return f"Alert {alert_id}: {what}."


def _back(path: str, **params: Any) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def register(app: FastAPI, backend: Backend) -> None:
    store = backend.store

    # -- signing in and out ------------------------------------------------------------------

    @app.get("/ui/login", include_in_schema=False)
    def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002
        if signed_in(request, store) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        return page("login.html", {"me": None, "next": safe_next(next), "error": None})

    @app.post("/ui/login", include_in_schema=False)
    async def login(
        request: Request,
        username: Annotated[str, Form(max_length=128)],
        password: Annotated[str, Form(max_length=1024)],
        next: Annotated[str, Form(max_length=2000)] = "/ui/",  # noqa: A002
    ) -> Response:
        client = request.client.host if request.client else None
        try:
            if not same_origin(request):
                raise Forbidden("sign-in from another site's page is refused")
            # one password check at a time, a few a second, per worker (as the API's)
            user = await backend.sign_in(
                users.authenticate, store, username.strip(), password, client
            )
        except CorridorError as exc:
            if isinstance(exc, Unauthorized | TooManyRequests):
                backend.login_gate.failure(client)
            context = {
                "me": None,
                "next": safe_next(next),
                "error": str(exc),
                "username": username.strip()[:128],
            }
            return page("login.html", context, status=exc.status, path="/ui/login")
        token, _ = await run_in_threadpool(users.create_session, store, user)
        target = safe_next(next)
        if target == "/ui/" and not users.role_at_least(user.role, "analyst"):
            target = "/ui/search"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request, backend.settings.secure_cookies),
            max_age=SESSION_HOURS * 3600,
            path="/",
        )
        return response

    @app.post("/ui/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        me = require(request, store, "client")
        me.check(csrf)
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            users.end_session(store, token)
        audit.record(store, me.username, "logout", f"user:{me.username}")
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- dashboard ---------------------------------------------------------------------------

    @app.get("/ui/", include_in_schema=False)
    def home(request: Request, days: int = 30) -> Response:
        me = require(request, store, "client")
        if not users.role_at_least(me.role, "analyst"):
            return RedirectResponse("/ui/search", status_code=303)
        days = max(7, min(days, 365))
        d = dashboard.build_dashboard(store, days=days)
        severities = ("high", "medium")
        alerts_chart = charts.stacked_bars(
            f"Alerts raised per day, last {days} days",
            d.days,
            [(s, [d.alerts_per_day.get(s, {}).get(day, 0) for day in d.days]) for s in severities],
            short_labels=[day[5:] for day in d.days],
            classes=["sev-high", "sev-medium"],
        )
        decisions = sorted(d.decisions_per_week)
        decisions_chart = charts.stacked_bars(
            "Decisions per week",
            d.weeks,
            [(words(k), [d.decisions_per_week[k].get(w, 0) for w in d.weeks]) for k in decisions],
            short_labels=[w[5:] for w in d.weeks],
            classes=[f"dec-{k}" for k in decisions],
        )
        top_dest = sorted(d.flows, key=lambda k: -sum(d.flows[k].values()))[:6]
        flows_chart = charts.lines(
            f"Documents carrying Common High Priority List goods, screened in the last {days} "
            "days, by destination and document month",
            d.months,
            [(dest, [d.flows[dest].get(m, 0) for m in d.months]) for dest in top_dest],
        )
        return page(
            "dashboard.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "d": d,
                "days": days,
                "alerts_chart": alerts_chart,
                "decisions_chart": decisions_chart,
                "lists_chart": charts.hbars("Alerts by list", d.hits_by_list),
                "programs_chart": charts.hbars("Alerts by programme", d.hits_by_program),
                "flows_chart": flows_chart,
                "top_dest": top_dest,
            },
            path="/ui/",
        )

    # -- the alert queue ---------------------------------------------------------------------

    @app.get("/ui/alerts", include_in_schema=False)
    def alert_queue(
        request: Request,
        status: str | None = queue.ANY_OPEN,
        severity: str | None = None,
        source: str | None = None,
        program: str | None = None,
        assignee: str | None = None,
        age: str | None = None,
        q: str | None = None,
        sort: str = "created_at",
        order: str = "desc",
        done: str | None = None,
    ) -> Response:
        me = require(request, store, "analyst")
        number = whole(request.query_params.get("page"), "page", 1)
        f = queue.AlertFilter(
            status=status or None,
            severity=severity or None,
            source=source or None,
            program=program or None,
            assignee=assignee or None,
            age=age or None,
            text=q or None,
            sort=sort,
            descending=order != "asc",
            page=max(1, number),
            per_page=PER_PAGE,
        )
        rows, total = queue.search_alerts(store, f)
        params = {
            "status": status or "",
            "severity": severity or "",
            "source": source or "",
            "program": program or "",
            "assignee": assignee or "",
            "age": age or "",
            "q": q or "",
        }
        return page(
            "alerts.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "rows": rows,
                "total": total,
                "f": f,
                "params": params,
                "query": urlencode({**params, "sort": sort, "order": order}),
                "filters": urlencode(params),
                "pages": max(1, -(-total // PER_PAGE)),
                "facets": queue.facets(store),
                "statuses": STATUSES,
                "any_open": queue.ANY_OPEN,
                "unassigned": queue.UNASSIGNED,
                "ages": queue.AGES,
                "done": done,
            },
            path="/ui/alerts",
        )

    @app.post("/ui/alerts/assign", include_in_schema=False)
    async def assign(request: Request) -> Response:
        form = await request.form()
        me = await run_in_threadpool(require, request, store, "supervisor")
        me.check(str(form.get("csrf", "")))
        ids = [whole(str(v), "alert", 0) for v in form.getlist("alert")]
        if not ids:
            raise InvalidQuery("choose at least one alert to assign")
        who = str(form.get("assignee", "")).strip() or None
        if who is not None:
            await run_in_threadpool(users.get_user, store, who)  # NotFound for a stranger
        n = await run_in_threadpool(monitoring.assign_alerts, store, ids, who, me.username)
        back = str(form.get("back", ""))
        target = safe_next(back if back.startswith("/ui/alerts") else "/ui/alerts")
        sep = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{sep}done=assigned+{n}", status_code=303)

    # -- the case view -----------------------------------------------------------------------

    @app.get("/ui/alerts/{alert_id}", include_in_schema=False)
    def alert_view(request: Request, alert_id: int, done: str | None = None) -> Response:
        me = require(request, store, "analyst")
        alert = monitoring.get_alert(store, alert_id)
        case = monitoring.get_case(store, int(alert["case_id"]))
        exp = alert["explanation"]
        explanation = exp.get("explanation", {})
        alignment = explanation.get("alignment", [])
        try:
            entity, history = show_entity(store, alert["entity_id"])
            record: dict[str, Any] | None = entity.to_dict()
        except NotFound:
            record, history = None, []
        return page(
            "case.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "alert": alert,
                "case": case,
                "cp": case["counterparty"],
                "record": record,
                "history": history,
                "exp": exp,
                "explanation": explanation,
                "query_marked": mark_name(explanation.get("query_name", ""), alignment, "query"),
                "match_marked": mark_name(
                    explanation.get("matched_name", ""), alignment, "candidate"
                ),
                "graph_party": alert["entity_id"].removeprefix(DERIVED_PREFIX)
                if alert["entity_source"] == DERIVED_SOURCE
                else None,
                "decisions": monitoring.DECISIONS,
                "open": alert["status"] in monitoring.OPEN_STATUSES,
                "done": done,
            },
            path="/ui/alerts",
        )

    @app.post("/ui/alerts/{alert_id}/decide", include_in_schema=False)
    def decide(
        request: Request,
        alert_id: int,
        decision: Annotated[str, Form()],
        reason: Annotated[str, Form()],
        version: Annotated[int, Form()],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        me = require(request, store, "analyst")
        me.check(csrf)
        result = monitoring.decide(store, alert_id, decision, reason, version, me.user)
        said = decision_words(alert_id, decision, result["status"])
        following = queue.next_alert(store, alert_id, me.username)
        if following is None:
            return _back("/ui/alerts", done=said + " No more alerts to work.")
        return _back(f"/ui/alerts/{following}", done=said + " This is the next alert to work.")

    @app.post("/ui/profiles/judge", include_in_schema=False)
    def judge_link(
        request: Request,
        a: Annotated[str, Form()],
        b: Annotated[str, Form()],
        verdict: Annotated[str, Form()],
        reason: Annotated[str, Form()],
        back: Annotated[str, Form()] = "/ui/alerts",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        me = require(request, store, "analyst")
        me.check(csrf)
        result, _ = profiles.judge(store, me.user, a, b, verdict, reason)
        backend.screener.refresh(force=True)
        what = "the same party" if verdict == "same" else "different parties"
        said = f"Recorded: {a} and {b} are {what} (judgement {result['id']})."
        return _back(safe_next(back if back.startswith("/ui/") else "/ui/alerts"), done=said)

    # -- audit -------------------------------------------------------------------------------

    @app.get("/ui/audit", include_in_schema=False)
    def audit_page(
        request: Request,
        actor: str | None = None,
        action: str | None = None,
        before: int | None = None,
        verify: int = 0,
    ) -> Response:
        me = require(request, store, "supervisor")
        entries = audit.latest_entries(store, actor or None, action or None, before, PER_PAGE)
        verification = audit.verify(store) if verify else None
        return page(
            "audit.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "entries": entries,
                "actor": actor or "",
                "action": action or "",
                "actions": audit.actions(store),
                "verification": verification,
                "older": entries[-1]["seq"] if len(entries) == PER_PAGE else None,
            },
            path="/ui/audit",
        )

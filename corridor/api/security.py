"""Authentication, roles and rate limits for the API.

Every endpoint but ``/health`` needs a principal: an API key (``Authorization: Bearer KEY``
or ``X-API-Key: KEY``) or a web session (the ``corridor_session`` cookie). A request that
changes something through a session must also carry the session's CSRF token in
``X-CSRF-Token``. Each principal has a token bucket (``rate`` requests a second, bursts of
``2 x rate``).

Rate limits, sign-in lockouts and API keys live in the store, so they hold across every
worker process and host: a request is counted with one atomic statement, and a revoked key or
a deactivated user is refused by every worker from the next request on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from corridor.exceptions import Forbidden, TooManyRequests, Unauthorized
from corridor.service import counters
from corridor.service.users import (
    SESSION_COOKIE,
    User,
    role_at_least,
    session_user,
    user_for_api_key,
)
from corridor.store.sql import SqlStore

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class RateLimiter:
    """At most ``rate`` requests a second per principal, for every worker and host together:
    each worker counts its requests and adds them to the principal's counter in the store
    every ``flush`` seconds (one write, not one a request, so that a busy principal's row is
    not a queue), judging by the store's total plus its own requests since. A burst spread
    over N workers can pass the limit by at most what N workers receive in ``flush``
    seconds. 0 means no limit."""

    def __init__(self, rate: float, flush: float = 0.2) -> None:
        self.rate, self.flush = rate, flush
        self.seen: dict[str, list[float]] = {}  # key -> [window, store total, pending, flushed]
        self.lock = threading.Lock()

    def allow(self, store: SqlStore, key: str) -> bool:
        if self.rate <= 0:
            return True
        now = time.time()
        window = counters.window_of(1.0, now)
        with self.lock:
            state = self.seen.get(key)
            if state is None or state[0] != window:
                state = self.seen[key] = [window, 0.0, 0.0, 0.0]
            state[2] += 1
            total = state[1] + state[2]
            due = now - state[3] >= self.flush
            pending = int(state[2]) if due else 0
            if due:
                state[2], state[3] = 0.0, now
        if due:
            shared = counters.hit(store, f"rate:{key}", 1.0, now, pending)
            with self.lock:
                if state[0] == window:
                    state[1] = shared
            total = shared + state[2]
        return total <= self.rate


# declared for the OpenAPI document (its security schemes); ``authenticate`` reads them
BearerAuth = Annotated[
    HTTPAuthorizationCredentials | None,
    Depends(HTTPBearer(auto_error=False, description="An API key: Authorization: Bearer KEY")),
]
KeyHeaderAuth = Annotated[
    str | None,
    Depends(APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key")),
]
SessionAuth = Annotated[
    str | None,
    Depends(
        APIKeyCookie(
            name=SESSION_COOKIE,
            auto_error=False,
            description="A web session (from POST /auth/login); changes also need the "
            "X-CSRF-Token header",
        )
    ),
]


@dataclass
class Principal:
    user: User
    via: str  # "api_key" or "session"


def _api_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else None
    return key or request.headers.get("x-api-key")


def authenticate(request: Request, store: SqlStore, limiter: RateLimiter) -> Principal:
    key = _api_key(request)
    principal: Principal | None = None
    if key:
        user = user_for_api_key(store, key)
        if user is None:
            raise Unauthorized("invalid or revoked API key")
        principal = Principal(user, "api_key")
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            found = session_user(store, token)
            if found is None:
                raise Unauthorized("session expired: sign in again")
            user, csrf = found
            if request.method not in SAFE_METHODS and request.headers.get("x-csrf-token") != csrf:
                raise Forbidden("missing or wrong CSRF token (X-CSRF-Token)")
            principal = Principal(user, "session")
    if principal is None:
        raise Unauthorized("authentication required: an API key or a session")
    if not limiter.allow(store, f"user:{principal.user.id}"):
        raise TooManyRequests("rate limit exceeded: slow down")
    return principal


def requires(role: str) -> Callable[[Principal], Principal]:
    def check(principal: Principal) -> Principal:
        if not role_at_least(principal.user.role, role):
            raise Forbidden(f"this needs the {role} role (you are {principal.user.role})")
        return principal

    return check

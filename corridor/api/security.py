"""Authentication, roles and rate limits for the API.

Every endpoint but ``/health`` needs a principal: an API key (``Authorization: Bearer KEY``
or ``X-API-Key: KEY``) or a web session (the ``corridor_session`` cookie). A request that
changes something through a session must also carry the session's CSRF token in
``X-CSRF-Token``. Each principal has a token bucket (``rate`` requests a second, bursts of
``2 x rate``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from corridor.exceptions import Forbidden, TooManyRequests, Unauthorized
from corridor.service.users import (
    SESSION_COOKIE,
    User,
    cached_key_user,
    role_at_least,
    session_user,
    user_for_api_key,
)
from corridor.store.sql import SqlStore

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class RateLimiter:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.burst = max(1.0, 2 * rate)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.rate <= 0:
            return True
        with self.lock:
            now = time.monotonic()
            tokens, last = self.buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self.buckets[key] = (tokens, now)
                return False
            self.buckets[key] = (tokens - 1.0, now)
            return True


@dataclass
class Principal:
    user: User
    via: str  # "api_key" or "session"


def _api_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else None
    return key or request.headers.get("x-api-key")


def cached_principal(request: Request, limiter: RateLimiter) -> Principal | None:
    """The principal of a recently used API key, without touching the database (None when
    the key is not cached or the request has no key)."""
    key = _api_key(request)
    user = cached_key_user(key) if key else None
    if user is None:
        return None
    if not limiter.allow(f"user:{user.id}"):
        raise TooManyRequests("rate limit exceeded: slow down")
    return Principal(user, "api_key")


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
    if not limiter.allow(f"user:{principal.user.id}"):
        raise TooManyRequests("rate limit exceeded: slow down")
    return principal


def requires(role: str) -> Callable[[Principal], Principal]:
    def check(principal: Principal) -> Principal:
        if not role_at_least(principal.user.role, role):
            raise Forbidden(f"this needs the {role} role (you are {principal.user.role})")
        return principal

    return check

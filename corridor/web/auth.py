"""Who is signed in to the web UI, and what they may do.

A page needs a session (the ``corridor_session`` cookie, HttpOnly and SameSite=Strict);
without one it sends the browser to the sign-in page and back afterwards. Every form that
changes something carries the session's CSRF token, checked before anything is done.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from starlette.requests import Request

from corridor.exceptions import Forbidden
from corridor.service.users import SESSION_COOKIE, User, role_at_least, session_user
from corridor.store.sql import SqlStore


class SignInRequired(Exception):
    """No valid session: the page redirects to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass
class WebUser:
    user: User
    csrf: str

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def username(self) -> str:
        return self.user.username

    def need(self, role: str) -> None:
        if not role_at_least(self.user.role, role):
            raise Forbidden(f"this page needs the {role} role (you are {self.user.role})")

    def check(self, token: str | None) -> None:
        """The form's CSRF token must be this session's."""
        if not token or not hmac.compare_digest(token, self.csrf):
            raise Forbidden("the form's security token is missing or stale: reload the page")


def signed_in(request: Request, store: SqlStore) -> WebUser | None:
    token = request.cookies.get(SESSION_COOKIE)
    found = session_user(store, token) if token else None
    return WebUser(*found) if found else None


def require(request: Request, store: SqlStore, role: str) -> WebUser:
    me = signed_in(request, store)
    if me is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path)
    me.need(role)
    return me


def safe_next(path: str | None) -> str:
    """Only a path of this UI (never another site) to go back to after signing in."""
    if path and path.startswith("/ui/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/ui/"


def secure_cookies(request: Request, setting: str) -> bool:
    """Whether a cookie set for ``request`` carries ``Secure``: ``always``, ``never``, or
    ``auto`` (the default): when the request came over HTTPS (directly or, behind a proxy,
    by ``X-Forwarded-Proto``), or to any host but this machine."""
    if setting in ("always", "never"):
        return setting == "always"
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    if request.url.scheme == "https" or forwarded == "https":
        return True
    host = (request.url.hostname or "").lower()
    return host not in ("127.0.0.1", "localhost", "::1", "testserver")


def same_origin(request: Request) -> bool:
    """True when the request's ``Origin`` (or ``Referer``), if it has one, is this service:
    a sign-in form posted from another site is refused (login CSRF)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    expected = f"{request.url.scheme}://{request.url.netloc}".lower()
    forwarded = request.headers.get("x-forwarded-host")
    allowed = {expected}
    if forwarded:
        allowed.add(f"{request.headers.get('x-forwarded-proto', 'https')}://{forwarded}".lower())
    return any(
        origin.lower().rstrip("/") == a or origin.lower().startswith(a + "/") for a in allowed
    )

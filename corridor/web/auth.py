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

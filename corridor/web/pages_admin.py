"""Administration: the service's users and their roles."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from starlette.responses import RedirectResponse, Response

from corridor.exceptions import Forbidden
from corridor.service import users
from corridor.web.auth import require
from corridor.web.backend import Backend
from corridor.web.render import page


def register(app: FastAPI, backend: Backend) -> None:
    store = backend.store

    @app.get("/ui/users", include_in_schema=False)
    def user_list(request: Request, done: str | None = None) -> Response:
        me = require(request, store, "admin")
        return page(
            "users.html",
            {
                "me": me.user,
                "csrf": me.csrf,
                "users": users.list_users(store),
                "keys": users.list_api_keys(store),
                "roles": users.ROLES,
                "min_password": users.MIN_PASSWORD,
                "done": done,
            },
            path="/ui/users",
        )

    @app.post("/ui/users", include_in_schema=False)
    def user_add(
        request: Request,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        role: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        me = require(request, store, "admin")
        me.check(csrf)
        user = users.add_user(store, username, password, role, me.username)
        said = f"user {user.username} added with role {user.role}"
        return RedirectResponse(f"/ui/users?{urlencode({'done': said})}", status_code=303)

    @app.post("/ui/keys/{prefix}/revoke", include_in_schema=False)
    def key_revoke(request: Request, prefix: str, csrf: Annotated[str, Form()] = "") -> Response:
        me = require(request, store, "admin")
        me.check(csrf)
        users.revoke_api_key(store, prefix, me.username)
        said = f"API key {prefix} revoked: every worker refuses it from now on"
        return RedirectResponse(f"/ui/users?{urlencode({'done': said})}", status_code=303)

    @app.post("/ui/users/{username}", include_in_schema=False)
    def user_change(
        request: Request,
        username: str,
        role: Annotated[str, Form()],
        active: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        me = require(request, store, "admin")
        me.check(csrf)
        if username == me.username:
            raise Forbidden("you cannot change your own role or access: ask another admin")
        user = users.set_user(store, username, me.username, role, active == "on")
        said = f"user {user.username}: {user.role}, {'active' if user.active else 'disabled'}"
        return RedirectResponse(f"/ui/users?{urlencode({'done': said})}", status_code=303)

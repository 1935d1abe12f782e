"""Users, roles, API keys and sessions.

Passwords are hashed with scrypt (n=2**14, r=8, p=1, a 16-byte salt); API keys and session
tokens are random 32-byte secrets stored as SHA-256 hashes, so the database never holds a
usable credential. Roles are ordered: ``client`` (screening and reading lists; the role of
systems that call the API), ``analyst`` (counterparties, alerts, decisions), ``supervisor``
(second reviews, settings, list updates, re-screening, the audit trail) and ``admin`` (users).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from corridor.exceptions import Conflict, InvalidQuery, NotFound, Unauthorized
from corridor.service import audit
from corridor.store import schema
from corridor.store.sql import SqlStore
from corridor.store.versioned import now, stamp

ROLES = ("client", "analyst", "supervisor", "admin")
MIN_PASSWORD = 10
SESSION_HOURS = 8
SESSION_COOKIE = "corridor_session"  # the web session's cookie (API and web UI)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def role_at_least(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode("utf-8"),
        salt=bytes.fromhex(salt),
        dklen=32,
        n=int(n),
        r=int(r),
        p=int(p),
    )
    return hmac.compare_digest(candidate.hex(), digest)


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "role": self.role, "active": self.active}


def _user(row: Any) -> User:
    return User(int(row.id), str(row.username), str(row.role), bool(row.active))


def add_user(store: SqlStore, username: str, password: str, role: str, actor: str) -> User:
    username = username.strip()
    if not username:
        raise InvalidQuery("username: must not be empty")
    if role not in ROLES:
        raise InvalidQuery(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise InvalidQuery(f"password: at least {MIN_PASSWORD} characters")
    try:
        with store.transaction() as conn:
            uid = conn.execute(
                schema.users.insert().returning(schema.users.c.id),
                {
                    "username": username,
                    "password_hash": hash_password(password),
                    "role": role,
                    "active": 1,
                    "created_at": now(),
                },
            ).scalar_one()
            audit.append(conn, actor, "user.add", f"user:{username}", {"role": role})
    except IntegrityError as exc:
        raise Conflict(f"user {username!r} exists already") from exc
    return User(int(uid), username, role)


def list_users(store: SqlStore) -> list[User]:
    with store.reading() as conn:
        return [_user(r) for r in conn.execute(select(schema.users).order_by(schema.users.c.id))]


def get_user(store: SqlStore, username: str) -> User:
    with store.reading() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
    if row is None:
        raise NotFound(f"no user {username!r}")
    return _user(row)


def set_user(
    store: SqlStore, username: str, actor: str, role: str | None = None, active: bool | None = None
) -> User:
    values: dict[str, Any] = {}
    if role is not None:
        if role not in ROLES:
            raise InvalidQuery(f"role {role!r}: expected one of {', '.join(ROLES)}")
        values["role"] = role
    if active is not None:
        values["active"] = 1 if active else 0
    get_user(store, username)
    with store.transaction() as conn:
        conn.execute(
            update(schema.users).where(schema.users.c.username == username).values(**values)
        )
        audit.append(conn, actor, "user.change", f"user:{username}", values)
    _KEYS.clear()
    return get_user(store, username)


class _LoginGuard:
    """At most ``limit`` failed logins per username per window; then refused until it ends."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def blocked(self, username: str) -> bool:
        with self.lock:
            cutoff = time.monotonic() - self.window
            recent = [t for t in self.failures.get(username, []) if t > cutoff]
            self.failures[username] = recent
            return len(recent) >= self.limit

    def failed(self, username: str) -> None:
        with self.lock:
            self.failures.setdefault(username, []).append(time.monotonic())

    def reset(self, username: str) -> None:
        with self.lock:
            self.failures.pop(username, None)


LOGINS = _LoginGuard()


def authenticate(store: SqlStore, username: str, password: str) -> User:
    """The user for these credentials; every attempt is audited. Failed attempts are
    counted per store and user name."""
    guard = f"{store.url}|{username}"
    if LOGINS.blocked(guard):
        audit.record(
            store,
            username,
            "login.refused",
            f"user:{username}",
            {"reason": "too many failed attempts"},
        )
        raise Unauthorized("too many failed logins: try again later")
    with store.reading() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
    if row is None or not row.active or not verify_password(password, row.password_hash):
        LOGINS.failed(guard)
        audit.record(store, username, "login.failed", f"user:{username}", {})
        raise Unauthorized("wrong username or password")
    LOGINS.reset(guard)
    audit.record(store, username, "login", f"user:{username}", {})
    return _user(row)


# -- API keys -------------------------------------------------------------------------------

_KEYS: dict[str, tuple[User, float]] = {}
KEY_CACHE_SECONDS = 30.0


def create_api_key(store: SqlStore, username: str, name: str, actor: str) -> str:
    """A new API key for ``username``; the key is shown once and stored only as a hash."""
    user = get_user(store, username)
    prefix = secrets.token_hex(4)
    key = f"cor_{prefix}_{secrets.token_urlsafe(32)}"
    with store.transaction() as conn:
        conn.execute(
            schema.api_keys.insert(),
            {
                "user_id": user.id,
                "name": name,
                "prefix": prefix,
                "key_hash": _sha(key),
                "created_at": now(),
                "revoked": 0,
            },
        )
        audit.append(
            conn, actor, "apikey.create", f"user:{username}", {"name": name, "prefix": prefix}
        )
    return key


def revoke_api_key(store: SqlStore, prefix: str, actor: str) -> None:
    with store.transaction() as conn:
        result = conn.execute(
            update(schema.api_keys).where(schema.api_keys.c.prefix == prefix).values(revoked=1)
        )
        if result.rowcount == 0:
            raise NotFound(f"no API key {prefix}")
        audit.append(conn, actor, "apikey.revoke", f"apikey:{prefix}", {})
    _KEYS.clear()


def cached_key_user(key: str) -> User | None:
    """The user of an API key verified in the last few seconds, or None."""
    cached = _KEYS.get(_sha(key))
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    return None


def user_for_api_key(store: SqlStore, key: str) -> User | None:
    cached = cached_key_user(key)
    if cached is not None:
        return cached
    digest = _sha(key)
    k, u = schema.api_keys, schema.users
    with store.reading() as conn:
        row = conn.execute(
            select(u)
            .join(k, k.c.user_id == u.c.id)
            .where(k.c.key_hash == digest, k.c.revoked == 0, u.c.active == 1)
        ).first()
    if row is None:
        return None
    user = _user(row)
    _KEYS[digest] = (user, time.monotonic() + KEY_CACHE_SECONDS)
    return user


# -- sessions (web UI) ----------------------------------------------------------------------


def create_session(store: SqlStore, user: User) -> tuple[str, str]:
    """A session token (for the cookie) and its CSRF token."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires = stamp(datetime.now(UTC) + timedelta(hours=SESSION_HOURS))
    with store.transaction() as conn:
        conn.execute(
            schema.sessions.insert(),
            {
                "token_hash": _sha(token),
                "user_id": user.id,
                "csrf": csrf,
                "created_at": now(),
                "expires_at": expires,
            },
        )
    return token, csrf


def session_user(store: SqlStore, token: str) -> tuple[User, str] | None:
    s, u = schema.sessions, schema.users
    with store.reading() as conn:
        row = conn.execute(
            select(u, s.c.csrf, s.c.expires_at)
            .join(s, s.c.user_id == u.c.id)
            .where(s.c.token_hash == _sha(token), u.c.active == 1)
        ).first()
    if row is None or row.expires_at < now():
        return None
    return _user(row), str(row.csrf)


def end_session(store: SqlStore, token: str) -> None:
    with store.transaction() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.token_hash == _sha(token)))

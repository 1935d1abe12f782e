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
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from corridor.exceptions import Conflict, InvalidQuery, NotFound, TooManyRequests, Unauthorized
from corridor.service import audit, counters
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
    u = schema.users
    with store.transaction() as conn:
        conn.execute(update(u).where(u.c.username == username).values(**values))
        admins = conn.execute(
            select(func.count()).select_from(u).where(u.c.role == "admin", u.c.active == 1)
        ).scalar_one()
        if not admins:  # rolled back with the change
            raise Conflict(f"{username} is the last active admin: make another user admin first")
        audit.append(conn, actor, "user.change", f"user:{username}", values)
    return get_user(store, username)


LOGIN_ATTEMPTS = 5  # password checks per user name in one window...
LOGIN_WINDOW = 300.0  # ...of this many seconds, counted in the store for every worker
LOGIN_PER_CLIENT = 20  # failed sign-ins per client address in one window
AUDITED_FAILURES = 200  # failed sign-ins audited one by one per window; then one summary
MAX_USERNAME = 128
_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A password hash no password matches: checked for unknown user names, so that an
    answer takes as long whether or not the user exists."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_hex(16)))
    return _DUMMY[0]


def authenticate(
    store: SqlStore,
    username: str,
    password: str,
    client: str | None = None,
    attempts: int = LOGIN_ATTEMPTS,
    window: float = LOGIN_WINDOW,
) -> User:
    """The user for these credentials.

    Each attempt is counted in the store before the password is checked, atomically, so
    however many workers or hosts a burst is spread over, at most ``attempts`` passwords are
    checked per user name in a window; past that, and past ``LOGIN_PER_CLIENT`` failures from
    one client address, attempts are refused without a check. Unknown user names cost the same
    password check as known ones. Failures are audited in a bounded form: the user name
    truncated, the first failure of a name in a window and the start of a lockout, with
    counts."""
    name = username.strip()[:MAX_USERNAME]
    shown = name[:64]
    client_key = f"login-client:{client}" if client is not None else None
    if client_key and counters.value(store, client_key, window) >= LOGIN_PER_CLIENT:
        raise TooManyRequests("too many failed sign-ins from this address: try again later")
    key = f"login:{name.casefold()}"
    at = time.time()  # one window for the attempt and, on success, its return
    tried = counters.hit(store, key, window, at)
    if tried > attempts:
        if tried == attempts + 1:
            audit.record(
                store,
                shown,
                "login.locked",
                f"user:{shown}",
                {"failed_attempts": attempts, "window_seconds": int(window)},
            )
        minutes = max(1, int(window // 60))
        raise Unauthorized(
            f"too many failed sign-ins for this user name: try again within {minutes} minutes"
        )
    with store.reading() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == name)).first()
    stored = row.password_hash if row is not None else _dummy_hash()
    good = verify_password(password, stored)
    if row is None or not row.active or not good:
        if client_key:
            counters.hit(store, client_key, window)
        if tried == 1 and counters.hit(store, "login-failures", window) <= AUDITED_FAILURES:
            audit.record(
                store,
                shown,
                "login.failed",
                f"user:{shown}",
                {"window_seconds": int(window), "first_in_window": True},
            )
        raise Unauthorized("wrong username or password")
    # a success gives its attempt back, and only its own: failures of the window stay counted
    # (clearing them would hand a guesser a fresh allowance at every legitimate sign-in)
    counters.hit(store, key, window, at, n=-1)
    audit.record(store, shown, "login", f"user:{shown}", {})
    return _user(row)


# -- API keys -------------------------------------------------------------------------------


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
    """Revoke one API key (by the prefix shown when it was made, and in ``list_api_keys``);
    every worker refuses it from the next request on."""
    with store.transaction() as conn:
        result = conn.execute(
            update(schema.api_keys)
            .where(schema.api_keys.c.prefix == prefix, schema.api_keys.c.revoked == 0)
            .values(revoked=1)
        )
        if result.rowcount == 0:
            raise NotFound(f"no active API key {prefix}")
        audit.append(conn, actor, "apikey.revoke", f"apikey:{prefix}", {})


def list_api_keys(store: SqlStore, username: str | None = None) -> list[dict[str, Any]]:
    """API keys (never the keys themselves: their prefix, name, owner and state)."""
    k, u = schema.api_keys, schema.users
    query = select(k, u.c.username).join(u, u.c.id == k.c.user_id).order_by(k.c.id)
    if username is not None:
        get_user(store, username)
        query = query.where(u.c.username == username)
    with store.reading() as conn:
        return [
            {
                "prefix": r.prefix,
                "name": r.name,
                "username": r.username,
                "created_at": r.created_at,
                "revoked": bool(r.revoked),
            }
            for r in conn.execute(query)
        ]


def user_for_api_key(store: SqlStore, key: str) -> User | None:
    """The active user of a key that is not revoked (read from the store every time, so a
    revocation or deactivation holds at once in every worker)."""
    digest = _sha(key)
    k, u = schema.api_keys, schema.users
    with store.reading() as conn:
        row = conn.execute(
            select(u)
            .join(k, k.c.user_id == u.c.id)
            .where(k.c.key_hash == digest, k.c.revoked == 0, u.c.active == 1)
        ).first()
    return _user(row) if row is not None else None


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

"""The audit trail's secret key: held outside the database (an environment variable, or a file
made on first use), so that whoever can write the database cannot re-seal a rewritten trail."""

from __future__ import annotations

import os
import secrets
import threading

from corridor.exceptions import ConfigError
from corridor.settings import Settings

_KEY: list[bytes] = []
_LOCK = threading.Lock()


def _parse(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise ConfigError(f"{where}: the audit key must be hex digits") from exc
    if len(key) < 16:
        raise ConfigError(f"{where}: the audit key must be at least 32 hex digits")
    return key


def load_key(settings: Settings) -> bytes:
    """The key of ``settings``: ``CORRIDOR_AUDIT_KEY``, else the key file (made, readable by
    its owner only, when it does not exist yet)."""
    if settings.audit_key:
        return _parse(settings.audit_key, "CORRIDOR_AUDIT_KEY")
    path = settings.audit_key_path
    try:
        return _parse(path.read_text("ascii"), str(path))
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the audit key: {exc.strerror}") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    # written whole under a private name, then linked into place: a process that loses the
    # race reads the winner's complete key
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex() + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return _parse(path.read_text("ascii"), str(path))
    finally:
        draft.unlink()
    return key


def use_key(key: bytes) -> None:
    """Put ``key`` in force for this process (the adapters do, from the settings)."""
    with _LOCK:
        _KEY[:] = [key]


def current_key() -> bytes:
    """The key in force; loaded from the environment's settings on first use."""
    if not _KEY:
        with _LOCK:
            if not _KEY:
                _KEY.append(load_key(Settings.from_env()))
    return _KEY[0]

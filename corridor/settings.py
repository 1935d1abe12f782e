"""Corridor's settings, declared once, typed, read from ``CORRIDOR_*`` environment variables.

Settings are built explicitly (``Settings.from_env()``) and passed to the code that needs
them; nothing reads the environment at import time. ``docs/settings.md`` documents each one
(a test checks that it does).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import platformdirs

from corridor.exceptions import ConfigError


@dataclass(frozen=True)
class SettingSpec:
    name: str
    env: str
    help: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "db_url",
        "CORRIDOR_DB",
        "Store URL: sqlite:///path.db (default: corridor.db in the data directory) or "
        "postgresql://user:password@host/db.",
    ),
    SettingSpec(
        "data_dir",
        "CORRIDOR_DATA_DIR",
        "Directory for the default SQLite store and downloaded list files "
        "(default: the user data directory, e.g. ~/.local/share/corridor).",
    ),
    SettingSpec(
        "sources_file",
        "CORRIDOR_SOURCES",
        "TOML file of list sources for 'corridor lists update' (default: the bundled "
        "official download addresses).",
    ),
    SettingSpec(
        "fetch_timeout",
        "CORRIDOR_FETCH_TIMEOUT",
        "Seconds to wait for a list download to respond (default 60).",
    ),
)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str
    sources_file: Path | None = None
    fetch_timeout: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(
            str(
                overrides.get("data_dir")
                or env.get("CORRIDOR_DATA_DIR")
                or platformdirs.user_data_dir("corridor", appauthor=False)
            )
        )
        db_url = str(
            overrides.get("db_url")
            or env.get("CORRIDOR_DB")
            or f"sqlite:///{data_dir / 'corridor.db'}"
        )
        sources = overrides.get("sources_file") or env.get("CORRIDOR_SOURCES")
        timeout_raw = overrides.get("fetch_timeout") or env.get("CORRIDOR_FETCH_TIMEOUT") or 60
        try:
            timeout = float(str(timeout_raw))
        except ValueError as exc:
            raise ConfigError(
                f"CORRIDOR_FETCH_TIMEOUT must be a number of seconds, not {timeout_raw!r}"
            ) from exc
        if timeout <= 0:
            raise ConfigError("CORRIDOR_FETCH_TIMEOUT must be positive")
        return cls(
            data_dir=data_dir,
            db_url=db_url,
            sources_file=Path(str(sources)) if sources else None,
            fetch_timeout=timeout,
        )

    @property
    def download_dir(self) -> Path:
        return self.data_dir / "downloads"


assert {s.name for s in SETTINGS} == {f.name for f in fields(Settings)}

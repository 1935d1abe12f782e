"""Corridor's settings, declared once, typed, read from ``CORRIDOR_*`` environment variables.

Settings are built explicitly (``Settings.from_env()``) and passed to the code that needs
them; nothing reads the environment at import time. ``docs/settings.md`` documents each one
(a test checks that it does).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

import platformdirs

from corridor.exceptions import ConfigError
from corridor.lists.limits import MIB, InputLimits, set_limits


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
        "index_dir",
        "CORRIDOR_INDEX_DIR",
        "Directory of the compiled screening indexes, one file per set of active list versions, "
        "mapped by every process (default: 'index' in the data directory; a directory shared "
        "by a team's hosts works too). 'memory' builds the index in each process instead.",
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
    SettingSpec(
        "max_shrink",
        "CORRIDOR_MAX_SHRINK",
        "Share of the active version's entities a new list version may lose and still be "
        "activated without --force (default 0.10).",
    ),
    SettingSpec(
        "max_age",
        "CORRIDOR_MAX_AGE",
        "Maximum age in days of a list before results carry a warning: a number for every "
        "source, or source=days pairs separated by commas, '*' for the rest (default: each "
        "source's max_age_days in the sources file, else 30).",
    ),
    SettingSpec(
        "max_input_mb",
        "CORRIDOR_MAX_INPUT_MB",
        "Largest input file, in MiB after decompression (default 2048).",
    ),
    SettingSpec(
        "max_input_ratio",
        "CORRIDOR_MAX_INPUT_RATIO",
        "Largest ratio of decompressed to compressed size of a gzip or zip input (default 100).",
    ),
    SettingSpec(
        "secure_cookies",
        "CORRIDOR_SECURE_COOKIES",
        "Whether session cookies carry the Secure flag: auto (default: over HTTPS, or for any "
        "host but this machine), always or never.",
    ),
    SettingSpec(
        "audit_key",
        "CORRIDOR_AUDIT_KEY",
        "The audit trail's secret key (64 hex digits), for deployments where every host must "
        "share it; default: the key file.",
    ),
    SettingSpec(
        "audit_key_file",
        "CORRIDOR_AUDIT_KEY_FILE",
        "File holding the audit trail's secret key, made (readable by its owner only) on first "
        "use (default: audit.key in the data directory). Keep it out of the database's backups.",
    ),
    SettingSpec(
        "max_line_kb",
        "CORRIDOR_MAX_LINE_KB",
        "Longest line of a text input, in KiB (default 4096).",
    ),
)


def _number(var: str, raw: object, default: float) -> float:
    if raw is None or raw == "":
        return default
    try:
        value = float(str(raw))
    except ValueError as exc:
        raise ConfigError(f"{var} must be a number, not {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{var} must be positive, not {raw!r}")
    return value


def _choice(var: str, raw: object, allowed: tuple[str, ...]) -> str:
    value = str(raw or allowed[0]).strip().lower()
    if value not in allowed:
        raise ConfigError(f"{var} must be one of {', '.join(allowed)}, not {raw!r}")
    return value


def parse_max_age(text: str) -> dict[str, int]:
    """``"7"`` or ``"us_ofac_sdn=3, uk_fcdo=14, *=30"`` as {source: days} ("*": the rest)."""
    out: dict[str, int] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        source, _, days = part.rpartition("=")
        try:
            value = int(days)
        except ValueError as exc:
            raise ConfigError(
                f"CORRIDOR_MAX_AGE: {part!r} is not DAYS or SOURCE=DAYS (whole days)"
            ) from exc
        if value <= 0:
            raise ConfigError(f"CORRIDOR_MAX_AGE: {part!r}: days must be positive")
        out[source.strip() or "*"] = value
    return out


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str
    sources_file: Path | None = None
    fetch_timeout: float = 60.0
    max_shrink: float = 0.10
    max_age: dict[str, int] = field(default_factory=dict)
    max_input_mb: int = 2048
    max_input_ratio: float = 100.0
    max_line_kb: int = 4096
    secure_cookies: str = "auto"
    audit_key: str | None = field(default=None, repr=False)
    audit_key_file: Path | None = None
    index_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env

        def get(name: str, var: str) -> object:
            value = overrides.get(name)
            return value if value is not None else env.get(var)

        def num(name: str, var: str, default: float) -> float:
            return _number(var, get(name, var), default)

        data_dir = Path(
            str(
                get("data_dir", "CORRIDOR_DATA_DIR")
                or platformdirs.user_data_dir("corridor", appauthor=False)
            )
        )
        db_url = str(get("db_url", "CORRIDOR_DB") or f"sqlite:///{data_dir / 'corridor.db'}")
        sources = get("sources_file", "CORRIDOR_SOURCES")
        index_raw = str(get("index_dir", "CORRIDOR_INDEX_DIR") or "")
        index_dir = (
            None
            if index_raw.strip().lower() == "memory"
            else Path(index_raw)
            if index_raw.strip()
            else data_dir / "index"
        )
        shrink = num("max_shrink", "CORRIDOR_MAX_SHRINK", 0.1)
        if shrink >= 1:
            raise ConfigError("CORRIDOR_MAX_SHRINK is a share below 1, such as 0.1 for 10 %")
        return cls(
            data_dir=data_dir,
            db_url=db_url,
            sources_file=Path(str(sources)) if sources else None,
            index_dir=index_dir,
            fetch_timeout=num("fetch_timeout", "CORRIDOR_FETCH_TIMEOUT", 60.0),
            max_shrink=shrink,
            max_age=parse_max_age(str(get("max_age", "CORRIDOR_MAX_AGE") or "")),
            max_input_mb=int(num("max_input_mb", "CORRIDOR_MAX_INPUT_MB", 2048)),
            max_input_ratio=num("max_input_ratio", "CORRIDOR_MAX_INPUT_RATIO", 100.0),
            max_line_kb=int(num("max_line_kb", "CORRIDOR_MAX_LINE_KB", 4096)),
            audit_key=str(get("audit_key", "CORRIDOR_AUDIT_KEY") or "") or None,
            audit_key_file=(
                Path(str(get("audit_key_file", "CORRIDOR_AUDIT_KEY_FILE")))
                if get("audit_key_file", "CORRIDOR_AUDIT_KEY_FILE")
                else None
            ),
            secure_cookies=_choice(
                "CORRIDOR_SECURE_COOKIES",
                get("secure_cookies", "CORRIDOR_SECURE_COOKIES"),
                ("auto", "always", "never"),
            ),
        )

    @property
    def download_dir(self) -> Path:
        return self.data_dir / "downloads"

    @property
    def audit_key_path(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit.key"

    def apply(self) -> Settings:
        """Put the process-wide parts of these settings (the input limits) in force."""
        set_limits(self.input_limits())
        return self

    def input_limits(self) -> InputLimits:
        """The input limits these settings put in force."""
        line = self.max_line_kb * 1024
        return InputLimits(
            max_bytes=self.max_input_mb * MIB,
            max_ratio=self.max_input_ratio,
            max_line=line,
            max_field=min(line, InputLimits.max_field),
            max_record=max(line, InputLimits.max_record),
        )


assert {s.name for s in SETTINGS} == {f.name for f in fields(Settings)}

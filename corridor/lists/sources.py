"""Configured list sources: where `corridor lists update` downloads each list from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from corridor.exceptions import ConfigError


@dataclass(frozen=True)
class SourceConfig:
    name: str
    url: str
    format: str | None = None
    title: str | None = None
    sha256: str | None = None
    sha256_url: str | None = None
    max_age_days: int | None = None  # older than this, results carry a warning


def load_sources(path: Path | None = None) -> dict[str, SourceConfig]:
    """Read a sources TOML file (the bundled official addresses when ``path`` is None)."""
    label = str(path) if path else "bundled sources.toml"
    try:
        if path is None:
            text = resources.files("corridor.data").joinpath("sources.toml").read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read sources file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}") from exc
    table = data.get("sources")
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{label}: expected a [sources.NAME] table for each source")
    out: dict[str, SourceConfig] = {}
    for name, spec in table.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("url"), str):
            raise ConfigError(f"{label}: source {name!r} needs a string 'url'")
        unknown = set(spec) - {"url", "format", "title", "sha256", "sha256_url", "max_age_days"}
        if unknown:
            raise ConfigError(
                f"{label}: source {name!r} has unknown key(s) {', '.join(sorted(unknown))}"
            )
        age = spec.get("max_age_days")
        if age is not None and (not isinstance(age, int) or age <= 0):
            raise ConfigError(f"{label}: source {name!r}: max_age_days must be a positive integer")
        out[name] = SourceConfig(
            name=name,
            url=spec["url"],
            format=spec.get("format"),
            title=spec.get("title"),
            sha256=spec.get("sha256"),
            sha256_url=spec.get("sha256_url"),
            max_age_days=age,
        )
    return out

"""Configured list sources: where `corridor lists update` downloads each list from."""

from __future__ import annotations

import os
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
    url_env: str | None = None  # an environment variable that, when set, gives the address

    @property
    def configured(self) -> bool:
        """Whether the source has an address (a source may leave it to the environment)."""
        return bool(self.url)

    def missing_address(self) -> str:
        where = f"set {self.url_env} or " if self.url_env else ""
        return (
            f"source {self.name!r} has no download address: {where}give its url in a sources file"
        )


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
            raise ConfigError(
                f"{label}: source {name!r} needs a string 'url' (empty with url_env "
                "when the address comes from the environment)"
            )
        unknown = set(spec) - {
            "url",
            "url_env",
            "format",
            "title",
            "sha256",
            "sha256_url",
            "max_age_days",
        }
        if unknown:
            raise ConfigError(
                f"{label}: source {name!r} has unknown key(s) {', '.join(sorted(unknown))}"
            )
        age = spec.get("max_age_days")
        if age is not None and (not isinstance(age, int) or age <= 0):
            raise ConfigError(f"{label}: source {name!r}: max_age_days must be a positive integer")
        url_env = spec.get("url_env")
        if url_env is not None and not (
            isinstance(url_env, str) and url_env.startswith("CORRIDOR_")
        ):
            raise ConfigError(
                f"{label}: source {name!r}: url_env must name a CORRIDOR_* environment variable"
            )
        url = (os.environ.get(url_env, "") if url_env else "") or spec["url"]
        out[name] = SourceConfig(
            name=name,
            url=url.strip(),
            url_env=url_env,
            format=spec.get("format"),
            title=spec.get("title"),
            sha256=spec.get("sha256"),
            sha256_url=spec.get("sha256_url"),
            max_age_days=age,
        )
    return out

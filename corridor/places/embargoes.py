"""The embargoes rules file: places, and the embargoes of each jurisdiction over them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from corridor.exceptions import ConfigError

JURISDICTIONS = ("us", "eu", "uk", "un")
SCOPES = ("comprehensive", "goods")
_CODE = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Place:
    """A country or region an embargo covers, and the words that name it."""

    code: str  # ISO 3166-1 alpha-2 or ISO 3166-2
    country: str
    name: str
    names: tuple[str, ...]
    cities: tuple[str, ...]
    unless: tuple[str, ...] = ()
    partial: bool = False  # part of the region lies outside the embargo

    @property
    def is_region(self) -> bool:
        return "-" in self.code


@dataclass(frozen=True)
class Embargo:
    jurisdiction: str
    places: tuple[str, ...]
    scope: str  # comprehensive or goods
    legal_basis: str
    valid_from: str | None = None
    valid_to: str | None = None
    note: str | None = None

    def in_force(self, day: str | None) -> bool:
        if day is None:
            return self.valid_to is None
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


@dataclass
class EmbargoBook:
    """Places by code, and the embargoes in force for a jurisdiction and a place."""

    places: dict[str, Place]
    embargoes: list[Embargo]
    path: str

    def covering(self, jurisdiction: str, code: str, day: str | None) -> Embargo | None:
        """The embargo of ``jurisdiction`` over the place ``code`` in force on ``day`` (a
        comprehensive one first)."""
        found = [
            e
            for e in self.embargoes
            if e.jurisdiction == jurisdiction and code in e.places and e.in_force(day)
        ]
        found.sort(key=lambda e: SCOPES.index(e.scope))
        return found[0] if found else None

    def embargoed_codes(self) -> set[str]:
        return {code for e in self.embargoes for code in e.places}


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _text(spec: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = spec.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _place(spec: Any, where: str) -> Place:
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = set(spec) - {"code", "country", "name", "names", "cities", "unless", "partial"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    code = _text(spec, "code", where) or ""
    if not _CODE.match(code):
        raise ConfigError(f"{where}: code {code!r}: expected ISO 3166-1 (IR) or 3166-2 (UA-43)")
    country = _text(spec, "country", where) or ""
    if country != code[:2]:
        raise ConfigError(f"{where}: country {country!r} does not match the code {code}")
    partial = spec.get("partial", False)
    if not isinstance(partial, bool):
        raise ConfigError(f"{where}: partial must be true or false")
    return Place(
        code,
        country,
        _text(spec, "name", where) or "",
        _strings(spec.get("names"), f"{where}: names"),
        _strings(spec.get("cities"), f"{where}: cities"),
        _strings(spec.get("unless"), f"{where}: unless"),
        partial,
    )


def _embargo(spec: Any, where: str, places: dict[str, Place]) -> Embargo:
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = set(spec) - {
        "jurisdiction",
        "places",
        "scope",
        "legal_basis",
        "valid_from",
        "valid_to",
        "note",
    }
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    jurisdiction = _text(spec, "jurisdiction", where)
    if jurisdiction not in JURISDICTIONS:
        raise ConfigError(
            f"{where}: jurisdiction {jurisdiction!r}: expected one of {', '.join(JURISDICTIONS)}"
        )
    codes = _strings(spec.get("places"), f"{where}: places")
    if not codes:
        raise ConfigError(f"{where}: places must name at least one place")
    missing = [c for c in codes if c not in places]
    if missing:
        raise ConfigError(f"{where}: place(s) {', '.join(missing)} have no [[place]] entry")
    scope = _text(spec, "scope", where)
    if scope not in SCOPES:
        raise ConfigError(f"{where}: scope {scope!r}: expected comprehensive or goods")
    dates = {}
    for key in ("valid_from", "valid_to"):
        value = _text(spec, key, where, required=False)
        if value is not None and not _DATE.match(value):
            raise ConfigError(f"{where}: {key} {value!r}: expected an ISO date (YYYY-MM-DD)")
        dates[key] = value
    return Embargo(
        jurisdiction,
        codes,
        scope,
        _text(spec, "legal_basis", where) or "",
        dates["valid_from"],
        dates["valid_to"],
        _text(spec, "note", where, required=False),
    )


def read_rules_file(path: Path | str | None, bundled: str, what: str) -> tuple[dict[str, Any], str]:
    """A TOML rules file (``corridor/data/rules/<bundled>`` when ``path`` is None) and the
    label errors name it by; unreadable or invalid files are ConfigErrors saying so."""
    label = str(path) if path else f"bundled {bundled}"
    try:
        if path is None:
            text = resources.files("corridor.data").joinpath("rules").joinpath(bundled)
            raw = text.read_text("utf-8")
        else:
            raw = Path(path).read_text("utf-8")
        return tomllib.loads(raw), label
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read the {what} file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}") from exc


def load_embargoes(path: Path | str | None = None) -> EmbargoBook:
    """Read an embargoes file (the bundled one when ``path`` is None)."""
    data, label = read_rules_file(path, "embargoes.toml", "embargoes")
    places: dict[str, Place] = {}
    for i, spec in enumerate(data.get("place", []), start=1):
        place = _place(spec, f"{label}: place {i}")
        if place.code in places:
            raise ConfigError(f"{label}: place {i}: {place.code} is given twice")
        places[place.code] = place
    embargoes = [
        _embargo(spec, f"{label}: embargo {i}", places)
        for i, spec in enumerate(data.get("embargo", []), start=1)
    ]
    if not embargoes:
        raise ConfigError(f"{label}: expected [[embargo]] tables")
    return EmbargoBook(places, embargoes, label)


@cache
def bundled_embargoes() -> EmbargoBook:
    return load_embargoes()

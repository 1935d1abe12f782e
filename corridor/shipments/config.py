"""The red-flag rules' settings and thresholds, from a TOML file users edit
(``corridor/data/rules/shipments.toml`` is the default)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from corridor.exceptions import ConfigError

SEVERITIES = ("low", "medium", "high")
RULE_IDS = (
    "CP-01",
    "CP-03",
    "CP-04",
    "CP-14",
    "PAY-01",
    "PAY-03",
    "SHP-01",
    "SHP-02",
    "SHP-04",
    "SHP-06",
    "SHP-07",
    "SHP-08",
    "SHP-09",
)


@dataclass(frozen=True)
class RuleSpec:
    id: str
    title: str
    family: str
    severity: str
    guidance: str
    enabled: bool = True
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> Any:
        if name not in self.params:
            raise ConfigError(f"rule {self.id}: missing setting {name!r}")
        return self.params[name]


@dataclass(frozen=True)
class RulesConfig:
    path: str
    t0: str
    restricted_destinations: frozenset[str]
    gecc: frozenset[str]
    transshipment: frozenset[str]
    eur_rates: dict[str, float]
    strong_match: float
    rules: dict[str, RuleSpec]
    embargoes_file: str | None = None  # None: the bundled embargoes file

    def to_eur(self, value: float | None, currency: str | None) -> float | None:
        if value is None:
            return None
        rate = self.eur_rates.get(currency or "EUR")
        return value * rate if rate is not None else None

    def chain_params(self) -> tuple[int, float]:
        """The virtual warehouse's window (days) and minimum covered share, from SHP-04's
        settings (used for chains even when the rule's flag is turned off)."""
        spec = self.rules.get("SHP-04")
        if spec is None:
            return 90, 0.5
        return int(spec.param("window_days")), float(spec.param("min_share"))

    def enabled(self, rule_id: str) -> RuleSpec | None:
        spec = self.rules.get(rule_id)
        return spec if spec is not None and spec.enabled else None


def default_rules_path() -> Path:
    return Path(str(resources.files("corridor.data").joinpath("rules", "shipments.toml")))


def _countries(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 2 for v in value):
        raise ConfigError(f"{where}: expected a list of ISO 3166 alpha-2 codes")
    return frozenset(v.upper() for v in value)


def load_rules_config(path: Path | str | None = None) -> RulesConfig:
    """Read a rules file; errors name the file and the setting."""
    p = Path(path) if path is not None else default_rules_path()
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read rules: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from exc
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ConfigError(f"{p}: [settings] must be a table")
    defaults = tomllib.loads(default_rules_path().read_text("utf-8")) if path else data
    base = defaults.get("settings", {})
    merged = {**base, **settings}
    rates = merged.get("eur_rates", {})
    if not isinstance(rates, dict) or not all(isinstance(v, int | float) for v in rates.values()):
        raise ConfigError(f"{p}: settings.eur_rates: expected currency = rate pairs")
    rules: dict[str, RuleSpec] = {}
    tables = {**defaults.get("rules", {}), **data.get("rules", {})}
    for rule_id, table in tables.items():
        where = f"{p}: rules.{rule_id}"
        if rule_id not in RULE_IDS:
            raise ConfigError(f"{where}: unknown rule (expected one of {', '.join(RULE_IDS)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table")
        merged_rule = {**defaults.get("rules", {}).get(rule_id, {}), **table}
        severity = merged_rule.pop("severity", "medium")
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}.severity: expected low, medium or high, not {severity!r}")
        enabled = merged_rule.pop("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where}.enabled: expected true or false")
        rules[rule_id] = RuleSpec(
            rule_id,
            str(merged_rule.pop("title", rule_id)),
            str(merged_rule.pop("family", rule_id.split("-")[0])),
            severity,
            str(merged_rule.pop("guidance", "")),
            enabled,
            merged_rule,
        )
    try:
        strong = float(merged.get("strong_match", 0.95))
        t0 = str(merged.get("t0", "2022-02-24"))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{p}: settings: {exc}") from exc
    return RulesConfig(
        str(p),
        t0,
        _countries(
            merged.get("restricted_destinations", ["RU", "BY"]),
            f"{p}: settings.restricted_destinations",
        ),
        _countries(merged.get("gecc", []), f"{p}: settings.gecc"),
        _countries(merged.get("transshipment", []), f"{p}: settings.transshipment"),
        {str(k).upper(): float(v) for k, v in rates.items()},
        strong,
        rules,
        _embargoes_file(p, settings.get("embargoes")),
    )


def _embargoes_file(rules_path: Path, value: Any) -> str | None:
    """``settings.embargoes``: an embargoes file, relative to the rules file."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{rules_path}: settings.embargoes: expected a file name")
    path = Path(value)
    if not path.is_absolute():
        path = rules_path.parent / path
    if not path.is_file():
        raise ConfigError(f"{rules_path}: settings.embargoes: no such file {str(path)!r}")
    return str(path)

"""The rules of each jurisdiction as data: thresholds, which control types count, flags.

The defaults follow DOMAIN.md section 4 (OFAC FAQs 398-401; EU Best Practices of 3 July 2024;
OFSI guidance of 17 November 2023; the BIS affiliates rule of 29 September 2025). A TOML file
with the same keys overrides them (``corridor ownership evaluate --rules FILE``)::

    [eu]
    thresholds = [{ from = "0001-01-01", percent = 50, inclusive = false },
                  { from = "2024-07-03", percent = 50, inclusive = true }]
    control_types = ["board_appointment", "dominant_influence"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from corridor.exceptions import ConfigError
from corridor.model.ownership import ControlType

JURISDICTIONS = ("us", "eu", "uk", "bis")
DEFAULT_JURISDICTIONS = ("us", "eu", "uk")

_EU_CONTROL = frozenset(
    {
        ControlType.BOARD_APPOINTMENT,
        ControlType.VOTING_AGREEMENT,
        ControlType.DOMINANT_INFLUENCE,
        ControlType.CONSOLIDATED_ACCOUNTS,
        ControlType.ASSET_USE,
        ControlType.GUARANTEE,
        ControlType.DE_FACTO,
    }
)
_UK_CONTROL = frozenset(
    {
        ControlType.BOARD_APPOINTMENT,
        ControlType.VOTING_AGREEMENT,
        ControlType.DOMINANT_INFLUENCE,
        ControlType.DE_FACTO,
    }
)


@dataclass(frozen=True)
class Threshold:
    """From ``start`` on, ownership of ``percent`` (or more than it, when not inclusive)."""

    start: str
    percent: float
    inclusive: bool

    def describe(self) -> str:
        return f"{'' if self.inclusive else 'more than '}{self.percent:g} %" + (
            " or more" if self.inclusive else ""
        )


@dataclass(frozen=True)
class JurisdictionRules:
    code: str
    title: str
    aggregate: bool  # sum the holdings of different designated persons
    thresholds: tuple[Threshold, ...]
    control_types: frozenset[ControlType]  # control edges that make an entity controlled
    flag_control: bool  # control that does not block is reported as a risk flag
    minority_percent: float | None  # aggregate designated ownership flagged from this share
    in_force: tuple[tuple[str, str | None], ...] = (("0001-01-01", None),)
    suspended: tuple[tuple[str, str], ...] = ()  # [start, end) windows
    basis: str = ""

    def threshold(self, day: str | None) -> Threshold:
        chosen = self.thresholds[0]
        for t in self.thresholds:
            if day is None or t.start <= day:
                chosen = t
        return chosen

    def applies(self, day: str | None) -> tuple[bool, str | None]:
        """Whether the rule is in force on ``day``, and why not."""
        if day is None:
            return True, None
        for start, end in self.suspended:
            if start <= day < end:
                return False, f"{self.title} suspended from {start} until {end}"
        for begin, until in self.in_force:
            if begin <= day and (until is None or day < until):
                return True, None
        return False, f"{self.title} not in force on {day}"


@dataclass(frozen=True)
class RuleSet:
    rules: dict[str, JurisdictionRules] = field(default_factory=dict)

    def __getitem__(self, code: str) -> JurisdictionRules:
        return self.rules[code]


DEFAULT_RULES = RuleSet(
    {
        "us": JurisdictionRules(
            code="us",
            title="OFAC 50 Percent Rule",
            aggregate=True,
            thresholds=(Threshold("0001-01-01", 50.0, True),),
            control_types=frozenset(),
            flag_control=True,
            minority_percent=25.0,
            basis="OFAC FAQs 398-401; 31 CFR 587.406; guidance of 13 Aug 2014",
        ),
        "eu": JurisdictionRules(
            code="eu",
            title="EU ownership and control (Reg. 269/2014 and other asset freezes)",
            aggregate=True,
            thresholds=(
                Threshold("0001-01-01", 50.0, False),
                Threshold("2024-07-03", 50.0, True),
            ),
            control_types=_EU_CONTROL,
            flag_control=True,
            minority_percent=25.0,
            basis="EU Best Practices for the effective implementation of restrictive measures "
            "(3 Jul 2024); Commission FAQ of 8 Apr 2022, Q8",
        ),
        "uk": JurisdictionRules(
            code="uk",
            title="UK ownership and control (OFSI)",
            aggregate=False,
            thresholds=(Threshold("0001-01-01", 50.0, False),),
            control_types=_UK_CONTROL,
            flag_control=True,
            minority_percent=None,
            basis="OFSI General Guidance 4.14; Ownership and Control guidance of 17 Nov 2023",
        ),
        "bis": JurisdictionRules(
            code="bis",
            title="BIS Affiliates Rule (Entity List and MEU)",
            aggregate=True,
            thresholds=(Threshold("0001-01-01", 50.0, True),),
            control_types=frozenset(),
            flag_control=True,
            minority_percent=None,
            in_force=(("2025-09-29", None),),
            suspended=(("2025-11-10", "2026-11-10"),),
            basis="BIS interim final rule of 29 Sep 2025 (15 CFR 734.9 affiliates); suspended "
            "for one year from 10 Nov 2025: verify the current status",
        ),
    }
)


def _control_types(values: Any, where: str) -> frozenset[ControlType]:
    if not isinstance(values, list):
        raise ConfigError(f"{where}: expected a list of control types")
    out = set()
    for v in values:
        try:
            out.add(ControlType(v))
        except ValueError as exc:
            allowed = ", ".join(t.value for t in ControlType)
            raise ConfigError(
                f"{where}: unknown control type {v!r} (expected one of {allowed})"
            ) from exc
    return frozenset(out)


def _thresholds(values: Any, where: str) -> tuple[Threshold, ...]:
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{where}: expected a non-empty list of {{from, percent, inclusive}}")
    out = []
    for i, item in enumerate(values):
        if not isinstance(item, dict):
            raise ConfigError(f"{where}[{i}]: expected a table")
        try:
            percent = float(item["percent"])
            start = str(item.get("from", "0001-01-01"))
            inclusive = bool(item.get("inclusive", True))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{where}[{i}]: expected from, percent and inclusive") from exc
        if not 0 < percent <= 100:
            raise ConfigError(f"{where}[{i}].percent: expected a percentage in (0, 100]")
        out.append(Threshold(start, percent, inclusive))
    return tuple(sorted(out, key=lambda t: t.start))


def load_rules(path: Path | str | None) -> RuleSet:
    """The default rules, overridden by the tables of a TOML file."""
    if path is None:
        return DEFAULT_RULES
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read rules: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    rules = dict(DEFAULT_RULES.rules)
    for code, table in data.items():
        if code not in rules or not isinstance(table, dict):
            raise ConfigError(f"{path}: unknown table [{code}] (expected us, eu, uk or bis)")
        base = rules[code]
        changes: dict[str, Any] = {}
        for key, value in table.items():
            where = f"{path}: {code}.{key}"
            if key == "thresholds":
                changes["thresholds"] = _thresholds(value, where)
            elif key == "control_types":
                changes["control_types"] = _control_types(value, where)
            elif key == "minority_percent":
                changes["minority_percent"] = None if value is False else float(value)
            elif key in ("aggregate", "flag_control"):
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}: expected true or false")
                changes[key] = value
            else:
                raise ConfigError(f"{where}: unknown setting")
        rules[code] = replace(base, **changes)
    return RuleSet(rules)

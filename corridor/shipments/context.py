"""What the rules need to know about a whole ledger: who each company is, what each goods line
is, and the usual unit value of each HS-6."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from corridor.goods import GoodsCheck, GoodsChecker
from corridor.model.trade import Company, DocumentLine
from corridor.names.analyze import analyze
from corridor.shipments.config import RulesConfig


@lru_cache(maxsize=200_000)
def _name_key(name: str) -> str:
    analyzed = analyze(name, organization=True)
    return analyzed.key or name.strip().lower()


def company_key(name: str | None, country: str | None) -> str | None:
    """A company's identity in a ledger: its folded name (legal forms, case, script and word
    order aside) and country: "ТОО Степь" and "STEP TOO" of KZ are one company."""
    if not name:
        return None
    return f"{_name_key(name)}|{country or ''}"


def importer(line: DocumentLine) -> tuple[str | None, str | None]:
    """The importing company of a line: the buyer (or consignee) when the goods arrive in its
    country from another."""
    for role in ("buyer", "consignee"):
        name, country = line.party(role)
        if (
            name
            and country
            and line.destination_country == country
            and (line.dispatch_country or line.origin_country or country) != country
        ):
            return name, country
    return None, None


@dataclass
class LineFacts:
    """A goods line as the rules see it."""

    check: GoodsCheck
    listed: bool  # on a goods list (by its code, or suggested by its description)
    tier: str | None
    hs6: str | None
    value_eur: float | None
    unit_value_eur: float | None


@dataclass
class LedgerContext:
    config: RulesConfig
    goods: GoodsChecker
    as_of: str  # the screening date: goods lists and licences as in force then
    describe: bool = True  # check descriptions too (rules need it; chains alone do not)
    companies: dict[str, Company] = field(default_factory=dict)  # by company key
    related: dict[str, str] = field(default_factory=dict)  # company key -> group key
    facts: dict[int, LineFacts] = field(default_factory=dict)  # id(line) -> facts
    medians: dict[tuple[str, str], tuple[float, int]] = field(default_factory=dict)
    _checks: dict[tuple[str | None, str | None], GoodsCheck] = field(
        default_factory=dict, repr=False
    )

    def add_companies(self, companies: Iterable[Company]) -> None:
        for company in companies:
            key = company_key(company.name, company.country)
            if key is not None:
                self.companies[key] = company

    def company(self, name: str | None, country: str | None) -> Company | None:
        key = company_key(name, country)
        return self.companies.get(key) if key else None

    def group(self, key: str) -> str:
        return self.related.get(key, key)

    def line_facts(self, line: DocumentLine) -> LineFacts:
        found = self.facts.get(id(line))
        if found is None:
            found = self._facts(line)
            self.facts[id(line)] = found
        return found

    def _facts(self, line: DocumentLine) -> LineFacts:
        check = self._check(line.hs_code, line.description)
        hits = check.hits
        tiers = sorted(h.entry.tier for h in hits if h.entry.tier)
        value_eur = self.config.to_eur(line.value, line.currency)
        unit_value = (
            value_eur / line.quantity
            if value_eur is not None and line.quantity not in (None, 0)
            else None
        )
        hs6 = check.hs6
        if hs6 is None and hits:
            hs6 = hits[0].code[:6] if len(hits[0].code) >= 6 else None
        return LineFacts(check, bool(hits), tiers[0] if tiers else None, hs6, value_eur, unit_value)

    def _check(self, code: str | None, description: str | None) -> GoodsCheck:
        # goods lists apply as of the screening date, to every line: a red flag about trade
        # in listed goods looks at the whole history through today's lists
        key = (code, description)
        found = self._checks.get(key)
        if found is None:
            found = self.goods.check(code, description, as_of=self.as_of, describe=self.describe)
            self._checks[key] = found
        return found

    def prepare(self, lines: Iterable[DocumentLine]) -> None:
        """Check every line's goods and compute the median unit value per HS-6 and unit."""
        values: dict[tuple[str, str], list[float]] = defaultdict(list)
        for line in lines:
            f = self.line_facts(line)
            if f.hs6 and f.unit_value_eur is not None and line.unit:
                values[(f.hs6, line.unit)].append(f.unit_value_eur)
        self.medians = {k: (statistics.median(v), len(v)) for k, v in values.items()}

    def median(self, hs6: str | None, unit: str | None) -> tuple[float, int] | None:
        if hs6 is None or unit is None:
            return None
        return self.medians.get((hs6, unit))

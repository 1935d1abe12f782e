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
def _name_parts(name: str) -> tuple[str, str]:
    """A company name folded (case, script, word order and legal form aside), and its legal
    form in canonical terms: ТОО, TOO, ЖШС and LLP are all "llp"; JSC and LLP differ."""
    analyzed = analyze(name, organization=True)
    return analyzed.key or name.strip().lower(), "+".join(sorted(set(analyzed.legal_forms)))


def company_key(name: str | None, country: str | None) -> str | None:
    """A company's identity in a ledger: its folded name, its legal form and its country:
    "ТОО Степь" and "STEP TOO" of KZ are one company, "Kyran Industrial JSC" and
    "Kyran Industrial LLP" two."""
    if not name:
        return None
    folded, form = _name_parts(name)
    return f"{folded}|{form}|{country or ''}"


def _folded_key(name: str, country: str | None) -> str:
    return f"{_name_parts(name)[0]}|{country or ''}"


def registration_key(value: str | None) -> str | None:
    """A registration id compared: digits and letters only, upper case (BIN 971 240 001 315
    and 971240001315 are one)."""
    if not value:
        return None
    text = "".join(c for c in value.upper() if c.isalnum())
    return text or None


# the columns a document may give a party's registration id in, by role
_ID_COLUMNS = ("bin", "iin", "registration_id", "inn", "ogrn", "id")


def party_registration(line: DocumentLine, role: str) -> str | None:
    """The registration id the document gives for the party in ``role`` (``buyer_bin``,
    ``consignee_registration_id``...)."""
    for suffix in _ID_COLUMNS:
        value = line.extra.get(f"{role}_{suffix}")
        if value:
            return registration_key(value)
    return None


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
    by_registration: dict[str, Company] = field(default_factory=dict)
    by_folded: dict[str, list[Company]] = field(default_factory=dict)  # name without form
    ambiguous: set[str] = field(default_factory=set)  # company keys given twice
    warnings: list[str] = field(default_factory=list)
    related: dict[str, str] = field(default_factory=dict)  # company key -> group key
    facts: dict[int, LineFacts] = field(default_factory=dict)  # id(line) -> facts
    medians: dict[tuple[str, str], tuple[float, int]] = field(default_factory=dict)
    _checks: dict[tuple[str | None, str | None], GoodsCheck] = field(
        default_factory=dict, repr=False
    )

    def add_companies(self, companies: Iterable[Company]) -> None:
        """Index company facts by registration id, by name with its legal form, and by
        folded name; two registrations for one folded name are reported, never merged."""
        for company in companies:
            key = company_key(company.name, company.country)
            if key is None:
                continue
            reg = registration_key(company.registration_id)
            if reg is not None:
                self.by_registration.setdefault(reg, company)
            known = self.companies.get(key)
            if known is not None and registration_key(known.registration_id) != reg:
                self.ambiguous.add(key)
            self.companies.setdefault(key, company)
            self.by_folded.setdefault(_folded_key(company.name, company.country), []).append(
                company
            )
        for folded, group in self.by_folded.items():
            regs = {registration_key(c.registration_id) or c.name for c in group}
            if len(regs) > 1:
                country = folded.rsplit("|", 1)[1]
                self.warnings.append(
                    f"company facts hold {len(regs)} registrations for one name "
                    f"({' / '.join(c.name for c in group)})"
                    + (f" ({country})" if country else "")
                    + ": "
                    + "; ".join(
                        f"{c.name} (registration {c.registration_id or 'not given'}, "
                        f"incorporated {c.incorporated or 'not given'})"
                        for c in group
                    )
                    + ". Documents are joined to one of them by registration id or by the "
                    "name with its legal form, never by the name alone"
                )

    def company(
        self, name: str | None, country: str | None, registration: str | None = None
    ) -> Company | None:
        """The facts of a document's party: by the registration id the document gives, else
        by the name with its legal form, else by the name alone when one registration
        bears it."""
        if registration is not None:
            found = self.by_registration.get(registration)
            if found is not None:
                return found
        key = company_key(name, country)
        if not key or not name:
            return None
        if key in self.companies:
            return None if key in self.ambiguous else self.companies[key]
        group = self.by_folded.get(_folded_key(name, country), [])
        if len(group) != 1:
            return None
        only = group[0]
        form = _name_parts(name)[1]
        only_form = _name_parts(only.name)[1]
        # a name without its legal form, or facts without one: the one registration
        return only if not form or not only_form else None

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

"""Shipment screening: every party through the matching engine (with ownership), every goods
line against the goods lists, the route and the red-flag rules, re-export chains, licences,
and a decision per jurisdiction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from corridor.goods import GoodsChecker, format_hs
from corridor.matching import Query, Screener, ScreeningResult
from corridor.model.trade import PARTY_ROLES, Company, DocumentLine, RowError
from corridor.places import EmbargoBook, bundled_embargoes, load_embargoes
from corridor.shipments.chains import find_chains
from corridor.shipments.config import RulesConfig
from corridor.shipments.context import LedgerContext, company_key
from corridor.shipments.licences import Licence, LicenceBook
from corridor.shipments.places import DocumentPlaces
from corridor.shipments.read import Ledger
from corridor.shipments.results import (
    JURISDICTIONS,
    RESULTS,
    Chain,
    Decision,
    Flag,
    GoodsHit,
    PartyHit,
    ShipmentResult,
)
from corridor.shipments.rules import DOC_RULES, LEDGER_RULES

# which jurisdictions' rules a hit on each list engages (UN listings are implemented by the
# EU and the UK as well)
LIST_JURISDICTIONS = {
    "us_ofac_sdn": ("us",),
    "us_ofac_cons": ("us",),
    "us_csl": ("us",),
    "eu_fsf": ("eu",),
    "uk_hmt": ("uk",),
    "uk_fcdo": ("uk",),
    "un_sc": ("un", "eu", "uk"),
}
# lists of a country's own law rather than of the four jurisdictions decided on: a hit is a
# reason for review under every jurisdiction, named as the domestic listing it is
DOMESTIC_LISTS = {
    "kz_afm": "Kazakhstan's AFM list (terrorism and extremism financing)",
    "kz_afm_participants": "Kazakhstan's AFM list of participants in terrorist activities",
}
SEVERITY_REVIEW = ("medium", "high")

Progress = Callable[[int], None]


@dataclass
class LedgerReport:
    results: list[ShipmentResult]
    chains: list[Chain]
    errors: list[RowError]
    rules_file: str
    as_of: str | None = None
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        overall: dict[str, int] = defaultdict(int)
        per: dict[str, dict[str, int]] = {j: defaultdict(int) for j in JURISDICTIONS}
        for r in self.results:
            overall[r.overall] += 1
            for j, d in r.decisions.items():
                per[j][d.result] += 1
        return {
            "documents": len(self.results),
            "lines": sum(r.lines for r in self.results),
            "bad_rows": len(self.errors),
            "overall": dict(overall),
            "by_jurisdiction": {j: dict(v) for j, v in per.items()},
            "flags": dict(sorted(self.flags_by_rule.items())),
            "chains": len(self.chains),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "rules_file": self.rules_file,
            "warnings": self.warnings,
            "counts": self.counts(),
            "errors": [e.to_dict() for e in self.errors],
            "results": [r.to_dict() for r in self.results],
            "chains": [c.to_dict() for c in self.chains],
        }


class ShipmentScreener:
    """Screens ledgers of trade documents. ``screener`` screens the parties (None: parties
    are not screened); ``related`` maps a company key to its group (related companies share
    a virtual warehouse)."""

    def __init__(
        self,
        goods: GoodsChecker,
        config: RulesConfig,
        screener: Screener | None = None,
        licences: Iterable[Licence] = (),
        companies: Iterable[Company] = (),
        related: dict[str, str] | None = None,
        embargoes: EmbargoBook | None = None,
    ) -> None:
        self.goods = goods
        if embargoes is None:
            embargoes = (
                load_embargoes(config.embargoes_file)
                if config.embargoes_file
                else bundled_embargoes()
            )
        self.embargoes = embargoes
        self.places = DocumentPlaces(self.embargoes)
        self.config = config
        self.screener = screener
        self.book = LicenceBook(list(licences))
        self.companies = list(companies)
        self.related = related or {}
        self._party_cache: dict[tuple[str, str | None], list[ScreeningResult]] = {}

    # -- parties ---------------------------------------------------------------------------

    def _screen_party(self, name: str, country: str | None) -> list[ScreeningResult]:
        key = (name, country)
        found = self._party_cache.get(key)
        if found is None:
            assert self.screener is not None
            query = Query(name, kind=None, country=country)
            found = self.screener.screen(query, limit=5)
            self._party_cache[key] = found
        return found

    def _party_hits(self, head: DocumentLine) -> list[PartyHit]:
        if self.screener is None:
            return []
        hits: list[PartyHit] = []
        seen: set[tuple[str, str]] = set()
        for role in PARTY_ROLES:
            name, country = head.party(role)
            if not name:
                continue
            for r in self._screen_party(name, country):
                if (name, r.entity_id) in seen:
                    continue
                seen.add((name, r.entity_id))
                ownership = None
                summary = r.explanation.summary()
                if r.ownership is not None:
                    ownership = dict(r.ownership.get("statuses", {}))
                    juris = tuple(j for j, s in ownership.items() if s != "not_blocked")
                    summary = str(r.ownership.get("summary", summary))
                else:
                    juris = LIST_JURISDICTIONS.get(r.source, ())
                hits.append(
                    PartyHit(
                        role,
                        name,
                        country,
                        r.entity_id,
                        r.caption,
                        r.source,
                        r.score,
                        list(r.programs),
                        juris,
                        r.score >= self.config.strong_match,
                        ownership,
                        summary,
                    )
                )
        return hits

    # -- decisions -------------------------------------------------------------------------

    def _decide(self, result: ShipmentResult, head: DocumentLine, dest: str | None) -> None:
        projects = {head.extra["project"].upper()} if head.extra.get("project") else set()
        names = [n for n in result.parties.values() if n]
        restricted = dest in self.config.restricted_destinations
        for j in JURISDICTIONS:
            decision = Decision(j, "clear")
            level = 0
            for hit in result.party_hits:
                if hit.ownership is not None:
                    status = hit.ownership.get(j)
                    if status not in ("blocked", "possibly_blocked"):
                        continue
                    severe = status == "blocked" and hit.strong
                    what = f"{hit.role} {hit.name} is {status.replace('_', ' ')} ({hit.summary})"
                elif j in hit.jurisdictions:
                    severe = hit.strong
                    what = (
                        f"{hit.role} {hit.name} matches {hit.caption} ({hit.source}, "
                        f"score {hit.score:.2f})"
                    )
                elif hit.source in DOMESTIC_LISTS:
                    severe = False
                    what = (
                        f"{hit.role} {hit.name} matches {hit.caption} on "
                        f"{DOMESTIC_LISTS[hit.source]} (score {hit.score:.2f}): domestic law "
                        "requires the operation to be suspended and reported"
                    )
                else:
                    continue
                lic = self.book.covering(
                    j,
                    "parties",
                    result.date,
                    [hit.name, hit.entity_id, hit.caption],
                    destination=dest,
                    projects=projects,
                )
                if lic is not None:
                    hit.licensed_by[j] = lic.id
                    decision.licensed.append(f"{what}: licensed under {lic.describe()}")
                    continue
                decision.reasons.append(what)
                level = max(level, 2 if severe else 1)
            for gh in result.goods_hits:
                if j not in gh.jurisdictions:
                    continue
                code = format_hs(gh.hs6 or gh.hs_code or "")
                if restricted:
                    severe = gh.certain
                    basis = self.embargoes.covering(j, dest or "", result.date)
                    what = (
                        f"line {gh.line}: {code} is on the {gh.list} (tier {gh.tier}) and goes "
                        f"to {dest}"
                        + ("" if gh.certain else " (code uncertain)")
                        + (f" ({basis.legal_basis})" if basis is not None else "")
                    )
                else:
                    severe = False
                    what = (
                        f"line {gh.line}: {code} is on the {gh.list} (tier {gh.tier}): "
                        "enhanced due diligence"
                    )
                lic = self.book.covering(j, "goods", result.date, names, gh.hs6, dest, projects)
                if lic is not None:
                    gh.licensed_by[j] = lic.id
                    decision.licensed.append(f"{what}: licensed under {lic.describe()}")
                    continue
                decision.reasons.append(what)
                level = max(level, 2 if severe else 1)
            level = max(level, self._embargo_reasons(j, result, dest, decision))
            if j != "un":
                for flag in result.flags:
                    if flag.severity in SEVERITY_REVIEW:
                        decision.reasons.append(f"{flag.rule} ({flag.severity}): {flag.message}")
                        level = max(level, 1)
            decision.result = RESULTS[level]
            result.decisions[j] = decision

    def _embargo_reasons(
        self, j: str, result: ShipmentResult, dest: str | None, decision: Decision
    ) -> int:
        """Reasons from the embargoed places the document involves, and the level they set:
        a comprehensive embargo prohibits any dealing with the place; a goods embargo
        prohibits listed goods sent there. The name or code of a region only part of which is
        embargoed asks for review (the exact place decides)."""
        level = 0
        listed = [gh for gh in result.goods_hits if gh.via == "code" or gh.certain]
        restricted = dest in self.config.restricted_destinations
        for hit in result.place_hits:
            embargo = self.embargoes.covering(j, hit.code, result.date)
            if embargo is None:
                continue
            where = f"{hit.field.replace('_', ' ')} {hit.matched!r}"
            if hit.kind == "country":
                where = f"{hit.field.replace('_', ' ')} {hit.code}"
            place = f"{hit.place} ({hit.code})"
            if embargo.scope == "goods":
                if hit.side not in ("destination", "transit") or not listed:
                    continue
                if hit.side == "transit":
                    continue  # transit of listed goods is the SHP-09 red flag
                if restricted and hit.code == dest and hit.kind == "country":
                    continue  # said with each goods line above
                certain = any(gh.certain for gh in listed) and not hit.partial
                codes = ", ".join(sorted({format_hs(gh.hs6 or gh.hs_code or "") for gh in listed}))
                decision.reasons.append(
                    f"listed goods ({codes}) go to {place}, named by {where}: prohibited under "
                    f"{embargo.legal_basis}"
                    + ("" if certain else " (to review: the code or the place is uncertain)")
                )
                level = max(level, 2 if certain else 1)
                continue
            if hit.partial:
                decision.reasons.append(
                    f"{where} names {place}, part of which is under embargo ({embargo.legal_basis})"
                    ": check whether the place lies in the embargoed part"
                )
                level = max(level, 1)
                continue
            decision.reasons.append(
                f"{where}: {place} is under a comprehensive embargo ({embargo.legal_basis})"
                + (f"; {embargo.note}" if embargo.note else "")
            )
            level = 2
        return level

    # -- screening -------------------------------------------------------------------------

    def _context(self, as_of: str, describe: bool) -> LedgerContext:
        ctx = LedgerContext(self.config, self.goods, as_of, describe=describe)
        ctx.add_companies(self.companies)
        ctx.related = self.related
        return ctx

    def chains(self, ledger: Ledger, as_of: str | None = None) -> list[Chain]:
        """Re-export chains only: no party screening, and goods checked by code only (stock
        accounting needs no descriptions), for large ledgers."""
        ctx = self._context(as_of or date.today().isoformat(), describe=False)
        return find_chains(ledger.lines, ctx, *self.config.chain_params())

    def screen(
        self, ledger: Ledger, as_of: str | None = None, progress: Progress | None = None
    ) -> LedgerReport:
        as_of = as_of or date.today().isoformat()
        ctx = self._context(as_of, describe=True)
        ctx.prepare(ledger.lines)
        docs = ledger.documents()
        flags: dict[str, list[Flag]] = defaultdict(list)
        for rule_id, ledger_rule in LEDGER_RULES.items():
            spec = self.config.enabled(rule_id)
            if spec is not None:
                for flag in ledger_rule(docs, ctx, spec):
                    flags[flag.doc_id].append(flag)
        spec = self.config.enabled("SHP-04")
        chains = find_chains(ledger.lines, ctx, *self.config.chain_params())
        by_export: dict[str, list[Chain]] = defaultdict(list)
        for chain in chains:
            by_export[chain.export_doc].append(chain)
            if spec is not None:
                flags[chain.export_doc].append(
                    Flag(
                        spec.id,
                        spec.family,
                        spec.severity,
                        spec.title,
                        f"{chain.company} exports {chain.export_quantity:g} {chain.unit or ''} "
                        f"of {format_hs(chain.hs6)} to {chain.destination} on "
                        f"{chain.export_date}, {chain.share:.0%} of it imported within "
                        f"{chain.days} days ("
                        + ", ".join(f"{link.doc_id} {link.date}" for link in chain.imports[:5])
                        + ")",
                        spec.guidance,
                        chain.export_doc,
                        (),
                        {"chain": chain.to_dict()},
                        company_key(chain.company, None),
                    )
                )
        results: list[ShipmentResult] = []
        rule_specs = [(s, DOC_RULES[r]) for r in DOC_RULES if (s := self.config.enabled(r))]
        counts: dict[str, int] = defaultdict(int)
        for n, (doc_id, doc) in enumerate(docs.items(), start=1):
            head = doc[0]
            values = [ctx.line_facts(line).value_eur for line in doc]
            result = ShipmentResult(
                doc_id,
                head.doc_type,
                head.date,
                len(doc),
                {role: name for role in PARTY_ROLES if (name := head.party(role)[0])},
                head.route(),
                sum(v for v in values if v is not None)
                if any(v is not None for v in values)
                else None,
            )
            for spec_, doc_rule in rule_specs:
                result.flags.extend(doc_rule(doc, ctx, spec_))
            result.flags.extend(flags.get(doc_id, ()))
            for flag in result.flags:
                counts[flag.rule] += 1
            for line in doc:
                for hit in ctx.line_facts(line).check.hits:
                    result.goods_hits.append(
                        GoodsHit(
                            line.line,
                            line.hs_code,
                            ctx.line_facts(line).hs6,
                            hit.entry.list,
                            hit.entry.tier,
                            hit.entry.jurisdictions,
                            hit.certain,
                            hit.via,
                            hit.entry.legal_basis,
                        )
                    )
            result.place_hits = self.places.of(doc)
            result.party_hits = self._party_hits(head)
            result.chains = by_export.get(doc_id, [])
            self._decide(result, head, head.destination_country)
            results.append(result)
            if progress is not None and n % 200 == 0:
                progress(n)
        return LedgerReport(
            results,
            chains,
            list(ledger.errors),
            self.config.path,
            as_of,
            dict(counts),
            [*ledger.warnings, *ctx.warnings],
        )


__all__ = ["DOMESTIC_LISTS", "LIST_JURISDICTIONS", "LedgerReport", "ShipmentScreener"]

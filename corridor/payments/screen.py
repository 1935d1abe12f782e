"""Screening a payment field by field, and a decision per jurisdiction (clear, review, block).

- **Parties** (debtor, creditor, ultimate parties, initiating party; MT 50a and 59a) by name
  and country through the matching engine; their BICs against the BICs the lists carry; the
  countries and towns of their addresses, and their IBAN's country, against the embargoes.
- **Agents** (every bank of the chain) by BIC against the lists' BICs and by name; their
  countries (of the address, and of the BIC) against the embargoes.
- **Free text** through the scanner (:mod:`corridor.payments.scan`).

Decisions: a party or agent matching a blocking listing of a jurisdiction at or above the
strong-match score, or a listed BIC, blocks; a place under a comprehensive embargo in a
party's or agent's address, country, BIC or IBAN blocks. Weaker matches, restriction lists,
places only partly embargoed, listed names, identifiers and vessels in free text, embargoed
places in free text, phrases of circumvention, a Russian INN or OGRN that no declared Russian
party explains, and goods of the Common High Priority List in a payment with a Russian or
Belarusian link ask for review. Kazakh BINs and IINs are reported, not weighed (they are the
ordinary identifiers of Kazakh parties) unless a list names them.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from corridor.goods import GoodsChecker
from corridor.matching import Query, Screener, ScreeningResult
from corridor.model.listings import BLOCKING, listing_parts
from corridor.payments.message import Agent, Party, Payment
from corridor.payments.scan import FreeTextScanner, Terms, TextHit, place_hit
from corridor.places import EmbargoBook, PlaceFinder, PlaceHit, bundled_embargoes

JURISDICTIONS = ("us", "eu", "uk", "un")
RESULTS = ("clear", "review", "block")
_BIC = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_IBAN = re.compile(r"^([A-Z]{2})\d{2}[A-Z0-9]{10,30}$")
RUSSIAN_LINK = frozenset({"RU", "BY"})
CACHE = 100_000


@dataclass
class Decision:
    jurisdiction: str
    result: str = "clear"
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "result": self.result, "reasons": self.reasons}


@dataclass
class PaymentResult:
    payment: Payment
    hits: list[TextHit] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        return self.payment.message_id

    @property
    def overall(self) -> str:
        worst = max((RESULTS.index(d.result) for d in self.decisions.values()), default=0)
        return RESULTS[worst]

    def to_dict(self, with_message: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": self.payment.message_id,
            "kind": self.payment.kind,
            "source": self.payment.source,
            "position": self.payment.position,
            "amount": self.payment.amount,
            "currency": self.payment.currency,
            "date": self.payment.date,
            "overall": self.overall,
            "decision": {j: d.result for j, d in self.decisions.items()},
            "decisions": {j: d.to_dict() for j, d in self.decisions.items()},
            "hits": [h.to_dict() for h in self.hits],
        }
        if with_message:
            out["message"] = self.payment.to_dict()
        return out


def _jurisdictions(source: str, lists: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The jurisdictions a listing engages, and whether it is a blocking one."""
    jurisdiction, _, kind = listing_parts(source, lists)
    if jurisdiction == "un":
        return ("un", "eu", "uk"), kind == BLOCKING
    if jurisdiction in JURISDICTIONS:
        return (jurisdiction,), kind == BLOCKING
    return JURISDICTIONS[:3], False  # a domestic list (Kazakhstan's AFM): review everywhere


class PaymentScreener:
    """Screens payments against the lists of a screener's index, the embargoes and the
    payment terms."""

    def __init__(
        self,
        screener: Screener,
        goods: GoodsChecker | None = None,
        embargoes: EmbargoBook | None = None,
        terms: Terms | None = None,
        strong_match: float = 0.95,
    ) -> None:
        self.screener = screener
        self.embargoes = embargoes or bundled_embargoes()
        self.places = PlaceFinder(self.embargoes)
        self.codes = self.embargoes.embargoed_codes()
        self.scanner = FreeTextScanner(
            screener.index, self.embargoes, goods or GoodsChecker.bundled(), terms
        )
        self.strong_match = strong_match
        self._bics: dict[str, list[int]] = defaultdict(list)
        self._lists: dict[str, tuple[str, ...]] = {}
        index = screener.index
        for e in range(len(index.entities)):
            self._lists[index.entities[e].id] = index.entities[e].lists
            for value in index.entities[e].facts.identifiers:
                if _BIC.match(value) and not value.isdigit():
                    self._bics[value].append(e)
                    if value[:8] != value:
                        self._bics[value[:8]].append(e)
        self._cache: OrderedDict[tuple[str, str | None], list[ScreeningResult]] = OrderedDict()
        self._places_seen: dict[str, list[PlaceHit]] = {}

    # -- pieces ----------------------------------------------------------------------------

    def _names(self, name: str, country: str | None) -> list[ScreeningResult]:
        key = (name, country)
        found = self._cache.get(key)
        if found is None:
            found = self.screener.screen(Query(name, country=country), limit=3)
            self._cache[key] = found
            if len(self._cache) > CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return found

    def _bic_hits(self, field_: str, bic: str) -> list[TextHit]:
        """The listed records whose BIC is ``bic`` (the same institution, any branch, when one
        of the two is a BIC8 or a head office ``XXX``), one per list."""
        bic = bic.upper()
        found = list(self._bics.get(bic, []))
        if len(bic) == 8 or bic.endswith("XXX"):
            found += self._bics.get(bic[:8], [])
        by_source: dict[str, tuple[bool, int]] = {}  # a blocking listing first
        for e in dict.fromkeys(found):
            ent = self.screener.index.entities[e]
            blocking = _jurisdictions(ent.source, ent.lists)[1]
            if ent.source not in by_source or (blocking and not by_source[ent.source][0]):
                by_source[ent.source] = (blocking, e)
        out: list[TextHit] = []
        for _, e in by_source.values():
            ent = self.screener.index.entities[e]
            out.append(
                TextHit(
                    field_,
                    "listed_bic",
                    bic,
                    0,
                    len(bic),
                    ent.caption,
                    f"BIC {bic} is the BIC of the listed {ent.caption!r} ({ent.source})",
                    ent.id,
                    ent.source,
                    bic,
                )
            )
        return out

    def _find_places(self, text: str) -> list[PlaceHit]:
        found = self._places_seen.get(text)
        if found is None:
            found = self.places.find(text)
            if len(self._places_seen) > CACHE:
                self._places_seen.clear()
            self._places_seen[text] = found
        return found

    def _place_hits(self, field_: str, texts: list[str], country: str | None) -> list[TextHit]:
        out: list[TextHit] = []
        if country and country in self.codes and country not in RUSSIAN_LINK:
            place = self.embargoes.places[country]
            out.append(
                TextHit(
                    field_,
                    "place",
                    country,
                    0,
                    len(country),
                    place.name,
                    f"country {country} ({place.name}) is under embargo",
                    code=country,
                )
            )
        for text in texts:
            for hit in self._find_places(text):
                if hit.place.code not in RUSSIAN_LINK:
                    out.append(place_hit(field_, hit, text))
        return out

    def _party_hits(self, who: Party | Agent, role_field: str) -> list[TextHit]:
        out: list[TextHit] = []
        if who.name:
            for r in self._names(who.name, who.country):
                out.append(
                    TextHit(
                        role_field,
                        "listed_party" if isinstance(who, Party) else "listed_agent",
                        who.name,
                        0,
                        len(who.name),
                        r.caption,
                        f"{who.role.replace('_', ' ')} {who.name!r} matches {r.caption!r} "
                        f"({r.source}, score {r.score:.2f}): {r.explanation.summary()}",
                        r.entity_id,
                        r.source,
                        score=r.score,
                    )
                )
        if who.bic:
            out += self._bic_hits(role_field, who.bic)
        texts = list(who.address)
        if isinstance(who, Party) and who.town and who.town not in texts:
            texts.append(who.town)
        out += self._place_hits(f"{role_field}/PstlAdr", texts, who.country)
        if who.bic:
            m = _BIC.match(who.bic.upper())
            if m and m.group(1) in self.codes and m.group(1) not in RUSSIAN_LINK:
                out += self._place_hits(f"{role_field} BIC", [], m.group(1))
        if isinstance(who, Party) and who.account:
            m = _IBAN.match(who.account.replace(" ", "").upper())
            if m and m.group(1) in self.codes and m.group(1) not in RUSSIAN_LINK:
                out += self._place_hits(f"{role_field} IBAN", [], m.group(1))
        return out

    # -- one payment -----------------------------------------------------------------------

    def screen(self, payment: Payment) -> PaymentResult:
        result = PaymentResult(payment)
        for party in payment.parties:
            result.hits += self._party_hits(party, party.field)
        for agent in payment.agents:
            result.hits += self._party_hits(agent, agent.field)
        for text in payment.texts:
            result.hits += self.scanner.scan(text.field, text.text)
        self._decide(result)
        return result

    def _russian_link(self, payment: Payment, hits: list[TextHit]) -> bool:
        declared: list[tuple[str | None, str | None]] = [
            (p.country, p.bic) for p in payment.parties
        ] + [(a.country, a.bic) for a in payment.agents]
        for country, bic in declared:
            if country in RUSSIAN_LINK or (bic and bic[4:6].upper() in RUSSIAN_LINK):
                return True
        for party in payment.parties:
            if party.account and party.account[:2].upper() in RUSSIAN_LINK:
                return True
        return False

    def _decide(self, result: PaymentResult) -> None:
        payment, hits = result.payment, result.hits
        declared_russian = self._russian_link(payment, hits)
        russian = declared_russian or any(h.kind in ("phrase", "ru_inn", "ru_ogrn") for h in hits)
        structured = ("listed_party", "listed_agent", "listed_bic")
        for j in JURISDICTIONS:
            decision = Decision(j)
            level = 0
            for h in hits:
                what, severe = None, False
                if h.kind in structured or h.kind in ("listed_name", "listed_identifier", "vessel"):
                    ent_lists = self._lists.get(h.entity_id or "", ())
                    engaged, blocking = _jurisdictions(h.source or "", ent_lists)
                    if j not in engaged:
                        continue
                    what = h.why
                    severe = blocking and (
                        h.kind == "listed_bic"
                        or (h.kind in structured and h.score >= self.strong_match)
                    )
                elif h.kind == "place":
                    embargo = self.embargoes.covering(j, h.code or "", payment.date)
                    if embargo is None:
                        continue
                    in_text = not (
                        h.field.endswith("PstlAdr") or " BIC" in h.field or "IBAN" in h.field
                    )
                    if embargo.scope == "goods" and not any(
                        x.kind in ("goods", "hs_code") for x in hits
                    ):
                        continue
                    what = f"{h.field}: {h.why} ({embargo.legal_basis})"
                    severe = embargo.scope == "comprehensive" and h.score >= 1.0 and not in_text
                elif h.kind in ("ru_inn", "ru_ogrn"):
                    if j == "un" or declared_russian:
                        continue
                    what = f"{h.field}: {h.why}, and no party or bank of the payment is Russian"
                elif h.kind == "phrase":
                    if j == "un":
                        continue
                    what = f"{h.field}: {h.why}"
                elif h.kind in ("goods", "hs_code"):
                    if j == "un" or not russian:
                        continue
                    what = f"{h.field}: {h.why}, in a payment with a Russian or Belarusian link"
                if what is None:
                    continue
                decision.reasons.append(what)
                level = max(level, 2 if severe else 1)
            decision.result = RESULTS[level]
            result.decisions[j] = decision

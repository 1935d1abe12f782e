"""The red-flag rules of DOMAIN.md section 3 that trade documents support.

Document rules look at one document (its lines); ledger rules look at a company's history
across the ledger (CP-03, CP-04, SHP-01) and report on the documents concerned. Every flag
carries the rule's id, severity, the evidence and the guidance it comes from.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from corridor.goods import format_hs
from corridor.matching import compare
from corridor.model.entity import EntityKind
from corridor.model.trade import DocumentLine
from corridor.shipments.config import RuleSpec
from corridor.shipments.context import (
    LedgerContext,
    company_key,
    importer,
    party_registration,
)
from corridor.shipments.results import Flag

DocRule = Callable[[list[DocumentLine], LedgerContext, RuleSpec], Iterator[Flag]]
HIGH_TIERS = ("1", "2")


def _flag(
    spec: RuleSpec,
    lines: list[DocumentLine],
    message: str,
    evidence: dict[str, Any],
    severity: str | None = None,
    company: str | None = None,
) -> Flag:
    return Flag(
        spec.id,
        spec.family,
        severity or spec.severity,
        spec.title,
        message,
        spec.guidance,
        lines[0].doc_id,
        tuple(line.line for line in lines if line.line is not None),
        evidence,
        company,
    )


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# -- document rules -------------------------------------------------------------------------


def cp01(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    listed = [line for line in doc if ctx.line_facts(line).listed]
    if not listed:
        return
    tiers = sorted(t for line in listed if (t := ctx.line_facts(line).tier))
    head = doc[0]
    seen: set[str] = set()
    for role in ("buyer", "consignee", "seller"):
        name, country = head.party(role)
        company = ctx.company(name, country, party_registration(head, role))
        if company is None or company.incorporated is None or name in seen:
            continue
        seen.add(name or "")
        home = company.country or country
        if company.incorporated >= ctx.config.t0 and home not in ctx.config.gecc:
            high = bool(tiers) and tiers[0] in HIGH_TIERS
            yield _flag(
                spec,
                listed,
                f"{role} {name} ({home}) was incorporated on {company.incorporated}, after "
                f"{ctx.config.t0}, and trades listed goods"
                + (f" of tier {tiers[0]}" if tiers else ""),
                {
                    "role": role,
                    "company": name,
                    "country": home,
                    "incorporated": company.incorporated,
                    "registration_id": company.registration_id,
                    "hs6": sorted({ctx.line_facts(x).hs6 or "" for x in listed}),
                    "tier": tiers[0] if tiers else None,
                },
                "high" if high else None,
                # the company the facts name (the document may write it otherwise)
                company_key(company.name, company.country or country),
            )


def _activity_match(activity: str | None, spec: RuleSpec) -> str | None:
    """The forwarding, logistics or trading activity prefix an OKED, OKVED or NACE code falls
    under, dotted or not: 52.29, 5229, 52290 and 52.29.0 are one code."""
    digits = "".join(c for c in activity or "" if c.isdigit())
    if len(digits) < 2:
        return None
    for prefix in spec.param("activity_prefixes"):
        want = "".join(c for c in str(prefix) if c.isdigit())
        if want and digits.startswith(want):
            return str(prefix)
    return None


def _name_word(name: str, spec: RuleSpec) -> str | None:
    lowered = name.casefold()
    for word in spec.param("name_words"):
        if str(word).casefold() in lowered:
            return str(word)
    return None


def cp14(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    """A forwarder, logistics or trading firm named as the (ultimate) consignee, with no end
    user named (DOMAIN.md 3.1): its activity code first, its name as a fallback."""
    head = doc[0]
    role = "ultimate_consignee" if head.extra.get("ultimate_consignee") else "consignee"
    name = head.extra.get("ultimate_consignee") or head.consignee
    country = head.extra.get("ultimate_consignee_country") or head.consignee_country
    if not name:
        return
    if any(line.extra.get("end_user") for line in doc):
        return
    company = ctx.company(name, country, party_registration(head, role))
    activity = company.activity_code if company else None
    prefix = _activity_match(activity, spec)
    word = None if prefix else _name_word(name, spec)
    if prefix is None and word is None:
        return
    why = f"activity code {activity} (under {prefix})" if prefix else f"name contains {word!r}"
    same = company_key(head.buyer, head.buyer_country) == company_key(name, country)
    listed = any(ctx.line_facts(line).listed for line in doc)
    # listed goods: high; the forwarder buying for itself: medium; carrying for a named
    # buyer without an end user: low (recorded, no review on its own)
    severity = "high" if listed else ("medium" if same or not head.buyer else "low")
    yield _flag(
        spec,
        doc,
        f"{role.replace('_', ' ')} {name} looks like a forwarder, trader or logistics firm "
        f"({why}) and no end user is named"
        + ("" if same or not head.buyer else f" (the buyer is {head.buyer})"),
        {
            "consignee": name,
            "why": why,
            "activity_code": activity,
            "activity_prefix": prefix,
            "name_word": word,
            "buyer": head.buyer,
            "listed_goods": listed,
        },
        severity,
        company_key(name, country),
    )


def pay01(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    head = doc[0]
    if not head.payer or not head.buyer:
        return
    country_differs = bool(
        head.payer_country and head.buyer_country and head.payer_country != head.buyer_country
    )
    if company_key(head.payer, head.payer_country) == company_key(head.buyer, head.buyer_country):
        return
    score = _name_score(head.payer, head.buyer)
    if score >= float(spec.param("min_name_score")) and not country_differs:
        return
    payer_where = f" ({head.payer_country})" if head.payer_country else ""
    buyer_where = f" ({head.buyer_country})" if head.buyer_country else ""
    yield _flag(
        spec,
        doc,
        f"paid by {head.payer}{payer_where}, not by the buyer {head.buyer}{buyer_where}"
        + (": another country" if country_differs else ""),
        {
            "payer": head.payer,
            "payer_country": head.payer_country,
            "buyer": head.buyer,
            "buyer_country": head.buyer_country,
            "name_score": round(score, 3),
        },
    )


_SCORES: dict[tuple[str, str], float] = {}


def _name_score(a: str, b: str) -> float:
    key = (a, b)
    found = _SCORES.get(key)
    if found is None:
        found = compare(a, b, EntityKind.ORGANIZATION)[0]
        if len(_SCORES) > 100_000:
            _SCORES.clear()
        _SCORES[key] = found
    return found


def _unit_value_rule(
    doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec, listed_only: bool, both: bool
) -> Iterator[Flag]:
    ratio = float(spec.param("ratio"))
    min_obs = int(spec.param("min_observations"))
    for line in doc:
        f = ctx.line_facts(line)
        if listed_only and not f.listed:
            continue
        ref = ctx.median(f.hs6, line.unit)
        if f.unit_value_eur is None or ref is None or ref[1] < min_obs or ref[0] <= 0:
            continue
        factor = f.unit_value_eur / ref[0]
        if factor > ratio or (both and factor < 1 / ratio):
            direction = "above" if factor > 1 else "below"
            yield _flag(
                spec,
                [line],
                f"{format_hs(f.hs6 or '')}: {f.unit_value_eur:,.2f} EUR per {line.unit}, "
                f"{factor:.1f} times the median {ref[0]:,.2f} ({direction}, "
                f"{ref[1]} lines)",
                {
                    "hs6": f.hs6,
                    "unit": line.unit,
                    "unit_value_eur": round(f.unit_value_eur, 4),
                    "median_eur": round(ref[0], 4),
                    "observations": ref[1],
                    "factor": round(factor, 3),
                },
            )


def pay03(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    yield from _unit_value_rule(doc, ctx, spec, listed_only=True, both=False)


def shp08(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    yield from _unit_value_rule(doc, ctx, spec, listed_only=False, both=True)


def shp02(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    hubs = ctx.config.transshipment
    for line in doc:
        if not ctx.line_facts(line).listed:
            continue
        points = list(line.transit_countries)
        if line.dispatch_country and line.dispatch_country not in (
            line.origin_country,
            line.destination_country,
        ):
            points.insert(0, line.dispatch_country)
        via = [c for c in points if c in hubs and c != line.destination_country]
        if not via:
            continue
        restricted = line.destination_country in ctx.config.restricted_destinations
        yield _flag(
            spec,
            [line],
            f"listed goods {format_hs(ctx.line_facts(line).hs6 or '')} routed via "
            f"{', '.join(via)} to {line.destination_country or 'an unstated destination'}",
            {"via": via, "route": line.route(), "destination": line.destination_country},
            "high" if restricted else None,
        )


def shp09(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    """Listed goods in transit through a watched country (Russia, Belarus) on their way
    elsewhere: the transit ban of EU Reg. 833/2014 and a diversion risk for everyone."""
    watched = {str(c) for c in spec.param("countries")}
    for line in doc:
        facts = ctx.line_facts(line)
        if not facts.listed:
            continue
        via = [c for c in line.transit_countries if c in watched and c != line.destination_country]
        if not via:
            continue
        tiers = facts.tier
        yield _flag(
            spec,
            [line],
            f"listed goods {format_hs(facts.hs6 or '')}"
            + (f" (tier {tiers})" if tiers else "")
            + f" cross {', '.join(via)} on the way to "
            + f"{line.destination_country or 'an unstated destination'} (route "
            + " > ".join(line.route())
            + ")",
            {"via": via, "route": line.route(), "destination": line.destination_country},
        )


def shp06(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    gecc = ctx.config.gecc
    for line in doc:
        if line.destination_country not in ctx.config.restricted_destinations:
            continue
        made = [
            (what, c)
            for what, c in (
                ("origin", line.origin_country),
                ("manufacturer", line.manufacturer_country),
            )
            if c in gecc
        ]
        if made:
            yield _flag(
                spec,
                [line],
                "goods of "
                + ", ".join(f"{what} {c}" for what, c in made)
                + f" (a coalition country) sent to {line.destination_country}",
                {
                    "origin_country": line.origin_country,
                    "manufacturer_country": line.manufacturer_country,
                    "destination": line.destination_country,
                    "hs6": ctx.line_facts(line).hs6,
                },
            )


def shp07(doc: list[DocumentLine], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    for line in doc:
        f = ctx.line_facts(line)
        check = f.check
        problems = []
        note = line.extra.get("hs_code_note")
        if not line.hs_code:
            problems.append("no goods code")
        elif check.error:
            problems.append(note if note and "hs_code_original" not in line.extra else check.error)
        elif check.code is not None and check.code.hs6 is None:
            problems.append(f"code {line.hs_code} is only a chapter or heading")
        if line.description and check.vague:
            problems.append(f"vague description {line.description!r}")
        elif not line.description:
            problems.append("no description")
        if check.consistent is False:
            problems.append(f"description {line.description!r} does not fit code {line.hs_code}")
        if not problems:
            continue
        yield _flag(
            spec,
            [line],
            "; ".join(problems),
            {
                "hs_code": line.hs_code,
                "description": line.description,
                "suggestions": [format_hs(s.hs6) for s in check.suggestions[:3]],
            },
            "medium" if f.listed or not line.hs_code or check.error else None,
        )


DOC_RULES: dict[str, DocRule] = {
    "CP-01": cp01,
    "CP-14": cp14,
    "PAY-01": pay01,
    "PAY-03": pay03,
    "SHP-02": shp02,
    "SHP-06": shp06,
    "SHP-07": shp07,
    "SHP-08": shp08,
    "SHP-09": shp09,
}


# -- ledger rules ---------------------------------------------------------------------------


def cp03(docs: dict[str, list[DocumentLine]], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    years = {int(y) for y in spec.param("baseline_years")}
    ratio = float(spec.param("ratio"))
    minimum = float(spec.param("min_value_eur"))
    imports: dict[str, list[tuple[str, float, str, list[DocumentLine]]]] = defaultdict(list)
    names: dict[str, str] = {}
    for doc in docs.values():
        by_company: dict[str, float] = defaultdict(float)
        for line in doc:
            f = ctx.line_facts(line)
            if not f.listed or f.value_eur is None:
                continue
            name, country = importer(line)
            key = company_key(name, country)
            if key is None:
                continue
            names[key] = name or ""
            by_company[key] += f.value_eur
        for key, value in by_company.items():
            imports[key].append((doc[0].date, value, doc[0].doc_id, doc))
    t0 = ctx.config.t0
    for key, events in imports.items():
        events.sort(key=lambda e: e[0])
        baseline = sum(v for d, v, _, _ in events if int(d[:4]) in years) / len(years)
        if baseline <= 0:
            continue
        dates = [e[0] for e in events]
        running = [0.0]
        for e in events:
            running.append(running[-1] + e[1])
        for i, (day, _, doc_id, doc) in enumerate(events):
            if day < t0:
                continue
            start = bisect_left(dates, _shift(day, -364))
            trailing = running[i + 1] - running[start]
            if trailing >= ratio * baseline and trailing >= minimum:
                yield _flag(
                    spec,
                    doc,
                    f"{names[key]}: listed-goods imports of {trailing:,.0f} EUR in the 12 "
                    f"months to {day}, {trailing / baseline:.1f} times the 2019-2021 yearly "
                    f"average of {baseline:,.0f} EUR",
                    {
                        "company": names[key],
                        "trailing_12m_eur": round(trailing),
                        "baseline_eur": round(baseline),
                        "ratio": round(trailing / baseline, 2),
                        "doc_id": doc_id,
                    },
                    company=key,
                )


def cp04(docs: dict[str, list[DocumentLine]], ctx: LedgerContext, spec: RuleSpec) -> Iterator[Flag]:
    dormant = int(spec.param("dormant_days"))
    burst = int(spec.param("burst_days"))
    min_docs = int(spec.param("min_documents"))
    min_value = float(spec.param("min_value_eur"))
    increase = float(spec.param("min_increase"))
    activity: dict[str, dict[str, tuple[str, float, list[DocumentLine]]]] = defaultdict(dict)
    names: dict[str, str] = {}
    for doc in docs.values():
        head = doc[0]
        value = sum(ctx.line_facts(line).value_eur or 0.0 for line in doc)
        for role in ("seller", "buyer", "consignee"):
            name, country = head.party(role)
            key = company_key(name, country)
            if key is not None:
                names.setdefault(key, name or "")
                activity[key][head.doc_id] = (head.date, value, doc)
    first_day = min((doc[0].date for doc in docs.values()), default="")
    for key, by_doc in activity.items():
        company = ctx.companies.get(key)
        if ctx.companies and company is None:
            continue  # with company facts, the rule watches the known companies only
        events = sorted(by_doc.values(), key=lambda e: e[0])
        # a quiet period counts from incorporation only if the ledger covers it
        previous = None
        if company and company.incorporated and len(company.incorporated) == 10:
            previous = company.incorporated if company.incorporated >= first_day else None
        i = 0
        while i < len(events):
            day = events[i][0]
            if previous is not None and _days(previous, day) >= dormant:
                end = _shift(day, burst)
                window = [e for e in events[i:] if e[0] <= end]
                value = sum(e[1] for e in window)
                # the burst must stand out from the company's own usual pace
                before = [e for e in events[:i]]
                span = max(burst, _days(before[0][0], before[-1][0]) + 1) if before else None
                usual_docs = len(before) * burst / span if span else 0.0
                usual_value = sum(e[1] for e in before) * burst / span if span else 0.0
                busy = len(window) > max(min_docs, increase * usual_docs)
                rich = len(window) > 1 and value > max(min_value, increase * usual_value)
                if busy or rich:
                    for e in window:
                        yield _flag(
                            spec,
                            e[2],
                            f"{names[key]}: no documents for {_days(previous, day)} days "
                            f"(since {previous}), then {len(window)} documents worth "
                            f"{value:,.0f} EUR within {burst} days from {day}",
                            {
                                "company": names[key],
                                "quiet_since": previous,
                                "resumed": day,
                                "documents": len(window),
                                "value_eur": round(value),
                                "usual_documents_per_window": round(usual_docs, 2),
                            },
                            company=key,
                        )
                    previous = window[-1][0]
                    i += len(window)
                    continue
            previous = day
            i += 1


def shp01(
    docs: dict[str, list[DocumentLine]], ctx: LedgerContext, spec: RuleSpec
) -> Iterator[Flag]:
    lookback = int(spec.param("lookback_days"))
    restricted = ctx.config.restricted_destinations
    history: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    lines = sorted(
        (line for doc in docs.values() for line in doc), key=lambda x: (x.date, x.doc_id)
    )
    # amended documents: the same document id with another consignee or destination
    for doc in docs.values():
        versions = {
            (company_key(x.consignee, x.consignee_country), x.destination_country) for x in doc
        }
        if len(versions) > 1:
            restricted_before = any(x.destination_country in restricted for x in doc)
            yield _flag(
                spec,
                doc,
                f"document {doc[0].doc_id} changes its consignee or destination between its "
                "lines or versions"
                + (" (one of them a restricted destination)" if restricted_before else ""),
                {
                    "consignees": sorted({x.consignee or "" for x in doc}),
                    "destinations": sorted({x.destination_country or "" for x in doc}),
                },
            )
    for line in lines:
        f = ctx.line_facts(line)
        seller = company_key(line.seller, line.seller_country)
        if seller is None or f.hs6 is None:
            continue
        key = (seller, f.hs6)
        if line.destination_country in restricted:
            history[key].append((line.date, line.doc_id))
            continue
        since = _shift(line.date, -lookback)
        earlier = [h for h in history.get(key, ()) if h[0] >= since]
        if earlier and f.listed:
            yield _flag(
                spec,
                [line],
                f"{line.seller} shipped {format_hs(f.hs6)} to a restricted destination "
                f"on {earlier[-1][0]} ({earlier[-1][1]}); now the same goods go to "
                f"{line.destination_country or 'an unstated destination'}",
                {
                    "seller": line.seller,
                    "hs6": f.hs6,
                    "earlier_documents": [d for _, d in earlier[-5:]],
                    "destination": line.destination_country,
                },
            )


LEDGER_RULES = {"CP-03": cp03, "CP-04": cp04, "SHP-01": shp01}

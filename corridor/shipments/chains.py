"""Re-export chains: a stock ledger per company (or group of related companies) and HS-6, the
"virtual warehouse" of the Kazakh SRC design.

Imports of listed goods into a company's country add lots; an export of the same HS-6 (and
unit) towards a restricted destination takes from the oldest lots still inside the window.
When the imports of the window cover at least ``min_share`` of the export's quantity, the
export and the imports it drew on form a chain. Stock taken once is not taken again, so one
import never explains two exports.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from corridor.model.trade import DocumentLine
from corridor.shipments.context import LedgerContext, company_key, importer
from corridor.shipments.results import Chain, ChainLink


@dataclass
class _Lot:
    day: str
    quantity: float
    doc_id: str
    company: str
    line: int | None


def _same_goods(ctx: LedgerContext, line: DocumentLine, hs6: str) -> list[str]:
    """The HS-6 stocks an export may draw on: its own, and across HS versions the codes it
    corresponds to (an export under HS 2017 8525.80, split in HS 2022, draws on imports of
    8525.81 to 8525.89; an export under 8541.49 on imports under HS 2017 8541.40)."""
    out = [hs6]
    code = ctx.line_facts(line).check.code
    if code is not None and code.hs_version != "2022":
        out += [c for c in code.hs2022 if c not in out]
    out += [c for c in ctx.goods.nomenclature.to_2017.get(hs6, []) if c not in out]
    return out


def find_chains(
    lines: Iterable[DocumentLine],
    ctx: LedgerContext,
    window_days: int = 90,
    min_share: float = 0.5,
    listed_only: bool = True,
) -> list[Chain]:
    """Every chain of the ledger, in export order."""
    restricted = ctx.config.restricted_destinations
    events: list[tuple[str, int, DocumentLine]] = []
    for line in lines:
        if line.quantity is None or line.quantity <= 0:
            continue
        f = ctx.line_facts(line)
        if f.hs6 is None or (listed_only and not f.listed):
            continue
        if line.destination_country in restricted and line.seller:
            events.append((line.date, 1, line))  # exports after the day's imports
        elif importer(line)[0] is not None:
            events.append((line.date, 0, line))
    events.sort(key=lambda e: (e[0], e[1]))
    stock: dict[tuple[str, str, str | None], deque[_Lot]] = defaultdict(deque)
    names: dict[str, str] = {}
    chains: list[Chain] = []
    window = timedelta(days=window_days)
    for day, kind, line in events:
        hs6 = ctx.line_facts(line).hs6
        assert hs6 is not None and line.quantity is not None
        if kind == 0:
            name, country = importer(line)
            key = company_key(name, country)
            assert key is not None
            names[key] = name or ""
            lots = stock[(ctx.group(key), hs6, line.unit)]
            lots.append(_Lot(day, line.quantity, line.doc_id, key, line.line))
            continue
        key = company_key(line.seller, line.seller_country)
        if key is None:
            continue
        oldest = (date.fromisoformat(day) - window).isoformat()
        wanted = line.quantity
        links: list[ChainLink] = []
        for code in _same_goods(ctx, line, hs6):
            lots = stock.get((ctx.group(key), code, line.unit), deque())
            while lots and lots[0].day < oldest:
                lots.popleft()
            while lots and wanted > 1e-9:
                lot = lots[0]
                take = min(lot.quantity, wanted)
                links.append(
                    ChainLink(
                        lot.doc_id, lot.day, names.get(lot.company, lot.company), take, lot.line
                    )
                )
                lot.quantity -= take
                wanted -= take
                if lot.quantity <= 1e-9:
                    lots.popleft()
        if not links:
            continue
        matched = line.quantity - wanted
        if links and matched / line.quantity >= min_share:
            chains.append(
                Chain(
                    line.seller or "",
                    hs6,
                    line.unit,
                    line.doc_id,
                    day,
                    line.quantity,
                    line.destination_country or "",
                    matched,
                    links,
                    related=any(
                        company_key(link.company, None) != company_key(line.seller, None)
                        for link in links
                    ),
                )
            )
    return chains

"""Shipment operations for every adapter: screen ledgers of trade documents, find re-export
chains, load licences."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from corridor.exceptions import InvalidQuery, NotFound
from corridor.goods import GoodsChecker
from corridor.lists.fetch import file_sha256
from corridor.matching import Screener
from corridor.model.dates import parse_iso_date
from corridor.model.ownership import ControlType, EdgeKind
from corridor.model.trade import Company, RowError
from corridor.service import audit
from corridor.service.goods import goods_checker
from corridor.service.kept import Kept
from corridor.service.screening import build_screener
from corridor.shipments import (
    LedgerReport,
    Licence,
    ShipmentScreener,
    load_rules_config,
    read_companies,
    read_ledger,
    read_licences,
)
from corridor.shipments.context import company_key
from corridor.shipments.licences import licence_from_dict
from corridor.shipments.results import Chain
from corridor.store import schema
from corridor.store.datasets import DatasetVersion
from corridor.store.sql import SqlStore
from corridor.store.versioned import now

LICENCES = "licences"
RELATING_CONTROL = frozenset(
    {
        ControlType.BOARD_APPOINTMENT,
        ControlType.VOTING_AGREEMENT,
        ControlType.DOMINANT_INFLUENCE,
        ControlType.DE_FACTO,
        ControlType.CONSOLIDATED_ACCOUNTS,
    }
)


def load_licences(
    store: SqlStore, path: Path | str, source: str | None = None, force: bool = False
) -> tuple[DatasetVersion, bool]:
    """Store a licences file (TOML or JSON) as the new active version of its source; an
    unchanged file is not stored again (the flag says so) unless ``force``."""
    path = Path(path)
    name = source or path.stem
    digest = file_sha256(path)
    if not force:
        for version in store.dataset_versions(LICENCES, name):
            if version.active and version.file_hash == digest:
                return version, True
    licences = read_licences(path)
    version = store.import_dataset(
        LICENCES,
        name,
        path.name,
        digest,
        path.stat().st_size,
        [(lic.id, lic.to_dict()) for lic in licences],
    )
    return version, False


def store_licences(store: SqlStore) -> list[Licence]:
    return [
        licence_from_dict(d, f"stored licence {d.get('id')}", "store")
        for d in store.active_dataset_records(LICENCES)
    ]


def related_groups(store: SqlStore | None, companies: Iterable[Company]) -> dict[str, str]:
    """Company key -> group key, from the store's ownership graphs: parties joined by a stake
    of 50 % or more or by control are one group (their stocks form one virtual warehouse).
    Graph parties are recognised by registration number (company facts) or name and country."""
    if store is None or not store.active_graphs():
        return {}
    ids = [v.id for v in store.active_graphs()]
    parties = {p.id: p for p in store.graph_parties(ids)}
    by_registration = {c.registration_id: c for c in companies if c.registration_id}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for edge in store.iter_graph_edges(ids):
        joined = (edge.kind is EdgeKind.OWNERSHIP and edge.share_min >= 50.0) or (
            edge.kind is EdgeKind.CONTROL and edge.control_type in RELATING_CONTROL
        )
        if joined:
            parent.setdefault(edge.owner, edge.owner)
            parent.setdefault(edge.owned, edge.owned)
            a, b = find(edge.owner), find(edge.owned)
            if a != b:
                parent[a] = b

    def key_of(node: str) -> str | None:
        party = parties.get(node)
        if party is not None and party.registration_id in by_registration:
            c = by_registration[party.registration_id]
            return company_key(c.name, c.country)
        if node in by_registration:
            c = by_registration[node]
            return company_key(c.name, c.country)
        if party is not None:
            return company_key(party.name, party.country)
        return None

    groups: dict[str, str] = {}
    for node in parent:
        key = key_of(node)
        root = key_of(find(node)) or f"group:{find(node)}"
        if key is not None:
            groups[key] = root
    return groups


def shipment_screener(
    store: SqlStore | None,
    rules: Path | str | None = None,
    licences: Path | str | None = None,
    companies: Path | str | None = None,
    screen_parties: bool = True,
    parties: Screener | None = None,
    goods: GoodsChecker | None = None,
    encoding: str | None = None,
) -> tuple[ShipmentScreener, list[RowError]]:
    """A screener over the store's lists, goods lists, ownership graphs and licences (the
    bundled goods lists when the store has none), with the rules file and extra licences and
    company facts given. A long-running service passes the party screener and goods checker
    it keeps, rather than building them again."""
    config = load_rules_config(rules)
    if goods is None:
        goods, _ = goods_checker(store)
    facts: list[Company] = []
    errors: list[RowError] = []
    if companies is not None:
        facts, errors = read_companies(companies, encoding)
    lics = store_licences(store) if store is not None else []
    if licences is not None:
        lics.extend(read_licences(licences))
    screener = parties
    if screener is None and screen_parties and store is not None and store.sources():
        screener = build_screener(store)
    return (
        ShipmentScreener(goods, config, screener, lics, facts, related_groups(store, facts)),
        errors,
    )


def _as_of(as_of: str | None) -> str | None:
    try:
        return parse_iso_date(as_of)
    except ValueError as exc:
        raise InvalidQuery(f"--as-of: {exc}") from exc


def screen_ledger(
    store: SqlStore | None,
    paths: list[Path | str],
    rules: Path | str | None = None,
    licences: Path | str | None = None,
    companies: Path | str | None = None,
    as_of: str | None = None,
    screen_parties: bool = True,
    progress: Callable[[int], None] | None = None,
    parties: Screener | None = None,
    goods: GoodsChecker | None = None,
    max_lines: int | None = None,
    encoding: str | None = None,
) -> LedgerReport:
    """Screen trade-document files: parties, goods, routes, red flags, chains, licences."""
    day = _as_of(as_of)
    screener, company_errors = shipment_screener(
        store, rules, licences, companies, screen_parties, parties, goods, encoding
    )
    ledger = read_ledger(*paths, encoding=encoding, max_lines=max_lines)
    ledger.errors.extend(company_errors)
    return screener.screen(ledger, day, progress)


def ledger_chains(
    store: SqlStore | None,
    paths: list[Path | str],
    companies: Path | str | None = None,
    rules: Path | str | None = None,
    as_of: str | None = None,
    encoding: str | None = None,
) -> tuple[list[Chain], list[RowError]]:
    """Re-export chains only (no party screening): faster for large ledgers."""
    screener, errors = shipment_screener(
        store, rules, None, companies, screen_parties=False, encoding=encoding
    )
    ledger = read_ledger(*paths, encoding=encoding)
    return screener.chains(ledger, _as_of(as_of)), [*ledger.errors, *errors]


def report_rows(report: LedgerReport) -> list[dict[str, Any]]:
    """One flat row per document, for CSV, JSON lines or Parquet output."""
    rows = []
    for r in report.results:
        row: dict[str, Any] = {
            "doc_id": r.doc_id,
            "doc_type": r.doc_type,
            "date": r.date,
            "overall": r.overall,
        }
        for j, d in r.decisions.items():
            row[f"{j}_result"] = d.result
            row[f"{j}_reasons"] = " | ".join(d.reasons)
            row[f"{j}_licensed"] = " | ".join(d.licensed)
        row["flags"] = ";".join(f"{f.rule}:{f.severity}" for f in r.flags)
        row["party_hits"] = "; ".join(
            f"{h.role} {h.name} ~ {h.caption} ({h.source} {h.score:.2f})" for h in r.party_hits
        )
        row["goods_hits"] = "; ".join(
            f"{h.hs6 or h.hs_code} {h.list} tier {h.tier}" for h in r.goods_hits
        )
        row["chains"] = "; ".join(
            f"{c.company} {c.hs6} {c.share:.0%} from " + ",".join(i.doc_id for i in c.imports)
            for c in r.chains
        )
        rows.append(row)
    return rows


# -- screenings kept for the analysts (the web UI's uploads) --------------------------------

TIER_ORDER = ("1", "2", "3.A", "3.B", "4.A", "4.B")


def _best_tier(tiers: Iterable[str]) -> str:
    known = [t for t in tiers if t]
    return min(known, key=lambda t: TIER_ORDER.index(t) if t in TIER_ORDER else len(TIER_ORDER))


def record_screening(store: SqlStore, report: LedgerReport, filename: str, actor: str) -> int:
    """Keep a ledger's screening report, and its documents carrying high-priority goods as
    flows by destination and month for the dashboard; audited in the same transaction."""
    s, g = schema.shipment_screenings, schema.goods_flows
    counts = report.counts()
    with store.transaction() as conn:
        sid = int(
            conn.execute(
                s.insert().returning(s.c.id),
                {
                    "created_at": now(),
                    "actor": actor,
                    "filename": filename[:500],
                    "as_of": report.as_of,
                    "counts": json.dumps(counts),
                    "report": json.dumps(report.to_dict(), ensure_ascii=False),
                },
            ).scalar_one()
        )
        flows = []
        for r in report.results:
            tiers = [h.tier for h in r.goods_hits if h.tier]
            if not tiers or not r.route or len(r.date) < 7:
                continue
            flows.append(
                {
                    "screening_id": sid,
                    "doc_id": r.doc_id[:128],
                    "month": r.date[:7],
                    "destination": r.route[-1][:2],
                    "tier": _best_tier(tiers),
                    "value_eur": r.value_eur,
                }
            )
        if flows:
            conn.execute(g.insert(), flows)
        audit.append(
            conn,
            actor,
            "shipments.record",
            f"screening:{sid}",
            {"file": filename, "documents": counts["documents"], "overall": counts["overall"]},
        )
    return sid


_REPORTS: Kept[dict[str, Any]] = Kept(8)  # a large report takes tens of ms to parse


def get_screening(store: SqlStore, screening_id: int) -> dict[str, Any]:
    """A kept screening with its report (read-only: recent ones are shared from a cache)."""

    def read() -> dict[str, Any]:
        s = schema.shipment_screenings
        with store.reading() as conn:
            row = conn.execute(select(s).where(s.c.id == screening_id)).first()
        if row is None:
            raise NotFound(f"no shipment screening {screening_id}")
        return {
            "id": row.id,
            "created_at": row.created_at,
            "actor": row.actor,
            "filename": row.filename,
            "report": json.loads(row.report),
        }

    return _REPORTS.get((store.url, screening_id), read)


def list_screenings(store: SqlStore, limit: int = 20) -> list[dict[str, Any]]:
    s = schema.shipment_screenings
    query = (
        select(s.c.id, s.c.created_at, s.c.actor, s.c.filename, s.c.counts)
        .order_by(s.c.id.desc())
        .limit(limit)
    )
    with store.reading() as conn:
        return [{**dict(r._mapping), "counts": json.loads(r.counts)} for r in conn.execute(query)]

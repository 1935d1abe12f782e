"""Ownership over the store: designations from the real SDN list, graphs from the store, and
party screening that reports parties listed persons own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.exceptions import InvalidQuery
from corridor.lists.bundled import bundled_lists
from corridor.matching import Query
from corridor.model.entity import EntityKind
from corridor.ownership import Status
from corridor.service import load_list
from corridor.service.ownership import evaluate_ownership, load_graph, parse_jurisdictions
from corridor.service.screening import build_screener
from corridor.store import SqlStore, open_store

DATA = Path(__file__).resolve().parent.parent / "data" / "ownership"
DERIPASKA, VEKSELBERG = "ofac-24283", "ofac-24306"


@pytest.fixture(scope="module")
def sdn_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('own') / 'corridor.db'}")
    item = next(i for i in bundled_lists() if i.source == "us_ofac_sdn")
    load_list(store, item.path, format=item.format, source=item.source)
    load_graph(store, DATA / "kz-registry.csv")
    yield store
    store.close()


def test_designations_come_from_the_active_lists(sdn_store: SqlStore) -> None:
    ev = evaluate_ownership(sdn_store, as_of="2025-01-01")
    assert ev.graph.designations[DERIPASKA].jurisdictions == {"us"}
    steppe = {f.jurisdiction: f for f in ev.explain("kz-steppe")}
    assert steppe["us"].status is Status.BLOCKED
    assert steppe["us"].held == "75 %"
    assert {o["id"] for o in steppe["us"].owners} == {DERIPASKA, VEKSELBERG}
    # an SDN listing triggers neither the EU nor the UK rule
    assert steppe["eu"].status is Status.NOT_BLOCKED
    assert steppe["uk"].status is Status.NOT_BLOCKED
    # the blocked company's subsidiary, through the full stake of a blocked intermediary
    assert ev.status("kz-tobol", "us") is Status.BLOCKED
    # 30 % held by a listed person, the rest by an unlisted holding: a flag, not a block
    aral = ev.finding("kz-aral", "us")
    assert aral.status is Status.NOT_BLOCKED
    assert any("significant minority" in flag for flag in aral.flags)
    assert ev.affected() == ["kz-aral", "kz-steppe", "kz-tobol"]


def test_dates_come_into_play(sdn_store: SqlStore) -> None:
    ev = evaluate_ownership(sdn_store, as_of="2020-01-01")  # before Vekselberg's stake
    assert ev.status("kz-steppe", "us") is Status.NOT_BLOCKED
    assert ev.status("kz-tobol", "us") is Status.NOT_BLOCKED


def test_screening_reports_owned_parties(sdn_store: SqlStore) -> None:
    screener = build_screener(sdn_store)
    results = screener.screen(Query("Steppe Logistics TOO", kind=EntityKind.ORGANIZATION))
    owned = [r for r in results if r.ownership is not None]
    assert owned, results
    top = owned[0]
    assert top.source == "ownership" and top.entity_id == "own:kz-steppe"
    assert top.ownership is not None
    summary = top.ownership["summary"]
    assert summary.startswith(
        "owned 75 % by DERIPASKA, Oleg Vladimirovich and VEKSELBERG, Viktor Feliksovich, "
        "both listed under us_ofac_sdn: blocked under US rules"
    ), summary
    assert "not owned or controlled under UK rules" in summary
    assert top.ownership["statuses"] == {"us": "blocked", "eu": "not_blocked", "uk": "not_blocked"}
    assert top.to_dict()["ownership"]["summary"] == summary
    # the subsidiary is found too, and an unrelated company is not
    tobol = screener.screen(Query("Tobol Instruments", kind=EntityKind.ORGANIZATION))
    assert tobol and tobol[0].entity_id == "own:kz-tobol"
    assert not screener.screen(Query("Astana Flour Mill TOO", kind=EntityKind.ORGANIZATION))


def test_screening_follows_graph_updates(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'corridor.db'}")
    item = next(i for i in bundled_lists() if i.source == "us_ofac_sdn")
    load_list(store, item.path, format=item.format, source=item.source)
    load_graph(store, DATA / "kz-registry.csv", source="registry")
    screener = build_screener(store)
    assert screener.screen("Steppe Logistics TOO")[0].ownership is not None
    sold = tmp_path / "kz-registry.csv"
    sold.write_text(
        (DATA / "kz-registry.csv").read_text("utf-8").replace(",35,", ",5,").replace(",40,", ",5,"),
        "utf-8",
    )
    load_graph(store, sold, source="registry")
    assert screener.refresh(force=True)
    assert not [r for r in screener.screen("Steppe Logistics TOO") if r.ownership]
    store.close()


def test_parse_jurisdictions() -> None:
    assert parse_jurisdictions(None) == ("us", "eu", "uk")
    assert parse_jurisdictions(["uk,us"]) == ("us", "uk")
    assert parse_jurisdictions(["all", "bis"]) == ("us", "eu", "uk", "bis")
    with pytest.raises(InvalidQuery, match="unknown jurisdiction 'ofac'"):
        parse_jurisdictions(["ofac"])


def test_no_graph_is_a_clear_error(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(InvalidQuery, match="corridor ownership load FILE"):
        evaluate_ownership(store)
    with pytest.raises(InvalidQuery, match="--as-of"):
        evaluate_ownership(store, DATA / "edges.csv", DATA / "designated.csv", as_of="22/11/2026")
    store.close()

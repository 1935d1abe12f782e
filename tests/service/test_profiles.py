"""Profiles in the service: computed in the store (SQLite and PostgreSQL), read with their
listings, judged by analysts across list versions, and alerts raised once per party."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from corridor.exceptions import Forbidden, InvalidQuery
from corridor.service import load_list, monitoring
from corridor.service.ownership import store_designations
from corridor.service.profiles import get_profile, judge, profiles_current, recompute_profiles
from corridor.service.screening import build_screener
from corridor.service.users import User
from corridor.store import SqlStore

UN = "un/UN_consolidated.xml"
UK = "uk/hmt_conlist_2014-04-02/sanctionsconlist.csv"
EU = "eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml"
ZAWAHIRI = {"un-111923", "uk-7016", "eu-551"}  # one UN-listed person on three lists
ANALYST = User(1, "ana", "analyst")


def _cp(name: str) -> monitoring.CounterpartyIn:
    return monitoring.CounterpartyIn(external_id="cp-1", name=name, kind="person")


def test_profiles_in_the_store(store: SqlStore, shared: Path, tmp_path: Path) -> None:
    for path in (UN, UK, EU):
        load_list(store, shared / path)
    assert not profiles_current(store)
    report = recompute_profiles(store)
    assert report.linked_profiles > 200 and report.links > report.linked_profiles
    assert profiles_current(store)
    assert recompute_profiles(store).skipped  # nothing changed: nothing done
    profile = get_profile(store, "un-111923")
    assert {x["entity_id"] for x in profile["listings"]} == ZAWAHIRI
    assert profile["jurisdictions"] == ["eu", "uk", "un"]
    assert all(link["why"] for link in profile["links"])
    assert any("UN reference number QDi.006" in link["why"] for link in profile["links"])
    pid = profile["profile_id"]
    # screening: one result for the party, naming every listing
    screener = build_screener(store)
    results = screener.screen("Ayman al-Zawahiri", limit=5)
    assert results[0].profile_id == pid
    assert set(results[0].entity_ids) == ZAWAHIRI
    assert sum(1 for r in results if set(r.entity_ids) & ZAWAHIRI) == 1
    assert "the same party is also listed on" in results[0].explanation.summary()

    # a judgement splits the UK record off; audited; kept across a new UN version
    with pytest.raises(Forbidden):
        judge(store, User(2, "cli", "client"), "un-111923", "uk-7016", "different", "x")
    with pytest.raises(InvalidQuery):
        judge(store, ANALYST, "un-111923", "uk-7016", "different", "  ")
    done, _ = judge(store, ANALYST, "un-111923", "uk-7016", "different", "other DOB checked")
    assert done["before"]["uk-7016"] == done["before"]["un-111923"] == pid
    assert done["after"]["uk-7016"] != done["after"]["un-111923"]
    assert pid in done["after"].values()  # the larger part keeps the id
    entries = [e for e in _audit(store) if e["action"] == "profile.judge"]
    assert entries and entries[-1]["actor"] == "ana"
    copy = tmp_path / "un.xml.gz"
    with (shared / UN).open("rb") as src, gzip.open(copy, "wb") as dst:
        shutil.copyfileobj(src, dst)
    load_list(store, copy, source="un_sc")  # a new version of the UN list
    assert not profiles_current(store)
    recompute_profiles(store)
    # the split holds in the new version, and both profiles keep their ids
    assert {r: store.profile_of(r) for r in ("uk-7016", "un-111923")} == done["after"]
    # a confirmation puts them back together
    judge(store, ANALYST, "un-111923", "uk-7016", "same", "same passport on file")
    assert store.profile_of("uk-7016") == store.profile_of("un-111923") == pid


def test_one_alert_per_party_updated_by_a_new_listing(store: SqlStore, shared: Path) -> None:
    load_list(store, shared / UN)
    recompute_profiles(store)
    screener = build_screener(store)
    _, first = monitoring.upsert_counterparty(store, screener, _cp("Ayman al-Zawahiri"), "t")
    assert len(first.created) == 1
    alert = monitoring.get_alert(store, first.created[0])
    assert [x["entity_id"] for x in alert["explanation"]["listings"]] == ["un-111923"]
    assert alert["severity"] in ("medium", "high")
    assert alert["explanation"]["severity"]["reasons"]
    # the UK and EU lists arrive: the same party, two new listings
    load_list(store, shared / UK)
    load_list(store, shared / EU)
    recompute_profiles(store)
    report = monitoring.rescreen(store, screener, "t")
    assert report["alerts_created"] == 0 and report["alerts_updated"] == 1
    alert = monitoring.get_alert(store, first.created[0])
    assert {x["entity_id"] for x in alert["explanation"]["listings"]} == ZAWAHIRI
    assert alert["explanation"]["updates"][0]["new_listings"]
    assert alert["version"] == 2
    assert [e for e in _audit(store) if e["action"] == "alert.update"]
    # screened again: nothing new
    again = monitoring.rescreen(store, screener, "t")
    assert again["alerts_created"] == 0 and again["alerts_updated"] == 0


def test_concern_raises_severity(store: SqlStore, shared: Path) -> None:
    load_list(store, shared / UN)
    recompute_profiles(store)
    screener = build_screener(store)
    cp = monitoring.CounterpartyIn(external_id="c", name="Ayman al-Zawahiri")
    _, out = monitoring.upsert_counterparty(store, screener, cp, "t")
    before = monitoring.get_alert(store, out.created[0])["explanation"]["severity"]["points"]
    monitoring.set_setting(store, monitoring.CONCERN_KEY, "un", "t")
    assert monitoring.get_concern(store) == ("un",)
    cp2 = monitoring.CounterpartyIn(external_id="d", name="Ayman al-Zawahiri")
    _, out2 = monitoring.upsert_counterparty(store, screener, cp2, "t")
    after = monitoring.get_alert(store, out2.created[0])["explanation"]["severity"]
    assert after["points"] == before + 1
    assert any("jurisdiction of concern (un)" in r for r in after["reasons"])


def test_ownership_counts_every_listing_of_a_profile(store: SqlStore, shared: Path) -> None:
    """The UK record of a party the EU also lists designates it under the EU rule too."""
    load_list(store, shared / UK)
    load_list(store, shared / EU)
    before = {d.id: d for d in store_designations(store)}
    recompute_profiles(store)
    after = {d.id: d for d in store_designations(store)}
    assert before["uk-7016"].jurisdictions == frozenset({"uk"})
    assert after["uk-7016"].jurisdictions == frozenset({"uk", "eu"})
    assert "one party with eu_fsf" in after["uk-7016"].list


def _audit(store: SqlStore) -> list[dict[str, str]]:
    from corridor.service import audit

    return audit.latest_entries(store, None, None, None, 200)


def test_one_record_id_on_two_lists_is_one_listing_of_the_alert(store: SqlStore) -> None:
    """OFAC gives Sberbank of Russia one record number on its SDN and non-SDN lists."""
    from corridor.lists.bundled import bundled_lists

    for item in bundled_lists():
        if item.source in ("us_ofac_sdn", "us_ofac_cons"):
            load_list(store, item.path, format=item.format, source=item.source)
    recompute_profiles(store)
    assert {x["source"] for x in get_profile(store, "ofac-17018")["listings"]} == {
        "us_ofac_sdn",
        "us_ofac_cons",
    }
    cp = monitoring.CounterpartyIn(external_id="s", name="Sberbank of Russia", kind="organization")
    _, out = monitoring.upsert_counterparty(store, build_screener(store), cp, "t")
    alerts = [monitoring.get_alert(store, i) for i in out.created]
    sber = [a for a in alerts if a["entity_id"] == "ofac-17018"]
    assert len(sber) == 1
    assert [x["source"] for x in sber[0]["explanation"]["listings"]].count("us_ofac_sdn") == 1


def test_a_false_positive_on_a_party_holds_until_it_gains_a_listing(
    store: SqlStore, shared: Path
) -> None:
    load_list(store, shared / UN)
    recompute_profiles(store)
    screener = build_screener(store)
    _, first = monitoring.upsert_counterparty(store, screener, _cp("Ayman al-Zawahiri"), "t")
    alert = monitoring.get_alert(store, first.created[0])
    monitoring.decide(store, alert["id"], "false_positive", "another man", 1, ANALYST)
    again = monitoring.rescreen(store, screener, "t")
    assert again["alerts_created"] == 0 and again["suppressed_by_memory"] == 1
    load_list(store, shared / UK)  # the UK lists the same party: a new listing
    recompute_profiles(store)
    report = monitoring.rescreen(store, screener, "t")
    assert report["alerts_created"] == 1
    alerts = monitoring.list_alerts(store)
    newest = max(alerts, key=lambda a: a["id"])
    assert "new listing(s) of the party: uk-7016" in newest["explanation"]["reraised"]
    # decided again, it holds again
    monitoring.decide(store, newest["id"], "false_positive", "still another man", 1, ANALYST)
    last = monitoring.rescreen(store, screener, "t")
    assert last["alerts_created"] == 0 and last["suppressed_by_memory"] == 1

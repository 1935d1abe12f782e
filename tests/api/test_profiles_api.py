"""The API over profiles: a party's listings, /match referents and datasets, judgements by
role (audited), and the jurisdictions of concern."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.service import audit, load_list
from corridor.service.profiles import recompute_profiles
from corridor.store import SqlStore, open_store
from tests.api.conftest import api_client, role_keys

UN = "un/UN_consolidated.xml"
UK = "uk/hmt_conlist_2014-04-02/sanctionsconlist.csv"
EU = "eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml"
ZAWAHIRI = {"un-111923", "uk-7016", "eu-551"}


@pytest.fixture(scope="module")
def pstore(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('papi') / 'corridor.db'}")
    for path in (UN, UK, EU):
        load_list(store, shared / path)
    recompute_profiles(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def pkeys(pstore: SqlStore) -> dict[str, str]:
    return role_keys(pstore)


@pytest.fixture(scope="module")
def pclient(pstore: SqlStore, pkeys: dict[str, str]) -> Iterator[TestClient]:
    yield from api_client(pstore)


def _h(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def _match(client: TestClient, keys: dict[str, str], dataset: str) -> list[dict[str, Any]]:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ayman al-Zawahiri"]}}}}
    r = client.post(f"/match/{dataset}", json=body, headers=_h(keys, "client"))
    assert r.status_code == 200, r.text
    return list(r.json()["responses"]["q"]["results"])


def test_profile_and_match(pclient: TestClient, pkeys: dict[str, str]) -> None:
    assert pclient.get("/profiles/un-111923", headers=_h(pkeys, "client")).status_code == 403
    r = pclient.get("/profiles/un-111923", headers=_h(pkeys, "analyst"))
    assert r.status_code == 200
    profile = r.json()
    assert {x["entity_id"] for x in profile["listings"]} == ZAWAHIRI
    assert profile["links"] and all(link["why"] for link in profile["links"])
    assert pclient.get("/profiles/nobody-1", headers=_h(pkeys, "analyst")).status_code == 404
    results = _match(pclient, pkeys, "default")
    party = [x for x in results if x["id"] in ZAWAHIRI]
    assert len(party) == 1  # one result for the party
    assert set(party[0]["referents"]) | {party[0]["id"]} == ZAWAHIRI
    assert party[0]["datasets"] == ["eu_fsf", "uk_hmt", "un_sc"]
    # asked of the EU list alone, the party's EU listing answers
    only_eu = _match(pclient, pkeys, "eu_fsf")
    assert only_eu and only_eu[0]["id"] == "eu-551"


def test_judgements_by_role_and_audited(
    pclient: TestClient, pkeys: dict[str, str], pstore: SqlStore
) -> None:
    body = {"a": "un-111923", "b": "eu-551", "verdict": "different", "reason": "DOB differs"}
    r = pclient.post("/profiles/judgements", json=body, headers=_h(pkeys, "client"))
    assert r.status_code == 403
    r = pclient.post(
        "/profiles/judgements", json={**body, "verdict": "maybe"}, headers=_h(pkeys, "analyst")
    )
    assert r.status_code == 422
    r = pclient.post("/profiles/judgements", json=body, headers=_h(pkeys, "analyst"))
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["after"]["un-111923"] != done["after"]["eu-551"]
    entries = audit.latest_entries(pstore, "analyst1", "profile.judge", None, 5)
    assert entries and entries[0]["detail"]["verdict"] == "different"
    # screening follows at once: the EU record is a party of its own now
    results = _match(pclient, pkeys, "default")
    assert sum(1 for x in results if x["id"] in ZAWAHIRI) == 2
    back = {**body, "verdict": "same", "reason": "the same passport"}
    assert pclient.post("/profiles/judgements", json=back, headers=_h(pkeys, "analyst")).json()[
        "after"
    ]["eu-551"] == pstore.profile_of("un-111923")


def test_jurisdictions_of_concern(pclient: TestClient, pkeys: dict[str, str]) -> None:
    body = {"jurisdictions": ["us", "uk"]}
    assert (
        pclient.put("/settings/concern", json=body, headers=_h(pkeys, "analyst")).status_code == 403
    )
    r = pclient.put("/settings/concern", json=body, headers=_h(pkeys, "supervisor"))
    assert r.status_code == 200 and r.json() == body
    assert pclient.get("/settings/concern", headers=_h(pkeys, "analyst")).json() == body
    bad = pclient.put(
        "/settings/concern", json={"jurisdictions": ["xx"]}, headers=_h(pkeys, "supervisor")
    )
    assert bad.status_code == 422

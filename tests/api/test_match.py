"""``/match`` as yente answers it: responses validated against yente's response models (as
../shared/docs/YENTE_MATCH.md gives them), datasets, filters before the limit, scalars, and
every parameter honoured or refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field

from tests.api.conftest import auth


class FeatureExplanation(BaseModel):
    score: float
    detail: str | None
    query: str | None = None
    candidate: str | None = None


class ScoredEntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str | dict[str, Any]]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: datetime | None
    last_seen: datetime | None
    last_change: datetime | None
    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]


class Total(BaseModel):
    value: int
    relation: str


class EntityMatches(BaseModel):
    status: int
    results: list[ScoredEntityResponse]
    total: Total
    query: dict[str, Any]


class EntityMatchResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    responses: dict[str, EntityMatches]
    limit: int


def _match(
    client: TestClient,
    keys: dict[str, str],
    dataset: str,
    properties: dict[str, Any],
    schema: str = "Person",
    **params: Any,
) -> Any:
    return client.post(
        f"/match/{dataset}",
        params=params,
        json={"queries": {"q": {"schema": schema, "properties": properties}}},
        headers=auth(keys, "client"),
    )


def _ids(r: Any) -> list[str]:
    assert r.status_code == 200, r.text
    doc = EntityMatchResponse.model_validate(r.json())
    return [x.id for x in doc.responses["q"].results]


def test_responses_validate_against_yentes_models(client: TestClient, keys: dict[str, str]) -> None:
    r = _match(client, keys, "default", {"name": ["Vladimir Putin"], "birthDate": "1952-10-07"})
    doc = EntityMatchResponse.model_validate(r.json())
    top = doc.responses["q"].results[0]
    assert top.id == "ofac-35096" and top.match and top.last_change is not None
    assert top.explanations["name"].score > 0.9 and top.explanations["name"].candidate
    assert "corridor" in r.json()["responses"]["q"]["results"][0]  # the full explanation


def test_unknown_dataset_is_404_with_the_known_ones(
    client: TestClient, keys: dict[str, str]
) -> None:
    r = _match(client, keys, "nowhere", {"name": ["Vladimir Putin"]})
    assert r.status_code == 404
    message = r.json()["error"]["message"]
    assert "unknown dataset 'nowhere'" in message and "sanctions" in message
    assert "us_ofac_sdn" in message and "un_sc_sanctions" in message
    assert _ids(_match(client, keys, "sanctions", {"name": ["Vladimir Putin"]}))
    assert _ids(_match(client, keys, "un_sc_sanctions", {"name": ["Saddam Hussein Al-Tikriti"]}))


def test_filters_apply_before_the_limit(client: TestClient, keys: dict[str, str]) -> None:
    assert _ids(_match(client, keys, "us_ofac_sdn", {"name": "Vladimir Putin"}, limit=1)) == [
        "ofac-35096"
    ]
    saddam = {"name": "Saddam Hussein Al-Tikriti"}
    everywhere = _ids(_match(client, keys, "default", saddam, limit=10))
    assert {i.split("-")[0] for i in everywhere} >= {"ofac", "un", "uk"}
    only_uk = _ids(_match(client, keys, "default", saddam, include_dataset="uk_hmt"))
    assert only_uk and all(i.startswith("uk-") for i in only_uk)
    no_sdn = _ids(_match(client, keys, "default", saddam, exclude_dataset="us_ofac_sdn"))
    assert no_sdn and not any(i.startswith("ofac-") for i in no_sdn)
    assert "ofac-35096" not in _ids(
        _match(client, keys, "default", {"name": "Vladimir Putin"}, exclude_entity_ids="ofac-35096")
    )
    assert (
        _ids(_match(client, keys, "default", {"name": "Vladimir Putin"}, exclude_schema="Person"))
        == []
    )
    assert (
        _ids(_match(client, keys, "default", {"name": "Vladimir Putin"}, topics="export.control"))
        == []
    )
    assert _ids(_match(client, keys, "default", {"name": "Vladimir Putin"}, topics="sanction"))
    assert (
        _ids(
            _match(
                client,
                keys,
                "default",
                {"name": "Vladimir Putin"},
                changed_since="2999-01-01T00:00",
            )
        )
        == []
    )
    assert _ids(
        _match(client, keys, "default", {"name": "Vladimir Putin"}, changed_since="2000-01-01")
    )


def test_scalars_are_accepted(client: TestClient, keys: dict[str, str]) -> None:
    ids = _ids(_match(client, keys, "default", {"name": "Sberbank", "country": "ru"}, "Company"))
    assert ids


@pytest.mark.parametrize(
    ("body", "params", "status", "says"),
    [
        ({"queries": {}}, {}, 400, "No queries provided."),
        ({}, {}, 400, "No queries provided."),
        (
            {"queries": {"q": {"schema": "Person", "properties": {"name": ["X"]}}}},
            {"fuzzy": "true"},
            400,
            "unknown query parameter(s): fuzzy",
        ),
        (
            {"queries": {"q": {"schema": "Spaceship", "properties": {"name": ["X"]}}}},
            {},
            400,
            "Cannot parse example entity",
        ),
        (
            {
                "queries": {
                    f"q{i}": {"schema": "Person", "properties": {"name": "X"}} for i in range(101)
                }
            },
            {},
            413,
            "at most 100",
        ),
        (
            {"queries": {"q": {"schema": "Person", "properties": {"name": ["al " * 30]}}}},
            {},
            422,
            "at most 20 are screened",
        ),
    ],
    ids=["empty", "no queries", "unknown parameter", "unknown schema", "too many", "costly"],
)
def test_bad_requests_say_why(
    client: TestClient,
    keys: dict[str, str],
    body: dict[str, Any],
    params: dict[str, str],
    status: int,
    says: str,
) -> None:
    r = client.post("/match/default", params=params, json=body, headers=auth(keys, "client"))
    assert r.status_code == status, r.text
    assert says in r.json()["error"]["message"]

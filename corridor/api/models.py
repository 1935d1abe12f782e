"""Request and response models of the API (pydantic): the OpenAPI document is built from
them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

MAX_INT = 2**31 - 1  # ids, versions, offsets: what every store column holds

# parameters every route validates the same way: out of range is a 422, never a 500
Id = Annotated[int, Path(ge=1, le=MAX_INT, description="An id of the store.")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="Rows to skip.")]
Since = Annotated[int, Query(ge=0, le=MAX_INT, description="After this sequence number.")]
Version = Annotated[int | None, Query(ge=1, le=MAX_INT, description="A list version id.")]


Limit1000 = Annotated[int, Query(ge=1, le=1000, description="Rows to return, 1 to 1,000.")]
Limit5000 = Annotated[int, Query(ge=1, le=5000, description="Rows to return, 1 to 5,000.")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error, whatever its status: ``{"error": {"code", "message"}}``."""

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": what}
    for status, what in (
        (400, "The request cannot be answered as asked (code and message say why)"),
        (401, "No valid API key or session"),
        (403, "The role does not allow this, or a CSRF token is missing"),
        (404, "No such entity, list, version, alert or user"),
        (409, "The record changed meanwhile, or a version was held back by a guard"),
        (413, "More queries, names, characters or bytes than a request may carry"),
        (422, "A parameter or body field out of range or malformed, a name too costly"),
        (429, "Over the rate limit"),
        (500, "Corridor's own failure (logged)"),
    )
}


# -- screening -------------------------------------------------------------------------------


class PartyQuery(Model):
    name: str = Field(min_length=1, max_length=500)
    kind: Literal["person", "organization", "vessel", "aircraft"] | None = None
    birth_date: str | None = Field(default=None, max_length=32)
    country: str | None = Field(default=None, max_length=64)
    identifiers: list[str] = Field(default_factory=list, max_length=20)
    gender: Literal["male", "female"] | None = None


class ScreenRequest(PartyQuery):
    threshold: float | None = Field(default=None, ge=0.5, le=1.0)
    limit: int = Field(default=10, ge=1, le=50)


class Match(BaseModel):
    entity_id: str
    caption: str
    source: str
    kind: str
    programs: list[str]
    score: float
    explanation: dict[str, Any]
    ownership: dict[str, Any] | None = None


class ScreenResponse(BaseModel):
    query: dict[str, Any]
    matches: list[Match]
    alert: bool
    lists: list[list[Any]]  # (source, active version) the answer was computed on
    warnings: list[str] = []  # lists older than their maximum age, and what was dropped


class BatchRequest(Model):
    queries: list[ScreenRequest] = Field(min_length=1)


class BatchResponse(BaseModel):
    results: list[ScreenResponse]


class ActivateRequest(Model):
    version: int = Field(ge=1, le=2**31 - 1)


class GoodsRequest(Model):
    code: str | None = Field(default=None, max_length=32)
    description: str | None = Field(default=None, max_length=1000)
    hs_version: Literal["2022", "2017", "2012"] = "2022"
    as_of: str | None = None


class ShipmentRequest(Model):
    documents: list[dict[str, Any]] = Field(min_length=1)
    companies: list[dict[str, Any]] = Field(default_factory=list)
    as_of: str | None = None


class PaymentRequest(Model):
    """One payment message, or several: ISO 20022 XML (pacs.008, pacs.009, pain.001) or SWIFT
    MT (MT103, MT202, MT202COV), as text."""

    message: str | None = Field(default=None, max_length=1_000_000)
    messages: list[str] = Field(default_factory=list, max_length=1000)
    raise_alerts: bool = Field(
        default=False,
        description="make the party matches alerts in cases (analysts): each matched party "
        "becomes a counterparty of the book, its decisions remembered for later payments",
    )


class OwnershipRequest(Model):
    edges: list[dict[str, Any]] | None = None
    designated: list[dict[str, Any]] | None = None
    jurisdictions: list[str] = Field(default_factory=lambda: ["all"])
    as_of: str | None = None
    entity: str | None = None


# -- yente compatibility ---------------------------------------------------------------------


class MatchRequest(BaseModel):
    """yente's ``EntityMatchQuery``: ``queries`` maps a key to an entity example
    (``schema``, ``properties`` whose values are lists or single strings); ``weights`` and
    ``config`` are accepted for compatibility."""

    model_config = ConfigDict(extra="allow")
    queries: dict[str, dict[str, Any]] = Field(default_factory=dict)
    weights: dict[str, float] | None = None
    config: dict[str, str | int | float | bool | None] | None = None


# -- monitoring ------------------------------------------------------------------------------


class CounterpartyRequest(Model):
    external_id: str = Field(min_length=1, max_length=128)
    name: str = Field(min_length=1, max_length=500)
    kind: Literal["person", "organization", "vessel", "aircraft"] | None = None
    country: str | None = None
    birth_date: str | None = None
    identifiers: list[str] = Field(default_factory=list, max_length=20)


class CounterpartyImport(Model):
    counterparties: list[CounterpartyRequest] = Field(min_length=1)


class DecisionRequest(Model):
    decision: Literal["true_match", "false_positive", "escalate"]
    reason: str = Field(min_length=1, max_length=4000)
    version: int = Field(ge=1)


class AssignRequest(Model):
    alert_ids: list[int] = Field(min_length=1, max_length=1000)
    assignee: str | None = None


class RescreenRequest(Model):
    full: bool = True


class FourEyesRequest(Model):
    enabled: bool


class LoginRequest(Model):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class UserRequest(Model):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=10, max_length=200)
    role: Literal["client", "analyst", "supervisor", "admin"]


class UserChange(Model):
    role: Literal["client", "analyst", "supervisor", "admin"] | None = None
    active: bool | None = None


class KeyRequest(Model):
    name: str = Field(min_length=1, max_length=128)


class JudgementRequest(Model):
    a: str = Field(min_length=1, max_length=160, description="A list record id.")
    b: str = Field(min_length=1, max_length=160, description="Another list record id.")
    verdict: Literal["same", "different"]
    reason: str = Field(min_length=1, max_length=2000, description="What the analyst checked.")


class ConcernRequest(Model):
    jurisdictions: list[Literal["us", "eu", "uk", "un"]] = Field(
        max_length=4, description="Jurisdictions whose listings weigh more in alert severity."
    )

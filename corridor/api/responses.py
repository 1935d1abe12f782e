"""Response models of the API: what each endpoint answers, for the OpenAPI document. Each
names the fields a client may rely on; answers may carry more (``extra`` is allowed), so that
adding a field never breaks a client."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(Out):
    status: str
    lists: list[list[Any]] = Field(description="(source, version) the screening index holds")


class Done(Out):
    status: str


class Version(Out):
    id: int
    source: str
    format: str
    file_name: str
    file_hash: str
    published: str | None
    imported_at: str
    entity_count: int
    counts: dict[str, int]
    active: bool


class SourceStatus(Out):
    source: str
    active_version: Version
    versions: int
    published: str | None
    age_days: int | None
    max_age_days: int
    stale: bool


class FieldChange(Out):
    old: Any
    new: Any


class Change(Out):
    id: str
    caption: str
    fields: list[str]
    values: dict[str, FieldChange] = {}


class Diff(Out):
    source: str
    from_version: int | None
    to_version: int
    added: list[Change]
    removed: list[Change]
    changed: list[Change]
    unchanged: int


class EntityWithHistory(Out):
    entity: dict[str, Any]
    history: list[dict[str, Any]]


class UpdateOutcome(Out):
    source: str
    status: str = Field(
        description="updated, unchanged, not_modified, held, failed or not_configured"
    )
    detail: str
    version: Version | None


class ListsUpdate(Out):
    ok: bool
    outcomes: list[UpdateOutcome]
    rescreen: dict[str, Any] | None


class User(Out):
    id: int
    username: str
    role: str
    active: bool


class Me(User):
    via: str = Field(description="api_key or session")


class Login(Out):
    user: User
    csrf_token: str


class NewKey(Out):
    api_key: str = Field(description="shown once; stored only as a hash")


class ApiKey(Out):
    prefix: str
    name: str
    username: str
    created_at: str
    revoked: bool


class Revoked(Out):
    status: str
    prefix: str


class AuditEntry(Out):
    seq: int
    at: str
    actor: str
    action: str
    object: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class Verification(Out):
    ok: bool
    entries: int
    head_seq: int
    checked_from: int
    checked: int
    problems: list[str]


class Checkpoint(Out):
    seq: int
    hash: str
    at: str
    mac: str


class Counterparty(Out):
    id: int
    external_id: str
    name: str
    kind: str | None
    country: str | None
    birth_date: str | None
    identifiers: list[str]
    active: bool
    screened_at: str | None


class Registered(Out):
    counterparty: Counterparty
    screening: dict[str, Any]


class Imported(Out):
    imported: int
    alerts_created: int
    errors: list[str]


class Alert(Out):
    id: int
    case_id: int
    counterparty_id: int
    entity_id: str
    entity_source: str
    entity_caption: str
    score: float
    severity: str
    status: str
    assignee: str | None
    version: int
    created_at: str
    explanation: dict[str, Any]


class AlertDetail(Alert):
    decisions: list[dict[str, Any]]


class Updated(Out):
    updated: int


class Case(Out):
    id: int
    counterparty_id: int
    status: str


class CaseDetail(Case):
    counterparty: Counterparty
    alerts: list[AlertDetail]
    history: list[dict[str, Any]]


class Remembered(Out):
    counterparty_id: int
    entity_id: str
    decision: str
    decided_by: str
    decided_at: str


class Rescreen(Out):
    counterparties: int
    mode: str
    rescreened: int
    alerts_created: int


class ServiceSettings(Out):
    four_eyes_high_severity: bool


class GoodsCheck(Out):
    listed: bool
    hits: list[dict[str, Any]]
    warnings: list[str]


class ShipmentReport(Out):
    counts: dict[str, Any]
    results: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class PaymentReport(Out):
    counts: dict[str, Any]
    results: list[dict[str, Any]] = Field(
        description="per payment: message_id, decision per jurisdiction, overall, hits (field, "
        "text, what it matched, score, why)"
    )
    errors: list[dict[str, Any]] = Field(description="messages that could not be read, where")
    seconds: float
    alerts: dict[str, int] | None = None


class OwnershipAnswer(Out):
    as_of: str
    results: list[dict[str, Any]]


# -- yente's /match response -------------------------------------------------------------------


class FeatureExplanation(Out):
    score: float
    detail: str | None
    query: str | None = None
    candidate: str | None = None


class ScoredEntity(Out):
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None
    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]


class Total(Out):
    value: int
    relation: str


class EntityMatches(Out):
    status: int
    results: list[ScoredEntity]
    total: Total
    query: dict[str, Any]


class EntityMatchResponse(Out):
    responses: dict[str, EntityMatches]
    limit: int


class Profile(Out):
    profile_id: str | None
    caption: str
    listings: list[dict[str, Any]]
    jurisdictions: list[str]
    links: list[dict[str, Any]]
    judgements: list[dict[str, Any]]


class JudgementDone(Out):
    id: int
    a: str
    b: str
    verdict: str
    before: dict[str, str | None]
    after: dict[str, str | None]
    profiles: dict[str, Any]


class Concern(Out):
    jurisdictions: list[str]

"""Tables of the list store (SQLAlchemy Core, portable between SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = "1"

metadata = MetaData()

meta = Table(
    "corridor_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False, index=True),
    Column("format", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("published", String(10)),
    Column("imported_at", String(32), nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("counts", Text, nullable=False),
)

sources = Table(
    "list_sources",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("active_version", Integer, ForeignKey("list_versions.id"), nullable=True),
    Column("updated_at", String(32), nullable=False),
)

# Entity records are stored once per distinct content; versions point at them.
records = Table(
    "entity_records",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("data", Text, nullable=False),
)

version_entities = Table(
    "version_entities",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("entity_id", String(128), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("caption", Text, nullable=False),
    Column("hash", String(64), ForeignKey("entity_records.hash"), nullable=False),
)

Index("ix_version_entities_entity", version_entities.c.entity_id)

# Ownership and control graphs, versioned per source like the lists.
graph_versions = Table(
    "graph_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False, index=True),
    Column("format", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("edge_count", Integer, nullable=False),
    Column("party_count", Integer, nullable=False),
)

graph_sources = Table(
    "graph_sources",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("active_version", Integer, ForeignKey("graph_versions.id"), nullable=True),
    Column("updated_at", String(32), nullable=False),
)

graph_edges = Table(
    "graph_edges",
    metadata,
    Column("version_id", Integer, ForeignKey("graph_versions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("owner_id", String(256), nullable=False),
    Column("owned_id", String(256), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("share_min", Float, nullable=False),
    Column("share_max", Float, nullable=False),
    Column("basis", String(16), nullable=False),
    Column("control_type", String(32)),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("source_ref", Text),
)

graph_parties = Table(
    "graph_parties",
    metadata,
    Column("version_id", Integer, ForeignKey("graph_versions.id"), primary_key=True),
    Column("party_id", String(256), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("country", String(2)),
    Column("registration_id", Text),
)

# Goods lists (CHPL, EU annexes, national control lists), versioned per source.
goods_versions = Table(
    "goods_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False, index=True),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("entry_count", Integer, nullable=False),
)

goods_sources = Table(
    "goods_sources",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("active_version", Integer, ForeignKey("goods_versions.id"), nullable=True),
    Column("updated_at", String(32), nullable=False),
)

goods_entries = Table(
    "goods_entries",
    metadata,
    Column("version_id", Integer, ForeignKey("goods_versions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("code", String(10), nullable=False),
    Column("list", Text, nullable=False),
    Column("tier", String(32)),
    Column("jurisdictions", String(64), nullable=False),
    Column("legal_basis", Text),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("hs_version", String(4), nullable=False),
    Column("description", Text),
)

# Other versioned record sets (licences...), as JSON records keyed by kind and source.
dataset_versions = Table(
    "dataset_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("source", String(64), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("record_count", Integer, nullable=False),
)
Index("ix_dataset_versions_kind_source", dataset_versions.c.kind, dataset_versions.c.source)

dataset_sources = Table(
    "dataset_sources",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("active_version", Integer, ForeignKey("dataset_versions.id"), nullable=True),
    Column("updated_at", String(32), nullable=False),
)

dataset_records = Table(
    "dataset_records",
    metadata,
    Column("version_id", Integer, ForeignKey("dataset_versions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("record_key", String(256), nullable=False),
    Column("data", Text, nullable=False),
)

# -- the service: users, monitored counterparties, alerts, cases, decisions, audit ----------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(128), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", String(32), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("revoked", Integer, nullable=False, default=0),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)

# counters shared by every worker and host: login attempts, request rates (fixed windows)
counters = Table(
    "counters",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window", BigInteger, primary_key=True, autoincrement=False),
    Column("count", Integer, nullable=False),
)

settings_table = Table(
    "service_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("updated_by", String(128), nullable=False),
)

counterparties = Table(
    "counterparties",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("external_id", String(128), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16)),
    Column("country", String(2)),
    Column("birth_date", String(10)),
    Column("identifiers", Text, nullable=False),
    Column("record_hash", String(64), nullable=False),
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("screened_at", String(32)),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_id", Integer, ForeignKey("counterparties.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_cases_counterparty", cases.c.counterparty_id)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("counterparty_id", Integer, ForeignKey("counterparties.id"), nullable=False),
    Column("entity_id", String(160), nullable=False),
    Column("entity_source", String(64), nullable=False),
    Column("entity_caption", Text, nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("counterparty_hash", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("status", String(24), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("assignee", String(128)),
    Column("first_reviewer", String(128)),
    Column("version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_alerts_counterparty_entity", alerts.c.counterparty_id, alerts.c.entity_id)
Index("ix_alerts_status", alerts.c.status)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("decision", String(24), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(128), nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("resulting_status", String(24), nullable=False),
)
Index("ix_decisions_alert", decisions.c.alert_id)

decision_memory = Table(
    "decision_memory",
    metadata,
    Column("counterparty_id", Integer, ForeignKey("counterparties.id"), primary_key=True),
    Column("entity_id", String(160), primary_key=True),
    Column("counterparty_hash", String(64), nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("decision", String(24), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(128), nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("alert_id", Integer, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

# the head's seal (a keyed MAC of its sequence and hash) and signed checkpoints of the chain
audit_seal = Table(
    "audit_seal",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("mac", String(64), nullable=False),
)

# -- what the analyst UI's queue and dashboard read ------------------------------------------

alert_programs = Table(
    "alert_programs",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id"), primary_key=True),
    Column("program", String(128), primary_key=True),
)
Index("ix_alert_programs_program", alert_programs.c.program)
Index("ix_alerts_created", alerts.c.created_at)
Index("ix_decisions_decided", decisions.c.decided_at)

shipment_screenings = Table(
    "shipment_screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("filename", Text, nullable=False),
    Column("as_of", String(10)),
    Column("counts", Text, nullable=False),  # JSON: documents per overall result
    Column("report", Text, nullable=False),  # JSON: the whole report
)

goods_flows = Table(
    "goods_flows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("screening_id", Integer, ForeignKey("shipment_screenings.id"), nullable=False),
    Column("doc_id", String(128), nullable=False),
    Column("month", String(7), nullable=False),  # YYYY-MM of the document date
    Column("destination", String(2), nullable=False),
    Column("tier", String(8), nullable=False),  # the best (highest-priority) tier on the document
    Column("value_eur", Float),
)
Index("ix_goods_flows_month", goods_flows.c.month)
Index("ix_audit_action", audit_log.c.action)

# Profiles: list records that are one party (see corridor.profiles). Recomputed when the
# active lists change; analysts' judgements persist across list versions.
profile_members = Table(
    "profile_members",
    metadata,
    Column("entity_id", String(160), primary_key=True),
    Column("profile_id", String(40), nullable=False, index=True),
)

profile_links = Table(
    "profile_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(40), nullable=False, index=True),
    Column("entity_a", String(160), nullable=False),
    Column("entity_b", String(160), nullable=False),
    Column("basis", String(16), nullable=False),
    Column("why", Text, nullable=False),
    Column("evidence", Text, nullable=False),
)

profile_judgements = Table(
    "profile_judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_a", String(160), nullable=False, index=True),
    Column("entity_b", String(160), nullable=False, index=True),
    Column("verdict", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(128), nullable=False),
    Column("decided_at", String(32), nullable=False),
)

# The listings an alert covers: one alert per counterparty and profile, which a new listing
# of the same party updates instead of raising another.
alert_listings = Table(
    "alert_listings",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id"), primary_key=True),
    Column("entity_id", String(160), primary_key=True),
    Column("added_at", String(32), nullable=False),
)
Index("ix_alert_listings_entity", alert_listings.c.entity_id)

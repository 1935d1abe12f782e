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

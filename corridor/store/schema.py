"""Tables of the list store (SQLAlchemy Core, portable between SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
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

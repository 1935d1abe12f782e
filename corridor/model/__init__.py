"""Domain types shared by every Corridor package (no I/O)."""

from corridor.model.entity import (
    Address,
    Entity,
    EntityKind,
    Identifier,
    IdType,
    Name,
    NamePart,
    NamePartKind,
    NameStrength,
    NameType,
)

__all__ = [
    "Address",
    "Entity",
    "EntityKind",
    "IdType",
    "Identifier",
    "Name",
    "NamePart",
    "NamePartKind",
    "NameStrength",
    "NameType",
]

"""Profiles fixtures: the bundled lists, read and resolved once."""

from __future__ import annotations

import pytest

from corridor.lists.bundled import bundled_lists
from corridor.lists.read import open_list
from corridor.model.entity import Entity
from corridor.profiles import Resolution, Resolver


@pytest.fixture(scope="session")
def bundled() -> list[Entity]:
    return [e for b in bundled_lists() for e in open_list(b.path, b.format, b.source)]


@pytest.fixture(scope="session")
def resolved(bundled: list[Entity]) -> Resolution:
    return Resolver().resolve(bundled)

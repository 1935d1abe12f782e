"""Field-level comparison of two versions of one entity record."""

from __future__ import annotations

from typing import Any


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of the top-level fields whose values differ between two entity dicts."""
    keys = sorted(set(old) | set(new))
    return [k for k in keys if old.get(k) != new.get(k)]

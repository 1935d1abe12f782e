"""Orchestration that the CLI, REST API, web UI and batch adapters share."""

from corridor.service.imports import LoadResult
from corridor.service.lists import (
    SourceStatus,
    UpdateOutcome,
    diff_versions,
    list_status,
    load_list,
    show_entity,
    update_lists,
)

__all__ = [
    "LoadResult",
    "SourceStatus",
    "UpdateOutcome",
    "diff_versions",
    "list_status",
    "load_list",
    "show_entity",
    "update_lists",
]

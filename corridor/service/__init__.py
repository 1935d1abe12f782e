"""Orchestration that the CLI, REST API, web UI and batch adapters share."""

from corridor.service.imports import LoadResult
from corridor.service.lists import (
    SourceStatus,
    UpdateOutcome,
    activate_version,
    diff_versions,
    list_status,
    list_versions,
    load_list,
    show_entity,
    update_lists,
)

__all__ = [
    "LoadResult",
    "SourceStatus",
    "UpdateOutcome",
    "activate_version",
    "diff_versions",
    "list_status",
    "list_versions",
    "load_list",
    "show_entity",
    "update_lists",
]

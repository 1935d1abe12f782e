"""Ongoing screening, in one place for the adapters: monitored counterparties
(:mod:`corridor.service.counterparties`) and the alerts, cases and decisions their matches
raise (:mod:`corridor.service.raising`) and their work (:mod:`corridor.service.alerts`)."""

from corridor.service.alerts import (
    DECISIONS,
    FINAL_STATUSES,
    FOUR_EYES,
    assign_alerts,
    decide,
    forget,
    get_alert,
    get_setting,
    list_alerts,
    list_cases,
    list_memory,
    set_setting,
)
from corridor.service.counterparties import (
    CounterpartyIn,
    entity_hash,
    get_case,
    get_counterparty,
    import_counterparties,
    list_counterparties,
    rescreen,
    screen_counterparty,
    screen_pending,
    update_and_rescreen,
    upsert_counterparty,
)
from corridor.service.raising import (
    CONCERN_KEY,
    OPEN_STATUSES,
    ScreenOutcome,
    get_concern,
    raise_alerts,
)

__all__ = [
    "CONCERN_KEY",
    "get_concern",
    "DECISIONS",
    "FINAL_STATUSES",
    "FOUR_EYES",
    "OPEN_STATUSES",
    "CounterpartyIn",
    "ScreenOutcome",
    "assign_alerts",
    "decide",
    "entity_hash",
    "forget",
    "get_alert",
    "get_case",
    "get_counterparty",
    "get_setting",
    "import_counterparties",
    "list_alerts",
    "list_cases",
    "list_counterparties",
    "list_memory",
    "raise_alerts",
    "rescreen",
    "screen_counterparty",
    "screen_pending",
    "set_setting",
    "update_and_rescreen",
    "upsert_counterparty",
]

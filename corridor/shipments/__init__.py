"""Shipments: trade documents (customs declarations, e-invoices, waybills), red-flag rules,
re-export chains through a virtual warehouse, licences, and a decision per jurisdiction."""

from corridor.shipments.chains import find_chains
from corridor.shipments.config import RulesConfig, RuleSpec, load_rules_config
from corridor.shipments.licences import Licence, LicenceBook, read_licences
from corridor.shipments.read import Ledger, read_companies, read_ledger
from corridor.shipments.results import Chain, Decision, Flag, ShipmentResult
from corridor.shipments.screen import LedgerReport, ShipmentScreener

__all__ = [
    "Chain",
    "Decision",
    "Flag",
    "Ledger",
    "LedgerReport",
    "Licence",
    "LicenceBook",
    "RuleSpec",
    "RulesConfig",
    "ShipmentResult",
    "ShipmentScreener",
    "find_chains",
    "load_rules_config",
    "read_companies",
    "read_ledger",
    "read_licences",
]

"""Ownership and control: the US, EU, UK and BIS rules over ownership graphs.

Library first: read edges (:func:`read_graph`) and designations (:func:`read_designated`,
:func:`designations_from_entities`), compile the graph as of a date (:func:`compile_graph`) and
evaluate it (:class:`Evaluation`), which gives each party's status per jurisdiction with the
owners, stakes and paths that decide it.
"""

from corridor.ownership.evaluate import Evaluation, Finding, Status, status_words
from corridor.ownership.graph import CompiledGraph, compile_graph
from corridor.ownership.jurisdictions import (
    designations_by_profile,
    designations_from_entities,
    jurisdictions_for,
)
from corridor.ownership.readers import GraphData, read_designated, read_graph
from corridor.ownership.rules import (
    DEFAULT_JURISDICTIONS,
    DEFAULT_RULES,
    JURISDICTIONS,
    RuleSet,
    load_rules,
)

__all__ = [
    "DEFAULT_JURISDICTIONS",
    "DEFAULT_RULES",
    "JURISDICTIONS",
    "CompiledGraph",
    "Evaluation",
    "Finding",
    "GraphData",
    "RuleSet",
    "Status",
    "compile_graph",
    "designations_by_profile",
    "designations_from_entities",
    "jurisdictions_for",
    "load_rules",
    "read_designated",
    "read_graph",
    "status_words",
]

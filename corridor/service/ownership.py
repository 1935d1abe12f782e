"""Ownership operations that every adapter calls: load a graph, evaluate it, explain a party,
and the ownership-derived parties that party screening matches against."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from corridor.exceptions import InvalidQuery
from corridor.lists.fetch import file_sha256
from corridor.model.dates import parse_iso_date
from corridor.model.entity import Entity, EntityKind, Name
from corridor.model.identifiers import make_identifier
from corridor.model.ownership import Designation, GraphParty, OwnershipEdge
from corridor.ownership import (
    DEFAULT_JURISDICTIONS,
    JURISDICTIONS,
    Evaluation,
    compile_graph,
    designations_by_profile,
    load_rules,
    read_designated,
    read_graph,
)
from corridor.service import audit
from corridor.service.imports import LoadResult
from corridor.store.graphs import GraphVersion
from corridor.store.sql import SqlStore

DERIVED_SOURCE = "ownership"
DERIVED_PREFIX = "own:"


def _source_name(path: Path) -> str:
    stem = path.name.split(".")[0]
    return re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")[:64] or "ownership"


def load_graph(
    store: SqlStore,
    path: Path | str,
    format: str | None = None,
    source: str | None = None,
    force: bool = False,
    encoding: str | None = None,
) -> LoadResult[GraphVersion]:
    """Read an ownership file (CSV edges, FtM or BODS) and store it as the new active version
    of its source (by default the file name without extensions). Atomic: on any error the
    previous version stays active. An unchanged file is not stored again unless ``force``."""
    path = Path(path)
    name = source or _source_name(path)
    digest = file_sha256(path)
    if not force:
        for version in store.graph_versions(name):
            if version.active and version.file_hash == digest:
                return LoadResult(name, version, skipped=True)
    data = read_graph(path, format, encoding)
    info = store.import_graph(
        name, data.format, path.name, digest, path.stat().st_size, data.edges, data.parties
    )
    audit.record(
        store,
        "system",
        "graph.import",
        f"graph:{name}",
        {"version": info.id, "file": path.name, "sha256": digest, "edges": info.edge_count},
    )
    return LoadResult(name, info, skipped=False, warnings=data.warnings)


def graph_status(store: SqlStore) -> list[GraphVersion]:
    return store.active_graphs()


def store_designations(store: SqlStore) -> list[Designation]:
    """The designations that the store's active lists make (see
    :mod:`corridor.ownership.jurisdictions` for which list triggers which rule)."""
    return list(designations_by_profile(store.iter_active_entities(), store.profile_map()))


def parse_jurisdictions(values: Iterable[str] | None) -> tuple[str, ...]:
    """``us``, ``eu``, ``uk``, ``bis`` or ``all`` (= us, eu, uk), in a stable order."""
    chosen: set[str] = set()
    for value in values or ["all"]:
        for part in value.lower().replace(",", " ").split():
            if part == "all":
                chosen.update(DEFAULT_JURISDICTIONS)
            elif part in JURISDICTIONS:
                chosen.add(part)
            else:
                raise InvalidQuery(
                    f"unknown jurisdiction {part!r} (expected us, eu, uk, bis or all)"
                )
    return tuple(code for code in JURISDICTIONS if code in chosen)


def evaluate_ownership(
    store: SqlStore | None,
    edges_path: Path | str | None = None,
    designated_path: Path | str | None = None,
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS,
    as_of: str | None = None,
    rules_path: Path | str | None = None,
    designations: list[Designation] | None = None,
    encoding: str | None = None,
) -> Evaluation:
    """Evaluate the graph (a file, or the store's active graphs) against the designations (given,
    a file, or the store's active lists) as of a date (today by default)."""
    try:
        day = parse_iso_date(as_of) or date.today().isoformat()
    except ValueError as exc:
        raise InvalidQuery(f"--as-of: {exc}") from exc
    rules = load_rules(rules_path)
    edges: Iterable[OwnershipEdge]
    parties: list[GraphParty]
    if edges_path is not None:
        data = read_graph(edges_path, encoding=encoding)
        edges, parties = data.edges, data.parties
    else:
        if store is None:
            raise InvalidQuery("no edges: give an edges file or load a graph into the store")
        ids = [v.id for v in store.active_graphs()]
        if not ids:
            raise InvalidQuery(
                "the store holds no ownership graph: run 'corridor ownership load FILE' "
                "or give --edges FILE"
            )
        edges, parties = store.iter_graph_edges(ids), store.graph_parties(ids)
    if designations is None:
        if designated_path is not None:
            designations = read_designated(designated_path, encoding)
        elif store is not None:
            designations = store_designations(store)
        else:
            raise InvalidQuery("no designations: give a designated-parties file or a store")
    graph = compile_graph(edges, designations, parties, as_of=day)
    return Evaluation(graph, jurisdictions, rules)


def derived_entities(
    store: SqlStore, listed: Iterable[Entity] | None = None
) -> tuple[list[Entity], dict[str, dict[str, Any]]]:
    """Named parties of the store's ownership graphs that listed persons own or control (or
    that are flagged), as entities for party screening, with what to report for each.
    ``listed`` are the store's active list entities when the caller has them already."""
    if not store.active_graphs():
        return [], {}
    designations = (
        list(designations_by_profile(listed, store.profile_map())) if listed is not None else None
    )
    evaluation = evaluate_ownership(store, designations=designations)
    parties = evaluation.graph.parties
    entities: list[Entity] = []
    notes: dict[str, dict[str, Any]] = {}
    for eid in evaluation.affected():
        party = parties.get(eid)
        if party is None:
            continue  # a bare id cannot be matched by name
        findings = evaluation.explain(eid)
        ent = Entity(
            DERIVED_PREFIX + eid,
            DERIVED_SOURCE,
            EntityKind.PERSON if party.kind == "person" else EntityKind.ORGANIZATION,
            names=[Name(party.name)],
            programs=[f"{f.jurisdiction.upper()}: {f.status.value}" for f in findings],
        )
        if party.country:
            ent.countries.append(party.country)
        ident = (
            make_identifier("Registration Number", party.registration_id, party.country)
            if party.registration_id
            else None
        )
        if ident is not None:
            ent.add_identifier(ident)
        entities.append(ent)
        notes[ent.id] = {
            "subject": "ownership-graph party's",
            "graph_entity": eid,
            "as_of": evaluation.as_of,
            "summary": evaluation.summary(eid),
            "statuses": {f.jurisdiction: f.status.value for f in findings},
            "findings": [f.to_dict() for f in findings],
        }
    return entities, notes

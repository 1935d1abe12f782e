"""Evaluation of a graph under each jurisdiction's rules, with the derivation of every status.

* **US** (OFAC 50 % rule) and **BIS** (affiliates rule): one run over the union of the
  designated persons, stakes aggregated, threshold 50 % or more; control is a risk flag.
* **EU**: one aggregate run with the threshold in force on the date (more than 50 % before
  3 July 2024, 50 % or more since), plus the control overlay: a counting control edge from a
  listed or already owned/controlled party makes the controlled party owned or controlled.
* **UK**: one run per designated person, or per group of persons linked by a
  ``joint_arrangement`` edge: more than 50 %, or control; no aggregation across persons (an
  aggregate above 50 % is flagged for review instead).

Share intervals give two runs each: one with the low ends (what is certain: *blocked*) and one
with the high ends (what may be: *possibly blocked*).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from corridor.exceptions import InvalidQuery, NotFound
from corridor.model.ownership import ControlType, format_share
from corridor.ownership.engine import EPSILON, Run, propagate
from corridor.ownership.graph import CompiledGraph, paused_gc
from corridor.ownership.rules import (
    DEFAULT_JURISDICTIONS,
    DEFAULT_RULES,
    JURISDICTIONS,
    JurisdictionRules,
    RuleSet,
    Threshold,
)

MAX_PATHS = 5
MAX_DEPTH = 12


class Status(StrEnum):
    BLOCKED = "blocked"
    POSSIBLY_BLOCKED = "possibly_blocked"
    NOT_BLOCKED = "not_blocked"


_WORDS = {
    "us": ("blocked", "possibly blocked", "not blocked"),
    "bis": ("restricted as an affiliate", "possibly restricted", "not restricted"),
    "eu": ("owned or controlled", "possibly owned or controlled", "not owned or controlled"),
    "uk": ("owned or controlled", "possibly owned or controlled", "not owned or controlled"),
}


def status_words(code: str, status: Status) -> str:
    words = _WORDS[code]
    return {Status.BLOCKED: words[0], Status.POSSIBLY_BLOCKED: words[1]}.get(status, words[2])


@dataclass
class Group:
    """The persons whose holdings are counted together: all designated persons for the
    aggregating rules, one person (or one joint arrangement) for the UK."""

    members: tuple[int, ...]
    definite: Run
    possible: Run


@dataclass
class JurisdictionResult:
    rules: JurisdictionRules
    threshold: Threshold
    applied: bool
    note: str | None
    seeds: frozenset[int]
    groups: list[Group] = field(default_factory=list)
    reach: dict[int, list[int]] = field(default_factory=dict)  # node -> groups reaching it
    pooled: Run | None = None  # UK: what the union would own, for the aggregation flag


@dataclass
class Finding:
    """The status of one party under one jurisdiction, with its derivation."""

    entity: str
    name: str
    jurisdiction: str
    status: Status
    designated: bool = False
    lists: str | None = None
    held: str | None = None  # the aggregate stake held by the counted persons
    owners: list[dict[str, Any]] = field(default_factory=list)
    control: list[dict[str, Any]] = field(default_factory=list)
    paths: list[list[dict[str, Any]]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    reason: str = ""
    via: str | None = None  # "ownership", or the control type that decided the status

    @property
    def affected(self) -> bool:
        return not self.designated and (self.status is not Status.NOT_BLOCKED or bool(self.flags))

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "name": self.name,
            "jurisdiction": self.jurisdiction,
            "status": self.status.value,
            "designated": self.designated,
            "lists": self.lists,
            "held": self.held,
            "reason": self.reason,
            "owners": self.owners,
            "control": self.control,
            "paths": self.paths,
            "flags": self.flags,
            "via": self.via,
        }


def _groups_by_arrangement(graph: CompiledGraph, seeds: frozenset[int]) -> list[tuple[int, ...]]:
    """Designated persons grouped by joint arrangements (union-find over those edges)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for u, links in enumerate(graph.ctrl_out):
        for v, ctype in links:
            if ctype is ControlType.JOINT_ARRANGEMENT:
                parent.setdefault(u, u)
                parent.setdefault(v, v)
                ru, rv = find(u), find(v)
                if ru != rv:
                    parent[ru] = rv
    members: dict[int, list[int]] = {}
    for node in list(parent):
        members.setdefault(find(node), []).append(node)
    groups: list[tuple[int, ...]] = []
    done: set[int] = set()
    for seed in sorted(seeds):
        root = find(seed)
        if root in done:
            continue
        done.add(root)
        groups.append(tuple(sorted(members.get(root, [seed]))))
    return groups


def evaluate_jurisdiction(
    graph: CompiledGraph, rules: JurisdictionRules, as_of: str | None = None
) -> JurisdictionResult:
    """Run one jurisdiction's rules over the graph."""
    threshold = rules.threshold(as_of)
    applied, note = rules.applies(as_of)
    seeds = frozenset(
        graph.index[d.id] for d in graph.designations.values() if rules.code in d.jurisdictions
    )
    result = JurisdictionResult(rules, threshold, applied, note, seeds)
    if not applied:
        return result
    pct, incl, ctl = threshold.percent, threshold.inclusive, rules.control_types
    if rules.aggregate:
        member_sets: list[tuple[int, ...]] = [tuple(sorted(seeds))]
    else:
        member_sets = _groups_by_arrangement(graph, seeds)
    for members in member_sets:
        possible = propagate(graph, members, pct, incl, ctl, upper=True)
        if len(possible.order) == len(members) and not possible.held and not possible.control:
            continue  # owns and controls nothing
        definite = propagate(graph, members, pct, incl, ctl, upper=False)
        gidx = len(result.groups)
        result.groups.append(Group(members, definite, possible))
        for node in possible.order:
            if node not in possible.seeds:
                result.reach.setdefault(node, []).append(gidx)
    if not rules.aggregate:
        result.pooled = propagate(graph, sorted(seeds), pct, incl, ctl, upper=False)
    return result


class Evaluation:
    """Statuses of every party of a graph under the chosen jurisdictions, as of a date."""

    def __init__(
        self,
        graph: CompiledGraph,
        jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS,
        rules: RuleSet = DEFAULT_RULES,
    ) -> None:
        for code in jurisdictions:
            if code not in JURISDICTIONS:
                raise InvalidQuery(
                    f"unknown jurisdiction {code!r} (expected one of {', '.join(JURISDICTIONS)})"
                )
        self.graph = graph
        self.as_of = graph.as_of
        self.jurisdictions = jurisdictions
        with paused_gc():
            self.results = {
                code: evaluate_jurisdiction(graph, rules[code], graph.as_of)
                for code in jurisdictions
            }

    # -- statuses --------------------------------------------------------------------------

    def _node(self, entity_id: str) -> int:
        idx = self.graph.index.get(entity_id)
        if idx is None:
            raise NotFound(f"{entity_id}: not in the ownership graph")
        return idx

    def status(self, entity_id: str, code: str) -> Status:
        return self._status(self._node(entity_id), self.results[code])[0]

    def _status(self, node: int, res: JurisdictionResult) -> tuple[Status, Group | None]:
        if node in res.seeds:
            return Status.BLOCKED, None
        possible: Group | None = None
        for gidx in res.reach.get(node, ()):
            group = res.groups[gidx]
            if node in group.definite:
                return Status.BLOCKED, group
            if possible is None:
                possible = group
        if possible is not None:
            return Status.POSSIBLY_BLOCKED, possible
        return Status.NOT_BLOCKED, None

    def _affected_nodes(self) -> set[int]:
        """Parties that are (possibly) blocked or flagged under a jurisdiction that did not
        designate them: the members of every run, plus what the flag rules pick."""
        affected: set[int] = set()
        for res in self.results.values():
            nodes: set[int] = set()
            rules = res.rules
            for group in res.groups:
                nodes.update(group.possible.order)
            flag_run = res.groups[0].definite if rules.aggregate and res.groups else res.pooled
            if flag_run is not None:
                if rules.flag_control:
                    nodes.update(flag_run.control)
                if res.pooled is not None:
                    nodes.update(res.pooled.order)
                minority = rules.minority_percent
                if minority is not None:
                    limit = minority - EPSILON
                    nodes.update(n for n, held in flag_run.held.items() if held >= limit)
            affected |= nodes - res.seeds
        return affected

    def affected(self) -> list[str]:
        """Parties that are not designated themselves but are blocked, possibly blocked or
        flagged under at least one jurisdiction, sorted by id."""
        ids = self.graph.ids
        return sorted(ids[n] for n in self._affected_nodes())

    def findings(self, batch: int = 1000) -> Iterator[Finding]:
        """One finding per jurisdiction for every affected party, in id order (built in
        batches with the garbage collector paused: they are many small objects)."""
        ids = self.affected()
        for start in range(0, len(ids), batch):
            with paused_gc():
                chunk = [
                    self.finding(eid, code)
                    for eid in ids[start : start + batch]
                    for code in self.jurisdictions
                ]
            yield from chunk

    # -- derivations -----------------------------------------------------------------------

    def _party(self, node: int, res: JurisdictionResult) -> dict[str, Any]:
        eid = self.graph.ids[node]
        d: dict[str, Any] = {"id": eid, "name": self.graph.name(eid)}
        if node in res.seeds:
            d["designated"] = self.graph.designations[eid].list
        return d

    def _paths(self, run: Run, node: int, res: JurisdictionResult) -> list[list[dict[str, Any]]]:
        """Chains from a designated person to ``node`` through members that entered the set
        before it (so every chain is acyclic and each step is a cause, not a consequence)."""
        paths: list[list[dict[str, Any]]] = []

        def walk(current: int, tail: list[dict[str, Any]], depth: int) -> None:
            if len(paths) >= MAX_PATHS:
                return
            if current in run.seeds:
                paths.append([self._party(current, res), *tail])
                return
            if depth >= MAX_DEPTH:
                return
            rank = run.order.get(current, len(run.order))
            step = self._party(current, res)
            ctype = run.via_control.get(current)
            for owner, link in run.control.get(current, ()):
                if ctype is not None and link is ctype and run.order.get(owner, rank) < rank:
                    walk(owner, [{**step, "control": ctype.value}, *tail], depth + 1)
            for owner, low, high in sorted(run.stakes.get(current, ()), key=lambda s: -s[2]):
                if run.order.get(owner, rank) < rank:
                    walk(owner, [{**step, "share": format_share(low, high)}, *tail], depth + 1)

        walk(node, [], 0)
        return paths

    def finding(self, entity_id: str, code: str) -> Finding:
        """The status of ``entity_id`` under ``code`` with owners, control, paths and flags."""
        node = self._node(entity_id)
        res = self.results[code]
        rules = res.rules
        status, group = self._status(node, res)
        graph = self.graph
        f = Finding(entity_id, graph.name(entity_id), code, status)
        if node in res.seeds:
            f.designated = True
            f.lists = graph.designations[entity_id].list
            f.reason = f"designated ({f.lists})"
            return f
        if not res.applied:
            f.reason = res.note or f"{rules.title} does not apply"
            return f
        run: Run | None = None
        if group is not None:
            run = group.definite if status is Status.BLOCKED else group.possible
        elif rules.aggregate and res.groups:
            run = res.groups[0].definite
        elif res.pooled is not None:
            run = res.pooled
        if run is not None:
            self._derivation(f, node, run, res, group)
        self._flags(f, node, res, run)
        if not f.reason:
            f.reason = f"not {status_words(code, Status.BLOCKED)} under {rules.title}"
        return f

    def _derivation(
        self, f: Finding, node: int, run: Run, res: JurisdictionResult, group: Group | None
    ) -> None:
        rules = res.rules
        stakes = run.stakes.get(node, [])
        if stakes:
            f.held = format_share(sum(s[1] for s in stakes), sum(s[2] for s in stakes))
            for owner, s_low, s_high in sorted(stakes, key=lambda s: -s[2]):
                entry = self._party(owner, res)
                entry["share"] = format_share(s_low, s_high)
                entry["status"] = self._status(owner, res)[0].value
                f.owners.append(entry)
        for controller, ctype in run.control.get(node, []):
            entry = self._party(controller, res)
            entry["type"] = ctype.value
            entry["counts"] = ctype in rules.control_types
            f.control.append(entry)
        if f.status is Status.NOT_BLOCKED:
            return
        f.paths = self._paths(run, node, res)
        who = "persons"
        if group is not None and not rules.aggregate:
            who = "person" if len(group.members) == 1 else "joint arrangement"
        via = run.via_control.get(node)
        word = status_words(f.jurisdiction, f.status)
        if via is not None:
            f.via = via.value
            f.reason = f"{word}: controlled ({via.value}) by a designated or {word} party"
        else:
            f.via = "ownership"
            f.reason = (
                f"{word}: {f.held} held by designated or {word} {who} "
                f"(threshold {res.threshold.describe()})"
            )

    def _flags(self, f: Finding, node: int, res: JurisdictionResult, run: Run | None) -> None:
        rules = res.rules
        if f.status is not Status.NOT_BLOCKED:
            return
        if run is not None and rules.minority_percent is not None:
            held = run.held.get(node, 0.0)
            if held + EPSILON >= rules.minority_percent:
                f.flags.append(
                    f"significant minority: {format_share(held, held)} held by designated or "
                    f"blocked persons (below the threshold of {res.threshold.describe()})"
                )
        if run is not None and rules.flag_control:
            for controller, ctype in run.control.get(node, []):
                if controller in run and ctype not in rules.control_types:
                    name = self.graph.name(self.graph.ids[controller])
                    if ctype in (ControlType.MANAGEMENT, ControlType.OTHER):
                        f.flags.append(f"{name} has a management role or other interest")
                    elif ctype is not ControlType.JOINT_ARRANGEMENT:
                        f.flags.append(
                            f"controlled by {name} ({ctype.value}): a risk, not a block, "
                            f"under {rules.title}"
                        )
        if res.pooled is not None and node in res.pooled:
            held = res.pooled.held.get(node, 0.0)
            f.flags.append(
                f"designated persons hold {format_share(held, held)} together: owned only if "
                f"they act under a joint arrangement"
            )

    def explain(self, entity_id: str) -> list[Finding]:
        return [self.finding(entity_id, code) for code in self.jurisdictions]

    def summary(self, entity_id: str) -> str:
        """One sentence for screening results: who owns it and what that means where."""
        findings = self.explain(entity_id)
        parts = [
            f"{status_words(f.jurisdiction, f.status)} under {f.jurisdiction.upper()} rules"
            for f in findings
        ]
        lead = next((f for f in findings if f.status is Status.BLOCKED), None) or next(
            (f for f in findings if f.status is Status.POSSIBLY_BLOCKED), None
        )
        if lead is None:
            flagged = next((f for f in findings if f.flags), None)
            head = flagged.flags[0] if flagged else "no designated owner or controller"
            return f"{head}: " + ", ".join(parts)
        ultimate: dict[str, str] = {}
        for path in lead.paths:
            first = path[0]
            ultimate[first["name"]] = first.get("designated", "")
        names = " and ".join(sorted(ultimate)) or "designated persons"
        lists = " and ".join(sorted({v for v in ultimate.values() if v}))
        if lead.via == "ownership":
            how = f"owned {lead.held}"
        else:
            held = f", holding {lead.held}," if lead.held else ""
            how = f"controlled ({lead.via}){held}"
        both = "both " if len(ultimate) == 2 else "all " if len(ultimate) > 2 else ""
        listed = f", {both}listed under {lists}" if lists else ""
        direct = [
            o["name"]
            for o in lead.owners
            if o["status"] != Status.NOT_BLOCKED.value and o["name"] not in ultimate
        ]
        if lead.via == "ownership" and direct:
            verb = "trace" if len(direct) > 1 else "traces"
            return (
                f"{how} by {' and '.join(direct)}, which {verb} to {names}{listed}: "
                + ", ".join(parts)
            )
        return f"{how} by {names}{listed}: " + ", ".join(parts)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per jurisdiction: designated parties and derived statuses (all parties, not only
        the affected ones)."""
        out: dict[str, dict[str, int]] = {}
        for code, res in self.results.items():
            blocked: set[int] = set()
            possible: set[int] = set()
            for group in res.groups:
                blocked.update(n for n in group.definite.order if n not in res.seeds)
                possible.update(n for n in group.possible.order if n not in res.seeds)
            out[code] = {
                "designated": len(res.seeds),
                "blocked": len(blocked),
                "possibly_blocked": len(possible - blocked),
            }
        return out

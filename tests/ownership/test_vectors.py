"""The DOMAIN.md 4.4 test vectors and Corridor's own cases, one test per case and
jurisdiction, all read from vectors.toml."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.ownership import Evaluation, compile_graph

from .notation import designation, edge, load_cases

CASES = load_cases()
PARAMS = [
    pytest.param(case, code, id=f"{case['id']}-{code}")
    for case in CASES
    for code in case.get("jurisdictions", ["us", "eu", "uk"])
]


def _evaluate(case: dict[str, Any]) -> Evaluation:
    graph = compile_graph(
        [edge(e) for e in case["edges"]],
        [designation(d) for d in case["designated"]],
        as_of=case.get("as_of", "2025-06-01"),
    )
    return Evaluation(graph, tuple(case.get("jurisdictions", ["us", "eu", "uk"])))


@pytest.mark.parametrize(("case", "code"), PARAMS)
def test_vector(case: dict[str, Any], code: str) -> None:
    evaluation = _evaluate(case)
    expected: dict[str, str] = case["expect"][code]
    designated = {designation(d).id for d in case["designated"]}
    for node in evaluation.graph.ids:
        if node in designated:
            continue
        finding = evaluation.finding(node, code)
        want = expected.get(node, "not_blocked")
        assert finding.status.value == want, f"{case['id']} {code} {node}: {finding.reason}"
    for node, text in case.get("flags", {}).get(code, {}).items():
        finding = evaluation.finding(node, code)
        assert any(text in flag for flag in finding.flags), (node, finding.flags)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_blocked_party_has_a_trace_to_a_designated_person(case: dict[str, Any]) -> None:
    evaluation = _evaluate(case)
    for finding in evaluation.findings():
        if finding.status.value == "not_blocked":
            continue
        assert finding.paths, finding
        for path in finding.paths:
            assert "designated" in path[0]
            assert path[-1]["id"] == finding.entity
            assert len({step["id"] for step in path}) == len(path)  # no step twice

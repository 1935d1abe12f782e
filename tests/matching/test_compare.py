"""Name comparison on the data-driven cases of cases.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.matching import compare
from corridor.model.entity import EntityKind

DATA = tomllib.loads((Path(__file__).parent / "cases.toml").read_text("utf-8"))
PAIRS: list[dict[str, Any]] = DATA["pair"]
RANKINGS: list[dict[str, Any]] = DATA["ranking"]


@pytest.mark.parametrize("case", PAIRS, ids=[f"{c['a']} ~ {c['b']}" for c in PAIRS])
def test_pair(case: dict[str, Any]) -> None:
    kind = EntityKind(case["kind"]) if "kind" in case else None
    score, explanation = compare(case["a"], case["b"], kind)
    assert 0.0 <= score <= 1.0
    if "min" in case:
        assert score >= case["min"], explanation.summary()
    if "max" in case:
        assert score <= case["max"], explanation.summary()
    # symmetric up to rounding
    back, _ = compare(case["b"], case["a"], kind)
    assert abs(back - score) < 0.06


@pytest.mark.parametrize("case", RANKINGS, ids=[c["why"] for c in RANKINGS])
def test_ranking(case: dict[str, Any]) -> None:
    better, _ = compare(*case["better"])
    worse, _ = compare(*case["worse"])
    assert better > worse, case["why"]


def test_explanation_is_complete() -> None:
    score, exp = compare("Vladimir Putin", "PUTIN, Vladimir Vladimirovich")
    assert score > 0.85
    assert {(a["query"], a["candidate"]) for a in exp.alignment} == {
        ("vladimir", "vladimir"),
        ("putin", "putin"),
    }
    assert exp.unmatched == [
        {
            "side": "listed",
            "token": "vladimirovich",
            "kind": "patronymic",
            "counted": 0.15,
            "reason": "patronymic omitted",
        }
    ]
    text = exp.summary()
    assert "vladimirovich" in text and "patronymic omitted" in text
    d = exp.to_dict()
    assert d["summary"] == text and d["name_score"] == score

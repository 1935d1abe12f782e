"""Alert severity from listings, evidence and jurisdictions of concern (severity.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.profiles.severity import severity

CASES = tomllib.loads((Path(__file__).parent / "severity.toml").read_text("utf-8"))["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["what"] for c in CASES])
def test_severity(case: dict[str, Any]) -> None:
    got = severity(
        case["name_score"],
        case["name_score"],
        case["listings"],
        case.get("adjustments", []),
        tuple(case.get("concern", ())),
    )
    assert got.level == case["level"], got.reasons
    assert got.reasons[-1].endswith(f"{got.level} (high from 4, medium from 2.5)")

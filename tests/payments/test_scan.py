"""The free-text scanner over real listed names and identifiers (scan.toml): each kind found
in any script, and the traps left alone."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.goods import GoodsChecker
from corridor.matching import Screener
from corridor.payments import FreeTextScanner
from corridor.places import bundled_embargoes

CASES = tomllib.loads((Path(__file__).parent / "scan.toml").read_text("utf-8"))["case"]


@pytest.fixture(scope="module")
def scanner(screener: Screener) -> FreeTextScanner:
    return FreeTextScanner(screener.index, bundled_embargoes(), GoodsChecker.bundled())


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_scan(case: dict[str, Any], scanner: FreeTextScanner) -> None:
    hits = scanner.scan("RmtInf/Ustrd", case["text"])
    kinds = {h.kind for h in hits}
    for kind in case.get("kinds", []):
        assert kind in kinds, [h.to_dict() for h in hits]
    for kind in case.get("not", []):
        assert kind not in kinds, [h.to_dict() for h in hits if h.kind == kind]
    for h in hits:
        assert case["text"][h.start : h.end] == h.text or h.kind == "place"
    if "matched" in case:
        assert any(case["matched"].lower() in h.matched.lower() for h in hits), hits

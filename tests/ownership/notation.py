"""Helpers that turn the compact edge notation of ``vectors.toml`` into graph objects."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from corridor.model.ownership import (
    ControlType,
    Designation,
    EdgeKind,
    OwnershipEdge,
    ShareBasis,
)
from corridor.ownership.values import parse_share

HERE = Path(__file__).parent
_WINDOW = re.compile(r"\s*\[([^,\]]*),([^)\]]*)\)\s*$")


def _window(text: str) -> tuple[str, str | None, str | None]:
    m = _WINDOW.search(text)
    if m is None:
        return text, None, None
    return text[: m.start()], m.group(1).strip() or None, m.group(2).strip() or None


def edge(text: str) -> OwnershipEdge:
    body, start, end = _window(text)
    parts = body.split()
    owner, arrow, owned, *rest = parts
    if arrow == "->":
        basis = ShareBasis.EQUITY
        if rest[0] == "voting":
            basis, rest = ShareBasis.VOTING, rest[1:]
        low, high = (0.0, 100.0) if rest[0] == "?" else parse_share(rest[0])
        return OwnershipEdge(
            owner, owned, EdgeKind.OWNERSHIP, low, high, basis, None, start, end, text
        )
    assert arrow in ("=>", "~"), text
    return OwnershipEdge(
        owner,
        owned,
        EdgeKind.CONTROL,
        control_type=ControlType(rest[0]),
        valid_from=start,
        valid_to=end,
        source=text,
    )


def designation(text: str) -> Designation:
    body, start, end = _window(text)
    pid, *codes = body.split()
    expanded: set[str] = set()
    for code in codes:
        expanded |= {"eu", "uk"} if code == "un" else {code}
    return Designation(pid, f"Listed {pid}", " ".join(codes), frozenset(expanded), start, end)


def load_cases() -> list[dict[str, Any]]:
    return list(tomllib.loads((HERE / "vectors.toml").read_text("utf-8"))["case"])

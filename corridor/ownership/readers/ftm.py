"""FollowTheMoney ``Ownership`` and ``Directorship`` entities (OpenSanctions data), and the
``Person``/``Company``/``Organization``/``LegalEntity`` entities that name their parties.

``Ownership``: ``owner`` holds ``percentage`` of ``asset`` (an ``ownershipType`` mentioning
votes makes it a voting share; a missing percentage is an unknown share, [0, 100]).
``Directorship``: ``director`` manages ``organization``: a management role, which informs
but does not by itself control.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corridor.exceptions import ParseError
from corridor.model.countries import to_iso2
from corridor.model.ownership import (
    ControlType,
    EdgeKind,
    GraphParty,
    OwnershipEdge,
    ShareBasis,
)
from corridor.ownership.readers.base import GraphData
from corridor.ownership.readers.jsonfile import iter_objects
from corridor.ownership.values import parse_iso_date, parse_share

PARTY_SCHEMAS = {
    "Person": "person",
    "Company": "organization",
    "Organization": "organization",
    "LegalEntity": "organization",
    "PublicBody": "organization",
}


def _first(props: dict[str, Any], key: str) -> str | None:
    values = props.get(key) or []
    return values[0] if values and isinstance(values[0], str) else None


def _date(props: dict[str, Any], key: str, name: str, line: int, rid: str) -> str | None:
    value = _first(props, key)
    if value is None:
        return None
    try:
        return parse_iso_date(value[:10])
    except ValueError as exc:
        raise ParseError(f"property {key}: {exc}", name, line or None, rid) from exc


def read_ftm(path: Path, encoding: str | None = None) -> GraphData:
    data = GraphData("ftm")
    name = path.name
    unknown = 0
    for line, obj in iter_objects(path, encoding):
        rid = obj.get("id")
        schema = obj.get("schema")
        props = obj.get("properties", {})
        if not isinstance(rid, str) or not isinstance(schema, str) or not isinstance(props, dict):
            raise ParseError(
                "expected an entity with string 'id', 'schema' and object 'properties'",
                name,
                line or None,
            )
        if schema in PARTY_SCHEMAS:
            label = _first(props, "name")
            if label:
                data.parties.append(
                    GraphParty(
                        rid,
                        label,
                        PARTY_SCHEMAS[schema],
                        to_iso2(_first(props, "country") or _first(props, "jurisdiction")),
                        _first(props, "registrationNumber") or _first(props, "innCode"),
                    )
                )
            continue
        if schema not in ("Ownership", "Directorship"):
            continue
        start = _date(props, "startDate", name, line, rid)
        end = _date(props, "endDate", name, line, rid)
        if schema == "Ownership":
            owner, owned = _first(props, "owner"), _first(props, "asset")
        else:
            owner, owned = _first(props, "director"), _first(props, "organization")
        if not owner or not owned:
            raise ParseError(
                f"{schema} needs both "
                + (
                    "'owner' and 'asset'"
                    if schema == "Ownership"
                    else "'director' and 'organization'"
                ),
                name,
                line or None,
                rid,
            )
        if schema == "Directorship":
            data.edges.append(
                OwnershipEdge(
                    owner,
                    owned,
                    EdgeKind.CONTROL,
                    control_type=ControlType.MANAGEMENT,
                    valid_from=start,
                    valid_to=end,
                    source=rid,
                )
            )
            continue
        pct = _first(props, "percentage")
        if pct is None:
            low, high = 0.0, 100.0
            unknown += 1
        else:
            try:
                low, high = parse_share(pct)
            except ValueError as exc:
                raise ParseError(f"property percentage: {exc}", name, line or None, rid) from exc
        kind = (_first(props, "ownershipType") or "").lower()
        basis = ShareBasis.VOTING if "vot" in kind else ShareBasis.EQUITY
        data.edges.append(
            OwnershipEdge(owner, owned, EdgeKind.OWNERSHIP, low, high, basis, None, start, end, rid)
        )
    if not data.edges:
        raise ParseError("no Ownership or Directorship entities", name)
    if unknown:
        data.warnings.append(
            f"{unknown} Ownership entities state no percentage: counted as an unknown share "
            "(0-100 %), which can make an owned party 'possibly blocked'"
        )
    return data

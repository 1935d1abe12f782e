"""Open Ownership Beneficial Ownership Data Standard (BODS) statements, versions 0.2 to 0.4,
as a JSON array or JSON lines.

Nodes are the statements' ids (``statementID`` up to 0.3, ``recordId`` from 0.4), so a
designated-parties file that names BODS parties uses those ids. Interests map to edges:
``shareholding`` (equity) and ``voting-rights`` (voting) are ownership with their share
(``exact``, or ``minimum``/``maximum``, exclusive bounds honoured; none stated is an unknown
share); ``appointment-of-board`` is board appointment; the influence-or-control interests are
dominant influence; the use of assets is asset use; ``senior-managing-official`` is a
management role; trusts, nominees and other interests are recorded as other interests.
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
from corridor.ownership.values import SHARE_GT, parse_iso_date

_OWNERSHIP = {"shareholding": ShareBasis.EQUITY, "voting-rights": ShareBasis.VOTING}
_CONTROL = {
    "appointment-of-board": ControlType.BOARD_APPOINTMENT,
    "other-influence-or-control": ControlType.DOMINANT_INFLUENCE,
    "influence-or-control": ControlType.DOMINANT_INFLUENCE,
    "control-via-company-rules-or-articles": ControlType.DOMINANT_INFLUENCE,
    "rights-granted-by-contract": ControlType.DOMINANT_INFLUENCE,
    "conditional-rights-granted-by-contract": ControlType.DOMINANT_INFLUENCE,
    "enjoyment-and-use-of-assets": ControlType.ASSET_USE,
    "right-to-profit-or-income-from-assets": ControlType.ASSET_USE,
    "senior-managing-official": ControlType.MANAGEMENT,
}


def _share(share: Any, where: str, name: str, line: int) -> tuple[float, float]:
    if not isinstance(share, dict):
        return 0.0, 100.0
    try:
        if share.get("exact") is not None:
            low = high = float(share["exact"])
        else:
            low = float(share.get("minimum", 0.0))
            high = float(share.get("maximum", 100.0))
            if share.get("exclusiveMinimum"):
                low += SHARE_GT
            if share.get("exclusiveMaximum"):
                high -= SHARE_GT
    except (TypeError, ValueError) as exc:
        raise ParseError(f"{where}: share values must be numbers", name, line or None) from exc
    if not 0.0 <= low <= high <= 100.0:
        raise ParseError(
            f"{where}: expected shares within 0-100 with minimum <= maximum", name, line or None
        )
    return low, high


def _ref(value: Any) -> str | None:
    """The id a subject or interested party points at (any BODS version)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("describedByEntityStatement", "describedByPersonStatement"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None


def _party(sid: str, kind: str, body: dict[str, Any]) -> GraphParty | None:
    if kind == "person":
        names = body.get("names") or []
        label = next(
            (n.get("fullName") for n in names if isinstance(n, dict) and n.get("fullName")), None
        )
        nats = body.get("nationalities") or []
        code = nats[0].get("code") if nats and isinstance(nats[0], dict) else None
    else:
        label = body.get("name")
        jur = body.get("incorporatedInJurisdiction") or body.get("jurisdiction") or {}
        code = jur.get("code") if isinstance(jur, dict) else None
    if not isinstance(label, str) or not label.strip():
        return None
    reg = None
    for ident in body.get("identifiers") or []:
        if isinstance(ident, dict) and ident.get("id"):
            reg = str(ident["id"])
            break
    return GraphParty(sid, label.strip(), kind, to_iso2(code) if code else None, reg)


def read_bods(path: Path, encoding: str | None = None) -> GraphData:
    data = GraphData("bods")
    name = path.name
    other = 0
    for line, obj in iter_objects(path, encoding):
        if "recordType" in obj:  # BODS 0.4
            stype = obj.get("recordType")
            sid = obj.get("recordId")
            body = obj.get("recordDetails") or {}
            stype = {"relationship": "ownershipOrControlStatement"}.get(str(stype), stype)
        else:
            stype = obj.get("statementType")
            sid = obj.get("statementID")
            body = obj
        if not isinstance(sid, str) or not isinstance(body, dict):
            raise ParseError("statement without an id", name, line or None)
        if stype in ("entity", "entityStatement", "person", "personStatement"):
            kind = "person" if stype in ("person", "personStatement") else "organization"
            party = _party(sid, kind, body)
            if party is not None:
                data.parties.append(party)
            continue
        if stype != "ownershipOrControlStatement":
            raise ParseError(f"unknown statement type {stype!r}", name, line or None, sid)
        subject = _ref(body.get("subject"))
        holder = _ref(body.get("interestedParty"))
        if subject is None:
            raise ParseError("relationship without a subject", name, line or None, sid)
        if holder is None:
            continue  # unspecified or unknown interested party
        for i, interest in enumerate(body.get("interests") or []):
            if not isinstance(interest, dict):
                raise ParseError(f"interests[{i}]: expected an object", name, line or None, sid)
            itype = str(interest.get("type", ""))
            try:
                start = parse_iso_date(str(interest.get("startDate") or "")[:10])
                end = parse_iso_date(str(interest.get("endDate") or "")[:10])
            except ValueError as exc:
                raise ParseError(f"interests[{i}]: {exc}", name, line or None, sid) from exc
            if itype in _OWNERSHIP:
                low, high = _share(interest.get("share"), f"interests[{i}]", name, line)
                data.edges.append(
                    OwnershipEdge(
                        holder,
                        subject,
                        EdgeKind.OWNERSHIP,
                        low,
                        high,
                        _OWNERSHIP[itype],
                        None,
                        start,
                        end,
                        sid,
                    )
                )
            else:
                ctype = _CONTROL.get(itype, ControlType.OTHER)
                other += ctype is ControlType.OTHER
                data.edges.append(
                    OwnershipEdge(
                        holder,
                        subject,
                        EdgeKind.CONTROL,
                        control_type=ctype,
                        valid_from=start,
                        valid_to=end,
                        source=sid,
                    )
                )
    if not data.edges:
        raise ParseError("no ownership-or-control statements with an interested party", name)
    if other:
        data.warnings.append(
            f"{other} interests (trusts, nominees, unknown) recorded as other interests: they "
            "are reported, and do not make a party controlled"
        )
    return data

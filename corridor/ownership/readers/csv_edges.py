"""The CSV form of ownership edges, which other tools write::

    owner_id,owned_id,share,kind,control_type,valid_from,valid_to

``share`` is in percent: a number, a ``min-max`` range or a bound (``>50``); ``kind`` is
``ownership`` or ``control``; ``control_type`` one of :class:`ControlType` (for control edges);
dates are ISO, empty when open (``valid_to`` is the first day the edge no longer holds).
Optional columns: ``basis`` (``equity`` or ``voting``), ``source`` (the document),
``owner_name``, ``owned_name``, ``owner_kind``, ``owned_kind`` (``person`` or
``organization``) and ``owner_country``, ``owned_country``, which describe the parties.
"""

from __future__ import annotations

from pathlib import Path

from corridor.exceptions import ParseError
from corridor.lists.text import csv_table
from corridor.model.countries import to_iso2
from corridor.model.ownership import (
    ControlType,
    EdgeKind,
    GraphParty,
    OwnershipEdge,
    ShareBasis,
)
from corridor.ownership.graph import paused_gc
from corridor.ownership.readers.base import GraphData
from corridor.ownership.values import parse_iso_date, parse_share

REQUIRED = ("owner_id", "owned_id", "share", "kind", "control_type", "valid_from", "valid_to")
_CONTROL = ", ".join(t.value for t in ControlType)


def read_edges_csv(path: Path, encoding: str | None = None) -> GraphData:
    data = GraphData("edges_csv")
    name = path.name
    parties: dict[str, GraphParty] = {}
    with csv_table(path, REQUIRED, REQUIRED, encoding) as (at, rows), paused_gc():
        i_owner, i_owned, i_share, i_kind = (at[c] for c in REQUIRED[:4])
        i_ctype, i_from, i_to = (at[c] for c in REQUIRED[4:])
        i_basis, i_src = at.get("basis"), at.get("source")
        described = [
            (side, at.get(f"{side}_name"), at.get(f"{side}_kind"), at.get(f"{side}_country"))
            for side in ("owner", "owned")
        ]
        edges = data.edges
        ownership, control = EdgeKind.OWNERSHIP, EdgeKind.CONTROL
        for lineno, row in rows:
            owner, owned = row[i_owner].strip(), row[i_owned].strip()
            if not owner or not owned:
                raise ParseError("owner_id and owned_id must not be empty", name, lineno)
            kind_text = row[i_kind].strip().lower() or "ownership"
            try:
                valid_from = parse_iso_date(row[i_from])
                valid_to = parse_iso_date(row[i_to])
            except ValueError as exc:
                raise ParseError(f"field valid_from/valid_to: {exc}", name, lineno) from exc
            if valid_from and valid_to and valid_to <= valid_from:
                raise ParseError("valid_to must be after valid_from", name, lineno)
            source = (row[i_src].strip() or None) if i_src is not None else None
            if kind_text == "ownership":
                try:
                    low, high = parse_share(row[i_share])
                except ValueError as exc:
                    raise ParseError(f"field share: {exc}", name, lineno) from exc
                basis = ShareBasis.EQUITY
                if i_basis is not None and row[i_basis].strip():
                    try:
                        basis = ShareBasis(row[i_basis].strip().lower())
                    except ValueError as exc:
                        raise ParseError(
                            f"field basis: expected equity or voting, found {row[i_basis]!r}",
                            name,
                            lineno,
                        ) from exc
                edges.append(
                    OwnershipEdge(
                        owner,
                        owned,
                        ownership,
                        low,
                        high,
                        basis,
                        None,
                        valid_from,
                        valid_to,
                        source,
                    )
                )
            elif kind_text == "control":
                try:
                    ctype = ControlType(row[i_ctype].strip().lower())
                except ValueError as exc:
                    raise ParseError(
                        f"field control_type: expected one of {_CONTROL}, found {row[i_ctype]!r}",
                        name,
                        lineno,
                    ) from exc
                edges.append(
                    OwnershipEdge(
                        owner,
                        owned,
                        control,
                        0.0,
                        0.0,
                        ShareBasis.EQUITY,
                        ctype,
                        valid_from,
                        valid_to,
                        source,
                    )
                )
            else:
                raise ParseError(
                    f"field kind: expected ownership or control, found {row[i_kind]!r}",
                    name,
                    lineno,
                )
            for side, i_name, i_pkind, i_country in described:
                if i_name is None or not row[i_name].strip():
                    continue
                pid = owner if side == "owner" else owned
                pkind = row[i_pkind].strip().lower() if i_pkind is not None else ""
                country = to_iso2(row[i_country]) if i_country is not None else None
                parties[pid] = GraphParty(
                    pid,
                    row[i_name].strip(),
                    "person" if pkind == "person" else "organization",
                    country,
                )
    data.parties = list(parties.values())
    return data

"""The CSV form of designated parties: ``id,name,list,designated_from,designated_to``.

``list`` names the list or jurisdiction (``SDN``, ``us_ofac_sdn``, ``us``, ``eu_fsf``,
``uk``, ``UN``, ``Entity List``...; several separated by ``;``): it decides which
jurisdictions' ownership rules the designation triggers.
"""

from __future__ import annotations

from pathlib import Path

from corridor.exceptions import ParseError
from corridor.lists.text import csv_table
from corridor.model.ownership import Designation
from corridor.ownership.jurisdictions import jurisdictions_for
from corridor.ownership.values import parse_iso_date

REQUIRED = ("id", "name", "list", "designated_from", "designated_to")


def read_designated(path: Path | str, encoding: str | None = None) -> list[Designation]:
    path = Path(path)
    name = path.name
    out: list[Designation] = []
    with csv_table(path, REQUIRED, REQUIRED, encoding) as (at, rows):
        for lineno, row in rows:
            pid = row[at["id"]].strip()
            if not pid:
                raise ParseError("field id: must not be empty", name, lineno)
            list_name = row[at["list"]].strip()
            codes = jurisdictions_for(list_name)
            if codes is None or not list_name:
                raise ParseError(
                    f"field list: unknown list {list_name!r}; expected a jurisdiction (us, eu, "
                    "uk, un, bis), a list (SDN, Entity List, MEU, OFSI...) or a Corridor source "
                    "(us_ofac_sdn, eu_fsf, uk_hmt, un_sc)",
                    name,
                    lineno,
                )
            try:
                start = parse_iso_date(row[at["designated_from"]])
                end = parse_iso_date(row[at["designated_to"]])
            except ValueError as exc:
                raise ParseError(
                    f"field designated_from/designated_to: {exc}", name, lineno
                ) from exc
            out.append(Designation(pid, row[at["name"]].strip(), list_name, codes, start, end))
    return out

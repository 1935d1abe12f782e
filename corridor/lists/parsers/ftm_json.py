"""FollowTheMoney JSON lines (OpenSanctions exports: ``entities.ftm.json``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.text import iter_json_lines
from corridor.model.entity import Entity
from corridor.model.ftm import MAIN_SCHEMAS, from_ftm, group_ftm


def sniff(head: bytes, name: str) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
    return first.startswith(b"{") and b'"schema"' in first and b'"properties"' in first


def _records(ctx: ParseContext) -> Iterator[dict[str, Any]]:
    for lineno, rec in iter_json_lines(ctx.path, ctx.encoding, final_newline=True):
        if not isinstance(rec.get("id"), str) or not isinstance(rec.get("schema"), str):
            raise ParseError("entity needs string 'id' and 'schema'", ctx.name, line=lineno)
        props = rec.get("properties", {})
        if not isinstance(props, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()
        ):
            raise ParseError(
                "'properties' must map names to lists of strings",
                ctx.name,
                line=lineno,
                record=rec["id"],
            )
        yield rec


def parse(ctx: ParseContext) -> Iterator[Entity]:
    count = 0
    for main, adjuncts in group_ftm(_records(ctx)):
        if main.get("schema") not in MAIN_SCHEMAS:
            continue
        if not main.get("properties", {}).get("name"):
            continue
        count += 1
        yield from_ftm(main, adjuncts, source=ctx.source)
    if count == 0:
        raise ParseError(
            "no Person, Organization, Vessel or Airplane entities with a name", ctx.name
        )


FORMAT = register(
    ListFormat(
        name="ftm_json",
        title="FollowTheMoney JSON lines (OpenSanctions)",
        default_source="opensanctions",
        sniff=sniff,
        parse=parse,
        extensions=(".json", ".jsonl", ".ftm"),
    )
)

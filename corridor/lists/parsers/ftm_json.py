"""FollowTheMoney JSON lines (OpenSanctions exports: ``entities.ftm.json``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from corridor.exceptions import ParseError
from corridor.lists.base import ListFormat, ParseContext, register
from corridor.lists.text import iter_json_lines
from corridor.model.entity import Entity
from corridor.model.ftm import LISTED_TOPICS, MAIN_SCHEMAS, from_ftm, group_ftm


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


def _listed(main: dict[str, Any], wanted: frozenset[str]) -> bool:
    """Whether an FtM entity is a listed party: a target (when the file says) whose topics
    include one of ``wanted`` (every entity when ``wanted`` is empty)."""
    if not wanted:
        return True
    if main.get("target") is False:
        return False
    topics = set(main.get("properties", {}).get("topics", []))
    return bool(topics & wanted)


def parse(ctx: ParseContext) -> Iterator[Entity]:
    wanted = LISTED_TOPICS if ctx.topics is None else ctx.topics
    count = 0
    skipped: Counter[str] = Counter()
    for main, adjuncts in group_ftm(_records(ctx)):
        if main.get("schema") not in MAIN_SCHEMAS:
            continue
        if not main.get("properties", {}).get("name"):
            continue
        if not _listed(main, wanted):
            topics = main.get("properties", {}).get("topics") or ["no topic"]
            reason = "not a target" if main.get("target") is False else ", ".join(topics)
            skipped[reason] += 1
            continue
        count += 1
        yield from_ftm(main, adjuncts, source=ctx.source)
    if skipped:
        total = sum(skipped.values())
        seen = "; ".join(f"{k} x{n:,}" for k, n in skipped.most_common(5))
        message = (
            f"{total:,} entities are not listed parties (topics other than "
            f"{', '.join(sorted(wanted))}: {seen}); load them with --topics all, or as "
            "context for ownership with 'corridor ownership load'"
        )
        if count == 0:
            raise ParseError(f"no listed parties: {message}", ctx.name)
        ctx.warnings.append(message)
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

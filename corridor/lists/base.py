"""The parser interface every list format implements, and the format registry.

A format is a :class:`ListFormat`: a ``sniff`` function that recognises the format from the
first bytes of a file, and a ``parse`` function that streams :class:`Entity` records out of a
:class:`ParseContext`. Parsers raise only :class:`corridor.exceptions.FormatError` and its
subclasses; every other exception escaping a parser is a bug (the fuzz tests check this).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corridor.model.entity import Entity


@dataclass
class ParseContext:
    """What a parser reads, and what it reports besides entities."""

    path: Path
    source: str
    encoding: str | None = None  # the text encoding the user gave (None: detected)
    published: str | None = None  # publication date the file states (ISO)
    declared_count: int | None = None  # record count the file states, if any
    companions: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # FollowTheMoney imports: the topics that make an entity a listed party (None: sanction
    # and export.control; an empty set: every entity)
    topics: frozenset[str] | None = None

    @property
    def name(self) -> str:
        return str(self.path)


Sniffer = Callable[[bytes, str], bool]
Parser = Callable[[ParseContext], Iterator[Entity]]


@dataclass(frozen=True)
class ListFormat:
    """A list file format Corridor reads."""

    name: str
    title: str
    default_source: str
    sniff: Sniffer
    parse: Parser
    extensions: tuple[str, ...] = ()


_REGISTRY: dict[str, ListFormat] = {}


def register(fmt: ListFormat) -> ListFormat:
    _REGISTRY[fmt.name] = fmt
    return fmt


def formats() -> dict[str, ListFormat]:
    """All registered formats by name (importing the parsers registers them)."""
    from corridor.lists import parsers  # noqa: F401  (registration side effect)

    return dict(_REGISTRY)

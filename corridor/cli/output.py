"""Printing for the CLI: rich tables for people, JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the input file(s) (default: detected; UTF-8, UTF-16, cp1251 "
        "or cp1252).",
    ),
]

console = Console()
err_console = Console(stderr=True)


def progress_bar(counter: str) -> Progress:
    """A transient progress bar; ``counter`` formats the task's counts, e.g.
    ``"{task.completed:,} entities"``."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn(counter),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_json_stream(head: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """One JSON object: ``head``'s keys, then ``key`` holding ``items`` written one at a time
    (for outputs too large to build in memory)."""
    out = sys.stdout
    text = json.dumps(head, ensure_ascii=False, indent=2, default=str)
    out.write(text[:-1].rstrip() + ("," if head else "") + f'\n  "{key}": [')
    for i, item in enumerate(items):
        out.write(("," if i else "") + "\n    " + json.dumps(item, ensure_ascii=False, default=str))
    out.write("\n  ]\n}\n")

"""Printing for the CLI: rich tables for people, JSON for scripts."""

from __future__ import annotations

import json
import os
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

LOG_WIDTH = 200  # columns when the output goes to a file, a pipe or a log, not a terminal


def _console(stderr: bool = False) -> Console:
    """A console as wide as the terminal; into a log or a pipe, wide enough that tables keep
    their values whole instead of wrapping them into narrow columns (``COLUMNS`` wins)."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty() or os.environ.get("COLUMNS"):
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=LOG_WIDTH)


console = _console()
err_console = _console(stderr=True)


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

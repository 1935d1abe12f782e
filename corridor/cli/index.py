"""``corridor index``: the compiled screening index of the active list versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from corridor.cli.output import console, emit_json, err_console
from corridor.cli.profiles import recompute_quietly
from corridor.cli.state import STATE
from corridor.exceptions import ConfigError
from corridor.service.screening import IndexReport, compile_index, index_status, verify_index

app = typer.Typer(help="The compiled screening index: build it, list it, verify it.")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _dir() -> Path:
    directory = STATE.settings.index_dir
    if directory is None:
        raise ConfigError(
            "CORRIDOR_INDEX_DIR is 'memory': every process builds its own index, none is "
            "compiled to a file"
        )
    return directory


def _line(report: IndexReport) -> str:
    counts = report.counts
    took = f", built in {report.built_seconds:.1f} s" if report.built_seconds is not None else ""
    return (
        f"{counts.get('entities', 0):,} entities, {counts.get('names', 0):,} names, "
        f"{counts.get('words', 0):,} words; {report.size / 2**20:.1f} MiB{took}: {report.path}"
    )


def compile_quietly() -> None:
    """Compile the index after a list or graph version became active (adapters call it), so
    that the next screening in any process starts at once."""
    recompute_quietly()
    if STATE.settings.index_dir is None:
        return
    with err_console.status("Compiling the screening index of the active versions..."):
        report = compile_index(STATE.store(), STATE.settings.index_dir)
    err_console.print(f"screening index: {_line(report)}", highlight=False, soft_wrap=True)


@app.command("build")
def build(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if the current index file exists.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Compile the screening index of the active list and graph versions into the index
    directory (CORRIDOR_INDEX_DIR), once: every process then maps the file.

    Loading or activating a list version compiles it already; run this after changing
    Corridor, or with --force to rebuild a damaged file."""
    with err_console.status("Compiling the screening index of the active versions..."):
        report = compile_index(STATE.store(), _dir(), force=force)
    if as_json:
        emit_json(report.to_dict())
        return
    console.print(f"[green]index[/] {report.key}: {_line(report)}", highlight=False)


@app.command("status")
def status(as_json: JsonOpt = False) -> None:
    """The compiled index files, newest first, and which is the active versions' one."""
    reports = index_status(STATE.store(), _dir())
    if as_json:
        emit_json({"directory": str(_dir()), "files": [r.to_dict() for r in reports]})
        return
    table = Table("key", "current", "entities", "names", "size", "built", "build time")
    for r in reports:
        built = (
            dt.datetime.fromtimestamp(r.built_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            if r.built_at
            else "-"
        )
        table.add_row(
            r.key,
            "[green]yes[/]" if r.current else "no",
            f"{r.counts.get('entities', 0):,}",
            f"{r.counts.get('names', 0):,}",
            f"{r.size / 2**20:.1f} MiB",
            built,
            f"{r.built_seconds:.1f} s" if r.built_seconds is not None else "-",
        )
    console.print(table)
    if not any(r.current for r in reports):
        err_console.print(
            "[yellow]warning:[/] no index file for the active versions yet: the next screening "
            "compiles it ('corridor index build' does it now)"
        )


@app.command("verify")
def verify(as_json: JsonOpt = False) -> None:
    """Check the active versions' index file against the digest written with it."""
    report = verify_index(STATE.store(), _dir())
    if as_json:
        emit_json({**report.to_dict(), "verified": True})
        return
    console.print(f"[green]verified[/] {report.key}: {_line(report)}", highlight=False)

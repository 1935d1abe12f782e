"""``corridor spark screen``: screen a table of parties on Apache Spark."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from corridor.batch.spark import FORMATS, screen_table, session
from corridor.cli.output import console, emit_json, err_console
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.exceptions import ConfigError
from corridor.matching import DEFAULT_THRESHOLD
from corridor.service import audit
from corridor.service.screening import compile_index

app = typer.Typer(help="Bulk screening on Apache Spark (the 'spark' extra).")


@app.command("screen")
def screen(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="Table of parties (CSV with a header, JSON lines or Parquet; a file or a "
            "directory of part files) with the columns of screen-file: name, kind, dob, "
            "country, id; other columns are carried through.",
        ),
    ],
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="Output directory (part files, in input order)."),
    ],
    master: Annotated[
        str, typer.Option(help="Spark master: local[*], local[2], spark://host:7077, yarn...")
    ] = "local[*]",
    fmt: Annotated[
        str | None,
        typer.Option("--format", help=f"Output format: {', '.join(FORMATS)} (default: CSV)."),
    ] = None,
    input_format: Annotated[
        str | None, typer.Option(help="Input format, when the name does not say it.")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.5, max=1.0, help=f"Minimum score, 0.5 to 1 (default {DEFAULT_THRESHOLD})."
        ),
    ] = None,
    partitions: Annotated[
        int | None, typer.Option(min=1, help="Repartition the input into this many parts.")
    ] = None,
    shared_index: Annotated[
        bool,
        typer.Option(
            "--shared-index",
            help="Executors open the index file at its path (a filesystem every node mounts) "
            "instead of receiving a copy.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Screen a table on Spark: the compiled index of the active lists is shipped to every
    executor, which screens its partitions with the same function as screen-file (same
    columns in, same columns out, same results).

    \b
    Example:
        corridor spark screen customers.parquet --output screened/ --format parquet
    """
    directory = STATE.settings.index_dir
    if directory is None:
        raise ConfigError("Spark screening ships the compiled index: set CORRIDOR_INDEX_DIR")
    with err_console.status("Compiling the screening index of the active versions..."):
        index = compile_index(STATE.store(), directory)
    assert index.path is not None
    started = time.perf_counter()
    spark = session(master)
    try:
        report = screen_table(
            spark,
            input_path,
            output,
            index_path=Path(index.path),
            threshold=threshold,
            input_format=input_format,
            output_format=fmt or "csv",
            partitions=partitions,
            shared_index=shared_index,
        )
    finally:
        spark.stop()
    seconds = time.perf_counter() - started
    audit.record(
        STATE.store(),
        CLI_ACTOR,
        "screen.spark",
        f"file:{input_path.rstrip('/').rsplit('/', 1)[-1]}",
        {"parties": report.rows, "alerts": report.alerts, "master": master},
    )
    if as_json:
        emit_json({**report.to_dict(), "seconds": round(seconds, 2)})
        return
    console.print(
        f"{report.rows:,} parties screened on {master} in {seconds:.1f} s "
        f"({report.partitions} partitions), {report.alerts:,} alert(s), "
        f"{report.errors:,} row(s) skipped; written to {report.output} ({report.format})"
    )

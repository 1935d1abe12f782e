"""`corridor payments`: screen ISO 20022 and SWIFT MT payment messages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from corridor.batch.tables import check_writable, write_rows
from corridor.cli.output import console, emit_json
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.exceptions import InvalidQuery
from corridor.service import audit
from corridor.service.payments import (
    payment_screener,
    raise_payment_alerts,
    report_rows,
    screen_payment_files,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
app = typer.Typer(no_args_is_help=True, help="Screen payment messages (ISO 20022, SWIFT MT).")
_COLOURS = {"block": "red", "review": "yellow", "clear": "green"}


@app.command("screen")
def screen(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="pacs.008, pacs.009 (COV), pain.001 XML or MT103/MT202/MT202COV files; "
            "several messages a file are fine."
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write one row per payment (.csv, .jsonl, .parquet)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Payments to print.")] = 40,
    alerts: Annotated[
        bool,
        typer.Option(
            "--alerts",
            help="Make the party matches alerts in cases: each matched party becomes a "
            "counterparty of the book, and decisions on it are remembered for later payments.",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Each payment's decision per jurisdiction (clear, review, block), with every hit: the
    field, the text, what it matched and why. Unreadable messages are reported with their
    position and the others screened; the command exits 1 when any message could not be
    read."""
    store = STATE.store()
    if not store.sources():
        raise InvalidQuery("the store holds no lists: load them first ('corridor lists load')")
    if output:
        check_writable(output)
    screener = payment_screener(STATE.screener())
    report = screen_payment_files(screener, list(files))
    audit.record(
        store, CLI_ACTOR, "payments.screen", ",".join(f.name for f in files), report.counts()
    )
    raised = raise_payment_alerts(store, STATE.screener(), report, CLI_ACTOR) if alerts else None
    if json_out:
        emit_json({**report.to_dict(), **({"alerts": raised} if raised is not None else {})})
    elif output:
        write_rows(output, report_rows(report))
        counts = report.counts()
        console.print(
            f"{counts['messages']:,} payments screened: "
            + ", ".join(f"{n:,} {k}" for k, n in sorted(counts["overall"].items()))
            + f"; written to {output}"
        )
    else:
        _print(report, limit)
    if raised is not None and not json_out:
        console.print(
            f"alerts: {raised['parties']} matched parties in the book, "
            f"{raised['alerts_created']} alerts created, {raised['alerts_updated']} updated, "
            f"{raised['suppressed_by_memory']} held back by remembered decisions"
        )
    for err in report.errors if not json_out else []:
        console.print(f"[red]unreadable:[/] {escape(str(err))}", highlight=False)
    if report.errors:
        raise typer.Exit(1)


def _print(report: object, limit: int) -> None:
    from corridor.service.payments import PaymentReport

    assert isinstance(report, PaymentReport)
    counts = report.counts()
    console.print(
        f"{counts['messages']:,} payments in {report.seconds:.2f} s: "
        + ", ".join(f"{n:,} {k}" for k, n in sorted(counts["overall"].items()))
    )
    order = {"block": 0, "review": 1, "clear": 2}
    shown = sorted(report.results, key=lambda r: order[r.overall])[:limit]
    table = Table("payment", "kind", "overall", "US", "EU", "UK", "UN", "hits")
    for r in shown:
        colour = _COLOURS[r.overall]
        table.add_row(
            escape(r.message_id),
            r.payment.kind,
            f"[{colour}]{r.overall}[/]",
            *(r.decisions[j].result for j in ("us", "eu", "uk", "un")),
            escape("; ".join(f"{h.field}: {h.text} -> {h.matched}" for h in r.hits[:3])),
        )
    console.print(table)
    for r in shown:
        if r.overall == "clear":
            continue
        console.print(f"\n[bold]{escape(r.message_id)}[/] ({r.payment.position})", highlight=False)
        for h in r.hits:
            console.print(f"  {escape(h.field)}: {escape(h.why)}", highlight=False)

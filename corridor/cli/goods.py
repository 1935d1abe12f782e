"""``corridor goods ...``: check goods codes and descriptions against goods lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from corridor.cli.output import console, emit_json
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.exceptions import InvalidQuery
from corridor.goods import GoodsCheck, format_hs
from corridor.model.dates import parse_iso_date
from corridor.service import audit
from corridor.service.goods import goods_checker, load_bundled_goods, load_goods_list

app = typer.Typer(
    help="Goods: HS and national codes against the Common High Priority List and other "
    "goods lists; descriptions.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def print_check(result: GoodsCheck) -> None:
    code = result.code
    if result.error:
        console.print(f"[red]invalid code:[/] {escape(result.error)}")
    if code is not None:
        head = f"[bold]{format_hs(code.code)}[/] ({code.system}, HS {code.hs_version})"
        console.print(
            head + (f": {escape(result.hs_description)}" if result.hs_description else "")
        )
        for c, d in result.path:
            console.print(f"  {c}  {escape(d)}", highlight=False)
    if result.hits:
        table = Table("list", "tier", "entry", "jurisdictions", "valid from", "certain", "note")
        for hit in result.hits:
            e = hit.entry
            table.add_row(
                f"{e.list} (HS {e.hs_version})",
                e.tier or "",
                format_hs(e.code),
                ", ".join(e.jurisdictions),
                e.valid_from or "",
                "yes" if hit.certain else f"no ({hit.via})",
                escape(hit.note or ""),
            )
        console.print(table)
        for basis in sorted({h.entry.legal_basis for h in result.hits if h.entry.legal_basis}):
            console.print(f"  legal basis: {escape(basis)}", highlight=False)
    elif code is not None or result.suggestions:
        console.print("[green]on no goods list[/]")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    if result.suggestions:
        table = Table("suggested HS-6", "score", "description", title="from the description")
        for s in result.suggestions:
            table.add_row(format_hs(s.hs6), f"{s.score:.2f}", escape(s.description))
        console.print(table)


@app.command("check")
def check(
    code: Annotated[
        str | None, typer.Argument(help="HS or national code (8542.31, 8542 31 00 00); optional")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="The goods description.")
    ] = None,
    hs_version: Annotated[
        str,
        typer.Option(
            "--hs-version",
            help="2022, 2017 or 2012 (a code HS 2022 lacks is read in its older version anyway).",
        ),
    ] = "2022",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Check a goods code and/or description: HS subheading, list hits with tier and legal
    basis, vagueness, and the likeliest codes for the description."""
    if not code and not description:
        raise InvalidQuery("give a goods code, a --description, or both")
    try:
        day = parse_iso_date(as_of)
    except ValueError as exc:
        raise InvalidQuery(f"--as-of: {exc}") from exc
    checker, bundled = goods_checker(STATE.store())
    result = checker.check(code, description, hs_version, day)
    audit.record(
        STATE.store(),
        CLI_ACTOR,
        "goods.check",
        f"goods:{code}",
        {"description": description, "listed": result.listed},
    )
    if json_out:
        emit_json({**result.to_dict(), "lists": checker.lists, "bundled_lists": bundled})
        if result.error:
            raise typer.Exit(1)
        return
    if bundled:
        console.print("[dim]goods lists: the bundled ones (none loaded in the store)[/]")
    print_check(result)
    if result.error:
        raise typer.Exit(1)


@app.command("load")
def load(
    path: Annotated[
        Path | None, typer.Argument(exists=True, dir_okay=False, help="Goods-list CSV.")
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Load the bundled CHPL (HS 2022 and HS 2017).")
    ] = False,
    source: Annotated[str | None, typer.Option("--source", help="Source name.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Store even if unchanged.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Load a goods list (CSV) or the bundled ones into the store, versioned."""
    if path is None and not bundled:
        raise InvalidQuery("give a goods-list CSV or --bundled")
    results = load_bundled_goods(STATE.store(), force) if bundled else []
    if path is not None:
        results.append(load_goods_list(STATE.store(), path, source, force))
    if json_out:
        emit_json([r.to_dict() for r in results])
        return
    for r in results:
        v = r.version
        assert v is not None
        state = "unchanged, stays active" if r.skipped else "active"
        console.print(f"[green]{r.source}[/]: version {v.id} {state}, {v.entry_count} entries")


@app.command("lists")
def lists_cmd(json_out: JsonOpt = False) -> None:
    """The goods lists active in the store."""
    versions = STATE.store().active_goods_lists()
    if json_out:
        emit_json([v.to_dict() for v in versions])
        return
    if not versions:
        console.print("no goods list loaded: corridor goods load --bundled")
        return
    table = Table("source", "version", "file", "entries", "imported")
    for v in versions:
        table.add_row(v.source, str(v.id), v.file_name, str(v.entry_count), v.imported_at)
    console.print(table)

"""``corridor shipments ...`` and ``corridor licences ...``: screen trade documents, find
re-export chains, load licences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from corridor.batch.tables import check_writable, write_rows
from corridor.cli.output import EncodingOpt, console, emit_json, progress_bar
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.service import audit
from corridor.service.shipments import (
    ledger_chains,
    load_licences,
    record_screening,
    report_rows,
    screen_ledger,
    store_licences,
)
from corridor.shipments import Chain, LedgerReport, load_rules_config

app = typer.Typer(
    help="Screen trade documents (declarations, e-invoices, waybills): parties, goods, routes, "
    "red flags, re-export chains and licences, with a result per jurisdiction.",
    no_args_is_help=True,
)
licences_app = typer.Typer(help="Licences and exemptions, versioned.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
FilesArg = Annotated[
    list[Path],
    typer.Argument(
        exists=True,
        dir_okay=False,
        help="Trade documents: CSV, JSON lines or XLSX (one row per goods line).",
    ),
]
CompaniesOpt = Annotated[
    Path | None,
    typer.Option(
        "--companies",
        exists=True,
        dir_okay=False,
        help="Company facts: name,country,registration_id,incorporated,activity_code.",
    ),
]
RulesOpt = Annotated[
    Path | None,
    typer.Option("--rules", exists=True, dir_okay=False, help="Rules file (TOML)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Screening date for lists and licences (YYYY-MM-DD); today."),
]
_STYLE = {"clear": "green", "review": "yellow", "prohibited": "bold red"}


def _cell(result: str) -> str:
    return f"[{_STYLE[result]}]{result}[/]"


def print_report(report: LedgerReport, limit: int, rules: Path | None = None) -> None:
    counts = report.counts()
    console.print(
        f"{counts['documents']:,} documents ({counts['lines']:,} lines) as of {report.as_of}: "
        + ", ".join(f"{n:,} {k}" for k, n in sorted(counts["overall"].items()))
        + f"; {counts['chains']:,} re-export chain(s); {counts['bad_rows']:,} bad row(s)"
    )
    order = {"prohibited": 0, "review": 1, "clear": 2}
    shown = sorted(report.results, key=lambda r: (order[r.overall], r.date, r.doc_id))
    table = Table(
        "document", "date", "route", "US", "EU", "UK", "UN", "red flags", show_lines=False
    )
    for r in shown[:limit]:
        table.add_row(
            escape(r.doc_id),
            r.date,
            "-".join(r.route),
            *[_cell(r.decisions[j].result) for j in ("us", "eu", "uk", "un")],
            ", ".join(sorted({f.rule for f in r.flags})),
        )
    console.print(table)
    if len(shown) > limit:
        console.print(f"... {len(shown) - limit:,} more documents (use --limit or --output)")
    for r in shown[:limit]:
        if r.overall == "clear" and not any(d.licensed for d in r.decisions.values()):
            continue
        console.print(f"\n[bold]{escape(r.doc_id)}[/] ({r.doc_type}, {r.date}): {_cell(r.overall)}")
        reasons: dict[str, list[str]] = {}
        for j, d in r.decisions.items():
            for reason in d.reasons:
                reasons.setdefault(reason, []).append(j.upper())
            for lic in d.licensed:
                reasons.setdefault(f"[licensed] {lic}", []).append(j.upper())
        for reason, juris in reasons.items():
            console.print(f"  {'/'.join(juris)}: {escape(reason)}", highlight=False)
    if counts["flags"]:
        titles = {r.id: r for r in load_rules_config(rules).rules.values()}
        where = rules or "corridor/data/rules/shipments.toml"
        console.print(f"\nred flags (their rules and thresholds: {where}):", highlight=False)
        for code, n in counts["flags"].items():
            spec = titles.get(code)
            what = spec.title if spec else ""
            console.print(f"  {code} x{n}: {escape(what)}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    for err in report.errors[:20]:
        console.print(f"[yellow]bad row:[/] {escape(str(err))}", highlight=False)
    if len(report.errors) > 20:
        console.print(f"[yellow]... {len(report.errors) - 20} more bad rows[/]")


@app.command("screen")
def screen(
    files: FilesArg,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    companies: CompaniesOpt = None,
    licences: Annotated[
        Path | None,
        typer.Option(
            "--licences",
            exists=True,
            dir_okay=False,
            help="Licences (TOML or JSON) besides those loaded in the store.",
        ),
    ] = None,
    no_parties: Annotated[
        bool, typer.Option("--no-parties", help="Do not screen the parties.")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write one row per document (.csv, .jsonl, .parquet)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Documents to print.")] = 40,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="Keep the report in the store: the web UI lists it, and the dashboard "
            "charts its high-priority goods by destination.",
        ),
    ] = False,
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Screen trade documents: each document's result (clear, review, prohibited) under the
    US, EU, UK and UN rule sets, with the reasons, red flags and chains."""
    store = STATE.store()
    if output:
        check_writable(output)

    def run(progress: Callable[[int], None] | None) -> LedgerReport:
        return screen_ledger(
            store,
            list(files),
            rules,
            licences,
            companies,
            as_of,
            not no_parties,
            progress=progress,
            parties=STATE.screener() if not no_parties and store.sources() else None,
            encoding=encoding,
        )

    if json_out or output:
        report = run(None)
    else:
        with progress_bar("{task.completed:,} documents") as bar:
            task = bar.add_task("Screening", total=None)
            report = run(lambda n: bar.update(task, completed=n))
    audit.record(
        store, CLI_ACTOR, "shipments.screen", ",".join(f.name for f in files), report.counts()
    )
    if record:
        sid = record_screening(store, report, ", ".join(f.name for f in files), CLI_ACTOR)
        if not json_out:
            console.print(f"report kept as screening {sid} (web UI: /ui/shipments/{sid})")
    if json_out:
        emit_json(report.to_dict())
        return
    if output:
        write_rows(output, report_rows(report))
        counts = report.counts()
        console.print(
            f"{counts['documents']:,} documents screened: "
            + ", ".join(f"{n:,} {k}" for k, n in sorted(counts["overall"].items()))
            + f"; written to {output}"
        )
        for warning in report.warnings:
            console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
        for err in report.errors:
            console.print(f"[yellow]bad row:[/] {escape(str(err))}", highlight=False)
        return
    print_report(report, limit, rules)


def print_chains(chains: list[Chain]) -> None:
    if not chains:
        console.print("[green]no re-export chain found[/]")
        return
    for c in chains:
        console.print(
            f"[bold]{escape(c.company)}[/]: {c.hs6[:4]}.{c.hs6[4:]} x{c.export_quantity:g} "
            f"{c.unit or ''} to {c.destination} on {c.export_date} ({escape(c.export_doc)}), "
            f"{c.share:.0%} covered by imports of the previous {c.days} days"
            + (" [yellow](through a related company)[/]" if c.related else "")
        )
        for link in c.imports:
            console.print(
                f"  {link.date}  {escape(link.doc_id)}  {escape(link.company)}  {link.quantity:g}",
                highlight=False,
            )


@app.command("chains")
def chains_cmd(
    files: FilesArg,
    companies: CompaniesOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Re-export chains: imports of listed goods followed by exports of the same goods to
    Russia or Belarus by the same (or a related) company."""
    chains, errors = ledger_chains(
        STATE.store(), list(files), companies, rules, as_of, encoding=encoding
    )
    if json_out:
        emit_json(
            {
                "chains": [c.to_dict() for c in chains],
                "errors": [e.to_dict() for e in errors],
            }
        )
        return
    print_chains(chains)
    for err in errors:
        console.print(f"[yellow]bad row:[/] {escape(str(err))}", highlight=False)


@licences_app.command("load")
def licences_load(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="TOML or JSON.")],
    source: Annotated[str | None, typer.Option("--source", help="Source name.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Load licences into the store as the new active version of their source."""
    version, skipped = load_licences(STATE.store(), path, source)
    if json_out:
        emit_json({**version.to_dict(), "skipped": skipped})
        return
    state = "unchanged, stays active" if skipped else "active"
    console.print(
        f"[green]{version.source}[/]: version {version.id} {state}, "
        f"{version.record_count} licence(s)"
    )


@licences_app.command("list")
def licences_list(json_out: JsonOpt = False) -> None:
    """The licences active in the store."""
    licences = store_licences(STATE.store())
    if json_out:
        emit_json([lic.to_dict() for lic in licences])
        return
    table = Table("id", "jurisdiction", "type", "lifts", "valid", "supersedes", "title")
    for lic in licences:
        table.add_row(
            lic.id,
            lic.jurisdiction,
            lic.type,
            ", ".join(lic.lifts),
            f"{lic.valid_from or ''}..{lic.valid_to or ''}",
            ", ".join(lic.supersedes),
            escape(lic.title),
        )
    console.print(table)

"""``corridor ownership ...``: load ownership graphs, evaluate them, explain one party."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corridor.cli.index import compile_quietly
from corridor.cli.output import EncodingOpt, console, emit_json, emit_json_stream
from corridor.cli.state import STATE
from corridor.ownership import Evaluation, Finding, Status, status_words
from corridor.service.ownership import (
    evaluate_ownership,
    graph_status,
    load_graph,
    parse_jurisdictions,
)

app = typer.Typer(
    help="Ownership and control: who is blocked or owned by listed persons under the US, EU, "
    "UK (and BIS) rules.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
EdgesOpt = Annotated[
    Path | None,
    typer.Option(
        "--edges",
        help="Ownership file (CSV edges, FtM or BODS); default: the store's active graphs.",
        exists=True,
        dir_okay=False,
    ),
]
DesignatedOpt = Annotated[
    Path | None,
    typer.Option(
        "--designated",
        help="CSV id,name,list,designated_from,designated_to; default: the store's active lists.",
        exists=True,
        dir_okay=False,
    ),
]
JurisdictionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--jurisdiction",
        "-j",
        help="us, eu, uk, bis or all (= us, eu, uk); repeat or separate with commas.",
    ),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Evaluate as of this date (YYYY-MM-DD); today.")
]
RulesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help="TOML file overriding the rules' thresholds and control types.",
        exists=True,
        dir_okay=False,
    ),
]

_STYLE = {
    Status.BLOCKED: "bold red",
    Status.POSSIBLY_BLOCKED: "yellow",
    Status.NOT_BLOCKED: "green",
}


def _evaluate(
    edges: Path | None,
    designated: Path | None,
    jurisdiction: list[str] | None,
    as_of: str | None,
    rules: Path | None,
    encoding: str | None = None,
) -> Evaluation:
    store = STATE.store() if edges is None or designated is None else None
    return evaluate_ownership(
        store,
        edges,
        designated,
        parse_jurisdictions(jurisdiction),
        as_of,
        rules,
        encoding=encoding,
    )


def path_text(path: list[dict[str, Any]]) -> str:
    """``X (designated: SDN) -50 %-> A -40 %-> B``."""
    parts = []
    for i, step in enumerate(path):
        label = step["name"] if step["name"] == step["id"] else f"{step['name']} [{step['id']}]"
        if i == 0:
            parts.append(f"{label} (designated: {step.get('designated', '?')})")
        elif "control" in step:
            parts.append(f"={step['control']}=> {label}")
        else:
            parts.append(f"-{step['share']}-> {label}")
    return escape(" ".join(parts))


def _cell(f: Finding) -> str:
    text = f"[{_STYLE[f.status]}]{status_words(f.jurisdiction, f.status)}[/]"
    if f.flags:
        text += f" [dim]({len(f.flags)} flag{'s' if len(f.flags) > 1 else ''})[/]"
    return text


@app.command("load")
def load(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Ownership file.")],
    format: Annotated[
        str | None, typer.Option("--format", help="edges_csv, ftm or bods; detected if omitted.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Graph source name; default: the file name.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Store even if unchanged.")] = False,
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Load an ownership graph into the store as the new active version of its source."""
    result = load_graph(
        STATE.store(), path, format=format, source=source, force=force, encoding=encoding
    )
    if not result.skipped:
        compile_quietly()
    if json_out:
        emit_json(result.to_dict())
        return
    v = result.version
    assert v is not None
    if result.skipped:
        console.print(f"[yellow]{result.source}[/]: unchanged, version {v.id} stays active")
    else:
        console.print(
            f"[green]{result.source}[/]: version {v.id} active, {v.edge_count:,} edges, "
            f"{v.party_count:,} described parties ({v.format})"
        )
    for warning in result.warnings:
        console.print(f"  [yellow]warning:[/] {warning}")


@app.command("status")
def status(json_out: JsonOpt = False) -> None:
    """The active ownership graphs in the store."""
    graphs = graph_status(STATE.store())
    if json_out:
        emit_json([g.to_dict() for g in graphs])
        return
    if not graphs:
        console.print("no ownership graph loaded: corridor ownership load FILE")
        return
    table = Table("source", "version", "format", "file", "edges", "parties", "imported")
    for g in graphs:
        table.add_row(
            g.source,
            str(g.id),
            g.format,
            g.file_name,
            f"{g.edge_count:,}",
            f"{g.party_count:,}",
            g.imported_at,
        )
    console.print(table)


@app.command("evaluate")
def evaluate(
    edges: EdgesOpt = None,
    designated: DesignatedOpt = None,
    jurisdiction: JurisdictionOpt = None,
    as_of: AsOfOpt = None,
    rules: RulesOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows to print (not with --json).")] = 50,
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every party that listed persons own or control (or that is flagged), with its status
    per jurisdiction and the trace that decides it."""
    ev = _evaluate(edges, designated, jurisdiction, as_of, rules, encoding)
    if json_out:
        head = {
            "as_of": ev.as_of,
            "jurisdictions": list(ev.jurisdictions),
            "edges": ev.graph.edge_count,
            "designated": len(ev.graph.designations),
            "counts": ev.counts(),
        }
        emit_json_stream(head, "results", (f.to_dict() for f in ev.findings()))
        return
    affected = ev.affected()
    console.print(
        f"as of {ev.as_of}: {ev.graph.edge_count:,} edges, {len(ev.graph.designations):,} "
        f"designated parties, {len(affected):,} affected parties"
    )
    table = Table("entity", *[code.upper() for code in ev.jurisdictions], "why")
    for eid in affected[:limit]:
        findings = ev.explain(eid)
        lead = next((f for f in findings if f.status is not Status.NOT_BLOCKED), findings[0])
        why = path_text(lead.paths[0]) if lead.paths else escape((lead.flags or [lead.reason])[0])
        name = ev.graph.name(eid)
        table.add_row(
            escape(name) if name == eid else f"{escape(name)}\n[dim]{escape(eid)}[/]",
            *[_cell(f) for f in findings],
            why,
        )
    console.print(table)
    if len(affected) > limit:
        console.print(f"... {len(affected) - limit:,} more (use --limit or --json)")


@app.command("explain")
def explain(
    entity: Annotated[str, typer.Argument(help="The party's id in the graph.")],
    edges: EdgesOpt = None,
    designated: DesignatedOpt = None,
    jurisdiction: JurisdictionOpt = None,
    as_of: AsOfOpt = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Why one party is (or is not) blocked, owned or controlled under each jurisdiction."""
    ev = _evaluate(edges, designated, jurisdiction, as_of, rules, encoding)
    findings = ev.explain(entity)
    if json_out:
        emit_json(
            {
                "entity": entity,
                "as_of": ev.as_of,
                "summary": ev.summary(entity),
                "results": [f.to_dict() for f in findings],
            }
        )
        return
    console.print(
        f"[bold]{escape(ev.graph.name(entity))}[/] [dim]{escape(entity)}[/], as of {ev.as_of}"
    )
    console.print(escape(ev.summary(entity)), highlight=False)
    for f in findings:
        console.print(
            f"\n[bold]{f.jurisdiction.upper()}[/]: [{_STYLE[f.status]}]{escape(f.reason)}[/]",
            highlight=False,
        )
        for owner in f.owners:
            state = (
                f"designated ({owner['designated']})"
                if "designated" in owner
                else status_words(f.jurisdiction, Status(owner["status"]))
            )
            console.print(
                escape(f"  owner {owner['name']} [{owner['id']}]: {owner['share']}, {state}"),
                highlight=False,
            )
        for ctl in f.control:
            counts = "counts as control" if ctl["counts"] else "does not count as control"
            console.print(
                escape(f"  {ctl['type']} by {ctl['name']} [{ctl['id']}]: {counts}"),
                highlight=False,
            )
        for path in f.paths:
            console.print(f"  path: {path_text(path)}", highlight=False)
        for flag in f.flags:
            console.print(f"  [yellow]flag:[/] {escape(flag)}", highlight=False)

"""``corridor lists ...``: load, update, inspect and compare sanctions lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corridor.cli.index import compile_quietly
from corridor.cli.output import EncodingOpt, console, emit_json, err_console, progress_bar
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.exceptions import CorridorError, InvalidQuery
from corridor.lists.base import formats
from corridor.lists.bundled import bundled_lists
from corridor.service import (
    LoadResult,
    activate_version,
    diff_versions,
    list_status,
    list_versions,
    load_list,
    show_entity,
)
from corridor.service.counterparties import update_and_rescreen
from corridor.service.lists import EXPORT_FORMATS, export_lists
from corridor.store.base import VersionInfo

app = typer.Typer(
    help="Load, update, inspect and compare sanctions and export-control lists.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _topics(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    if value.strip().lower() == "all":
        return frozenset()
    chosen = frozenset(t.strip() for t in value.split(",") if t.strip())
    if not chosen:
        raise InvalidQuery("--topics: give topics separated by commas (sanction,export.control)")
    return chosen


def _load_with_progress(
    path: Path,
    fmt: str | None,
    source: str | None,
    force: bool,
    quiet: bool,
    published: str | None = None,
    encoding: str | None = None,
    topics: frozenset[str] | None = None,
) -> LoadResult[VersionInfo]:
    def run(progress: Callable[[int], None] | None) -> LoadResult[VersionInfo]:
        return load_list(
            STATE.store(),
            path,
            format=fmt,
            source=source,
            force=force,
            progress=progress,
            published=published,
            actor=CLI_ACTOR,
            encoding=encoding,
            max_shrink=STATE.settings.max_shrink,
            topics=topics,
        )

    if quiet:
        return run(None)
    with progress_bar("{task.completed:,} entities") as bar:
        task = bar.add_task(f"Loading {path.name}", total=None)
        return run(lambda n: bar.update(task, completed=n))


def _print_load(result: LoadResult[VersionInfo]) -> None:
    v = result.version
    if v is None:
        return
    if result.skipped:
        console.print(
            f"[yellow]{result.source}[/]: unchanged, version {v.id} "
            f"({v.entity_count:,} entities) stays active"
        )
    else:
        kinds = ", ".join(f"{n:,} {k}" for k, n in v.counts.items())
        console.print(
            f"[green]{result.source}[/]: version {v.id} active, {v.entity_count:,} "
            f"entities ({kinds}), published {v.published or 'unknown'}"
        )
    for warning in result.warnings:
        console.print(f"  [yellow]warning:[/] {warning}")


@app.command("load")
def load(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="List file(s): XML, CSV, JSON lines; .gz and .zip are read directly."),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="Force a format (see 'lists formats').")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", "-s", help="Source name to store the list under (default: from format)."
        ),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Load every list shipped with Corridor.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Store and activate the file even if it is unchanged, much smaller than the "
            "active version, or published before it.",
        ),
    ] = False,
    encoding: EncodingOpt = None,
    topics: Annotated[
        str | None,
        typer.Option(
            "--topics",
            help="FollowTheMoney files: the topics that make an entity a listed party, "
            "comma-separated (default: sanction,export.control), or 'all'.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Load list files into the store as new active versions (atomically).

    A file that would lose more than CORRIDOR_MAX_SHRINK (10 %) of the active version's
    entities, or that was published before it, is stored but not activated: the command says
    why, exits with status 2, and 'lists activate' (or --force) activates it.

    \b
    Example:
        corridor lists load sdn.csv
        corridor lists load consolidated.xml --source un_sc
        corridor lists load --bundled
    """
    jobs: list[tuple[Path, str | None, str | None, str | None]] = []
    if bundled:
        jobs += [(b.path, b.format, b.source, b.as_of) for b in bundled_lists()]
    for path in paths or []:
        jobs.append((path, fmt, source, None))
    if not jobs:
        raise InvalidQuery("give one or more list files, or --bundled")
    if source and len(paths or []) > 1:
        raise InvalidQuery("--source applies to one file at a time")
    wanted = _topics(topics)
    results: list[dict[str, Any]] = []
    failed = 0
    for p, f, s, published in jobs:
        try:
            result = _load_with_progress(p, f, s, force, as_json, published, encoding, wanted)
        except CorridorError as exc:
            if len(jobs) == 1 and not as_json:
                raise
            failed += 1
            results.append({"file": str(p), "error": {"code": exc.code, "message": str(exc)}})
            if not as_json:
                err_console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
            continue
        results.append(result.to_dict())
        if not as_json:
            _print_load(result)
    if as_json:
        emit_json({"results": results})
    if failed < len(jobs):
        compile_quietly()
    if failed:
        raise typer.Exit(2)


@app.command("update")
def update(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Sources to refresh (default: every configured source)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Download configured sources from their official addresses and import what changed.

    Uses conditional requests (ETag / Last-Modified) and checksums where configured; see
    CORRIDOR_SOURCES to change the addresses.
    """
    outcomes, report = update_and_rescreen(
        STATE.store(),
        STATE.settings,
        sources or None,
        CLI_ACTOR,
        lambda: STATE.screener(),
    )
    if as_json:
        emit_json({"results": [o.to_dict() for o in outcomes], "rescreen": report})
    else:
        table = Table("source", "status", "version", "entities", "detail")
        for o in outcomes:
            colour = {"updated": "green", "failed": "red", "held": "red"}.get(o.status, "yellow")
            table.add_row(
                o.source,
                f"[{colour}]{o.status}[/]",
                str(o.version.id) if o.version else "-",
                f"{o.version.entity_count:,}" if o.version else "-",
                o.detail,
            )
        console.print(table)
        if report is not None:
            console.print(
                f"delta re-screening: {report['changed_entities']:,} changed entities, "
                f"{report['rescreened']:,} of {report['counterparties']:,} monitored "
                f"counterparties re-screened, {report['alerts_created']:,} alerts created"
            )
    if any(o.status == "updated" for o in outcomes):
        compile_quietly()
    if any(o.failed for o in outcomes):
        raise typer.Exit(1)


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="File to write (FollowTheMoney JSON lines).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ] = "ftm",
    sources: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Export only this source (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the active lists as FollowTheMoney entities, with the topics of each list
    (sanction; export.control and debarment for the BIS and State Department lists).

    \b
    Example:
        corridor lists export lists.ftm.json --format ftm
    """
    counts = export_lists(STATE.store(), out, fmt, sources)
    if as_json:
        emit_json({"file": str(out), **counts})
        return
    console.print(
        f"{counts['records']:,} records written as {counts['ftm_entities']:,} FollowTheMoney "
        f"entities to {escape(str(out))}"
    )


@app.command("status")
def status(as_json: JsonOpt = False) -> None:
    """Sources in the store: active version, counts, publication date and age."""
    rows = list_status(STATE.store(), settings=STATE.settings)
    if as_json:
        emit_json({"sources": [r.to_dict() for r in rows]})
        return
    if not rows:
        console.print("The store holds no lists yet: try 'corridor lists load --bundled'.")
        return
    table = Table(
        "source",
        "active",
        "entities",
        "persons",
        "orgs",
        "vessels",
        "aircraft",
        "published",
        "age",
        title=f"Lists in {STATE.store().safe_url}",
    )
    for r in rows:
        v = r.version
        c = v.counts
        table.add_row(
            r.source,
            f"v{v.id} ({r.versions} stored)",
            f"{v.entity_count:,}",
            f"{c.get('person', 0):,}",
            f"{c.get('organization', 0):,}",
            f"{c.get('vessel', 0):,}",
            f"{c.get('aircraft', 0):,}",
            v.published or "-",
            (f"[red]{r.age_days}d (max {r.max_age_days}d)[/]" if r.stale else f"{r.age_days}d")
            if r.age_days is not None
            else "-",
        )
    console.print(table)
    stale = [r for r in rows if r.stale]
    if stale:
        console.print(
            f"[yellow]warning:[/] {len(stale)} list(s) older than their maximum age "
            f"({', '.join(r.source for r in stale)}): screening results carry a warning; "
            "run 'corridor lists update' (maximum ages: CORRIDOR_MAX_AGE)"
        )


@app.command("versions")
def versions(source: str, as_json: JsonOpt = False) -> None:
    """Every stored version of SOURCE, by publication date (import date when the file states
    none); the active one is marked."""
    rows = list_versions(STATE.store(), source)
    if as_json:
        emit_json({"source": source, "versions": [v.to_dict() for v in rows]})
        return
    table = Table(
        "version",
        "active",
        "format",
        "file",
        "sha256",
        "entities",
        "published",
        "imported",
        title=source,
    )
    for v in rows:
        table.add_row(
            str(v.id),
            "[green]yes[/]" if v.active else "",
            v.format,
            v.file_name,
            v.file_hash[:12],
            f"{v.entity_count:,}",
            v.published or "-",
            v.imported_at,
        )
    console.print(table)


@app.command("activate")
def activate(
    source: Annotated[str, typer.Argument(help="The source, e.g. us_ofac_sdn.")],
    version: Annotated[int, typer.Argument(help="The stored version to make active.")],
    as_json: JsonOpt = False,
) -> None:
    """Make a stored version of SOURCE the active one again: a rollback, or a version that a
    guard held back after you have checked it (audited).

    \b
    Example:
        corridor lists versions us_ofac_sdn
        corridor lists activate us_ofac_sdn 7
    """
    info = activate_version(STATE.store(), source, version, CLI_ACTOR)
    compile_quietly()
    if as_json:
        emit_json(info.to_dict())
        return
    console.print(
        f"[green]{source}[/]: version {info.id} active ({info.entity_count:,} entities, "
        f"published {info.published or 'unknown'}, file {escape(info.file_name)})"
    )


@app.command("diff")
def diff(
    source: str,
    from_version: Annotated[int | None, typer.Option("--from", help="Older version id.")] = None,
    to_version: Annotated[int | None, typer.Option("--to", help="Newer version id.")] = None,
    limit: Annotated[int, typer.Option(help="Entities to print per section.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Entities added, removed and changed (with the fields) between two versions of SOURCE.

    By default compares the active version with the one before it.
    """
    result = diff_versions(STATE.store(), source, from_version, to_version)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(
        f"[bold]{source}[/]: version {result.from_version or '(none)'} -> "
        f"{result.to_version}: [green]{len(result.added):,} added[/], "
        f"[red]{len(result.removed):,} removed[/], "
        f"[yellow]{len(result.changed):,} changed[/], {result.unchanged:,} unchanged"
    )
    for label, items in (
        ("added", result.added),
        ("removed", result.removed),
        ("changed", result.changed),
    ):
        if not items:
            continue
        table = Table("id", "name", "changed fields", title=label)
        for c in items[:limit]:
            table.add_row(c.entity_id, c.caption, ", ".join(c.fields))
        if len(items) > limit:
            table.caption = f"... and {len(items) - limit:,} more (--limit, --json)"
        console.print(table)


@app.command("show")
def show(entity_id: str, as_json: JsonOpt = False) -> None:
    """One listed entity as its active version holds it, and the versions it appears in."""
    ent, history = show_entity(STATE.store(), entity_id)
    if as_json:
        emit_json({"entity": ent.to_dict(), "history": history})
        return
    console.print(f"[bold]{ent.caption}[/]  ({ent.kind.value}, {ent.id}, source {ent.source})")
    table = Table(show_header=False, box=None)
    for name in ent.names[1:]:
        extra = ", ".join(
            x
            for x in (
                name.strength.value if name.strength.value == "weak" else "",
                name.script or "",
            )
            if x
        )
        table.add_row(name.type.value, f"{name.full}" + (f"  [dim]({extra})[/]" if extra else ""))
    for label, values in (
        ("programmes", ent.programs),
        ("lists", ent.lists),
        ("born", ent.birth_dates),
        ("birthplace", ent.birth_places),
        ("nationality", ent.nationalities),
        ("citizenship", ent.citizenships),
        ("countries", ent.countries),
        ("positions", ent.positions),
    ):
        if values:
            table.add_row(label, "; ".join(values))
    if ent.gender:
        table.add_row("gender", ent.gender)
    for ident in ent.identifiers:
        table.add_row(
            ident.type.value,
            " ".join(
                x
                for x in (
                    ident.value,
                    f"({ident.country})" if ident.country else "",
                    ident.note or "",
                )
                if x
            ),
        )
    for addr in ent.addresses:
        table.add_row("address", addr.full)
    if ent.listed_on:
        table.add_row("listed on", ent.listed_on)
    for key, values in ent.attributes.items():
        table.add_row(key, "; ".join(values))
    for remark in ent.remarks:
        table.add_row("remarks", remark)
    console.print(table)
    versions_line = ", ".join(
        f"v{h['version']}" + (" (changed)" if h["changed"] else "") + (" *" if h["active"] else "")
        for h in history
    )
    console.print(f"[dim]versions: {versions_line}[/]")


@app.command("formats")
def list_formats(as_json: JsonOpt = False) -> None:
    """The list formats Corridor reads, for --format."""
    known = formats()
    if as_json:
        emit_json(
            {
                "formats": [
                    {"name": f.name, "title": f.title, "default_source": f.default_source}
                    for f in known.values()
                ]
            }
        )
        return
    table = Table("format", "description", "default source")
    for f in sorted(known.values(), key=lambda f: f.name):
        table.add_row(f.name, f.title, f.default_source)
    console.print(table)

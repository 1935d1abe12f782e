"""``corridor screen``, ``screen-file`` and ``compare``: party screening from the shell."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corridor.batch.screening import row_query_checked, screen_rows
from corridor.batch.tables import RowWriter, check_writable, read_rows, write_rows
from corridor.cli.output import EncodingOpt, console, emit_json, err_console, progress_bar
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.exceptions import InvalidQuery
from corridor.matching import DEFAULT_THRESHOLD, Screener, ScreeningResult, compare
from corridor.model.entity import EntityKind
from corridor.model.listings import listing_labels
from corridor.service import audit
from corridor.service.freshness import stale_lists

KindOpt = Annotated[
    EntityKind | None, typer.Option("--kind", "-k", help="person, organization, vessel or aircraft")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


SHOWN_ROWS = 200  # rows of a screened file shown on the terminal
SHOWN_PROBLEMS = 50  # skipped rows and warnings printed (the output file has them all)
Row = dict[str, Any]

ThresholdOpt = Annotated[
    float | None,
    typer.Option(
        min=0.5, max=1.0, help=f"Minimum score to report, 0.5 to 1 (default {DEFAULT_THRESHOLD})."
    ),
]


def _screener(threshold: float | None) -> Screener:
    with console.status("Building the screening index from the active list versions..."):
        screener = STATE.screener(threshold or DEFAULT_THRESHOLD)
    if not screener.index.entities:
        raise InvalidQuery("the store holds no lists: run 'corridor lists load --bundled' first")
    return screener


def _stale() -> list[str]:
    return [s.message for s in stale_lists(STATE.store(), STATE.settings)]


def _warn(messages: list[str]) -> None:
    for message in messages:
        err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False)


def _lists(r: ScreeningResult) -> str:
    """Every list naming the party, with its sub-list: ``us_ofac_sdn, us_csl SDN, un_sc``."""
    return ", ".join(listing_labels(r.listings or [{"source": r.source, "sub_list": ""}]))


def _print_results(query_text: str, results: list[ScreeningResult]) -> None:
    if not results:
        console.print(f"[green]{query_text}[/]: no listed party at or above the threshold")
        return
    table = Table(
        "score",
        "listed party",
        "id",
        "lists",
        "programmes",
        "why",
        title=f"{query_text}: {len(results)} possible match(es)",
        show_lines=True,
    )
    for r in results:
        table.add_row(
            f"{r.score:.2f}",
            r.caption,
            r.entity_id,
            _lists(r),
            ", ".join(r.programs[:3]),
            r.explanation.summary(),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen(
        name: Annotated[str, typer.Argument(help="The party's name, in any script.")],
        kind: KindOpt = None,
        dob: Annotated[
            str | None, typer.Option("--dob", help="Date of birth (YYYY[-MM[-DD]]).")
        ] = None,
        country: Annotated[
            str | None,
            typer.Option(
                "--country", help="ISO 3166 alpha-2 country (nationality, residence, registration)"
            ),
        ] = None,
        ids: Annotated[
            list[str] | None,
            typer.Option(
                "--id", help="An identifier (passport, tax or registration number...); repeatable."
            ),
        ] = None,
        threshold: ThresholdOpt = None,
        limit: Annotated[int, typer.Option(min=1, max=500, help="Most results to show.")] = 10,
        as_json: JsonOpt = False,
    ) -> None:
        """Screen one party against every active list, with scores and explanations.

        \b
        Example:
            corridor screen "Қасым-Жомарт Тоқаев" --kind person
            corridor screen "Bank Rossiya" --country RU --id 7831000122 --json
        """
        query, warnings = row_query_checked(
            {
                "name": name,
                "kind": kind.value if kind else "",
                "dob": dob or "",
                "country": country or "",
                "id": ";".join(ids or []),
            }
        )
        screener = _screener(threshold)
        warnings += _stale()
        results = screener.screen(query, threshold=threshold, limit=limit)
        audit.record(
            STATE.store(),
            CLI_ACTOR,
            "screen",
            "party",
            {
                "name": name,
                "country": query.country,
                "matches": [r.entity_id for r in results],
            },
        )
        if as_json:
            emit_json(
                {
                    "query": query.to_dict(),
                    "threshold": threshold or DEFAULT_THRESHOLD,
                    "results": [r.to_dict() for r in results],
                    "warnings": warnings,
                }
            )
            return
        _print_results(name, results)
        _warn(warnings)

    @app.command("screen-file")
    def screen_file(
        input_path: Annotated[
            Path,
            typer.Argument(
                metavar="INPUT",
                help="CSV, JSON lines or Parquet with columns name, kind, dob, "
                "country, id (extra columns are carried through).",
            ),
        ],
        output: Annotated[
            str | None,
            typer.Option(
                "--output",
                "-o",
                help="Output file (.csv, .jsonl, .parquet; '-' for CSV on stdout);"
                " default: a table on the terminal.",
            ),
        ] = None,
        threshold: ThresholdOpt = None,
        workers: Annotated[
            int | None, typer.Option(min=1, help="Processes to use (default: every core).")
        ] = None,
        encoding: EncodingOpt = None,
    ) -> None:
        """Screen every party of a file on all cores, with a progress bar.

        A country is an ISO code or a name in any language (an unknown one is an error for
        its row); a date of birth that is not a date is dropped with a warning and the name
        is still screened.

        \b
        Example:
            corridor screen-file customers.csv --output screened.csv
        """
        if not input_path.exists():
            raise InvalidQuery(f"{input_path}: no such file")
        if output:
            check_writable(output)
        rows = read_rows(input_path, encoding)  # streamed: memory does not grow with the file
        screener = _screener(threshold)
        shown: list[Row] = []  # the first rows, for the terminal
        errors: list[str] = []
        warnings: list[str] = []
        count = alerts = 0
        with contextlib.ExitStack() as stack:
            writer = stack.enter_context(RowWriter(output)) if output else None
            bar = stack.enter_context(progress_bar("{task.completed:,} parties"))
            task = bar.add_task("Screening", total=None)
            for row in screen_rows(
                screener, rows, threshold, workers, progress=lambda n: bar.update(task, completed=n)
            ):
                count += 1
                alerts += bool(row.get("alert"))
                if row.get("error") and len(errors) < SHOWN_PROBLEMS:
                    errors.append(str(row["error"]))
                if row.get("warning") and len(warnings) < SHOWN_PROBLEMS:
                    warnings.append(str(row["warning"]))
                if writer is not None:
                    writer.write(row)
                elif len(shown) < SHOWN_ROWS:
                    shown.append(row)
        audit.record(
            STATE.store(),
            CLI_ACTOR,
            "screen.file",
            f"file:{input_path.name}",
            {"parties": count, "alerts": alerts},
        )
        if output:
            if output != "-":
                console.print(
                    f"{count:,} parties screened, {alerts:,} alert(s); written to {output}"
                )
        else:
            table = Table("name", "alert", "score", "best match", "lists", "why", show_lines=True)
            # on a narrow terminal the explanation is cut, so that each row stays a few lines
            # (--output or --json have it whole)
            room = max(60, console.width - 80)
            cut = False
            for r in shown:
                matches = r.get("matches") or []
                why = str(r.get("explanation") or r.get("error") or "")
                if len(why) > room * 2:
                    why, cut = why[: room * 2 - 1] + "…", True
                table.add_row(
                    str(r.get("name", "")),
                    "[red]yes[/]" if r.get("alert") else "no",
                    f"{r['score']:.2f}" if r.get("score") else "",
                    r.get("entity_name") or "",
                    ", ".join(matches[0].get("lists", [])) if matches else "",
                    escape(why),
                )
            console.print(table)
            more = (
                f" (the first {len(shown):,} shown; --output for all)" if count > len(shown) else ""
            )
            console.print(f"{count:,} parties screened, {alerts:,} alert(s){more}")
            if cut:
                console.print("[dim]explanations shortened to fit; --output FILE has them whole[/]")
        for error in errors:
            console.print(f"[yellow]skipped:[/] {escape(error)}", highlight=False)
        _warn(warnings)
        _warn(_stale())

    @app.command("compare")
    def compare_cmd(
        name_a: Annotated[str | None, typer.Argument(help="First name.")] = None,
        name_b: Annotated[str | None, typer.Argument(help="Second name.")] = None,
        kind: KindOpt = None,
        pairs: Annotated[
            Path | None,
            typer.Option("--pairs", help="CSV with columns name1, name2 and optional kind."),
        ] = None,
        output: Annotated[
            str | None,
            typer.Option(
                "--output", "-o", help="With --pairs: output CSV (adds a 'score' column)."
            ),
        ] = None,
        encoding: EncodingOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Compare two names (score in [0, 1] and explanation), or every pair of a CSV file.

        \b
        Example:
            corridor compare "Kassym-Jomart Tokayev" "Қасым-Жомарт Тоқаев"
            corridor compare --pairs pairs.csv --output scored.csv
        """
        if pairs is not None:
            if not output:
                raise InvalidQuery("--pairs needs --output")
            check_writable(output)
            rows = []
            for line, row in enumerate(read_rows(pairs, encoding), start=2):
                if not {"name1", "name2"} <= set(row):
                    raise InvalidQuery(f"{pairs}: needs columns name1 and name2")
                k = str(row.get("kind") or "").strip().lower()
                try:
                    pair_kind = EntityKind(k) if k else None
                except ValueError as exc:
                    raise InvalidQuery(f"{pairs}: row {line}: unknown kind {k!r}") from exc
                score, _exp = compare(str(row["name1"]), str(row["name2"]), pair_kind)
                rows.append({**row, "score": score})
            write_rows(output, rows)
            console.print(f"{len(rows):,} pairs scored; written to {output}")
            return
        if not name_a or not name_b:
            raise InvalidQuery("give two names, or --pairs FILE --output FILE")
        score, explanation = compare(name_a, name_b, kind)
        if as_json:
            emit_json(
                {
                    "name_a": name_a,
                    "name_b": name_b,
                    "score": score,
                    "explanation": explanation.to_dict(),
                }
            )
            return
        colour = "red" if score >= DEFAULT_THRESHOLD else "green"
        console.print(f"[{colour}]{score:.2f}[/]  {explanation.summary()}")

"""``corridor profiles``: list records that are one party, and analysts' judgements on them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from corridor.cli.output import console, emit_json, err_console
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.service.profiles import get_profile, judge, recompute_profiles
from corridor.service.users import User

app = typer.Typer(help="Profiles: the list records that are one party, with their evidence.")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
CLI_USER = User(0, CLI_ACTOR, "admin")  # the command line acts with the store's full rights


def recompute_quietly() -> None:
    """Recompute the profiles after the active lists changed (adapters call it)."""
    with err_console.status("Grouping list records that are one party into profiles..."):
        report = recompute_profiles(STATE.store())
    err_console.print(report.line(), highlight=False, soft_wrap=True)


@app.command("compute")
def compute(
    force: Annotated[bool, typer.Option("--force", help="Recompute even if current.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Group the active list records into profiles (done by itself when lists change)."""
    report = recompute_profiles(STATE.store(), force=force)
    if as_json:
        emit_json(report.to_dict())
        return
    console.print(report.line(), highlight=False)


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="A profile id (pf-...) or a list record id.")],
    as_json: JsonOpt = False,
) -> None:
    """A profile: every listing of the party, and why its records are linked."""
    profile = get_profile(STATE.store(), ref)
    if as_json:
        emit_json(profile)
        return
    console.print(
        f"[bold]{escape(profile['caption'])}[/]  profile {profile['profile_id'] or '(none)'}; "
        f"jurisdictions: {', '.join(profile['jurisdictions']) or 'none'}"
    )
    table = Table("record", "list", "sub-list", "kind", "programmes", "listed on")
    for x in profile["listings"]:
        table.add_row(
            x["entity_id"],
            x["source"],
            x["sub_list"],
            x["kind"],
            escape(", ".join(x["programs"])[:60]),
            x["listed_on"] or "",
        )
    console.print(table)
    for link in profile["links"]:
        console.print(f"  {link['a']} = {link['b']}: {escape(link['why'])}", highlight=False)
    for j in profile["judgements"]:
        console.print(
            f"  judgement {j['id']}: {j['a']} {j['verdict']} {j['b']} by {j['decided_by']} "
            f"({j['decided_at']}): {escape(j['reason'])}",
            highlight=False,
        )


@app.command("judge")
def judge_cmd(
    a: Annotated[str, typer.Argument(help="A list record id.")],
    b: Annotated[str, typer.Argument(help="Another list record id.")],
    verdict: Annotated[
        str, typer.Option("--verdict", help="'same' (one party) or 'different' (two parties).")
    ],
    reason: Annotated[str, typer.Option("--reason", help="What was checked.")],
    as_json: JsonOpt = False,
) -> None:
    """Confirm that two list records are one party, or split them; audited, kept across list
    versions, and stronger than the automatic decision."""
    result, report = judge(STATE.store(), CLI_USER, a, b, verdict, reason)
    if as_json:
        emit_json({**result, "profiles": report.to_dict()})
        return
    what = "one party" if verdict == "same" else "two parties"
    console.print(
        f"judgement {result['id']}: {a} and {b} are {what}; "
        f"profiles now {result['after'][a]} and {result['after'][b]}",
        highlight=False,
    )
    err_console.print(report.line(), highlight=False)

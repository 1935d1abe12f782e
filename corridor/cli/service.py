"""``corridor serve``, ``corridor users ...``, ``corridor audit ...`` and
``corridor monitor ...``: the service from the command line."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corridor.cli.output import EncodingOpt, console, emit_json
from corridor.cli.state import CLI_ACTOR, STATE
from corridor.exceptions import Conflict, InvalidQuery
from corridor.service import audit, monitoring, users

users_app = typer.Typer(help="Users, roles and API keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
monitor_app = typer.Typer(help="Monitored counterparties and re-screening.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port.")] = 8000,
        workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
        rate_limit: Annotated[
            float, typer.Option(help="Requests a second per user or key (0: none).")
        ] = 500.0,
        max_batch: Annotated[int, typer.Option(help="Queries in one batch request.")] = 1000,
    ) -> None:
        """Run the web UI and the REST API (uvicorn).

        The compiled screening index of the active versions (built first if no process has)
        is mapped before the first request is accepted. Web UI: http://HOST:PORT/ui/; OpenAPI
        documentation: http://HOST:PORT/docs."""
        import uvicorn

        os.environ["CORRIDOR_SERVE_DB"] = STATE.settings.db_url
        os.environ["CORRIDOR_SERVE_RATE"] = str(rate_limit)
        os.environ["CORRIDOR_SERVE_BATCH"] = str(max_batch)
        ready = (
            f"Corridor is listening on http://{host}:{port}: web UI at /ui/, API documentation "
            f"at /docs; store {STATE.store().safe_url}. Ctrl-C stops it."
        )
        if workers > 1:  # uvicorn's supervisor starts the workers; each says when it listens
            console.print(f"Starting {workers} workers. " + ready)
            uvicorn.run(
                "corridor.api.server:app",
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                access_log=False,
            )
            return

        class Announcing(uvicorn.Server):
            """Says the service is ready once it listens (not before: the first request
            would be refused)."""

            async def startup(self, sockets: Any = None) -> None:
                await super().startup(sockets)
                if self.started:
                    console.print(ready)

        config = uvicorn.Config(
            "corridor.api.server:app",
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
        )
        Announcing(config).run()

    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.add_typer(monitor_app, name="monitor")


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="client, analyst, supervisor or admin.")] = "admin",
    password: Annotated[
        str | None,
        typer.Option(
            help="Password (prompted if omitted; CORRIDOR_PASSWORD also works).",
            envvar="CORRIDOR_PASSWORD",
        ),
    ] = None,
    api_key: Annotated[bool, typer.Option("--api-key", help="Also create an API key.")] = False,
    generate: Annotated[
        bool,
        typer.Option("--generate-password", help="Make up a strong password and show it once."),
    ] = False,
    if_missing: Annotated[
        bool,
        typer.Option("--if-missing", help="Do nothing (and succeed) when the user exists."),
    ] = False,
) -> None:
    """Create a user (the first admin, typically)."""
    if any(u.username == username for u in users.list_users(STATE.store())):
        if if_missing:
            console.print(f"user {escape(username)} exists already: its password is unchanged")
            return
        raise Conflict(  # said before any password is asked for
            f"user {username!r} exists already (a new API key: corridor users key {username})"
        )
    if generate:
        password = secrets.token_urlsafe(12)
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = users.add_user(STATE.store(), username, password, role, CLI_ACTOR)
    console.print(f"[green]user {escape(user.username)}[/] created with role {user.role}")
    if generate:
        console.print(f"password (shown once): [bold]{escape(password)}[/]")
    if api_key:
        key = users.create_api_key(STATE.store(), username, "cli", CLI_ACTOR)
        console.print(f"API key (shown once): {key}")


@users_app.command("list")
def users_list(json_out: JsonOpt = False) -> None:
    found = users.list_users(STATE.store())
    if json_out:
        emit_json([u.to_dict() for u in found])
        return
    table = Table("id", "user", "role", "active")
    for u in found:
        table.add_row(str(u.id), escape(u.username), u.role, "yes" if u.active else "no")
    console.print(table)


@users_app.command("key")
def users_key(
    username: Annotated[str, typer.Argument(help="User name.")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "api",
) -> None:
    """Create an API key for a user (shown once; stored as a hash)."""
    key = users.create_api_key(STATE.store(), username, name, CLI_ACTOR)
    console.print(f"API key for {escape(username)} (shown once): {key}", soft_wrap=True)


@users_app.command("keys")
def users_keys(
    username: Annotated[str | None, typer.Argument(help="Only this user's keys.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """API keys: prefix, name, owner, creation and whether revoked (never the key)."""
    found = users.list_api_keys(STATE.store(), username)
    if json_out:
        emit_json(found)
        return
    table = Table("prefix", "user", "name", "created", "state")
    for k in found:
        table.add_row(
            k["prefix"],
            escape(k["username"]),
            escape(k["name"]),
            k["created_at"],
            "[red]revoked[/]" if k["revoked"] else "active",
        )
    console.print(table)


@users_app.command("revoke-key")
def users_revoke_key(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (see 'users keys').")],
) -> None:
    """Revoke one API key; every worker refuses it from the next request on."""
    users.revoke_api_key(STATE.store(), prefix, CLI_ACTOR)
    console.print(f"API key {escape(prefix)} revoked")


@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            exists=True,
            dir_okay=False,
            help="A checkpoint exported by 'audit checkpoint': the trail must still hold it.",
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="Walk the whole chain, not only since the last checkpoint."),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Walk the keyed hash chain from the last verified checkpoint; exits with status 1 if
    any entry was edited, deleted, inserted, renumbered or re-hashed, the head moved, or the
    trail cut back. When all is well, a checkpoint is kept at the head for the next walk."""
    exported = None
    if checkpoint is not None:
        try:
            exported = json.loads(checkpoint.read_text("utf-8"))
        except (OSError, UnicodeError, ValueError) as exc:
            raise InvalidQuery(f"{checkpoint}: not a checkpoint file: {exc}") from exc
    result = audit.verify(STATE.store(), full=full, checkpoint=exported, record=True)
    if json_out:
        emit_json(result.to_dict())
    elif result.ok:
        since = f" since checkpoint {result.checked_from:,}" if result.checked_from else ""
        console.print(
            f"[green]audit trail intact[/]: {result.entries:,} entries, chain head "
            f"at {result.head_seq:,}; {result.checked:,} checked{since}"
        )
    else:
        console.print(f"[red]audit trail broken[/]: {result.entries:,} entries")
        for problem in result.problems:
            console.print(f"  {escape(problem)}", highlight=False)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the checkpoint to this file.")
    ] = None,
) -> None:
    """Verify the trail and sign a checkpoint at its head (sequence, hash, time). Keep the
    file away from the database: 'audit verify --checkpoint FILE' then detects a trail cut
    back or rewritten since, even by someone who can write the database."""
    cp = audit.checkpoint(STATE.store())
    text = json.dumps(cp, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"checkpoint at entry {cp['seq']:,} written to {output}")


@audit_app.command("export")
def audit_export(
    output: Annotated[Path, typer.Argument(help="JSON lines file to write.")],
    since: Annotated[int, typer.Option(help="Only entries after this sequence number.")] = 0,
) -> None:
    """Write the trail, with its hashes, as JSON lines (verifiable outside Corridor)."""
    n = audit.export(STATE.store(), str(output), since)
    console.print(f"{n:,} entries written to {output}")


@monitor_app.command("import")
def monitor_import(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="CSV external_id,name,kind,country,birth_date,identifiers",
        ),
    ],
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Register counterparties for ongoing screening and screen them."""
    screener = STATE.screener()
    if not screener.index.entities:
        raise InvalidQuery("the store holds no lists: run 'corridor lists load --bundled' first")
    report = monitoring.import_counterparties(STATE.store(), screener, path, CLI_ACTOR, encoding)
    if json_out:
        emit_json(report)
        return
    console.print(
        f"{report['imported']:,} counterparties imported, "
        f"{report['alerts_created']:,} alerts created"
    )
    for err in report["errors"]:
        console.print(f"[yellow]skipped:[/] {escape(err)}")
    for warning in report["warnings"]:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


@monitor_app.command("rescreen")
def monitor_rescreen(json_out: JsonOpt = False) -> None:
    """Re-screen every monitored counterparty."""
    report = monitoring.rescreen(STATE.store(), STATE.screener(), CLI_ACTOR)
    if json_out:
        emit_json(report)
        return
    console.print(
        f"{report['rescreened']:,} counterparties re-screened, "
        f"{report['alerts_created']:,} alerts created, "
        f"{report['suppressed_by_memory']:,} suppressed by remembered decisions"
    )

"""The ``corridor`` command line: a thin adapter over :mod:`corridor.service`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from corridor.cli import (
    goods,
    index,
    lists,
    ownership,
    payments,
    profiles,
    screening,
    service,
    shipments,
    spark,
)
from corridor.cli.output import err_console
from corridor.cli.state import STATE
from corridor.exceptions import CorridorError, NotFound

app = typer.Typer(
    help="Corridor: sanctions and export-control compliance for cross-border trade.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(lists.app, name="lists")
app.add_typer(ownership.app, name="ownership")
app.add_typer(goods.app, name="goods")
app.add_typer(index.app, name="index")
app.add_typer(profiles.app, name="profiles")
app.add_typer(spark.app, name="spark")
app.add_typer(shipments.app, name="shipments")
app.add_typer(payments.app, name="payments")
app.add_typer(shipments.licences_app, name="licences")
screening.register(app)
service.register(app)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("corridor")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            number = "unknown"
        typer.echo(f"corridor {number}")
        raise typer.Exit()


@app.callback()
def root(
    _version_flag: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CORRIDOR_DB",
            help="Store URL (sqlite:///file.db or postgresql://...); default: a SQLite file in the "
            "user data directory.",
        ),
    ] = None,
) -> None:
    STATE.db = db
    STATE.settings.apply()
    _check_store_exists(db)


# commands whose answer rests on what the store holds: they refuse a SQLite file that is not
# there, so that a mistyped --db is said instead of answered from a new, empty store (commands
# that load data make the store; goods, shipments and compare work from the bundled data too)
NEEDS_STORE_GROUPS = frozenset({"lists", "index", "spark", "users", "audit", "monitor", "profiles",
                                "ownership"})  # fmt: skip
MAY_CREATE = frozenset(
    {
        ("lists", "load"),
        ("lists", "update"),
        ("lists", "formats"),
        ("ownership", "load"),
        ("users", "add"),
        ("monitor", "import"),
    }
)


def _command(argv: list[str]) -> tuple[str, ...]:
    """The command a command line runs: (group, command) or (command,)."""
    groups = {g.name for g in app.registered_groups}
    commands = {c.name for c in app.registered_commands}
    words = [a for a in argv if not a.startswith("-")]
    for i, word in enumerate(words):
        if word in groups:
            return (word, words[i + 1]) if i + 1 < len(words) else (word,)
        if word in commands:
            return (word,)
    return ()


def _check_store_exists(db: str | None) -> None:
    if not db or not db.startswith("sqlite:///"):
        return  # the default store is made on first use; PostgreSQL stores exist already
    path = Path(db.removeprefix("sqlite:///"))
    if path.exists() or str(path) == ":memory:":
        return
    command = _command(STATE.argv)
    needs = command[:1] in {("screen",), ("screen-file",)} or (
        command[:1] and command[0] in NEEDS_STORE_GROUPS and command not in MAY_CREATE
    )
    if not needs or "--help" in STATE.argv:
        return
    raise NotFound(
        f"no store at {path} (from --db or CORRIDOR_DB): check the path; a new store is made "
        "only by commands that load data, such as 'corridor lists load --bundled'"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Exit status: 0 when all went well; 1 when a command found a problem it
    reports (a failed source, a broken audit chain, an invalid goods code); 2 for a Corridor
    error (printed as one clear line) or a usage error; 130 when interrupted."""
    STATE.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        status = app(args=argv, standalone_mode=False)
        return status if isinstance(status, int) else 0
    except CorridorError as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except typer.TyperException as exc:  # usage errors: unknown command, bad option
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"[red]error:[/] {exc}")
        return int(getattr(exc, "exit_code", 2))
    finally:
        STATE.close()


def run() -> None:
    sys.exit(main())


__all__ = ["app", "main", "run"]

"""`serve` and `admin`: the shared service and its accounts (docs/design.md: Service). The service
is imported only when these run, so `jointtrack --help` stays fast."""

from typing import Annotated

import typer

from scheduler.cli.options import out
from scheduler.errors import InputError

Db = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL: sqlite:///PATH (default ./jointtrack.db) or postgresql+psycopg://USER@HOST/DB."
    ),
]


def serve(
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Run the shared service: the JSON API under /api/v1 and the pages, on one database."""
    from scheduler.service.config import settings_from
    from scheduler.service.server import run_server

    run_server(settings_from(db, host, port))


admin = typer.Typer(
    no_args_is_help=True, help="Accounts of the shared service: add them (a token, shown once), revoke them."
)


@admin.callback()
def admin_database(ctx: typer.Context, db: Db = None) -> None:
    """Accounts of the shared service."""
    ctx.obj = db


def _database(ctx: typer.Context):
    from scheduler.service.config import settings_from
    from scheduler.service.db.session import Database

    database = Database(settings_from(ctx.obj).db_url)
    database.migrate()
    return database


def _add(ctx: typer.Context, name: str, role: str, stations: str | None = None) -> None:
    from scheduler.service.db.accounts import add_account

    database = _database(ctx)
    try:
        print(add_account(database, name, role, stations), flush=True)  # the token alone, once
    finally:
        database.dispose()


Name = Annotated[str, typer.Argument(help="The account's name (an agency's is the agency of its requests).")]


@admin.command("add-agency")
def add_agency(ctx: typer.Context, name: Name) -> None:
    """Add an agency; print its token (only now)."""
    _add(ctx, name, "agency")


@admin.command("add-coordinator")
def add_coordinator(ctx: typer.Context, name: Name) -> None:
    """Add a coordinator (creates campaigns, runs plans); print its token (only now)."""
    _add(ctx, name, "coordinator")


@admin.command("add-operator")
def add_operator(
    ctx: typer.Context,
    name: Name,
    stations: Annotated[
        str | None, typer.Option("--stations", help="The stations it operates: a selector, e.g. complex:Madrid.")
    ] = None,
    agency: Annotated[
        str | None, typer.Option("--agency", help="An operator of this agency's stations (--stations agency:A).")
    ] = None,
) -> None:
    """Add a station operator (reports outcomes of its stations' tracks); print its token (only now)."""
    from stations import load_catalog, resolve_stations
    from stations.selectors import SelectorError

    if stations is None and agency is None:
        raise InputError("--stations", "", "an operator needs its stations", "give --agency A or --stations SELECTOR")
    selectors = ",".join(s for s in (f"agency:{agency}" if agency else None, stations) if s)
    try:
        resolve_stations([s.strip() for s in selectors.split(",")], load_catalog().values())
    except SelectorError as exc:
        raise InputError(
            "--agency" if agency and not stations else "--stations",
            "",
            str(exc).split(";")[0],
            "give a catalog selector, e.g. complex:Madrid, or an agency of the catalog",
        ) from None
    _add(ctx, name, "operator", selectors)


@admin.command("revoke")
def revoke(ctx: typer.Context, name: Name) -> None:
    """Revoke every token of an account, at once (its page sessions end too)."""
    from scheduler.service.db.accounts import revoke as revoke_account

    database = _database(ctx)
    try:
        revoke_account(database, name)
    finally:
        database.dispose()
    out.print(f"revoked {name}", markup=False, highlight=False)

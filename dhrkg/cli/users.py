"""``dhrkg users add|list|revoke``: accounts of the HTTP API and web workspace."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import List, Optional

import typer

from ._common import DataDirOption, failing
from ._style import TYPER_STYLE, Commands

users_app = typer.Typer(cls=Commands, **TYPER_STYLE, help="Accounts of the web workspace and API: add, list, revoke.", no_args_is_help=True)


def _accounts(data_dir: Optional[Path]):
    from dhrkg import config
    from dhrkg.api.accounts import Accounts
    from dhrkg.api.audit import AuditLog

    directory = config.data_dir(data_dir)
    return Accounts(directory), AuditLog(directory)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="The user's name (letters, digits, . _ @ -).", show_default=False),
    role: str = typer.Option(..., "--role", help="chair, analyst, researcher or admin.", show_default=False),
    review: List[str] = typer.Option([], "--review", help="A review a chair may see and edit (repeatable).", show_default=False),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Add a user and print their API token (shown once; only its hash is kept)."""
    from dhrkg.api.accounts import AccountError

    accounts, audit = _accounts(data_dir)
    with failing(AccountError):
        user, token = accounts.add(name, role, review)
    audit.record(f"cli:{getpass.getuser()}", "user-add", name, role=role, reviews=user.reviews)
    typer.echo(f"added {name} ({role}{': ' + ', '.join(user.reviews) if user.reviews else ''})", err=True)
    typer.echo("token (shown once; give it to the user over a safe channel):", err=True)
    typer.echo(token)


@users_app.command("list")
def list_users(
    as_json: bool = typer.Option(False, "--json", help="Print the users as JSON."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """List the users: name, role, reviews granted, created, revoked."""
    accounts, _ = _accounts(data_dir)
    users = [u.public() for u in accounts.users().values()]
    if as_json:
        typer.echo(json.dumps(users, indent=2))
        return
    for u in users:
        state = f"revoked {u['revoked'][:10]}" if u["revoked"] else "active"
        reviews = f" reviews: {', '.join(u['reviews'])}" if u["reviews"] else ""
        typer.echo(f"{u['name']:<20} {u['role']:<10} {state:<18}{reviews}")
    if not users:
        typer.echo("no users: 'dhrkg users add NAME --role ROLE' adds one", err=True)


@users_app.command("revoke")
def revoke(
    name: str = typer.Argument(..., help="The user whose token stops working now.", show_default=False),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Revoke a user's token (their sessions end too)."""
    from dhrkg.api.accounts import AccountError

    accounts, audit = _accounts(data_dir)
    with failing(AccountError):
        accounts.revoke(name)
    audit.record(f"cli:{getpass.getuser()}", "user-revoke", name)
    typer.echo(f"revoked {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users", rich_help_panel="Server")
